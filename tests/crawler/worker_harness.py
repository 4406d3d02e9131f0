"""Harness for the crawl-worker tests: a site server that logs when each request starts and
ends (so politeness and overlap are measured at the server), `keika worker` / `keika schedule`
processes with their logs in files, and a Redis key prefix of the test's own."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REDIS_URL, FixtureServer, KeikaProcess, LoggedRequest, Reply

ROOT = Path(__file__).resolve().parents[2]
OYAMA = ROOT / "tests" / "fixtures" / "oyama" / "P-4103"


class SiteServer(FixtureServer):
    """The site of the worker tests: `body` for every *.html path after `delay` seconds,
    robots.txt from `robots` (404 without), persistent connections, each request's start and
    end logged (conftest's FixtureServer) so politeness is measured at the server."""

    def __init__(self, body: bytes, delay: float = 0.0, robots: bytes | None = None) -> None:
        super().__init__(keep_alive=True)
        self._page = Reply(body=body, delay=delay)
        self.serve_pages(self._page)
        if robots is not None:
            self.route("/robots.txt", Reply(body=robots, content_type="text/plain"))
        self.start()

    @property
    def body(self) -> bytes:
        return self._page.body

    @body.setter
    def body(self, body: bytes) -> None:
        """The site publishes a new version of every page."""
        self._page = replace(self._page, body=body)
        self.serve_pages(self._page)

    @property
    def delay(self) -> float:
        return self._page.delay

    @delay.setter
    def delay(self, delay: float) -> None:
        self._page = replace(self._page, delay=delay)
        self.serve_pages(self._page)

    def page_hits(self) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path != "/robots.txt"]

    def all_hits(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self.requests)


def max_in_flight(hits: list[LoggedRequest]) -> int:
    """The most requests the server was answering at once."""
    events = []
    for hit in hits:
        events.append((hit.at, 1))
        events.append((hit.ended_at if hit.ended_at is not None else float("inf"), -1))
    events.sort(key=lambda e: (e[0], e[1]))  # an end before a start at the same instant
    now = peak = 0
    for _at, step in events:
        now += step
        peak = max(peak, now)
    return peak


def min_gap(hits: list[LoggedRequest]) -> float:
    starts = sorted(h.at for h in hits)
    return min((b - a for a, b in itertools.pairwise(starts)), default=float("inf"))


Proc = KeikaProcess


@pytest.fixture
def redis_queue_url() -> Iterator[str]:
    """redis://…?prefix=<unique>: KEIKA_TEST_REDIS_URL with a key prefix of this test's own."""
    url = REDIS_URL
    if not url:
        pytest.skip("KEIKA_TEST_REDIS_URL is empty: no Redis to test against")
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except Exception as exc:
        pytest.skip(f"Redis at {url} is not usable: {exc}")
    prefix = f"keika-test-{uuid.uuid4().hex[:10]}"
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}prefix={prefix}"
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Callable[..., Proc]]:
    started: list[Proc] = []
    count = iter(range(1000))

    def start(*args: str, name: str = "p", env: dict[str, str] | None = None) -> Proc:
        proc = Proc(tmp_path / f"{name}-{next(count)}.log", *args, env=env)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.kill()
