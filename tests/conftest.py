"""Shared pytest fixtures: a programmable HTTP server on 127.0.0.1.

`fixture_server` (function scope) yields a running `FixtureServer` on an ephemeral port:

    server.url("/page.html")                   -> "http://127.0.0.1:PORT/page.html"
    server.url("/x", host="localhost")         -> same server under another host name
    server.route("/page.html", Reply(...), Reply(...))
        Replies are served in order; the last one repeats. Unrouted paths (robots.txt too) 404.
    server.serve_file("/p.html", path, etag='"v1"', last_modified="Wed, ...")
    server.requests / server.requests_for("/page.html")
        every request received, as LoggedRequest(method, path, headers, at) — header names
        lowercased, `at` from time.monotonic() in this (the test) process.

`Reply(status=200, body=b"", content_type="text/html; charset=utf-8", headers={}, delay=0.0,
etag=None, last_modified=None)`: with `etag`/`last_modified` set, a request whose If-None-Match
/ If-Modified-Since matches gets 304 without a body; `delay` sleeps before answering (timeouts);
`content_type=None` sends no Content-Type; `headers` are sent as given (Location, Retry-After).
Import it with `from conftest import Reply` (keep this the only conftest.py under tests/: a
second one would shadow this module's name).

Databases: `postgres_url` — a fresh database on the PostgreSQL named by KEIKA_TEST_POSTGRES_URL
(default: the machine's own), dropped afterwards; skipped with the reason when unreachable.
`db_url` — parametrized over a real SQLite file and that PostgreSQL; `db` — a `Database` on it.
`ingest_html(db, seed, body)` — one crawl in which the page answered 200 with `body`.
`run_keika(*args, env=None, cwd=None)` — the `keika` command in a child process (the one way tests
run it), returning the CompletedProcess with text stdout/stderr.
`in_tx(db, fn, *args)` — `fn(session, *args)` in one transaction (storage functions take a
Session; the caller owns the transaction).

`crawl` (function scope) runs the real PagesSpider in this process, on the session's one asyncio
reactor (`scrapy_reactor`, driven from a thread of its own), with politeness delays off and short
retry backoff, collecting each FetchResult as Scrapy scrapes it:

    results = crawl([CrawlTarget(...), ...], RETRY_TIMES=0)   # -> {key: FetchResult}

It fails the test unless the crawl finished and every target got exactly one result. Tests about
processes (a time limit, kill -9, Ctrl-C) use `crawler.run.run_crawl_in_child` instead.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import signals
from scrapy.crawler import CrawlerRunner
from scrapy.utils.misc import load_object
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crawler.run import crawl_settings
from crawler.settings import TWISTED_REACTOR
from crawler.spiders.pages import PagesSpider
from pipeline.domain.fetch import CrawlTarget, FetchResult
from pipeline.domain.seed import Seed
from pipeline.services.crawl import begin_crawl
from pipeline.services.ingest import PageOutcome, ingest_fetch
from storage.crawls import finish_crawl
from storage.db import Database

ROOT = Path(__file__).resolve().parents[1]


def run_keika(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | str | None = None,
    timeout: float = 300,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `keika ARGS` as a user would, in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "keika.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
        input=input,
    )


class KeikaProcess:
    """A long-running `keika ARGS` (schedule, worker) in a child process, its output in a
    file: the one harness for keika processes that tests signal, kill -9 and read the log of."""

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

    def wait_for_log(self, needle: str, timeout: float = 60) -> None:
        wait_until(
            lambda: needle in self.log or self.proc.poll() is not None,
            timeout,
            f"log line {needle!r}",
        )
        assert needle in self.log, self.log

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


def wait_until(
    predicate: Callable[[], bool], timeout: float, what: str, *, every: float = 0.2
) -> None:
    """Poll until `predicate()` holds, every `every` seconds; a generous deadline, never a
    timing assertion. (A fault test catching a short-lived state polls faster.)"""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout:g}s")
        time.sleep(every)


def wait_for_server(process: subprocess.Popen[str], url: str, timeout: float = 30) -> Any:
    """Poll `url` until the server `process` started answers (its httpx response); fail at
    once if the process exits, and after `timeout` seconds if it never answers."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, process.communicate()
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"{url}: the server did not start"
            time.sleep(0.1)


