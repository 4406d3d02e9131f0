"""How fast keika crawls N pages on 127.0.0.1, against a plain Scrapy spider in the same run.

Run: .venv/bin/python bench/bench_crawl.py [--pages 1000] [--concurrency 16] [--rounds 3]

The pages are variants of tests/fixtures/oyama/P-4103/v2.html (entries dropped, swapped and
edited), pre-rendered in memory and served by a keep-alive asyncio server in this process, with
ETags and 304 on If-None-Match. Every crawl is a whole process, timed from its start to its
exit (interpreter start-up, imports and the schema check included):

  (a) plain   — a bare scrapy.Spider that extracts the same fields keika's parse does (each
                h2's text and the text of the paragraphs under it), with keika's item
                concurrency (CONCURRENT_ITEMS) and the same download settings
  (b) keika 1 — what `keika crawl` runs (run_once: begin_crawl, PagesSpider + IngestPipeline,
                end_crawl) into a fresh SQLite database: archive, parse, baseline
  (c) keika 2 — the same again with nothing changed: every page must come back 304
  (d) start-up — the real `keika crawl` command on a one-page seeds file: seconds from the
                process start to the first request the server sees (robots.txt)

Both spiders get the same concurrency (CONCURRENT_REQUESTS and the per-site limit raised to
--concurrency), no download delay, no AutoThrottle, robots.txt obeyed. The kinds run in
interleaved rounds with the order rotated each round, and the medians are reported.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "tests" / "fixtures" / "oyama" / "P-4103" / "v2.html"
ENTRY_RE = re.compile(r"(<h2>.*?)(?=<h2>|</div>)", re.S)


def page_variants(count: int, seed: int = 4103) -> list[bytes]:
    """`count` different versions of the P-4103 page: some entries dropped, swapped, edited."""
    html = TEMPLATE.read_text(encoding="utf-8")
    start = html.index('<div class="article-body">') + len('<div class="article-body">')
    end = html.index("</div>", start)
    entries = ENTRY_RE.findall(html[start:end])
    rng = random.Random(seed)
    pages = []
    for number in range(count):
        chosen = list(entries)
        for _ in range(rng.randint(0, 2)):
            chosen.pop(rng.randrange(len(chosen)))
        i = rng.randrange(len(chosen) - 1)
        chosen[i], chosen[i + 1] = chosen[i + 1], chosen[i]
        j = rng.randrange(len(chosen))
        chosen[j] = chosen[j].replace("</p>", f"（第{number}版で追記）</p>", 1)
        body = html[:start] + "\n" + "".join(chosen) + html[end:]
        body = body.replace("P-4103", f"P-{10000 + number}")
        pages.append(body.encode("utf-8"))
    return pages


class PageServer:
    """Pre-rendered pages at /p/N.html over HTTP/1.1 keep-alive, ETag + 304; robots.txt is 404.

    A bare asyncio protocol on its own thread: answering from memory costs microseconds, so
    the crawlers, not the server, set the pace.
    """

    def __init__(self, pages: list[bytes]) -> None:
        self.bodies = {f"/p/{n}.html": body for n, body in enumerate(pages)}
        self.etags = {
            path: f'"{hashlib.sha1(body).hexdigest()[:16]}"' for path, body in self.bodies.items()
        }
        self.first_request: float | None = None  # time.monotonic() of the first request
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait()

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            self.loop.create_server(lambda: _PageProtocol(self), "127.0.0.1", 0)
        )
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    def answer(self, path: str, headers: dict[bytes, bytes]) -> bytes:
        body = self.bodies.get(path)
        if body is None:
            return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        etag = self.etags[path]
        if headers.get(b"if-none-match", b"").decode() == etag:
            return f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n\r\n".encode()
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"ETag: {etag}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    def urls(self, count: int) -> list[str]:
        return [f"http://127.0.0.1:{self.port}/p/{n}.html" for n in range(count)]


class _PageProtocol(asyncio.Protocol):
    def __init__(self, server: PageServer) -> None:
        self.server = server
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:  # GET requests only: no bodies to skip
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            if self.server.first_request is None:
                self.server.first_request = time.monotonic()
            request_line, *lines = head.split(b"\r\n")
            path = request_line.split(b" ")[1].decode()
            headers = {}
            for line in lines:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            self.transport.write(self.server.answer(path, headers))  # type: ignore[attr-defined]


def common_settings(concurrency: int) -> dict[str, Any]:
    from crawler import settings as keika_settings

    return {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "CONCURRENT_ITEMS": keika_settings.CONCURRENT_ITEMS,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": True,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "KEIKA_PROGRESS": False,
    }


# --- child side: one crawl, then one JSON line on stdout ---------------------------------------


def child_plain(job: dict[str, Any]) -> dict[str, Any]:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class EntriesSpider(scrapy.Spider):
        name = "entries"

        def __init__(self, urls: list[str], **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.urls = urls

        async def start(self):  # type: ignore[no-untyped-def]
            for url in self.urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response):  # type: ignore[no-untyped-def]
            entries: list[dict[str, Any]] = []
            for node in response.css("div.article-body > *"):
                tag = node.root.tag
                if tag == "h2":
                    entries.append({"date_text": " ".join(node.css("::text").getall()).strip()})
                    entries[-1]["body"] = []
                elif entries:
                    text = " ".join(node.css("::text").getall()).strip()
                    if text:
                        entries[-1]["body"].append(text)
            yield {
                "url": response.url,
                "title": response.css("title::text").get(),
                "entries": entries,
            }

    process = CrawlerProcess(job["settings"])
    crawler = process.create_crawler(EntriesSpider)
    process.crawl(crawler, urls=job["urls"])
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return {"items": stats.get("item_scraped_count", 0)}


def child_keika(job: dict[str, Any]) -> dict[str, Any]:
    """What `keika crawl` does after reading its seeds, with the bench's download settings."""
    from crawler.run import run_once
    from pipeline.domain.seed import Seed, SeedSet
    from storage.db import Database

    seeds = [Seed(key=f"p{n}", url=url) for n, url in enumerate(job["urls"])]
    db = Database(job["db"])
    report = run_once(db, SeedSet(seeds=tuple(seeds)), seeds, settings=job["settings"])
    db.dispose()
    counts: dict[str, int] = {}
    for row in report.rows:
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
    return {"items": len(report.rows), "outcomes": counts}


