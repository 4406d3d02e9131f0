"""Scheduled crawling, before and after the crawl workers: 200 pages over 2 sites, all due at once.

Run: .venv/bin/python bench/bench_schedule.py [--pages 200]

Both designs crawl the same pages (variants of P-4103 served by a threaded server in this
process on two host names, 127.0.0.1 and localhost, answering after --delay seconds) into a
fresh SQLite database, with keika's real politeness. Each runs as a child process tree of this
one, and every figure is of whole processes, start-up included:

  before — today's design until this change: every due page is `run_once(in_child=True)`, a
           fresh Python + Scrapy process per run, 4 at a time (the old scheduler's thread pool);
  after  — `keika schedule` with its embedded worker: the due pages go on the database queue in
           one batch and one long-lived worker crawls them.
  crawl  — one `keika crawl` of the same pages, the one-shot baseline for CPU per page.

For each: seconds from the firing until every page is crawled, processes in the tree (sampled
from /proc), CPU seconds per page (the process tree's user+system, from RUSAGE_CHILDREN), peak
RSS of the whole tree (sampled from /proc every 0.1 s), and the most requests in flight to one
site and the smallest gap between request starts to one site, both measured at the server.
For `after`, a second firing on the warm worker (every page due again) gives the steady-state
seconds and CPU per page of a scheduled run, measured on the running processes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_crawl import page_variants  # noqa: E402

HOSTS = ("127.0.0.1", "localhost")


class Server:
    def __init__(self, pages: list[bytes], delay: float) -> None:
        self.pages = pages
        self.delay = delay
        self.hits: list[tuple[str, str, float, float]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                start = time.monotonic()
                host = (self.headers.get("Host") or "").split(":")[0]
                if self.path.startswith("/p") and self.path.endswith(".html"):
                    time.sleep(outer.delay)
                    body = outer.pages[int(self.path[2:-5])]
                    status, kind = 200, "text/html; charset=utf-8"
                else:
                    status, body, kind = 404, b"no", "text/plain"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass
                with outer.lock:
                    outer.hits.append((host, self.path, start, time.monotonic()))

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def site_figures(self) -> tuple[int, float]:
        """(max in flight to one site, min gap between starts to one site), server-side."""
        peak, gap = 0, float("inf")
        for host in HOSTS:
            hits = [h for h in self.hits if h[0] == host]
            events = sorted([(s, 1) for _, _, s, _ in hits] + [(e, -1) for *_, e in hits])
            now = 0
            for _, step in events:
                now += step
                peak = max(peak, now)
            starts = sorted(s for _, _, s, _ in hits)
            gap = min([gap, *(b - a for a, b in itertools.pairwise(starts))])
        return peak, gap


def write_seeds(path: Path, server: Server, count: int, schedule: str) -> None:
    lines = ['[defaults]\nobey_robots = true\nschedule = "' + schedule + '"\n']
    for i in range(count):
        host = HOSTS[i % 2]
        lines.append(f'[[page]]\nkey = "p{i:04d}"\nurl = "http://{host}:{server.port}/p{i}.html"\n')
    path.write_text("\n".join(lines), encoding="utf-8")


def tree_rss(root: int) -> tuple[int, set[int]]:
    """RSS bytes of `root` and all its descendants, and their pids."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rfind(")") + 2 :].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(p, 0) for p in tree), tree