def in_tx(db: Database, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a storage function in its own committed transaction."""
    with db.session() as session:
        return fn(session, *args, **kwargs)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class LoggedRequest:
    """One request as the server saw it: `at` when it arrived, `ended_at` when the answer was
    written (monotonic clock of the test process), `host` from the Host header."""

    method: str
    path: str
    headers: dict[str, str]
    at: float
    ended_at: float | None = None

    @property
    def host(self) -> str:
        return (self.headers.get("host") or "").split(":")[0]


class FixtureServer:
    """ThreadingHTTPServer in a daemon thread, answering from programmed routes."""

    def __init__(self, *, keep_alive: bool = False) -> None:
        self.keep_alive = keep_alive  # HTTP/1.1 persistent connections, as a real site keeps
        self._pages: Reply | None = None
        self._routes: dict[str, list[Reply]] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.requests: list[LoggedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._routes[path] = list(replies)
            self._served[path] = 0

    def serve_file(self, path: str, file: Path | str, **reply: object) -> None:
        self.route(path, Reply(body=Path(file).read_bytes(), **reply))  # type: ignore[arg-type]

    def serve_pages(self, reply: Reply) -> None:
        """Answer every unrouted *.html path with `reply` (a site of any number of pages)."""
        with self._lock:
            self._pages = reply

    def requests_for(self, path: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _next_reply(self, request: LoggedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            replies = self._routes.get(request.path)
            if not replies and self._pages is not None and request.path.endswith(".html"):
                return self._pages
            if not replies:
                return Reply(status=404, body=b"not found", content_type="text/plain")
            index = min(self._served[request.path], len(replies) - 1)
            self._served[request.path] += 1
            return replies[index]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if server.keep_alive else "HTTP/1.0"

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                logged = LoggedRequest("GET", self.path, headers, time.monotonic())
                reply = server._next_reply(logged)
                if reply.delay:
                    time.sleep(reply.delay)
                not_modified = (reply.etag and headers.get("if-none-match") == reply.etag) or (
                    reply.last_modified and headers.get("if-modified-since") == reply.last_modified
                )
                status = 304 if not_modified else reply.status
                body = b"" if not_modified or status in (204, 304) else reply.body
                try:
                    self.send_response(status)
                    if reply.content_type and not not_modified:
                        self.send_header("Content-Type", reply.content_type)
                    if reply.etag:
                        self.send_header("ETag", reply.etag)
                    if reply.last_modified:
                        self.send_header("Last-Modified", reply.last_modified)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if status not in (204, 304):
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, size limit): that is the test's point
                finally:
                    logged.ended_at = time.monotonic()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def fixture_server() -> Iterator[FixtureServer]:
    server = FixtureServer().start()
    try:
        yield server
    finally:
        server.stop()


# Politeness delays off and retry backoff short, so each crawl takes about a second.
FAST_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_BACKOFF_BASE": 0.05,
    "RETRY_BACKOFF_MAX": 0.2,
    "KEIKA_PROGRESS": False,
}

Crawl = Callable[..., dict[str, FetchResult]]

# The spider runs in the test process on one reactor for the whole session (a reactor cannot be
# restarted). It is Scrapy's asyncio reactor on an event loop of its own, run in its own thread,
# so the main thread never has a current or running asyncio loop: Starlette/anyio tests and
# asyncio.run() are untouched. It is installed here, while conftest is imported — before any
# test module imports twisted.internet.reactor (crawler.pipelines does), which would install
# Twisted's default reactor instead.
CRAWL_TIMEOUT = 60.0


def install_asyncio_reactor() -> None:
    """Install TWISTED_REACTOR (asyncio) with a fresh loop; fail loudly if another one won."""
    if "twisted.internet.reactor" not in sys.modules:
        from twisted.internet import asyncioreactor

        loop = asyncio.new_event_loop()
        asyncioreactor.install(loop)
        atexit.register(lambda: loop.is_running() or loop.close())
    from twisted.internet import reactor

    installed = f"{type(reactor).__module__}.{type(reactor).__name__}"
    if installed != TWISTED_REACTOR:
        raise RuntimeError(
            f"{installed} was installed before tests/conftest.py: need it to be {TWISTED_REACTOR}"
        )


install_asyncio_reactor()


@pytest.fixture(scope="session")
def scrapy_reactor() -> Iterator[Any]:
    """The session's running reactor, set up as CrawlerProcess would (Scrapy's DNS resolver)."""
    from twisted.internet import reactor

    settings = crawl_settings()
    resolver_class = load_object(settings["TWISTED_DNS_RESOLVER"])
    resolver_class.from_crawler(SimpleNamespace(settings=settings), reactor).install_on_reactor()
    reactor.getThreadPool().adjustPoolsize(maxthreads=settings.getint("REACTOR_THREADPOOL_MAXSIZE"))
    thread = threading.Thread(
        target=reactor.run, kwargs={"installSignalHandlers": False}, name="reactor", daemon=True
    )
    thread.start()
    try:
        yield reactor
    finally:
        reactor.callFromThread(reactor.stop)
        thread.join(timeout=30)


@pytest.fixture
def crawl(scrapy_reactor: Any) -> Crawl:
    """crawl(targets, **settings) -> {key: FetchResult}: PagesSpider in this process.

    Fails the test unless the crawl finished and each target got exactly one result.
    """

    def run(targets: Sequence[CrawlTarget], **settings: Any) -> dict[str, FetchResult]:
        done: Future[tuple[list[FetchResult], str | None]] = Future()
        runner = CrawlerRunner(crawl_settings({**FAST_SETTINGS, **settings}, pipelines={}))

        def start() -> None:  # in the reactor thread
            try:
                crawler = runner.create_crawler(PagesSpider)
                results: list[FetchResult] = []
                crawler.signals.connect(
                    lambda item, **_: results.append(item),
                    signal=signals.item_scraped,
                    weak=False,
                )
                finished = runner.crawl(crawler, targets=list(targets))
                finished.addCallbacks(
                    lambda _: done.set_result((results, crawler.stats.get_value("finish_reason"))),
                    lambda failure: done.set_exception(failure.value),
                )
            except BaseException as exc:
                done.set_exception(exc)

        scrapy_reactor.callFromThread(start)
        try:
            results, finish_reason = done.result(timeout=CRAWL_TIMEOUT)
        except FutureTimeout:
            scrapy_reactor.callFromThread(runner.stop)
            pytest.fail(f"the crawl did not finish in {CRAWL_TIMEOUT:g}s")
        assert finish_reason == "finished", finish_reason
        keys = [r.key for r in results]
        assert sorted(keys) == sorted(t.key for t in targets), keys
        return {r.key: r for r in results}

    return run


# The machine's own servers unless the environment names others (the Makefile and .ci/run name
# the same ones); set a variable empty to test without that server. A test that needs a server
# skips, with the reason, when it is not reachable.
POSTGRES_URL = os.environ.get(
    "KEIKA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("KEIKA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url = POSTGRES_URL
    if not url:
        pytest.skip("KEIKA_TEST_POSTGRES_URL is empty: no PostgreSQL to test against")
    admin_url = make_url(url).set(drivername="postgresql+psycopg")
    name = f"keika_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # unreachable server, no permission
        admin.dispose()
        pytest.skip(f"PostgreSQL at {admin_url.render_as_string()} is not usable: {exc}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'keika.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


def html_page(body: str, title: str, lang: str = "ja") -> bytes:
    """A whole UTF-8 page around `body` (Japanese unless `lang` says), for the parser's layout
    tests."""
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    ).encode()


def ingest_html(db: Database, seed: Seed, body: bytes) -> PageOutcome:
    """One crawl in which `seed`'s page answered 200 with `body`, through the real ingest stage
    (the path the spider's item pipeline takes), for tests that need a filled database."""
    crawl_id = begin_crawl(db, "manual")
    now = datetime.now(UTC)
    outcome = ingest_fetch(
        db,
        crawl_id,
        seed,
        FetchResult(
            key=seed.key,
            url=seed.url,
            started_at=now,
            fetched_at=now,
            status=200,
            headers={"content-type": "text/html; charset=utf-8"},
            body=body,
        ),
    )
    in_tx(db, finish_crawl, crawl_id)
    return outcome