def child_main(job: dict[str, Any]) -> None:
    result = child_plain(job) if job["kind"] == "plain" else child_keika(job)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# --- parent side -------------------------------------------------------------------------------


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_env(tree: Path) -> dict[str, str]:
    """The environment that makes a child import keika from `tree`."""
    return {**os.environ, "PYTHONPATH": str(tree)}


def run_child(job: dict[str, Any], server: PageServer, tree: Path) -> dict[str, Any]:
    """One crawl process (keika from `tree`), timed from its start to its exit."""
    server.first_request = None
    cpu = children_cpu()
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(job)],
        cwd=tree,
        env=tree_env(tree),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    seconds = time.monotonic() - began
    if done.returncode != 0:
        raise SystemExit(f"{job['kind']} crawl failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = seconds
    result["cpu"] = children_cpu() - cpu
    result["first_request"] = (server.first_request or began) - began
    return result


def run_startup(server: PageServer, folder: Path, tree: Path) -> dict[str, Any]:
    """The real `keika crawl` of one page: seconds until the server sees its first request."""
    seeds = folder / "one-page.toml"
    seeds.write_text(f'[[page]]\nkey = "one"\nurl = "{server.urls(1)[0]}"\n', encoding="utf-8")
    db_path = folder / f"startup-{abs(hash(tree))}.db"
    db = f"sqlite:///{db_path}"
    command = [sys.executable, "-m", "keika.cli", "crawl", "--seeds", str(seeds), "--db", db]
    if not db_path.exists():  # a database keika has crawled before, as on every day but the first
        subprocess.run(command, cwd=folder, env=tree_env(tree), capture_output=True, timeout=300)
    server.first_request = None
    cpu = children_cpu()
    began = time.monotonic()
    done = subprocess.run(
        command,
        cwd=folder,
        env=tree_env(tree),
        capture_output=True,
        text=True,
        timeout=300,
    )
    seconds = time.monotonic() - began
    if done.returncode != 0:
        raise SystemExit(f"keika crawl of one page failed:\n{done.stderr}")
    return {
        "seconds": seconds,
        "first_request": (server.first_request or began) - began,
        "cpu": children_cpu() - cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
    parser.add_argument(
        "--before",
        type=Path,
        help="another keika tree (e.g. a `git archive` of main) to run interleaved as 'before'",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return

    server = PageServer(page_variants(args.pages))
    settings = common_settings(args.concurrency)
    size = sum(map(len, server.bodies.values())) // len(server.bodies)
    print(
        f"{args.pages} variants of P-4103/{TEMPLATE.name} (~{size} bytes each), "
        f"concurrency {args.concurrency}, {args.rounds} rounds, served on 127.0.0.1:{server.port}"
    )
    urls = server.urls(args.pages)
    trees = {"": ROOT}
    if args.before:
        trees["before "] = args.before.resolve()
    kinds = ["plain"] + [f"{t}{k}" for t in trees for k in ("first", "second", "startup")]
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dbs: dict[str, str] = {}
        for number in range(args.rounds):
            order = kinds[number % len(kinds) :] + kinds[: number % len(kinds)]
            for kind in order:
                label, _, step = kind.rpartition(" ")
                tree = trees[f"{label} " if label else ""]
                if step == "startup":
                    runs[kind].append(run_startup(server, folder, tree))
                    continue
                job: dict[str, Any] = {"kind": "plain" if step == "plain" else "keika"}
                job.update({"urls": urls, "settings": settings})
                if step != "plain":
                    if step == "first" or label not in dbs:
                        name = f"bench-{label or 'now'}-{number}.db"
                        dbs[label] = f"sqlite:///{folder / name}"
                    job["db"] = dbs[label]
                    if step == "second" and not runs[kind.replace("second", "first")]:
                        run_child(job, server, tree)  # a first crawl to be unchanged against
                runs[kind].append(run_child(job, server, tree))

    def med(kind: str, field: str) -> float:
        return statistics.median(r[field] for r in runs[kind])

    n = args.pages
    plain_s = med("plain", "seconds")
    header = f"{'crawl (whole process, median)':<36}{'seconds':>8}{'pages/s':>9}{'vs plain':>10}"
    print("\n" + header + f"{'CPU s':>8}{'CPU vs plain':>14}{'peak RSS':>10}")
    plain_cpu = med("plain", "cpu")
    rows = [("plain", "(a) plain Scrapy, same fields")]
    for t in trees:
        rows += [
            (f"{t}first", f"(b) {t}keika, first crawl"),
            (f"{t}second", f"(c) {t}keika, unchanged"),
        ]
    for kind, name in rows:
        seconds, rss, cpu = med(kind, "seconds"), med(kind, "peak_rss_mb"), med(kind, "cpu")
        print(
            f"{name:<36}{seconds:>8.2f}{n / seconds:>9.0f}{plain_s / seconds:>9.2f}x"
            f"{cpu:>8.2f}{plain_cpu / cpu:>13.2f}x{rss:>8.0f}MB"
        )
    print(f"plain Scrapy's start-up: {med('plain', 'first_request'):.2f}s to its first request")
    for t in trees:
        ratio = med(t + "second", "seconds") / med(t + "first", "seconds")
        print(
            f"{t or 'now'}: unchanged / first crawl {ratio:.2f}; "
            f"first crawl's start-up {med(t + 'first', 'first_request'):.2f}s; "
            f"(d) `keika crawl` of one page: {med(t + 'startup', 'first_request'):.2f}s to the "
            f"first request, {med(t + 'startup', 'seconds'):.2f}s in all, "
            f"{med(t + 'startup', 'cpu'):.2f} CPU s"
        )
        outcomes = (runs[t + "first"][-1]["outcomes"], runs[t + "second"][-1]["outcomes"])
        print(f"  outcomes: first {outcomes[0]}, second {outcomes[1]}")
        if outcomes[1] != {"not_modified": n}:
            print("  WARNING: the unchanged crawl was not all 304 / not_modified")


if __name__ == "__main__":
    main()
