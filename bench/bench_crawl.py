"""How fast keika crawls 1,000 pages on 127.0.0.1, against a plain Scrapy spider in the same run.

Run: .venv/bin/python bench/bench_crawl.py [--pages 1000] [--concurrency 16]

The pages are variants of tests/fixtures/oyama/P-4103/v2.html (entries dropped, swapped and
edited), pre-rendered in memory and served by a keep-alive asyncio server in this
process, with ETags and 304 on If-None-Match. Each crawl runs in a fresh child process (the
Twisted reactor cannot restart) and reports its own crawl time and peak RSS:

  (a) plain   — a bare scrapy.Spider that fetches each page and extracts the h2 texts
  (b) keika 1 — PagesSpider + IngestPipeline into a fresh SQLite database (archive, parse, diff)
  (c) keika 2 — the same again with nothing changed: every page must come back 304
                (not_modified, nothing parsed)

Both spiders get the same concurrency (CONCURRENT_REQUESTS and the per-site limit raised to
--concurrency), no download delay, no AutoThrottle, robots.txt obeyed. Peak RSS is measured
for 250, 500 and the full page count. With --repeat N each crawl runs N times (a fresh
database each time) and the fastest run counts, damping noise from other work on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import re
import resource
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
            request_line, *lines = head.split(b"\r\n")
            path = request_line.split(b" ")[1].decode()
            headers = {}
            for line in lines:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            self.transport.write(self.server.answer(path, headers))  # type: ignore[attr-defined]


def common_settings(concurrency: int) -> dict[str, Any]:
    return {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
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

    class HeadingsSpider(scrapy.Spider):
        name = "headings"

        def __init__(self, urls: list[str], **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.urls = urls

        async def start(self):  # type: ignore[no-untyped-def]
            for url in self.urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response):  # type: ignore[no-untyped-def]
            yield {"url": response.url, "headings": response.css("h2::text").getall()}

    process = CrawlerProcess(job["settings"])
    crawler = process.create_crawler(HeadingsSpider)
    process.crawl(crawler, urls=job["urls"])
    began = time.perf_counter()
    process.start()
    seconds = time.perf_counter() - began
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return {"seconds": seconds, "items": stats.get("item_scraped_count", 0)}


def child_keika(job: dict[str, Any]) -> dict[str, Any]:
    from sqlalchemy import select

    from crawler.run import run_crawl
    from crawler.spiders.pages import targets_for_seeds
    from pipeline.domain.seed import Seed
    from storage.db import Database
    from storage.models import Fetch

    seeds = [Seed(key=f"p{n}", url=url) for n, url in enumerate(job["urls"])]
    Database(job["db"]).dispose()  # schema in place before the clock starts
    targets = targets_for_seeds(seeds, job["db"])
    settings = {**job["settings"], "KEIKA_DATABASE_URL": job["db"]}
    began = time.perf_counter()
    stats = run_crawl(targets, settings=settings, seeds=seeds)
    seconds = time.perf_counter() - began
    db = Database(job["db"])
    with db.session() as session:
        crawl_id = max(session.scalars(select(Fetch.crawl_id)).all())
        outcomes = session.scalars(select(Fetch.outcome).where(Fetch.crawl_id == crawl_id)).all()
    db.dispose()
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return {"seconds": seconds, "items": stats.get("item_scraped_count", 0), "outcomes": counts}


def child_main(job: dict[str, Any]) -> None:
    result = child_plain(job) if job["kind"] == "plain" else child_keika(job)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# --- parent side -------------------------------------------------------------------------------


def run_child(job: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(job)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise SystemExit(f"{job['kind']} crawl failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of each crawl")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return

    server = PageServer(page_variants(args.pages))
    settings = common_settings(args.concurrency)
    sizes = sorted({n for n in (250, 500, args.pages) if n <= args.pages})
    size = sum(map(len, server.bodies.values())) // len(server.bodies)
    print(
        f"{args.pages} variants of P-4103/{TEMPLATE.name} (~{size} bytes each), "
        f"concurrency {args.concurrency}, served on 127.0.0.1:{server.port}"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            urls = server.urls(n)
            runs: dict[str, list[dict[str, Any]]] = {"plain": [], "first": [], "second": []}
            for attempt in range(args.repeat):
                db = f"sqlite:///{Path(tmp) / f'bench-{n}-{attempt}.db'}"
                keika = {"kind": "keika", "urls": urls, "settings": settings, "db": db}
                runs["plain"].append(
                    run_child({"kind": "plain", "urls": urls, "settings": settings})
                )
                runs["first"].append(run_child(keika))
                runs["second"].append(run_child(keika))
            best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
            rows.append((n, best["plain"], best["first"], best["second"]))

    header = (
        f"{'pages':>5}  {'crawl':<28}{'seconds':>8}{'pages/s':>9}{'vs plain':>10}{'peak RSS':>10}"
    )
    print("\n" + header)
    for n, plain, first, second in rows:
        base = n / plain["seconds"]
        for name, r in (
            ("(a) plain Scrapy, h2 texts", plain),
            ("(b) keika, first crawl", first),
            ("(c) keika, nothing changed", second),
        ):
            rate = n / r["seconds"]
            print(
                f"{n:>5}  {name:<28}{r['seconds']:>8.2f}{rate:>9.0f}{rate / base:>9.2f}x"
                f"{r['peak_rss_mb']:>8.0f}MB"
            )
        print(f"       outcomes: first {first['outcomes']}, second {second['outcomes']}")
        if second["outcomes"] != {"not_modified": n}:
            print("       WARNING: the unchanged crawl was not all 304 / not_modified")


if __name__ == "__main__":
    main()
