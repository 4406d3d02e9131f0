"""What every fault case shares: the "case | injected | held" table, the consistency check, a
crawl in a child process, a raw socket server for faults http.server cannot make, and seeds.

The table: each case is a test decorated with `@fault("case", "what is injected")` (or
`fault_cases(...)` for a parametrized one); the test passing means the case held. A plugin object
registered by the session fixture `fault_table` (imported into each module; tests/conftest.py
stays the only conftest) prints the table in pytest's terminal summary and writes it to
`fault-table.txt` in the session's base temporary folder, so its figures can be quoted.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pipeline.domain.kinds import GOOD_OUTCOMES, ChangeKind
from storage.db import Database
from storage.models import ChangeEvent, Entry, EntryVersion, Fetch, OutboxMessage, Page

ROOT = Path(__file__).resolve().parents[2]
P4103 = ROOT / "tests" / "fixtures" / "oyama" / "P-4103"
SYNTHETIC = ROOT / "tests" / "fixtures" / "synthetic"

# test name (with its [param] when parametrized) -> (case, injected)
_CASES: dict[str, tuple[str, str]] = {}


def fault(case: str, injected: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Name a test as one row of the table."""

    def mark(test: Callable[..., Any]) -> Callable[..., Any]:
        _CASES[test.__name__] = (case, injected)
        return test

    return mark


def fault_cases(test_name: str, cases: dict[str, str]) -> list[str]:
    """Rows for a test parametrized over `cases` (id -> injected); returns the ids."""
    for case, injected in cases.items():
        _CASES[f"{test_name}[{case}]"] = (case, injected)
    return list(cases)


