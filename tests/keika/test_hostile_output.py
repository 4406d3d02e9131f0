"""Hostile text is data: Rich markup, emoji codes and ESC sequences from pages and servers are
printed literally by every command, and never crash one (issue 12 item 7)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import FixtureServer, Reply, ingest_html, run_keika
from notify_receivers import WebhookReceiver

from pipeline.domain.seed import Seed
from storage.changes import list_changes
from storage.db import Database

P4103 = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
SEED = Seed(key="oyama-benxi", url="http://127.0.0.1:8000/page004103.html")
LINE = "本渓市長のメッセージに対して、小林武夫市長より返書を送り、交流を希望する旨を伝えた。"
HOSTILE = "[/x] [bold]b[/bold] \x1b[2J\x1b[31mRED :cat: \x01 \u202eevil \x9b31m"


def hostile_page() -> bytes:
    html = (P4103 / "v1.html").read_text(encoding="utf-8")
    assert LINE in html
    return html.replace(LINE, LINE + HOSTILE).encode("utf-8")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> tuple[str, int, int]:
    """v1, then v1 with markup, emoji codes and control characters in one entry's body."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'keika.db'}"
    db = Database(url)
    try:
        ingest_html(db, SEED, (P4103 / "v1.html").read_bytes())
        ingest_html(db, SEED, hostile_page())
        with db.session() as session:
            [edited] = list_changes(session, kinds=("edited",))
    finally:
        db.dispose()
    assert edited.after is not None and edited.after["body"][-1].endswith(HOSTILE)
    assert edited.entry is not None
    return url, edited.id, edited.entry


def assert_literal(stdout: str) -> None:
    for control in ("\x1b", "\x01", "\u202e", "\x9b"):  # nothing for the terminal to obey
        assert control not in stdout, repr(control)
    # A table wraps long cells: compare without the spaces, line breaks and borders.
    squashed = "".join(c for c in stdout if c not in " \n│┃")
    assert "\\x1b[2J\\x1b[31mRED" in squashed and "\\x01" in squashed  # shown, as escapes
    assert "[/x][bold]b[/bold]" in squashed  # markup is text
    assert ":cat:" in squashed and "\N{CAT FACE}" not in stdout and "\N{CAT}" not in stdout


def test_show_prints_an_entry_with_markup_and_escapes_literally(hostile_db) -> None:
    url, change_id, _entry = hostile_db
    result = run_keika("show", str(change_id), "--db", url)
    assert result.returncode == 0, result.stderr
    assert_literal(result.stdout)


def test_entries_table_does_not_crash_on_markup(hostile_db) -> None:
    url, _change, _entry = hostile_db
    result = run_keika("entries", "oyama-benxi", "--db", url)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert_literal(result.stdout)


def test_history_prints_versions_literally(hostile_db) -> None:
    url, _change, entry = hostile_db
    result = run_keika("history", str(entry), "--db", url)
    assert result.returncode == 0, result.stderr
    assert_literal(result.stdout)


def test_json_keeps_the_stored_text_exact(hostile_db) -> None:
    url, change_id, _entry = hostile_db
    result = run_keika("changes", "--json", "--db", url)
    row = next(r for r in json.loads(result.stdout) if r["id"] == change_id)
    assert row["after"]["body"][-1].endswith(HOSTILE)


def test_a_content_type_with_markup_does_not_crash_crawl(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    """The crawl commits, prints its summary and still delivers the notification."""
    db = f"sqlite:///{tmp_path / 'keika.db'}"
    fixture_server.serve_file("/p.html", P4103 / "v1.html")
    fixture_server.route(
        "/bad.html", Reply(body=b"<p>x</p>", content_type="application/[/x]\x1b[31m")
    )
    webhook = WebhookReceiver().start()
    try:
        seeds = tmp_path / "seeds.toml"
        seeds.write_text(
            f'[defaults]\nnotify = ["{webhook.url()}"]\n\n'
            f'[[page]]\nkey = "p"\nurl = "{fixture_server.url("/p.html")}"\n\n'
            f'[[page]]\nkey = "bad"\nurl = "{fixture_server.url("/bad.html")}"\n'
        )
        first = run_keika("crawl", "--seeds", str(seeds), "--page", "p", "--db", db)
        assert first.returncode == 0, first.stderr
        fixture_server.serve_file("/p.html", P4103 / "v2.html")
        result = run_keika("crawl", "--seeds", str(seeds), "--db", db)
    finally:
        webhook.stop()
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1  # one page failed
    assert "1 changed, 1 failed" in result.stdout  # the summary is printed
    assert "application/[/x]\\x1b[31m" in result.stderr
    assert "\x1b" not in result.stderr
    assert len(webhook.posts) == 1  # and the notification was delivered


def strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    return [s for item in data for s in strings(item)] if isinstance(data, list) else []


@pytest.mark.parametrize("args", [("changes", "--json"), ("entries", "oyama-benxi", "--json")])
def test_json_shows_bidi_and_c1_controls_as_escapes_and_keeps_the_text(hostile_db, args) -> None:
    """JSON escapes C0 controls itself; bidi overrides and C1 controls (U+009B acts as ESC [
    on some terminals) are written as \\u escapes too: the same JSON, nothing to obey."""
    url, _change, _entry = hostile_db
    result = run_keika(*args, "--db", url)
    assert result.returncode == 0, result.stderr
    for control in ("\x1b", "\x01", "\u202e", "\x9b"):
        assert control not in result.stdout, repr(control)
    assert "\\u202eevil" in result.stdout
    assert any(s.endswith(HOSTILE) for s in strings(json.loads(result.stdout)))


@pytest.mark.parametrize("args", [("changes", "--csv"), ("entries", "oyama-benxi", "--csv")])
def test_csv_shows_control_characters_as_escapes(hostile_db, args) -> None:
    url, _change, _entry = hostile_db
    result = run_keika(*args, "--db", url)
    assert result.returncode == 0, result.stderr
    for control in ("\x1b", "\x01", "\u202e", "\x9b"):
        assert control not in result.stdout, repr(control)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    column = "first_line" if args[0] == "changes" else "body"
    assert any("[bold]b[/bold] \\x1b[2J\\x1b[31mRED :cat: \\x01" in r[column] for r in rows)


def test_seeds_list_shows_a_hostile_name_literally(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(
        '[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p"\n'
        'name = "[bold]N[/] \\u001b[31m :cat: \\u202e"\n',
        encoding="utf-8",
    )
    result = run_keika("seeds", "list", "--seeds", str(seeds))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "[bold]N[/] \\x1b[31m :cat: \\u202e" in result.stdout
