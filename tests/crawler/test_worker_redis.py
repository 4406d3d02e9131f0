"""`keika worker` on one Redis queue and one PostgreSQL, as real processes (kill -9 included).

Politeness and "crawled once" are measured at the server; the database is checked for what
was recorded. Each test has its own Redis key prefix and its own PostgreSQL database.
"""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Callable

import pytest
from conftest import Reply, wait_until
from sqlalchemy import func, select
from worker_harness import (
    OYAMA,
    Proc,
    SiteServer,
    max_in_flight,
    min_gap,
    procs,  # noqa: F401 (fixture)
    redis_queue_url,  # noqa: F401 (fixture)
)

from crawler.queues import page_payload
from crawler.redis_queue import RedisQueue
from crawler.worker import LOST_REASON
from pipeline.domain.seed import Seed
from storage.db import Database
from storage.models import ChangeEvent, Crawl, Fetch, OutboxMessage, Page

V1 = (OYAMA / "v1.html").read_bytes()
V2 = (OYAMA / "v2.html").read_bytes()
# Politeness off for the volume tests (the politeness test keeps the real floor).
FAST = ["--set", "KEIKA_DELAY_FLOOR=0.01", "--set", "KEIKA_DELAY_JITTER_ABOVE=0"]


def seeds_for(server: SiteServer, count: int, **extra: object) -> list[Seed]:
    """`count` pages over two sites (127.0.0.1 and localhost: two hosts, one server)."""
    seeds = []
    for i in range(count):
        host = "127.0.0.1" if i % 2 else "localhost"
        seeds.append(
            Seed(
                key=f"p{i:03d}",
                url=server.url(f"/p{i:03d}.html", host=host),
                obey_robots=False,
                source="test",
                **extra,  # type: ignore[arg-type]
            )
        )
    return seeds


def fire(queue_url: str, seeds: list[Seed]) -> list[str]:
    """What the scheduler does at a firing: every due page onto the queue, one batch."""
    queue = RedisQueue(queue_url)
    try:
        return queue.enqueue({s.key: page_payload(s, None, 600.0) for s in seeds})
    finally:
        queue.close()


def fetch_counts(db: Database) -> Counter[str]:
    with db.session() as session:
        rows = session.execute(
            select(Page.key, Fetch.outcome).join(Fetch, Fetch.page_id == Page.id)
        ).all()
    return Counter(key for key, outcome in rows if outcome != "failed")


def start_workers(procs, n: int, queue_url: str, db_url: str, *extra: str) -> list[Proc]:  # noqa: F811
    return [
        procs("worker", "--queue", queue_url, "--db", db_url, "--lease", "3", *extra, name=f"w{i}")
        for i in range(n)
    ]


@pytest.fixture
def pg(postgres_url: str) -> str:
    Database(postgres_url).dispose()  # the schema in place before the workers start
    return postgres_url


def test_two_workers_crawl_each_page_once_per_firing(
    pg: str,
    redis_queue_url: str,  # noqa: F811
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    server = SiteServer(V2)
    try:
        seeds = seeds_for(server, 200)
        workers = start_workers(procs, 2, redis_queue_url, pg, *FAST)
        db = Database(pg, migrate=False)
        assert len(fire(redis_queue_url, seeds)) == 200
        # Due again before the first firing is through: already queued, not queued twice.
        assert fire(redis_queue_url, seeds[:50]) == []
        wait_until(lambda: sum(fetch_counts(db).values()) >= 200, 180, "the first firing")
        assert len(fire(redis_queue_url, seeds)) == 200
        wait_until(lambda: sum(fetch_counts(db).values()) >= 400, 180, "the second firing")
        for worker in workers:
            assert worker.stop() == 0

        per_path = Counter(h.path for h in server.page_hits())
        assert set(per_path.values()) == {2}, "a page was fetched other than once per firing"
        assert len(per_path) == 200
        assert set(fetch_counts(db).values()) == {2}
        logs = [w.log for w in workers]
        assert all(": baseline |" in log for log in logs), "one worker did all the work"
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Crawl)) == 400
            running = session.scalar(
                select(func.count()).select_from(Crawl).where(Crawl.status != "finished")
            )
            assert running == 0
        db.dispose()
    finally:
        server.stop()