class FaultTable:
    """Collects each fault test's outcome and prints the table at the end of the run."""

    name = "keika-fault-table"

    def __init__(self, out: Path) -> None:
        self.out = out
        self.rows: dict[str, tuple[str, str]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        key = report.nodeid.rsplit("::", 1)[-1]
        if key not in _CASES:
            return
        case, injected = _CASES[key]
        if report.when == "call" or report.failed or report.skipped:
            held = "skipped" if report.skipped else "yes" if report.passed else "NO"
            if self.rows.get(case, ("", ""))[1] in ("NO", "skipped") and held == "yes":
                return  # a failed setup stays failed
            self.rows[case] = (injected, held)

    def lines(self) -> list[str]:
        width = max([len("case"), *(len(c) for c in self.rows)])
        inj = max([len("injected"), *(len(i) for i, _ in self.rows.values())])
        out = [
            f"{'case':<{width}} | {'injected':<{inj}} | held",
            f"{'-' * width}-+-{'-' * inj}-+-----",
        ]
        out += [f"{c:<{width}} | {i:<{inj}} | {h}" for c, (i, h) in self.rows.items()]
        held = sum(1 for _, h in self.rows.values() if h == "yes")
        out.append(f"{held} of {len(self.rows)} cases held")
        return out

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.rows:
            return
        lines = self.lines()
        terminalreporter.section("fault cases")
        for line in lines:
            terminalreporter.write_line(line)
        self.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def fault_table(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    manager = request.config.pluginmanager
    if manager.get_plugin(FaultTable.name) is None:
        out = tmp_path_factory.getbasetemp() / "fault-table.txt"
        manager.register(FaultTable(out), FaultTable.name)


# --- the consistency check ---------------------------------------------------------------------


def consistency_problems(url: str, page: str | None = None) -> list[str]:
    """What is wrong with the database's history, as sentences each naming its page; empty when
    it is consistent (only `page`'s when given).

    - each fetch's change events match the counts it reports;
    - each page's current entries are the records of its last good parse, in order;
    - no entry is removed twice without coming back in between;
    - no outbox row is duplicated (one row per digest and target, one message per page, crawl,
      kind and target).
    """
    db = Database(url, migrate=False)
    problems: list[str] = []
    try:
        with db.session() as session:
            keys = {pid: key for pid, key in session.execute(select(Page.id, Page.key))}
            events = list(session.scalars(select(ChangeEvent).order_by(ChangeEvent.id)))
            by_fetch: dict[int, Counter[str]] = {}
            for event in events:
                by_fetch.setdefault(event.fetch_id, Counter())[event.kind] += 1
            for fetch in session.scalars(select(Fetch).order_by(Fetch.id)):
                reported = {k: v for k, v in (fetch.counts or {}).items() if v}
                written = dict(by_fetch.get(fetch.id, Counter()))
                if reported != written:
                    problems.append(
                        f"page {keys[fetch.page_id]}: fetch {fetch.id} ({fetch.outcome}) "
                        f"reports {reported}, events say {written}"
                    )
            for row in session.scalars(select(Page).order_by(Page.id)):
                last_good = session.scalar(
                    select(Fetch)
                    .where(
                        Fetch.page_id == row.id,
                        Fetch.outcome.in_(list(GOOD_OUTCOMES)),
                        Fetch.parsed.is_not(None),
                    )
                    .order_by(Fetch.id.desc())
                    .limit(1)
                )
                current = [
                    record
                    for (record,) in session.execute(
                        select(EntryVersion.record)
                        .join(Entry, Entry.current_version_id == EntryVersion.id)
                        .where(Entry.page_id == row.id, Entry.removed_at.is_(None))
                        .order_by(Entry.position)
                    )
                ]
                expected = (last_good.parsed or {}).get("entries", []) if last_good else []
                if current != expected:
                    problems.append(
                        f"page {row.key}: {len(current)} current entries differ from the "
                        f"{len(expected)} of its last good parse"
                    )
            state: dict[int, str] = {}
            for event in events:
                if event.entry_id is None:
                    continue
                if event.kind == ChangeKind.REMOVED and state.get(event.entry_id) == "removed":
                    problems.append(
                        f"page {keys[event.page_id]}: entry {event.entry_id} removed twice "
                        f"(event {event.id})"
                    )
                if event.kind in (ChangeKind.REMOVED, ChangeKind.ADDED):
                    state[event.entry_id] = event.kind
            rows = list(session.scalars(select(OutboxMessage)))
            for what, counted in (
                ("digest and target", Counter((r.page_id, r.digest_id, r.target) for r in rows)),
                (
                    "crawl, kind and target",
                    Counter((r.page_id, r.crawl_id, r.kind, r.target) for r in rows),
                ),
            ):
                for key, n in counted.items():
                    if n > 1:
                        problems.append(
                            f"page {keys.get(key[0])}: {n} outbox rows for one {what}: {key[1:]}"
                        )
    finally:
        db.dispose()
    if page is not None:
        problems = [p for p in problems if p.startswith(f"page {page}:")]
    return problems


def assert_consistent(url: str, page: str | None = None) -> None:
    problems = consistency_problems(url, page)
    assert not problems, "\n".join(problems)


# --- crawls, seeds ------------------------------------------------------------------------------

# Politeness off and retries quick, so a crawl of many pages on 127.0.0.1 takes seconds.
FAST: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_BACKOFF_BASE": 0.05,
    "RETRY_BACKOFF_MAX": 0.2,
    "KEIKA_PROGRESS": False,
}

CRAWL_DRIVER = """
import json, sys
from crawler.run import run_once
from pipeline.seeds import load_seeds
from storage.db import Database

db = Database(sys.argv[1])
seedset = load_seeds(sys.argv[2])
report = run_once(db, seedset, seedset.select(None), settings=json.loads(sys.argv[3]))
print(json.dumps({row.page: row.outcome for row in report.rows}))
"""


def crawl_command(url: str, seeds: Path, **settings: Any) -> list[str]:
    """A crawl through `crawler.run.run_once` (what `keika crawl` and the scheduler run), in a
    child process of its own, with the fast settings."""
    return [sys.executable, "-c", CRAWL_DRIVER, url, str(seeds), json.dumps({**FAST, **settings})]


def crawl(url: str, seeds: Path, timeout: float = 60, **settings: Any) -> dict[str, str]:
    """One crawl to its end: {page key: outcome}."""
    done = subprocess.run(
        crawl_command(url, seeds, **settings),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "KEIKA_SCRAPY_LOG_LEVEL": "ERROR"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_seeds(
    path: Path, pages: list[dict[str, Any]], defaults: dict[str, Any] | None = None
) -> Path:
    def render(value: Any) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, list | tuple):
            return "[" + ", ".join(render(v) for v in value) + "]"
        return repr(value)

    lines: list[str] = []
    if defaults:
        lines.append("[defaults]")
        lines += [f"{k} = {render(v)}" for k, v in defaults.items()]
        lines.append("")
    for page in pages:
        lines.append("[[page]]")
        lines += [f"{k} = {render(v)}" for k, v in {"obey_robots": False, **page}.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def page_bytes(version: str) -> bytes:
    return (P4103 / f"{version}.html").read_bytes()


# --- a raw server for faults inside a response ---------------------------------------------------


class RawServer:
    """A TCP server on 127.0.0.1 that reads one request per connection and hands the socket to
    the behaviour routed for its path: a reset in mid-body, a body dripped byte by byte."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[socket.socket], None]] = {}
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> RawServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.sock.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            path = data.split(b" ", 2)[1].decode("latin-1")
            behaviour = self.routes.get(path)
            if behaviour is None:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            else:
                behaviour(conn)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()


def reset_mid_body(body: bytes) -> Callable[[socket.socket], None]:
    """Promise the whole body, send a third of it, then reset the connection (RST)."""

    def behave(conn: socket.socket) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        conn.sendall(head + body[: len(body) // 3])
        time.sleep(0.1)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return behave


def slow_drip(body: bytes, every: float = 0.2) -> Callable[[socket.socket], None]:
    """Send the body one byte at a time: never idle long, never finished within the timeout."""

    def behave(conn: socket.socket) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        conn.sendall(head)
        for byte in body:
            conn.sendall(bytes([byte]))
            time.sleep(every)

    return behave


def served(server: Any) -> Iterator[Any]:
    try:
        yield server
    finally:
        server.stop()


def ok_response(body: bytes) -> Callable[[socket.socket], None]:
    """A plain 200 with the whole body."""

    def behave(conn: socket.socket) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        conn.sendall(head + body)

    return behave
