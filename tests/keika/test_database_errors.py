"""Databases that are not what a command expects: one line and exit 2, never a traceback
(issue 12 item 9); read-only commands work on a read-only copy and never create a database
(issue 14 item 3)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ingest_html, run_keika, wait_for_server

from pipeline.domain.seed import Seed
from storage.db import Database

P4103 = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
SEED = Seed(key="oyama-benxi", url="http://127.0.0.1:8000/page004103.html")
READ_ONLY_COMMANDS = [
    ("changes",),
    ("show", "1"),
    ("entries", "oyama-benxi"),
    ("history", "1"),
    ("crawls",),
    ("outbox",),
    ("info",),
    ("replay", "--archive"),
    ("snapshot", "1", "oyama-benxi"),
    ("workers",),
    ("serve", "--port", "1"),  # refused before it would listen
]


def assert_one_line_error(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("keika: ")]
    assert len(lines) == 1 and says in lines[0], result.stderr


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS, ids=lambda c: c[0])
def test_read_only_commands_refuse_a_database_that_does_not_exist(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    typo = tmp_path / "sub" / "typo.db"
    result = run_keika(*command, "--db", f"sqlite:///{typo}", cwd=tmp_path)
    assert_one_line_error(
        result, f"no keika database at {typo}; `keika crawl` or `keika db upgrade` creates one"
    )
    assert not typo.exists() and not typo.parent.exists()  # nothing made, not even the folder


@pytest.mark.parametrize(
    "command", [("changes",), ("crawl", "--seeds", "seeds.toml"), ("db", "upgrade"), ("gc",)]
)
def test_a_text_file_given_as_the_database_is_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("これはデータベースではありません\n" * 200, encoding="utf-8")
    (tmp_path / "seeds.toml").write_text('[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p"\n')
    result = run_keika(*command, "--db", f"sqlite:///{text}", cwd=tmp_path)
    assert_one_line_error(result, "file is not a database")


@pytest.mark.parametrize(
    "command", [("changes",), ("crawl", "--seeds", "seeds.toml"), ("db", "upgrade"), ("gc",)]
)
def test_a_folder_given_as_the_database_is_one_line_saying_so(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Commands that write say what the read-only ones say, not SQLite's 'unable to open'."""
    folder = tmp_path / "keika.db"
    folder.mkdir()
    (tmp_path / "seeds.toml").write_text('[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p"\n')
    result = run_keika(*command, "--db", f"sqlite:///{folder}", cwd=tmp_path)
    assert_one_line_error(result, f"{folder} is a folder, not a keika database")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", [("db", "upgrade"), ("crawl", "--seeds", "seeds.toml")])
def test_another_applications_sqlite_file_is_refused_untouched(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A SQLite file with tables but no keika schema version is someone else's: a typo in --db
    must not add keika's tables to it (nor call it an 'empty database')."""
    other = tmp_path / "places.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    (tmp_path / "seeds.toml").write_text('[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p"\n')
    result = run_keika(*command, "--db", f"sqlite:///{other}", cwd=tmp_path)
    assert_one_line_error(result, f"{other} is not a keika database")
    with sqlite3.connect(other) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["moz_places"]


@pytest.mark.parametrize("number", ["99999999999999999999", "2147483648", "0"])
def test_show_and_history_of_a_huge_number_are_unknown(filled: Path, number: str) -> None:
    for command in ("show", "history"):
        result = run_keika(command, number, "--db", f"sqlite:///{filled / 'keika.db'}")
        what = "change" if command == "show" else "entry"
        assert_one_line_error(result, f"unknown {what} {number}")


@pytest.mark.parametrize("port", ["99999", "-1", "0", "65536"])
def test_serve_refuses_a_port_out_of_range(tmp_path: Path, port: str) -> None:
    result = run_keika("serve", "--port", port, "--db", f"sqlite:///{tmp_path / 'k.db'}")
    assert_one_line_error(result, f"--port {port}: expected a port number from 1 to 65535")


# --- a read-only copy ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled() -> Iterator[Path]:
    """A folder holding keika.db (v1 → v2 of P-4103), both made read-only, readable by anyone.

    Root may write any file, so when the tests run as root the commands run as `nobody`.
    """
    folder = Path(tempfile.mkdtemp(prefix="keika-ro-", dir="/tmp"))
    db = Database(f"sqlite:///{folder / 'keika.db'}")
    try:
        ingest_html(db, SEED, (P4103 / "v1.html").read_bytes())
        ingest_html(db, SEED, (P4103 / "v2.html").read_bytes())
    finally:
        db.dispose()
    assert sorted(p.name for p in folder.iterdir()) == ["keika.db"]  # WAL checkpointed
    (folder / "keika.db").chmod(0o444)
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(stat.S_IRWXU)
        shutil.rmtree(folder, ignore_errors=True)


def as_reader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`keika ARGS` as a user who may not write the read-only copy."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop the right to write")
        prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    env = {**os.environ, "HOME": str(cwd)}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "keika.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )


def test_read_only_commands_work_on_a_read_only_copy(filled: Path) -> None:
    url = f"sqlite:///{filled / 'keika.db'}"
    before = (filled / "keika.db").read_bytes()
    changes = as_reader("changes", "--json", "--db", url, cwd=filled)
    assert changes.returncode == 0, changes.stderr
    rows = json.loads(changes.stdout)
    assert {r["kind"] for r in rows} >= {"added", "edited"}
    for command in (
        ("show", str(rows[0]["id"])),
        ("entries", "oyama-benxi", "--json"),
        ("history", str(rows[0]["entry"] or 1)),
        ("crawls", "--json"),
        ("outbox", "--json"),
        ("info", "--seeds", str(filled)),
    ):
        result = as_reader(*command, "--db", url, cwd=filled)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert (filled / "keika.db").read_bytes() == before


def test_a_crawl_on_a_read_only_database_is_one_line(filled: Path) -> None:
    seeds = Path(tempfile.mkdtemp(prefix="keika-ro-seeds-", dir="/tmp"))
    try:
        (seeds / "seeds.toml").write_text(f'[[page]]\nkey = "p"\nurl = "{SEED.url}"\n')
        seeds.chmod(0o755)
        (seeds / "seeds.toml").chmod(0o644)
        result = as_reader(
            "crawl",
            "--seeds",
            str(seeds / "seeds.toml"),
            "--db",
            f"sqlite:///{filled / 'keika.db'}",
            cwd=filled,
        )
    finally:
        shutil.rmtree(seeds, ignore_errors=True)
    assert_one_line_error(result, "is read-only: this command writes to the database")


def test_serve_serves_a_read_only_copy(filled: Path) -> None:
    import socket

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"sqlite:///{filled / 'keika.db'}"
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    process = subprocess.Popen(
        [*prefix, sys.executable, "-m", "keika.cli", "serve", "--port", str(port), "--db", url],
        cwd=filled,
        env={**os.environ, "HOME": str(filled)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        response = wait_for_server(process, f"http://127.0.0.1:{port}/changes")
        assert response.status_code == 200
        assert "change(s)" in response.text
        assert httpx.get(f"http://127.0.0.1:{port}/feed.atom").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "Traceback" not in (process.stderr.read() if process.stderr else "")
