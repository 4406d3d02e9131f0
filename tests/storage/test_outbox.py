"""The outbox's queries on a real SQLite file and a fresh PostgreSQL: queueing, claims, marks."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from conftest import in_tx
from notify_receivers import WebhookReceiver

from storage.db import Database
from storage.models import utcnow
from storage.outbox import (
    LOST_SEND,
    claim,
    due_ids,
    list_outbox,
    mark_failed,
    mark_sent,
    queue_message,
    renew,
    requeue_failed,
)

ROOT = Path(__file__).resolve().parents[2]
LEASE = timedelta(minutes=5)
SENDER = """
import sys
from pipeline.services.notify import deliver_pending
from storage.db import Database

db = Database(sys.argv[1])
sys.stdin.readline()
print(deliver_pending(db, ignore_backoff=True).sent)
"""


def queue(db: Database, digest: str, *targets: str) -> int:
    with db.session() as session:
        return queue_message(
            session,
            digest_id=digest,
            kind="digest",
            subject=f"subject {digest}",
            body_text="text",
            body_html="<p>html</p>",
            targets=targets,
        )


def rows(db: Database) -> list:
    with db.session() as session:
        return list_outbox(session)


def test_queue_is_idempotent_per_digest_and_target(db: Database) -> None:
    assert queue(db, "d1", "json://a/1", "json://a/2", "json://a/1") == 2
    assert queue(db, "d1", "json://a/1", "json://a/3") == 1
    assert sorted((r.digest_id, r.target, r.status) for r in rows(db)) == [
        ("d1", "json://a/1", "pending"),
        ("d1", "json://a/2", "pending"),
        ("d1", "json://a/3", "pending"),
    ]


def test_a_claimed_row_is_nobody_elses_until_its_lease_ends(db: Database) -> None:
    queue(db, "d1", "json://a/1")
    now = utcnow()
    [row_id] = in_tx(db, due_ids, now=now)
    item = in_tx(db, claim, row_id, now=now, lease=LEASE)
    assert item is not None and (item.target, item.body_html) == ("json://a/1", "<p>html</p>")
    assert in_tx(db, claim, row_id, now=now, lease=LEASE) is None
    assert in_tx(db, claim, row_id, now=now, lease=LEASE, ignore_backoff=True) is None
    assert in_tx(db, due_ids, now=now, ignore_backoff=True) == []
    # The sender died: once the lease is over, another may take the row.
    later = now + LEASE
    assert in_tx(db, due_ids, now=later) == [row_id]
    assert in_tx(db, claim, row_id, now=later, lease=LEASE) is not None


def test_marks_move_a_row_through_its_states(db: Database) -> None:
    queue(db, "d1", "json://a/1", "json://a/2")
    now = utcnow()
    first, second = in_tx(db, due_ids, now=now)
    assert in_tx(db, claim, first, now=now, lease=LEASE) and in_tx(
        db, claim, second, now=now, lease=LEASE
    )
    in_tx(db, mark_sent, first, now=now)
    in_tx(db, mark_failed, second, error="boom", retry_in=timedelta(minutes=1), now=now)
    sent, waiting = rows(db)
    assert (sent.status, sent.attempts, sent.sent_at is not None) == ("sent", 1, True)
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("pending", 1, "boom")
    assert in_tx(db, due_ids, now=now) == []
    assert in_tx(db, due_ids, now=now, ignore_backoff=True) == [second]
    assert in_tx(db, claim, second, now=now, lease=LEASE, ignore_backoff=True)
    in_tx(db, mark_failed, second, error="boom again", retry_in=None, now=now)
    assert rows(db)[1].status == "failed"
    assert in_tx(db, due_ids, now=now + timedelta(days=9), ignore_backoff=True) == []
    # A mark for a row that is not being sent changes nothing.
    in_tx(db, mark_sent, second, now=now)
    assert rows(db)[1].status == "failed"
    assert in_tx(db, requeue_failed, now=now) == 1
    assert (rows(db)[1].status, rows(db)[1].attempts) == ("pending", 0)


def test_racing_sender_processes_send_each_row_once(db: Database) -> None:
    webhook = WebhookReceiver().start()
    try:
        for n in range(40):
            queue(db, f"d{n}", webhook.url())
        senders = [
            subprocess.Popen(
                [sys.executable, "-c", SENDER, db.url],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        for sender in senders:
            sender.stdin.write("go\n")
            sender.stdin.flush()
        counts = []
        for sender in senders:
            out, errors = sender.communicate(timeout=120)
            assert sender.returncode == 0, errors
            counts.append(int(out.strip()))
    finally:
        webhook.stop()
    assert sum(counts) == 40
    assert Counter(webhook.titles()) == Counter(f"subject d{n}" for n in range(40))
    assert {r.status for r in rows(db)} == {"sent"}


def test_leases_and_sent_times_come_from_the_database_clock_at_each_statement(db: Database) -> None:
    """A lease starts at its claim, not at the start of the sender's batch: a row claimed a while
    after the first one still has its whole lease, and each row's sent_at is its own."""
    queue(db, "d1", "json://a/1", "json://a/2")
    first, second = in_tx(db, due_ids)
    assert in_tx(db, claim, first, lease=LEASE) is not None
    time.sleep(1.1)
    before = utcnow()
    assert in_tx(db, claim, second, lease=LEASE) is not None
    leases = {r.id: r.next_attempt_at for r in rows(db)}
    assert leases[second] >= before + LEASE - timedelta(milliseconds=50)
    assert leases[second] - leases[first] >= timedelta(seconds=1)
    in_tx(db, mark_sent, first)
    time.sleep(1.1)
    in_tx(db, mark_sent, second)
    sent = {r.id: r.sent_at for r in rows(db)}
    assert sent[second] - sent[first] >= timedelta(seconds=1)


