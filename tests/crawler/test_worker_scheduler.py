"""`keika schedule` with its embedded worker (SQLite, no Redis), as real processes.

What the server saw is the measure: which requests came, when they started and ended.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import wait_until
from test_scheduler import _move_next_run, crawls, fetches
from worker_harness import (
    OYAMA,
    Proc,
    SiteServer,
    procs,  # noqa: F401 (fixture)
)

from scheduler import WORKER_STOPPED
from storage.db import Database

V2 = (OYAMA / "v2.html").read_bytes()


def write_seeds(path: Path, url: str, schedule: str, *, robots: bool = False) -> Path:
    path.write_text(
        "[[page]]\n"
        f'key = "p"\nurl = "{url}"\nschedule = "{schedule}"\n'
        f"obey_robots = {str(robots).lower()}\ntimeout = 60\n",
        encoding="utf-8",
    )
    return path


def sqlite_db(tmp_path: Path) -> tuple[str, Database]:
    url = f"sqlite:///{tmp_path / 'keika.db'}"
    Database(url).dispose()
    return url, Database(url, migrate=False)


def worker_pids(scheduler_pid: int) -> list[int]:
    """Local workers the scheduler started (found by their --parent-pid argument)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"crawler.worker" in args and str(scheduler_pid).encode() in args:
            found.append(int(entry.name))
    return found


def test_scheduled_runs_share_one_long_lived_worker(
    tmp_path: Path,
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    server = SiteServer(V2, robots=b"User-agent: *\nAllow: /\n")
    try:
        url, db = sqlite_db(tmp_path)
        seeds = write_seeds(tmp_path / "seeds.toml", server.url("/p.html"), "every 2s", robots=True)
        service = procs("schedule", "--seeds", str(seeds), "--db", url, name="schedule")
        wait_until(lambda: sum(c.status == "finished" for c in crawls(db)) >= 3, 90, "3 runs")
        assert service.stop() == 0
        runs = crawls(db)
        # One worker process crawled every run: no Scrapy process per run.
        assert len({c.pid for c in runs}) == 1
        assert runs[0].pid != service.proc.pid
        # robots.txt once for the site, not once per run.
        robots = [h for h in server.all_hits() if h.path == "/robots.txt"]
        assert len(robots) == 1, len(robots)
        assert "p: baseline | 33 entries | crawl 1 |" in service.log
        db.dispose()
    finally:
        server.stop()


def test_kill_9_of_the_scheduler_mid_crawl_leaves_no_crawl_running(
    tmp_path: Path,
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    server = SiteServer(V2, delay=4.0)
    try:
        url, db = sqlite_db(tmp_path)
        seeds = write_seeds(tmp_path / "seeds.toml", server.url("/p.html"), "every 1s")
        first = procs("schedule", "--seeds", str(seeds), "--db", url, name="first")
        wait_until(lambda: server.page_hits(), 60, "the first crawl's request")
        pid = first.proc.pid
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait()
        killed_at = time.monotonic()
        wait_until(lambda: not worker_pids(pid), 20, "the orphaned worker to go")
        wait_until(
            lambda: all(h.ended_at is not None for h in server.page_hits()), 20, "requests to end"
        )
        time.sleep(2)  # an orphan still crawling would ask again within this (every 1s)
        restarted_at = time.monotonic()
        assert not [h for h in server.page_hits() if killed_at < h.at < restarted_at]

        second = procs("schedule", "--seeds", str(seeds), "--db", url, name="second")
        wait_until(lambda: any(h.at > restarted_at for h in server.page_hits()), 60, "a new crawl")
        wait_until(lambda: sum(c.status == "finished" for c in crawls(db)) >= 1, 60, "it ends")
        assert second.stop() == 0
        hits = sorted(server.page_hits(), key=lambda h: h.at)
        for before, after in itertools.pairwise(hits):
            assert before.ended_at is not None and after.at >= before.ended_at, (
                "two crawls overlapped"
            )
        runs = crawls(db)
        assert runs[0].status == "interrupted"
        assert "running" not in {c.status for c in runs}
        db.dispose()
    finally:
        server.stop()


def test_a_local_worker_that_dies_is_restarted_and_its_page_requeued(
    tmp_path: Path,
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    server = SiteServer(V2, delay=3.0)
    try:
        url, db = sqlite_db(tmp_path)
        seeds = write_seeds(tmp_path / "seeds.toml", server.url("/p.html"), "every 1h")
        setup = procs("schedule", "--seeds", str(seeds), "--db", url, name="setup")
        wait_until(lambda: "scheduler started" in setup.log, 60, "the first start")
        assert setup.stop() == 0
        _move_next_run(url, "p", datetime.now(UTC) - timedelta(seconds=1))  # due while down

        service = procs("schedule", "--seeds", str(seeds), "--db", url, name="schedule")
        wait_until(lambda: server.page_hits(), 60, "the crawl's request")
        (worker,) = worker_pids(service.proc.pid)
        os.kill(worker, signal.SIGKILL)
        wait_until(lambda: "restarting it" in service.log, 30, "the restart")
        wait_until(lambda: len(server.page_hits()) >= 2, 60, "the page crawled again")
        wait_until(lambda: any(c.status == "finished" for c in crawls(db)), 60, "its crawl")
        assert service.stop() == 0

        first, second = crawls(db)[:2]
        assert first.status == "interrupted"
        assert second.status == "finished"
        lost = fetches(db)[0]
        assert lost.crawl_id == first.id and lost.outcome == "failed"
        assert lost.error == WORKER_STOPPED
        assert worker_pids(service.proc.pid) == []
        db.dispose()
    finally:
        server.stop()


def test_keika_workers_shows_who_crawls_what_and_the_queue(
    tmp_path: Path,
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    import json

    from conftest import run_keika

    from crawler.queues import DbQueue, page_payload
    from pipeline.domain.seed import Seed

    server = SiteServer(V2, delay=5.0)
    try:
        url, db = sqlite_db(tmp_path)
        seeds = [
            Seed(key=f"q{i}", url=server.url(f"/q{i}.html"), obey_robots=False, source="t")
            for i in range(3)
        ]
        DbQueue(db).enqueue({s.key: page_payload(s, None, 600.0) for s in seeds})
        worker = procs("worker", "--db", url, "--capacity", "1", name="worker")
        wait_until(lambda: server.page_hits(), 60, "the first request")
        time.sleep(6)  # past the first heartbeat; still on the first page's 5 s answer or next
        shown = run_keika("workers", "--db", url, "--json", timeout=60)
        assert shown.returncode == 0, shown.stderr
        data = json.loads(shown.stdout)
        (row,) = data["workers"]
        assert row["id"].endswith(f":{worker.proc.pid}")
        assert row["alive"] and len(row["crawling"]) == 1
        assert row["crawling"][0] in {"q0", "q1", "q2"}
        assert data["depth"] >= 1
        assert data["oldest_age_seconds"] >= 5
        table = run_keika("workers", "--db", url, timeout=60)
        assert f":{worker.proc.pid}" in table.stdout and "waiting" in table.stdout
        assert worker.stop() == 0
        db.dispose()
    finally:
        server.stop()
