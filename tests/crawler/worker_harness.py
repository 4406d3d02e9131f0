"""Harness for the crawl-worker tests: a site server that logs when each request starts and
ends (so politeness and overlap are measured at the server), `keika worker` / `keika schedule`
processes with their logs in files, and a Redis key prefix of the test's own."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OYAMA = ROOT / "tests" / "fixtures" / "oyama" / "P-4103"


@dataclass
class Hit:
    host: str
    path: str
    start: float
    end: float | None = None


class SiteServer:
    """Serves `body` for every *.html path (robots.txt: `robots`), after `delay` seconds."""

    def __init__(self, body: bytes, delay: float = 0.0, robots: bytes | None = None) -> None:
        self.body = body
        self.delay = delay
        self.robots = robots
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":")[0]
                hit = Hit(host, self.path, time.monotonic())
                with server._lock:
                    server.hits.append(hit)
                try:
                    if self.path == "/robots.txt":
                        status, body, kind = (
                            (200, server.robots, "text/plain")
                            if server.robots is not None
                            else (404, b"no", "text/plain")
                        )
                    else:
                        time.sleep(server.delay)
                        status, body, kind = 200, server.body, "text/html; charset=utf-8"
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    hit.end = time.monotonic()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def page_hits(self) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path != "/robots.txt"]

    def all_hits(self) -> list[Hit]:
        with self._lock:
            return list(self.hits)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def max_in_flight(hits: list[Hit]) -> int:
    """The most requests the server was answering at once."""
    events = []
    for hit in hits:
        events.append((hit.start, 1))
        events.append((hit.end if hit.end is not None else float("inf"), -1))
    events.sort(key=lambda e: (e[0], e[1]))  # an end before a start at the same instant
    now = peak = 0
    for _at, step in events:
        now += step
        peak = max(peak, now)
    return peak


def min_gap(hits: list[Hit]) -> float:
    starts = sorted(h.start for h in hits)
    return min((b - a for a, b in itertools.pairwise(starts)), default=float("inf"))


class Proc:
    """A keika command in a child process, its output in a file."""

    def __init__(self, log_path: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "keika.cli", *args],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "KEIKA_SCRAPY_LOG_LEVEL": "WARNING", **(env or {})},
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout:g}s")
        time.sleep(0.2)


@pytest.fixture
def redis_queue_url() -> Iterator[str]:
    """redis://…?prefix=<unique>: KEIKA_TEST_REDIS_URL with a key prefix of this test's own."""
    url = os.environ.get("KEIKA_TEST_REDIS_URL")
    if not url:
        pytest.skip("KEIKA_TEST_REDIS_URL is not set: no Redis to test against")
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
