"""Notifier and seed faults: slow and dying senders, a refusing SMTP server, secrets in URLs,
seed files that would fail later. Real receivers, real `keika` processes, a real SQLite file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ingest_html, run_keika, wait_until
from fault_harness import (  # noqa: F401  (fault_table: the session fixture printing the table)
    ROOT,
    assert_consistent,
    fault,
    fault_cases,
    fault_table,
    page_bytes,
    write_seeds,
)
from notify_receivers import SmtpReceiver, WebhookReceiver
from sqlalchemy import select
from sqlalchemy.engine import make_url

from pipeline.domain.seed import Seed
from pipeline.seeds import load_seeds
from pipeline.services.notify import IDEMPOTENCY_HEADER
from storage.db import Database
from storage.models import OutboxMessage

V1, V2 = page_bytes("v1"), page_bytes("v2")
URL = "http://127.0.0.1:9/page{}.html"


def digests_queued(url: str, target: str, pages: int) -> Database:
    """`pages` pages crawled twice (v1 then v2) through the real ingest stage: one digest each."""
    db = Database(url)
    for n in range(pages):
        seed = Seed(key=f"p{n}", url=URL.format(n), notify=(target,))
        ingest_html(db, seed, V1)
        ingest_html(db, seed, V2)
    return db


def notify_command(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "keika.cli", "notify", "--db", url, *args]


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "KEIKA_NOTIFY"}
    return {**base, **extra}


def statuses(db: Database) -> Counter[str]:
    with db.session() as session:
        return Counter(session.scalars(select(OutboxMessage.status)))


@fault("long delivery batch", "two `keika notify`, sends of 0.8 s against a 0.4 s lease")
def test_two_senders_with_a_slow_receiver_send_nothing_twice(tmp_path: Path) -> None:
    slow = WebhookReceiver(delay=0.8).start()
    try:
        url = f"sqlite:///{tmp_path / 'keika.db'}"
        db = digests_queued(url, slow.url(), 5)
        first = subprocess.Popen(
            notify_command(url), env=env(KEIKA_NOTIFY_LEASE="0.4"), cwd=tmp_path
        )
        wait_until(lambda: statuses(db)["sent"] >= 1, 30, "the first send")
        second = subprocess.Popen(
            notify_command(url), env=env(KEIKA_NOTIFY_LEASE="0.4"), cwd=tmp_path
        )
        assert [p.wait(timeout=60) for p in (first, second)] == [0, 0]
    finally:
        slow.stop()
    ids = Counter(p.headers[IDEMPOTENCY_HEADER.lower()] for p in slow.posts)
    assert len(ids) == 5 and set(ids.values()) == {1}, ids
    assert statuses(db) == Counter({"sent": 5})
    assert_consistent(url)


@fault("sender killed mid-send", "SIGKILL of `keika notify` while the receiver holds a send")
def test_a_killed_sender_gives_at_most_one_duplicate_with_the_same_digest_id(
    tmp_path: Path,
) -> None:
    slow = WebhookReceiver(delay=1.0).start()
    try:
        url = f"sqlite:///{tmp_path / 'keika.db'}"
        db = digests_queued(url, slow.url(), 3)
        sender = subprocess.Popen(
            notify_command(url), env=env(KEIKA_NOTIFY_LEASE="0.5"), cwd=tmp_path
        )
        wait_until(lambda: slow.received >= 1, 30, "a send in flight", every=0.05)
        with db.session() as session:
            in_flight = session.scalar(
                select(OutboxMessage.digest_id).where(OutboxMessage.status == "sending")
            )
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=30)
        wait_until(lambda: len(slow.posts) >= 1, 30, "the receiver to finish the killed send")
        # The dead sender's lease runs out (it renews no more): the next sender takes the row.
        again = subprocess.run(
            notify_command(url), env=env(KEIKA_NOTIFY_LEASE="0.5"), cwd=tmp_path, timeout=60
        )
        if statuses(db)["sending"]:  # still inside the dead sender's lease: once more
            again = subprocess.run(notify_command(url), env=env(), cwd=tmp_path, timeout=60)
        assert again.returncode == 0
    finally:
        slow.stop()
    ids = Counter(p.headers[IDEMPOTENCY_HEADER.lower()] for p in slow.posts)
    assert len(ids) == 3  # nothing lost
    # The one duplicate README promises: the killed send, again, under the same digest id.
    assert sorted(ids.values()) == [1, 1, 2] and ids[in_flight] == 2, ids
    assert statuses(db) == Counter({"sent": 3})
    assert_consistent(url)


@fault("literal password in a notify URL", "mailto://keika:PASSWORD@… written in the seed file")
def test_a_literal_password_is_masked_in_the_outbox_and_used_from_the_seed(tmp_path: Path) -> None:
    smtp = SmtpReceiver(password="lit3ral-pw").start()
    try:
        url = f"sqlite:///{tmp_path / 'keika.db'}"
        seeds = write_seeds(
            tmp_path / "seeds.toml",
            [{"key": "p0", "url": URL.format(0), "notify": [smtp.url("lit3ral-pw")]}],
        )
        db = Database(url)
        [seed] = load_seeds(seeds).seeds
        ingest_html(db, seed, V1)
        ingest_html(db, seed, V2)
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("keika.db*"))
        assert b"lit3ral-pw" not in raw
        done = run_keika("notify", "--db", url, "--seeds", str(seeds), env=env(), cwd=tmp_path)
    finally:
        smtp.stop()
    assert done.returncode == 0, done.stderr
    assert "use ${NAME}" in done.stderr and "lit3ral-pw" not in done.stdout + done.stderr
    assert smtp.logins == [(b"keika", b"lit3ral-pw")] and len(smtp.messages) == 1
    with db.session() as session:
        assert ":***@" in session.scalar(select(OutboxMessage.target))
    assert_consistent(url)


@fault("SMTP refusal", "the SMTP server answers DATA with 554 and its reason")
def test_an_smtp_refusal_names_the_servers_reason(tmp_path: Path) -> None:
    smtp = SmtpReceiver(reject="554 5.7.1 Rejected: listed at bl.example.org").start()
    try:
        url = f"sqlite:///{tmp_path / 'keika.db'}"
        digests_queued(url, smtp.url("${KEIKA_TEST_SMTP}"), 1)
        done = run_keika(
            "notify", "--db", url, env=env(KEIKA_TEST_SMTP=smtp.password), cwd=tmp_path
        )
    finally:
        smtp.stop()
    assert done.returncode == 1
    assert "554 5.7.1 Rejected: listed at bl.example.org" in done.stderr
    assert "Traceback" not in done.stderr
    assert_consistent(url)


BAD_SEEDS = {
    "seed file in Shift_JIS": "a seed file saved as Shift_JIS",
    "timeout = nan": "timeout = nan in a [[page]]",
    "allow_hosts = [1]": "allow_hosts = [1] in a [[page]]",
    "URL with a space": 'url = "http://127.0.0.1/a page.html"',
}
PAGE = '[[page]]\nkey = "a"\nurl = "http://127.0.0.1:9/a.html"\n'
SEED_TEXT = {
    "seed file in Shift_JIS": ("# 小山市の交流経過\n" + PAGE, ":1: not UTF-8 text"),
    "timeout = nan": (PAGE + "timeout = nan\n", ":4: timeout must be a finite number"),
    "allow_hosts = [1]": (PAGE + "allow_hosts = [1]\n", ":4: allow_hosts must be a list of host"),
    "URL with a space": (
        '[[page]]\nkey = "a"\nurl = "http://127.0.0.1:9/a page.html"\n',
        ":3: url 'http://127.0.0.1:9/a page.html' contains a space",
    ),
}


@pytest.mark.parametrize("case", fault_cases("test_a_bad_seed_is_refused_at_load", BAD_SEEDS))
def test_a_bad_seed_is_refused_at_load(case: str, tmp_path: Path) -> None:
    text, message = SEED_TEXT[case]
    seeds = tmp_path / "seeds.toml"
    seeds.write_bytes(text.encode("cp932" if "Shift_JIS" in case else "utf-8"))
    done = run_keika(
        "crawl", "--seeds", str(seeds), "--db", f"sqlite:///{tmp_path / 'k.db'}", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert f"{seeds}{message}" in done.stderr


@fault("password in `keika info`", "a PostgreSQL URL with a password given to `keika info`")
def test_info_masks_the_database_password(postgres_url: str, tmp_path: Path) -> None:
    url = make_url(postgres_url).set(password="pg-pw-9").render_as_string(hide_password=False)
    assert run_keika("db", "upgrade", "--db", url, cwd=tmp_path).returncode == 0
    done = run_keika("info", "--db", url, "--seeds", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "pg-pw-9" not in done.stdout + done.stderr and ":***@" in done.stdout
