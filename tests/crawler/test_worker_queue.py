"""The crawl queues (database table and Redis) on the real backends: each page to one worker at
a time, nothing lost when a holder stops renewing, no page queued twice."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from worker_harness import redis_queue_url  # noqa: F401 (fixture)

from crawler.queues import DbQueue
from crawler.redis_queue import RedisQueue
from storage.db import Database


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
def queue(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "redis":
        q = RedisQueue(request.getfixturevalue("redis_queue_url"))
        yield q
        q.close()
        return
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'keika.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = Database(url)
    yield DbQueue(database)
    database.dispose()


def test_racing_workers_each_get_distinct_pages(queue) -> None:  # type: ignore[no-untyped-def]
    keys = [f"p{i:03d}" for i in range(120)]
    assert sorted(queue.enqueue({k: {"n": i} for i, k in enumerate(keys)})) == keys
    claimed: dict[str, list[str]] = {}
    barrier = threading.Barrier(4)

    def work(name: str) -> None:
        barrier.wait()
        got: list[str] = []
        while True:
            batch = queue.claim(name, 7, 60)
            if not batch:
                break
            got += [c.key for c in batch]
        claimed[name] = got

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = Counter(k for got in claimed.values() for k in got)
    assert sorted(every) == keys
    assert set(every.values()) == {1}, "a page went to two workers"


def test_a_lost_holders_pages_come_back_after_the_lease(queue) -> None:  # type: ignore[no-untyped-def]
    queue.enqueue({"a": {"x": 1}, "b": {"x": 2}})
    first = queue.claim("dead", 2, 1.0)
    assert {c.key for c in first} == {"a", "b"}
    assert queue.set_crawl("dead", "a", 41)
    assert queue.claim("live", 5, 30) == []  # held: not visible
    # Due again while held: not queued twice.
    assert queue.enqueue({"a": {"x": 1}}) == []
    time.sleep(1.3)
    again = {c.key: c for c in queue.claim("live", 5, 30)}
    assert set(again) == {"a", "b"}
    assert again["a"].previous_crawl == 41  # so the new holder can close the lost crawl
    assert again["a"].payload == {"x": 1}
    assert not queue.ack("dead", "a"), "a lost holder must not ack another's page"
    assert queue.ack("live", "a")
    stats = queue.stats()
    assert stats.depth == 0 and stats.held == {"live": ["b"]}
    released = queue.release("live")
    assert [c.key for c in released] == ["b"]
    assert queue.stats().depth == 1