def test_a_row_queued_on_a_machine_whose_clock_runs_fast_is_due_by_the_database_clock(
    db: Database, monkeypatch
) -> None:
    """A crawl on a machine an hour ahead queues a digest: it is due now, by the database's
    clock that every sender reads, not in an hour. (`utcnow` is what keika read the machine's
    clock with; an hour is added to it wherever it may still be used.)"""
    import storage.models

    fast = lambda: utcnow() + timedelta(hours=1)  # noqa: E731
    monkeypatch.setattr(storage.models, "utcnow", fast)
    monkeypatch.setattr("storage.outbox.utcnow", fast, raising=False)
    queue(db, "d1", "json://a/1")
    assert len(in_tx(db, due_ids)) == 1
    (row,) = rows(db)
    assert abs(row.created_at - utcnow()) < timedelta(minutes=1)


def test_a_renewed_lease_keeps_the_row_from_other_senders(db: Database) -> None:
    queue(db, "d1", "json://a/1")
    [row_id] = in_tx(db, due_ids)
    short = timedelta(seconds=1)
    assert in_tx(db, claim, row_id, lease=short) is not None
    for _ in range(3):
        time.sleep(0.5)
        assert in_tx(db, renew, row_id, lease=short) is True
        assert in_tx(db, claim, row_id, lease=short) is None
    time.sleep(1.2)  # no renewal: the sender is gone, the row is free again
    assert in_tx(db, claim, row_id, lease=short) is not None
    in_tx(db, mark_sent, row_id)
    assert in_tx(db, renew, row_id, lease=short) is False


def test_taking_over_a_row_whose_sender_stopped_counts_the_lost_send(db: Database) -> None:
    queue(db, "d1", "json://a/1")
    now = utcnow()
    [row_id] = in_tx(db, due_ids, now=now)
    first = in_tx(db, claim, row_id, now=now, lease=LEASE)
    assert first is not None and (first.attempts, first.last_error) == (0, None)
    # Its sender is killed mid-send: nothing marks the row; the lease runs out.
    later = now + LEASE
    second = in_tx(db, claim, row_id, now=later, lease=LEASE)
    assert second is not None and (second.attempts, second.last_error) == (1, LOST_SEND)
    [row] = rows(db)
    assert (row.status, row.attempts, row.last_error) == ("sending", 1, LOST_SEND)
    in_tx(db, mark_sent, row_id, now=later)
    [row] = rows(db)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