def crawled(db_url: str) -> tuple[int, int, datetime | None]:
    """(pages with a fetch, distinct crawl pids, last fetch time)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            pages = conn.execute(text("SELECT count(DISTINCT page_id) FROM fetches")).scalar()
            pids = conn.execute(text("SELECT count(DISTINCT pid) FROM crawls")).scalar()
            last = conn.execute(text("SELECT max(fetched_at) FROM fetches")).scalar()
    except Exception:
        return 0, 0, None
    finally:
        engine.dispose()
    return int(pages or 0), int(pids or 0), datetime.fromisoformat(str(last)) if last else None


def measure(name: str, command: list[str], db_url: str, pages: int, firing: float, server: Server):
    """Run `command` until every page is crawled; the figures of its process tree."""
    server.hits.clear()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KEIKA_SCRAPY_LOG_LEVEL": "ERROR"}
    log = open(Path(tempfile.gettempdir()) / f"bench-schedule-{name}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    peak_rss, seen = 0, set()
    done_at = None
    while True:
        rss, tree = tree_rss(proc.pid)
        peak_rss, seen = max(peak_rss, rss), seen | tree
        done, _pids, _last = crawled(db_url)
        if done >= pages and done_at is None:
            done_at = time.monotonic()
            break
        if proc.poll() is not None and done < pages:
            break
        time.sleep(0.1)
    second = None
    if name == "after" and done_at is not None:
        second = second_firing(db_url, seeds_path_for(db_url), pages, proc.pid)
    if proc.poll() is None:
        proc.terminate()
    proc.wait(timeout=60)
    log.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if second:  # the first firing's figure stays the first firing's
        cpu -= second.pop("cpu_s")
    done, _pids, _last = crawled(db_url)
    in_flight, gap = server.site_figures()
    return {
        "design": name,
        "pages": done,
        "seconds_after_firing": round((done_at or time.monotonic()) - firing, 1),
        "processes": len(seen),
        "cpu_s_per_page": round(cpu / max(done, 1), 3),
        "peak_rss_mb": round(peak_rss / 2**20),
        "max_in_flight_per_site": in_flight,
        "min_gap_s": round(gap, 3),
        **({"second_firing": second} if second else {}),
    }


def seeds_path_for(db_url: str) -> Path:
    return Path(db_url.removeprefix("sqlite:///")).with_suffix(".toml")


def tree_cpu(root: int) -> float:
    """User+system CPU seconds of `root` and its descendants so far (from /proc)."""
    _rss, tree = tree_rss(root)
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in tree:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def second_firing(db_url: str, seeds: Path, pages: int, root: int) -> dict[str, float]:
    """The warm worker: every page due again (queued as the scheduler queues them), timed and
    its CPU per page measured on the running processes: the steady-state cost of a run."""
    from crawler.queues import DbQueue, page_payload
    from pipeline.seeds import load_seeds
    from storage.db import Database

    seedset = load_seeds(seeds)
    db = Database(db_url, migrate=False)
    cpu0, t0 = tree_cpu(root), time.monotonic()
    DbQueue(db).enqueue({s.key: page_payload(s, None, 600.0) for s in seedset.seeds})
    while crawled_twice(db_url) < pages:
        time.sleep(0.2)
    cpu1, t1 = tree_cpu(root), time.monotonic()
    db.dispose()
    return {
        "seconds": round(t1 - t0, 1),
        "cpu_s_per_page": round((cpu1 - cpu0) / pages, 4),
        "cpu_s": cpu1 - cpu0,
    }


def crawled_twice(db_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            sql = (
                "SELECT count(*) FROM "
                "(SELECT page_id FROM fetches GROUP BY page_id HAVING count(*) >= 2) AS twice"
            )
            return int(conn.execute(text(sql)).scalar() or 0)
    finally:
        engine.dispose()


def before_driver(seeds: str, db_url: str, firing: float) -> None:
    """Today's design: run_once in a fresh child per page, 4 at a time (the old scheduler)."""
    from concurrent.futures import ThreadPoolExecutor

    from crawler.run import run_once
    from pipeline.seeds import load_seeds
    from storage.db import Database

    seedset = load_seeds(seeds)
    db = Database(db_url)
    time.sleep(max(0.0, firing - time.time()))
    with ThreadPoolExecutor(4) as pool:
        for seed in seedset.seeds:
            pool.submit(
                run_once,
                db,
                seedset,
                [seed],
                trigger="schedule",
                in_child=True,
                time_limit=600,
                settings={"KEIKA_PROGRESS": False},
            )


def move_jobs(db_url: str, when: datetime) -> None:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from storage.db import make_engine

    store = SQLAlchemyJobStore(engine=make_engine(db_url), tablename="apscheduler_jobs")
    store.start(BackgroundScheduler(timezone="UTC"), "default")
    for job in store.get_all_jobs():
        job._modify(next_run_time=when)
        store.update_job(job)
    store.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.05, help="server answer delay (s)")
    parser.add_argument("--designs", default="before,after,crawl")
    parser.add_argument("--before-driver", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.before_driver:
        seeds, db_url, firing = args.before_driver
        before_driver(seeds, db_url, float(firing))
        return

    from storage.db import Database

    server = Server(page_variants(args.pages), args.delay)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for design in args.designs.split(","):
            db_url = f"sqlite:///{tmp}/{design}.db"
            Database(db_url).dispose()
            seeds = Path(tmp) / f"{design}.toml"
            write_seeds(seeds, server, args.pages, "every 1h")
            keika = [sys.executable, "-m", "keika.cli"]
            if design == "before":
                firing = time.time() + 8.0
                command = [sys.executable, __file__, "--before-driver", str(seeds), db_url]
                command.append(str(firing))
            elif design == "after":
                # Jobs in the store, then all due at one moment a little after start-up.
                setup = subprocess.Popen(
                    [*keika, "schedule", "--seeds", str(seeds), "--db", db_url],
                    cwd=ROOT,
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(8)
                setup.terminate()
                setup.wait()
                firing = time.time() + 8.0
                move_jobs(db_url, datetime.fromtimestamp(firing, UTC) + timedelta(0))
                command = [*keika, "schedule", "--seeds", str(seeds), "--db", db_url]
            else:
                firing = time.time()
                command = [*keika, "crawl", "--seeds", str(seeds), "--db", db_url]
            mono_firing = time.monotonic() + (firing - time.time())
            results.append(measure(design, command, db_url, args.pages, mono_firing, server))
            print(json.dumps(results[-1]), flush=True)
    base = {r["design"]: r for r in results}
    if "before" in base and "after" in base:
        b, a = base["before"], base["after"]
        print(
            f"after/before: time {a['seconds_after_firing'] / b['seconds_after_firing']:.2f}x, "
            f"CPU/page {a['cpu_s_per_page'] / b['cpu_s_per_page']:.3f}x, "
            f"peak RSS {a['peak_rss_mb'] / max(b['peak_rss_mb'], 1):.2f}x, "
            f"processes {a['processes']} vs {b['processes']}"
        )
    if "after" in base and "crawl" in base:
        a, c = base["after"], base["crawl"]
        print(f"after CPU/page vs keika crawl: {a['cpu_s_per_page'] / c['cpu_s_per_page']:.2f}x")


if __name__ == "__main__":
    main()