def test_a_worker_killed_mid_crawl_loses_no_page_and_duplicates_nothing(
    pg: str,
    redis_queue_url: str,  # noqa: F811
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    server = SiteServer(V1)
    try:
        seeds = seeds_for(server, 200, notify=("json://127.0.0.1:9/",))
        db = Database(pg, migrate=False)
        (first,) = start_workers(procs, 1, redis_queue_url, pg, *FAST)
        fire(redis_queue_url, seeds)
        wait_until(lambda: sum(fetch_counts(db).values()) >= 200, 180, "the baseline firing")

        # The page changes; the next firing is split between two workers, one killed midway.
        server.body = V2
        server.delay = 0.05
        (second,) = start_workers(procs, 1, redis_queue_url, pg, *FAST)
        fire(redis_queue_url, seeds)
        wait_until(lambda: sum(fetch_counts(db).values()) >= 240, 180, "part of the firing")
        # Killed while it works: it has stored a page of this firing and claims the next at
        # once (on a busy machine it may start only after the first worker did 40 pages).
        wait_until(lambda: ": changed |" in second.log, 180, "the second worker at work")
        second.proc.send_signal(signal.SIGKILL)
        second.proc.wait()
        wait_until(
            lambda: len([k for k, n in fetch_counts(db).items() if n >= 2]) == 200,
            180,
            "every page crawled after the kill (its pages back after the 3 s lease)",
        )
        assert first.stop() == 0

        with db.session() as session:
            outcomes = session.execute(
                select(Page.key, Fetch.outcome).join(Fetch, Fetch.page_id == Page.id)
            ).all()
            changed = Counter(k for k, o in outcomes if o == "changed")
            events = session.execute(
                select(Page.key, ChangeEvent.kind, func.count())
                .join(ChangeEvent, ChangeEvent.page_id == Page.id)
                .group_by(Page.key, ChangeEvent.kind)
            ).all()
            digests = Counter(
                session.scalars(
                    select(Page.key)
                    .join(OutboxMessage, OutboxMessage.page_id == Page.id)
                    .where(OutboxMessage.kind == "digest")
                )
            )
            lost = session.scalar(
                select(func.count()).select_from(Fetch).where(Fetch.error == LOST_REASON)
            )
            open_crawls = session.scalar(
                select(func.count()).select_from(Crawl).where(Crawl.status == "running")
            )
        assert set(changed) == {s.key for s in seeds}
        assert set(changed.values()) == {1}, "a page's change was recorded twice"
        per_page: dict[str, dict[str, int]] = {}
        for key, kind, n in events:
            per_page.setdefault(key, {})[kind] = n
        # Every page holds the same text, so one crawl's events look the same on every page.
        assert len(per_page) == 200
        assert len({tuple(sorted(v.items())) for v in per_page.values()}) == 1, per_page
        assert set(digests.values()) == {1} and len(digests) == 200
        assert open_crawls == 0
        assert lost >= 1, "the kill did not catch the worker holding pages"
    finally:
        server.stop()


def test_politeness_holds_across_two_workers_at_the_server(
    pg: str,
    redis_queue_url: str,  # noqa: F811
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    server = SiteServer(V2, delay=0.4, robots=b"User-agent: *\nAllow: /\n")
    try:
        seeds = [
            Seed(key=s.key, url=s.url, source="test")  # robots.txt obeyed
            for s in seeds_for(server, 16)
        ]
        db = Database(pg, migrate=False)
        workers = start_workers(procs, 2, redis_queue_url, pg)
        fire(redis_queue_url, seeds)
        wait_until(lambda: sum(fetch_counts(db).values()) >= 16, 120, "all 16 pages")
        for worker in workers:
            assert worker.stop() == 0
        hits = server.all_hits()
        for host in ("127.0.0.1", "localhost"):
            site = [h for h in hits if h.host == host]
            assert max_in_flight(site) <= 2, host
            assert min_gap(site) >= 1.0, (host, sorted(h.at for h in site))
            robots = [h for h in site if h.path == "/robots.txt"]
            assert 1 <= len(robots) <= 2, "robots.txt fetched more than once per worker"
        db.dispose()
    finally:
        server.stop()


def test_the_scheduler_pushes_due_pages_to_redis_for_remote_workers(
    tmp_path,  # type: ignore[no-untyped-def]
    pg: str,
    redis_queue_url: str,  # noqa: F811
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    server = SiteServer(V2)
    try:
        seeds = tmp_path / "seeds.toml"
        seeds.write_text(
            f'[[page]]\nkey = "p"\nurl = "{server.url("/p.html")}"\nschedule = "every 2s"\n'
            "obey_robots = false\n",
            encoding="utf-8",
        )
        db = Database(pg, migrate=False)
        scheduler = procs(
            "schedule",
            "--seeds",
            str(seeds),
            "--db",
            pg,
            "--workers",
            "0",
            name="schedule",
            env={"KEIKA_QUEUE": redis_queue_url},
        )
        (worker,) = start_workers(procs, 1, redis_queue_url, pg)
        wait_until(
            lambda: sum(1 for _ in fetch_counts(db).elements()) >= 2, 90, "two scheduled crawls"
        )
        assert scheduler.stop() == 0
        assert worker.stop() == 0
        with db.session() as session:
            pids = set(session.scalars(select(Crawl.pid)))
            triggers = set(session.scalars(select(Crawl.trigger)))
        assert pids == {worker.proc.pid}, "a crawl ran somewhere else than the worker"
        assert triggers == {"schedule"}
        assert "local worker(s)" in scheduler.log and "0 local worker(s)" in scheduler.log
        assert "p: baseline | 33 entries |" in worker.log
        db.dispose()
    finally:
        server.stop()


def test_a_site_told_to_wait_is_held_by_every_worker(
    pg: str,
    redis_queue_url: str,  # noqa: F811
    procs: Callable[..., Proc],  # noqa: F811
) -> None:
    """One worker gets "503, Retry-After: 5" from a site: the other worker, crawling other
    pages of that site, starts none of them until the five seconds are over."""
    server = SiteServer(V2, delay=0.2)
    try:
        server.route(
            "/p000.html",
            Reply(status=503, body=b"busy", headers={"Retry-After": "5"}),
            Reply(body=V2),
        )
        db = Database(pg, migrate=False)
        # Four pages at a time each, so that both workers have pages of the site in hand.
        workers = start_workers(procs, 2, redis_queue_url, pg, *FAST, "--capacity", "4")
        # Both at work first (on another host), or the first would take the whole site alone.
        warm_up = [
            Seed(key=f"w{i}", url=server.url(f"/w{i}.html", host="localhost"), source="t")
            for i in range(8)
        ]
        fire(redis_queue_url, warm_up)
        wait_until(lambda: len(crawling_pids(db)) == 2, 120, "both workers at work")
        seeds = [
            Seed(key=f"p{i:03d}", url=server.url(f"/p{i:03d}.html"), obey_robots=False, source="t")
            for i in range(24)
        ]
        fire(redis_queue_url, seeds)
        wait_until(lambda: sum(fetch_counts(db).values()) >= 32, 120, "all 24 pages")
        for worker in workers:
            assert worker.stop() == 0
        hits = [h for h in server.page_hits() if h.host == "127.0.0.1"]
        told = next(h for h in hits if h.path == "/p000.html")
        assert told.ended_at is not None
        # A request that took its slot before the 503 came back may still start just after it.
        during = [h.path for h in hits if told.ended_at + 0.5 < h.at < told.ended_at + 4.5]
        assert during == [], during
        db.dispose()
    finally:
        server.stop()


def crawling_pids(db: Database) -> set[int]:
    with db.session() as session:
        return set(session.scalars(select(Crawl.pid).join(Fetch, Fetch.crawl_id == Crawl.id)))
