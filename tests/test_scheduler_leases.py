"""The scheduler's lease (storage/leases.py) on a real SQLite file and a fresh PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from conftest import in_tx

from storage.db import Database
from storage.leases import acquire_lease, current_lease, release_lease, renew_lease
from storage.models import utcnow

ROOT = Path(__file__).resolve().parents[1]


def test_only_one_holder_until_released(db: Database) -> None:
    first = in_tx(db, acquire_lease, "scheduler", "host-a:1", ttl=30)
    assert first.acquired
    second = in_tx(db, acquire_lease, "scheduler", "host-b:2", ttl=30)
    assert not second.acquired
    assert second.lease is not None and second.lease.holder == "host-a:1"
    assert second.lease.acquired_at == first.lease.acquired_at
    assert in_tx(db, release_lease, "scheduler", "host-a:1")
    assert in_tx(db, current_lease, "scheduler") is None
    assert in_tx(db, acquire_lease, "scheduler", "host-b:2", ttl=30).acquired


def test_an_unrenewed_lease_expires_and_is_taken_over(db: Database) -> None:
    start = utcnow()
    assert in_tx(db, acquire_lease, "scheduler", "dead:1", ttl=30, now=start).acquired
    later = start + timedelta(seconds=29)
    assert not in_tx(db, acquire_lease, "scheduler", "live:2", ttl=30, now=later).acquired
    after_expiry = start + timedelta(seconds=31)
    taken = in_tx(db, acquire_lease, "scheduler", "live:2", ttl=30, now=after_expiry)
    assert taken.acquired
    assert in_tx(db, current_lease, "scheduler").holder == "live:2"
    # The old holder has lost it: it can neither renew nor release the new holder's lease.
    assert not in_tx(db, renew_lease, "scheduler", "dead:1", ttl=30, now=after_expiry)
    assert not in_tx(db, release_lease, "scheduler", "dead:1")
    assert in_tx(db, current_lease, "scheduler").holder == "live:2"


def test_renewal_keeps_the_lease_and_its_start(db: Database) -> None:
    start = utcnow()
    in_tx(db, acquire_lease, "scheduler", "me:1", ttl=30, now=start)
    for step in (20, 40, 60):
        assert in_tx(
            db, renew_lease, "scheduler", "me:1", ttl=30, now=start + timedelta(seconds=step)
        )
        attempt = in_tx(
            db,
            acquire_lease,
            "scheduler",
            "other:2",
            ttl=30,
            now=start + timedelta(seconds=step + 1),
        )
        assert not attempt.acquired
    lease = in_tx(db, current_lease, "scheduler")
    assert lease.acquired_at == start
    assert lease.expires_at == start + timedelta(seconds=90)


def test_a_known_dead_holder_is_taken_over_at_once(db: Database) -> None:
    in_tx(db, acquire_lease, "scheduler", "here:111", ttl=30)
    wrong = in_tx(db, acquire_lease, "scheduler", "here:222", ttl=30, take_over="here:999")
    assert not wrong.acquired
    right = in_tx(db, acquire_lease, "scheduler", "here:222", ttl=30, take_over="here:111")
    assert right.acquired
    assert in_tx(db, current_lease, "scheduler").holder == "here:222"


def test_leases_are_independent_by_name(db: Database) -> None:
    assert in_tx(db, acquire_lease, "scheduler", "a:1", ttl=30).acquired
    assert in_tx(db, acquire_lease, "other", "b:2", ttl=30).acquired


RACER = """
import sys
from storage.db import Database
from storage.leases import acquire_lease
db = Database(sys.argv[1], migrate=False)
sys.stdin.readline()  # start together
with db.session() as session:
    won = acquire_lease(session, "scheduler", sys.argv[2], ttl=30).acquired
print("won" if won else "lost")
"""


def test_racing_processes_elect_exactly_one_holder(db: Database, db_url: str) -> None:
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, db_url, f"racer:{i}"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(5)
    ]
    for racer in racers:
        racer.stdin.write("go\n")
        racer.stdin.flush()
    results = []
    for racer in racers:
        out, errors = racer.communicate(timeout=60)
        assert racer.returncode == 0, errors
        results.append(out.strip())
    assert results.count("won") == 1, results
    winner = f"racer:{results.index('won')}"
    assert in_tx(db, current_lease, "scheduler").holder == winner
