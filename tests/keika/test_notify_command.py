"""`keika notify` / `keika outbox` end to end: real `keika crawl`, real webhook, real SQLite.

`keika crawl` runs as a child process (the spider needs its own reactor); `notify` and `outbox`
run in-process on keika's real typer app, registered the way keika/cli.py registers them (a
no-op once cli.py does it itself).
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result
from conftest import run_keika
from notify_receivers import WebhookReceiver, free_port, queue_plain
from typer.testing import CliRunner

from keika import cli
from pipeline.domain.errors import InputError

P4103 = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
TITLE = "本渓市との交流経過"


keika_process = run_keika


def keika(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


def outbox_rows(db: str) -> list[dict]:
    result = keika("outbox", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_webhook_down_during_crawl_then_one_notify_delivers_once(
    fixture_server, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'keika.db'}"
    port = free_port()
    fixture_server.serve_file("/p.html", P4103 / "v1.html")
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(
        f'[defaults]\nnotify = ["json://127.0.0.1:{port}/hook"]\n\n'
        f'[[page]]\nkey = "oyama-benxi"\nurl = "{fixture_server.url("/p.html")}"\n'
    )
    first = keika_process("crawl", "--seeds", str(seeds), "--db", db)
    assert first.returncode == 0, first.stderr
    fixture_server.serve_file("/p.html", P4103 / "v2.html")
    second = keika_process("crawl", "--seeds", str(seeds), "--db", db)
    assert second.returncode == 0, second.stderr  # the webhook being down fails no crawl
    assert "1 changed" in second.stdout
    assert "notifications: 0 sent, 1 failed" in second.stderr

    [row] = outbox_rows(db)
    assert (row["status"], row["attempts"], row["kind"]) == ("pending", 1, "digest")
    assert "Connection error" in row["last_error"]
    assert row["subject"] == f"[keika] {TITLE}: 1 added, 2 edited"

    webhook = WebhookReceiver(port).start()
    try:
        delivered = keika("notify", "--db", db)
        assert delivered.exit_code == 0, delivered.output
        assert "1 sent, 0 failed" in delivered.stdout
        again = keika("notify", "--db", db)
        assert again.exit_code == 0, again.output
        assert "0 sent, 0 failed" in again.stdout
    finally:
        webhook.stop()
    assert webhook.titles() == [f"[keika] {TITLE}: 1 added, 2 edited"]
    [row] = outbox_rows(db)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, None)
    assert row["sent_at"] is not None


def test_notify_exits_1_and_says_why_when_a_target_fails(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'keika.db'}"
    from storage.db import Database

    database = Database(db)
    down = f"json://127.0.0.1:{free_port()}/hook"
    queue_plain(database, down)
    result = keika("notify", "--db", db)
    assert result.exit_code == 1
    assert f"outbox 1 -> {down}: " in result.stderr and "(will retry)" in result.stderr
    listing = keika("outbox", "--db", db)
    assert listing.exit_code == 0, listing.output
    assert "1 pending" in listing.stdout


def test_notify_test_sends_a_message_and_exits_by_outcome(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'keika.db'}"
    webhook = WebhookReceiver().start()
    try:
        ok = keika("notify", "--test", webhook.url("/t"), "--db", db)
        assert ok.exit_code == 0, ok.output
        assert "test message delivered" in ok.stdout
    finally:
        webhook.stop()
    assert webhook.titles() == ["[keika] test notification"]
    down = f"json://127.0.0.1:{free_port()}/t"
    failed = keika("notify", "--test", down, "--db", db)
    assert failed.exit_code == 1
    assert "not delivered" in failed.stderr
    rows = outbox_rows(db)
    assert [(r["kind"], r["status"], r["attempts"]) for r in rows] == [
        ("test", "sent", 1),
        ("test", "failed", 1),
    ]
    # A test is never retried.
    assert "0 sent, 0 failed" in keika("notify", "--db", db).stdout


def test_outbox_rejects_an_unknown_status(tmp_path: Path) -> None:
    result = keika("outbox", "--status", "lost", "--db", f"sqlite:///{tmp_path / 'k.db'}")
    assert isinstance(result.exception, InputError)
    assert "--status 'lost'" in str(result.exception)


def test_outbox_shows_times_in_the_page_zone_with_the_zone_named(tmp_path: Path) -> None:
    """As `keika changes` and `crawls` show them: '2026-12-01 18:08 JST', not a bare UTC time."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    db = f"sqlite:///{tmp_path / 'keika.db'}"
    keika_process("notify", "--test", f"json://127.0.0.1:{free_port()}/t", "--db", db)
    [row] = outbox_rows(db)
    created = datetime.fromisoformat(row["created_at"]).astimezone(ZoneInfo("Asia/Tokyo"))
    listing = keika_process("outbox", "--db", db)
    assert listing.returncode == 0, listing.stderr
    assert created.strftime("%Y-%m-%d %H:%M JST") in listing.stdout


def test_notify_says_which_messages_it_put_off_behind_a_target_that_timed_out(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'keika.db'}"
    from storage.db import Database

    hanging = WebhookReceiver(delay=30).start()
    try:
        database = Database(db)
        for n in range(3):
            queue_plain(database, hanging.url(), digest_id=f"d{n}")
        database.dispose()
        result = keika("notify", "--db", db)
    finally:
        hanging.stop()
    assert result.exit_code == 1
    assert "0 sent, 1 failed, 2 put off to the next round" in result.stdout
    assert "Read timed out" in result.stderr
    assert hanging.received == 1
