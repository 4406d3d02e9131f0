"""Notifications end to end through the ingest stage: what is queued, what arrives, and when.

Pages go through `ingest_fetch` exactly as the spider hands them over, into a real SQLite file;
messages go through Apprise to real receivers on 127.0.0.1 (a JSON webhook, an SMTP server).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import wait_until
from notify_receivers import SmtpReceiver, WebhookReceiver, free_port, queue_plain
from sqlalchemy import select

from pipeline.domain.fetch import FetchResult
from pipeline.domain.seed import Seed
from pipeline.services.crawl import begin_crawl
from pipeline.services.ingest import PageOutcome, ingest_fetch
from pipeline.services.notify import (
    IDEMPOTENCY_HEADER,
    WORD_JOINER,
    RetryPolicy,
    deliver_pending,
    display_target,
    env_targets,
    expand_secrets,
    literal_markdown,
    send_test_message,
    targets_for,
)
from storage.db import Database
from storage.models import OutboxMessage, Page
from storage.outbox import list_outbox, queue_message

FIXTURES = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
URL = "http://127.0.0.1:8000/page004103.html"
HTML = {"content-type": "text/html; charset=utf-8"}
TITLE = "本渓市との交流経過"


@pytest.fixture(autouse=True)
def no_env_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEIKA_NOTIFY", raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'keika.db'}")


@pytest.fixture
def webhook() -> WebhookReceiver:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def page_body(version: str) -> bytes:
    return (FIXTURES / f"{version}.html").read_bytes()


def crawl(
    db: Database, seed: Seed, body: bytes | None = None, *, error: str | None = None
) -> PageOutcome:
    now = datetime.now(UTC)
    result = FetchResult(
        key=seed.key,
        url=seed.url,
        started_at=now,
        fetched_at=now,
        final_url=seed.url,
        status=200 if error is None else 503,
        headers=dict(HTML) if body else {},
        body=body,
        error=error,
    )
    return ingest_fetch(db, begin_crawl(db, "manual"), seed, result)


def outbox(db: Database) -> list:
    with db.session() as session:
        return list_outbox(session)


def test_timeline_sends_one_digest_per_changed_crawl(db: Database, webhook) -> None:
    seed = Seed(key="oyama-benxi", url=URL, notify=(webhook.url(),))
    assert crawl(db, seed, page_body("v1")).outcome == "baseline"
    assert deliver_pending(db).sent == 0
    assert webhook.posts == [] and outbox(db) == []

    v2 = crawl(db, seed, page_body("v2"))
    report = deliver_pending(db)
    assert (report.sent, report.failed) == (1, 0)
    assert webhook.titles() == [f"[keika] {TITLE}: 1 added, 2 edited"]
    message = webhook.posts[0].payload["message"]
    assert "added: 平成22年10月21日から10月22日まで" in message
    assert (
        "  + 沈福泰本渓市人大常委会副主任を団長とする本渓市友好訪問団5名が、小山市を訪問。"
        in message
    )
    assert "  - 小山市長への表敬訪問を行った。" in message
    assert "  + 小山市長への表敬訪問を始め、小松製作所を視察した。" in message
    assert URL in message
    assert "moved" not in webhook.titles()[0]  # v2 also moves an entry: not sent by default

    crawl(db, seed, page_body("v3"))
    crawl(db, seed, page_body("v3"))  # unchanged: nothing more
    assert deliver_pending(db).sent == 1
    assert deliver_pending(db).sent == 0
    assert webhook.titles()[1:] == [f"[keika] {TITLE}: 2 added, 1 edited, 1 removed"]
    assert "removed: 平成13年9月" in webhook.posts[1].payload["message"]

    rows = outbox(db)
    assert [(r.kind, r.status, r.attempts, r.crawl) for r in rows] == [
        ("digest", "sent", 1, 2),
        ("digest", "sent", 1, 3),
    ]
    assert v2.counts.get("moved") == 1 and v2.counts.get("page") == 1
    # The idempotency key travels as a header and in the payload, and is the row's digest id.
    for post, row in zip(webhook.posts, rows, strict=True):
        assert post.headers[IDEMPOTENCY_HEADER.lower()] == row.digest_id
        assert post.payload["digest_id"] == row.digest_id
        assert row.digest_id in post.payload["message"]


def test_moves_and_page_info_are_sent_when_the_seed_asks(db: Database, webhook) -> None:
    seed = Seed(
        key="oyama-benxi", url=URL, notify=(webhook.url(),), notify_moved=True, notify_page=True
    )
    crawl(db, seed, page_body("v1"))
    crawl(db, seed, page_body("v2"))
    deliver_pending(db)
    assert webhook.titles() == [f"[keika] {TITLE}: 1 added, 2 edited, 1 moved, page info changed"]


def test_email_has_subject_both_bodies_and_escaped_html(db: Database, tmp_path: Path) -> None:
    smtp = SmtpReceiver().start()
    try:
        env = {"KEIKA_TEST_SMTP_PASSWORD": smtp.password}
        target = smtp.url("${KEIKA_TEST_SMTP_PASSWORD}")
        seed = Seed(key="oyama-benxi", url=URL, notify=(target,))
        v1 = page_body("v1")
        hostile = (
            "<h2>令和8年1月5日</h2>\n<p>&lt;script&gt;alert(1)&lt;/script&gt; 本渓市訪問団が来訪"
            " &amp; 交流</p>\n"
        ).encode()
        marker = b'</div>\n<div class="inquiry">'
        assert marker in v1
        crawl(db, seed, v1)
        assert crawl(db, seed, v1.replace(marker, hostile + marker, 1)).counts == {"added": 1}
        report = deliver_pending(db, env=env)
        assert (report.sent, report.failed) == (1, 0), report.failures
    finally:
        smtp.stop()

    [mail] = smtp.messages
    assert mail["subject"] == f"[keika] {TITLE}: 1 added"
    assert mail["to"] == "reader@example.jp"
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "<script>alert(1)</script> 本渓市訪問団が来訪 & 交流" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 本渓市訪問団が来訪 &amp; 交流" in html
    assert "<script>" not in html
    assert "令和8年1月5日" in text and URL in text
    [row] = outbox(db)
    assert mail[IDEMPOTENCY_HEADER] == row.digest_id
    # The secret went to the server, and nowhere into the database.
    assert smtp.logins == [(b"keika", smtp.password.encode())]
    assert row.target == target
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("keika.db*"))
    assert smtp.password.encode() not in raw


def test_one_failing_target_does_not_stop_the_other(db: Database, webhook) -> None:
    broken = WebhookReceiver(status=500).start()
    try:
        seed = Seed(key="oyama-benxi", url=URL, notify=(broken.url(), webhook.url()))
        crawl(db, seed, page_body("v1"))
        crawl(db, seed, page_body("v2"))
        report = deliver_pending(db)
    finally:
        broken.stop()
    assert report.sent == 1 and report.failed == 1
    assert webhook.titles() == [f"[keika] {TITLE}: 1 added, 2 edited"]
    bad, good = sorted(outbox(db), key=lambda r: r.target != broken.url())
    assert (good.status, good.attempts) == ("sent", 1)
    assert (bad.status, bad.attempts) == ("pending", 1)
    assert bad.last_error and "500" in bad.last_error
    assert report.failures[0].target == broken.url()


def test_backoff_doubles_and_gives_up_after_the_last_attempt(db: Database) -> None:
    down = f"json://127.0.0.1:{free_port()}/hook"
    seed = Seed(key="oyama-benxi", url=URL, notify=(down,))
    crawl(db, seed, page_body("v1"))
    crawl(db, seed, page_body("v2"))
    policy = RetryPolicy(base=timedelta(minutes=1), cap=timedelta(minutes=3), max_attempts=4)
    start = datetime.now(UTC)

    def state() -> tuple[str, int, timedelta]:
        [row] = outbox(db)
        return row.status, row.attempts, row.next_attempt_at - start

    assert deliver_pending(db, now=start, policy=policy).failed == 1
    assert state() == ("pending", 1, timedelta(minutes=1))
    # Not due yet: the row is left alone.
    assert deliver_pending(db, now=start + timedelta(seconds=59), policy=policy).failed == 0
    assert state()[1] == 1
    later = start + timedelta(minutes=1)
    assert deliver_pending(db, now=later, policy=policy).failed == 1
    assert state() == ("pending", 2, timedelta(minutes=3))  # 1 min + 2 min
    later += timedelta(minutes=2)
    deliver_pending(db, now=later, policy=policy)
    assert state() == ("pending", 3, timedelta(minutes=6))  # + 3 min (capped, not 4)
    later += timedelta(minutes=3)
    report = deliver_pending(db, now=later, policy=policy)
    assert report.gave_up == 1
    status, attempts, _ = state()
    assert (status, attempts) == ("failed", 4)
    assert deliver_pending(db, now=later + timedelta(days=1), ignore_backoff=True).failed == 0
    [row] = outbox(db)
    assert "Connection error" in (row.last_error or "")


def test_failing_alert_once_then_one_recovery_notice(db: Database, webhook) -> None:
    seed = Seed(key="oyama-benxi", url=URL, notify=(webhook.url(),), fail_alert_after=3)
    crawl(db, seed, page_body("v1"))
    for n in range(1, 5):
        assert crawl(db, seed, error="HTTP 503").outcome == "failed"
        deliver_pending(db)
        if n < 3:
            assert webhook.titles() == [], n
    assert webhook.titles() == [f"[keika] {TITLE}: failing (3 crawls in a row)"]
    assert "Last error: HTTP 503" in webhook.posts[0].payload["message"]
    with db.session() as session:
        page = session.scalar(select(Page))
        assert (page.failures_in_row, page.failing_alerted) == (4, True)

    assert crawl(db, seed, page_body("v1")).outcome == "unchanged"
    crawl(db, seed, page_body("v1"))
    deliver_pending(db)
    assert webhook.titles()[1:] == [f"[keika] {TITLE}: recovered"]
    with db.session() as session:
        assert session.scalar(select(Page.failing_alerted)) is False


def test_a_new_failure_streak_alerts_again_after_recovery(db: Database, webhook) -> None:
    seed = Seed(key="oyama-benxi", url=URL, notify=(webhook.url(),), fail_alert_after=1)
    crawl(db, seed, page_body("v1"))
    crawl(db, seed, error="timeout")
    crawl(db, seed, page_body("v1"))
    crawl(db, seed, error="timeout")
    deliver_pending(db)
    assert webhook.titles() == [
        f"[keika] {TITLE}: failing (1 crawls in a row)",
        f"[keika] {TITLE}: recovered",
        f"[keika] {TITLE}: failing (1 crawls in a row)",
    ]


def test_suspect_parse_alerts_at_once_with_the_reason(db: Database, webhook) -> None:
    seed = Seed(key="oyama-benxi", url=URL, notify=(webhook.url(),))
    crawl(db, seed, page_body("v1"))
    assert crawl(db, seed, page_body("maintenance")).outcome == "suspect"
    deliver_pending(db)
    assert webhook.titles() == [f"[keika] {TITLE}: suspect parse (no dated entries found)"]
    # The same odd page again is the same incident: no second alert, and no recovery notice.
    crawl(db, seed, page_body("maintenance"))
    crawl(db, seed, page_body("v1"))
    deliver_pending(db)
    assert len(webhook.posts) == 1


def test_two_senders_never_send_a_row_twice(tmp_path: Path, webhook) -> None:
    url = f"sqlite:///{tmp_path / 'keika.db'}"
    db = Database(url)
    with db.session() as session:
        for n in range(30):
            queue_message(
                session,
                digest_id=f"d{n}",
                kind="test",
                subject=f"message {n}",
                body_text="body",
                body_html=None,
                targets=[webhook.url()],
            )
    senders = [Database(url) for _ in range(3)]
    reports = []
    threads = [
        threading.Thread(target=lambda d=d: reports.append(deliver_pending(d, ignore_backoff=True)))
        for d in senders
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in reports) == 30
    assert sorted(webhook.titles()) == sorted(f"message {n}" for n in range(30))
    assert {r.status for r in outbox(db)} == {"sent"}


def test_queueing_a_digest_twice_for_a_target_keeps_one_row(db: Database) -> None:
    with db.session() as session:
        for _ in range(2):
            added = queue_message(
                session,
                digest_id="same",
                kind="digest",
                subject="s",
                body_text="b",
                body_html=None,
                targets=["json://127.0.0.1:9/a", "json://127.0.0.1:9/a", "json://127.0.0.1:9/b"],
            )
        assert added == 0
    assert sorted(r.target for r in outbox(db)) == ["json://127.0.0.1:9/a", "json://127.0.0.1:9/b"]


def test_env_targets_are_added_and_a_missing_secret_is_a_per_target_error(
    db: Database, webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEIKA_NOTIFY", f"{webhook.url('/env')}, json://127.0.0.1:9/${{NOT_SET}}")
    seed = Seed(key="oyama-benxi", url=URL, notify=(webhook.url("/seed"),))
    crawl(db, seed, page_body("v1"))
    crawl(db, seed, page_body("v2"))
    report = deliver_pending(db)
    assert report.sent == 2
    assert sorted(p.path for p in webhook.posts) == ["/env", "/seed"]
    [failure] = report.failures
    assert failure.error == "environment variable NOT_SET is not set"
    with db.session() as session:
        targets = set(session.scalars(select(OutboxMessage.target)))
    assert "json://127.0.0.1:9/${NOT_SET}" in targets


def test_no_targets_queues_nothing_but_keeps_alert_state(db: Database) -> None:
    seed = Seed(key="oyama-benxi", url=URL, fail_alert_after=1)
    crawl(db, seed, page_body("v1"))
    crawl(db, seed, error="HTTP 500")
    assert outbox(db) == []
    with db.session() as session:
        assert session.scalar(select(Page.failing_alerted)) is True


def test_send_test_reports_delivery(webhook) -> None:
    assert send_test_message(webhook.url("/t"))[1].ok is True
    assert webhook.titles() == ["[keika] test notification"]
    assert send_test_message(f"json://127.0.0.1:{free_port()}/t")[1].ok is False
    assert send_test_message("definitely-not-a-service://x")[1].ok is False


def test_target_helpers() -> None:
    env = {
        "KEIKA_NOTIFY": "json://a/x, mailto://u@h?to=a@x.jp,b@y.jp  slack://t/t/t,",
        "P": "a@b/c",
    }
    assert env_targets(env) == ("json://a/x", "mailto://u@h?to=a@x.jp,b@y.jp", "slack://t/t/t")
    assert env_targets({}) == ()
    seed = Seed(key="k", url=URL, notify=("json://a/x", "discord://1/2"))
    assert targets_for(seed, env) == (
        "json://a/x",
        "discord://1/2",
        "mailto://u@h?to=a@x.jp,b@y.jp",
        "slack://t/t/t",
    )
    assert expand_secrets("mailto://u:${P}@h", env) == "mailto://u:a%40b%2Fc@h"
    assert expand_secrets("${P}", env) == "a@b/c"  # a whole URL kept in one variable
    assert display_target("mailto://u:hunter2@h/x") == "mailto://u:***@h/x"
    assert display_target("mailto://u:${P}@h/x") == "mailto://u:${P}@h/x"


def test_two_keika_notify_senders_with_a_slow_receiver_send_each_row_once(tmp_path: Path) -> None:
    """Each send outlasts the lease (1.2 s against 0.6 s): the lease runs from each claim and is
    renewed while the send is in progress, so the second sender never takes a row in flight."""
    slow = WebhookReceiver(delay=1.2).start()
    try:
        url = f"sqlite:///{tmp_path / 'keika.db'}"
        db = Database(url)
        with db.session() as session:
            for n in range(6):
                queue_message(
                    session,
                    digest_id=f"d{n}",
                    kind="digest",
                    subject=f"message {n}",
                    body_text="body",
                    body_html=None,
                    targets=[slow.url()],
                )
        env = {**os.environ, "KEIKA_NOTIFY_LEASE": "0.6"}
        env.pop("KEIKA_NOTIFY", None)
        command = [sys.executable, "-m", "keika.cli", "notify", "--db", url]
        first = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True)
        time.sleep(2.0)  # the first sender is in its second send
        second = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True)
        outputs = [p.communicate(timeout=60)[0] for p in (first, second)]
        assert [p.returncode for p in (first, second)] == [0, 0], outputs
        digests = Counter(p.headers[IDEMPOTENCY_HEADER.lower()] for p in slow.posts)
        assert digests == Counter(f"d{n}" for n in range(6))
        sent = [r for r in outbox(db) if r.status == "sent"]
        assert len(sent) == 6 and len({r.sent_at for r in sent}) == 6
    finally:
        slow.stop()


def test_smtp_refusal_reports_the_servers_reason(db: Database) -> None:
    smtp = SmtpReceiver(reject="554 5.7.1 Message refused: sender not on the allow list").start()
    try:
        env = {"KEIKA_TEST_SMTP_PASSWORD": smtp.password}
        seed = Seed(key="oyama-benxi", url=URL, notify=(smtp.url("${KEIKA_TEST_SMTP_PASSWORD}"),))
        crawl(db, seed, page_body("v1"))
        crawl(db, seed, page_body("v2"))
        report = deliver_pending(db, env=env)
    finally:
        smtp.stop()
    [failure] = report.failures
    assert "554 5.7.1 Message refused: sender not on the allow list" in failure.error
    [row] = outbox(db)
    assert "sender not on the allow list" in (row.last_error or "")
    assert smtp.password not in (row.last_error or "")


def test_every_message_kind_carries_the_digest_id_in_header_and_payload(
    db: Database, webhook
) -> None:
    seed = Seed(key="oyama-benxi", url=URL, notify=(webhook.url(),), fail_alert_after=1)
    crawl(db, seed, page_body("v1"))
    crawl(db, seed, error="HTTP 503")  # failing alert
    crawl(db, seed, page_body("v2"))  # recovered notice and a digest
    crawl(db, seed, page_body("maintenance"))  # suspect alert
    deliver_pending(db)
    rows = {r.digest_id: r.kind for r in outbox(db)}
    assert sorted(rows.values()) == ["digest", "failing", "recovered", "suspect"]
    assert len(webhook.posts) == 4
    for post in webhook.posts:
        assert post.headers[IDEMPOTENCY_HEADER.lower()] == post.payload["digest_id"]
        assert post.payload["digest_id"] in rows


SEED_WITH_PASSWORD = """
[[page]]
key = "oyama-benxi"
url = "{url}"
notify = ["{target}"]
"""


def test_a_literal_password_is_stored_masked_and_resolved_from_the_seed_at_send_time(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from pipeline.seeds import load_seeds

    smtp = SmtpReceiver(password="hunter2-secret").start()
    seed_file = tmp_path / "seeds.toml"
    try:
        target = smtp.url("hunter2-secret")
        seed_file.write_text(SEED_WITH_PASSWORD.format(url=URL, target=target))
        with caplog.at_level("WARNING"):
            [seed] = load_seeds(seed_file).seeds
        assert f"{seed_file}:5" in caplog.text and "use ${NAME}" in caplog.text
        assert "hunter2-secret" not in caplog.text
        crawl(db, seed, page_body("v1"))
        crawl(db, seed, page_body("v2"))
        [row] = outbox(db)
        assert row.target == display_target(target) and ":***@" in row.target
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("keika.db*"))
        assert b"hunter2-secret" not in raw
        # Sent with the password the seed file holds now (no seeds passed: the row knows its file).
        assert deliver_pending(db).sent == 1
        assert smtp.logins == [(b"keika", b"hunter2-secret")]

        # The seed loses that target before the next digest goes out: a clear per-row error.
        crawl(db, seed, page_body("v3"))
        seed_file.write_text(SEED_WITH_PASSWORD.format(url=URL, target="json://127.0.0.1:9/x"))
        report = deliver_pending(db)
    finally:
        smtp.stop()
    [failure] = report.failures
    assert "password" in failure.error and "not stored" in failure.error
    assert "hunter2-secret" not in failure.error


def test_a_literal_password_in_keika_notify_is_masked_and_taken_from_the_environment_again(
    db: Database, webhook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import base64

    target = f"json://keika:env-pw-7@127.0.0.1:{webhook.port}/env"
    monkeypatch.setenv("KEIKA_NOTIFY", target)
    seed = Seed(key="oyama-benxi", url=URL)
    crawl(db, seed, page_body("v1"))
    crawl(db, seed, page_body("v2"))
    [row] = outbox(db)
    assert row.target == f"json://keika:***@127.0.0.1:{webhook.port}/env"
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("keika.db*"))
    assert b"env-pw-7" not in raw
    assert deliver_pending(db).sent == 1
    [post] = webhook.posts
    assert post.headers["authorization"] == "Basic " + base64.b64encode(b"keika:env-pw-7").decode()
    # KEIKA_NOTIFY no longer holds it when the next digest goes out: an error, not a guess.
    crawl(db, seed, page_body("v3"))
    monkeypatch.setenv("KEIKA_NOTIFY", f"json://keika:other@127.0.0.1:{webhook.port}/elsewhere")
    report = deliver_pending(db)
    assert (report.sent, report.failed) == (0, 1)
    assert "not stored" in report.failures[0].error and "env-pw-7" not in report.failures[0].error


def test_a_long_japanese_title_reaches_the_mail_server(db: Database) -> None:
    """Apprise writes the Subject as one unfolded encoded word (9 bytes a kanji): a title of
    about 110 kanji made a header line the SMTP server refused ("500 Line too long"), on every
    retry. The subject is shortened to fit; the body keeps the whole title."""
    title = "令和7年度小山市国際交流事業（本渓市との交流経過及び友好都市提携四十周年記念事業）" * 3
    smtp = SmtpReceiver().start()
    try:
        env = {"KEIKA_TEST_SMTP_PASSWORD": smtp.password}
        seed = Seed(key="oyama-benxi", url=URL, notify=(smtp.url("${KEIKA_TEST_SMTP_PASSWORD}"),))
        marker = f"<h1>{TITLE}</h1>".encode()
        crawl(db, seed, page_body("v1").replace(marker, f"<h1>{title}</h1>".encode()))
        crawl(db, seed, page_body("v2").replace(marker, f"<h1>{title}</h1>".encode()))
        report = deliver_pending(db, env=env)
    finally:
        smtp.stop()
    assert (report.sent, report.failed) == (1, 0), report.failures
    [mail] = smtp.messages
    assert mail["subject"].startswith("[keika] 令和7年度小山市国際交流事業")
    assert mail["subject"].endswith("…: 1 added, 2 edited")
    assert title in mail.get_body(("plain",)).get_content()


MARKUP = "*重要* _下線_ @channel @all <!channel> [詳細](http://evil.example/) <http://x|y> `c`"


def test_markup_in_page_text_reaches_a_markdown_chat_as_literal_text(db: Database, webhook) -> None:
    """Mattermost (and Discord, Zulip) render the text Apprise sends them as Markdown and notify
    on @channel / @all / @everyone: page text must not bold, link or ping there, nor may the
    digest's +/- marks turn into bullets. A JSON webhook gets the text exactly as it was."""
    mattermost = f"mmost://127.0.0.1:{webhook.port}/abcdefghijklmnopqrstuvwxyz"
    seed = Seed(key="oyama-benxi", url=URL, notify=(mattermost, webhook.url()))
    v1 = page_body("v1")
    marker = b'</div>\n<div class="inquiry">'
    hostile = MARKUP.replace("<", "&lt;").replace(">", "&gt;")
    entry = f"<h2>令和8年1月5日</h2>\n<p>{hostile}</p>\n".encode()
    crawl(db, seed, v1)
    assert crawl(db, seed, v1.replace(marker, entry + marker, 1)).counts == {"added": 1}
    report = deliver_pending(db)
    assert (report.sent, report.failed) == (2, 0), report.failures
    [chat] = [p.payload["text"] for p in webhook.posts if p.path.startswith("/hooks/")]
    [raw] = [p.payload["message"] for p in webhook.posts if p.path == "/hook"]
    assert MARKUP in raw
    [row] = {r.digest_id for r in outbox(db)}
    assert row in chat  # the idempotency key is still there to read
    for literal in ("\\*重要\\*", "\\_下線\\_", "\\[詳細\\]", "\\<\\!channel\\>", "\\`c\\`"):
        assert literal in chat, literal
    assert "@channel" not in chat and "@all" not in chat
    assert "@\u2060channel" in chat and "@\u2060all" in chat  # shown the same, pings nobody
    assert "\n  \\+ " in chat.replace("\r\n", "\n") and "\n  + " not in chat.replace("\r\n", "\n")


def test_literal_markdown_renders_as_the_text_it_was() -> None:
    """Through a real CommonMark renderer: the text comes out as it went in, with no markup."""
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: set[str] = set()
            self.text: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.tags.add(tag)

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    samples = [
        MARKUP,
        "  + 追加行 1. 2) # 見出し > 引用 --- *** ___ | a | b |",
        "&amp; &#123; \\* ~~消~~ **太字** <b>tag</b> !【重要】[x]: http://y",
        "https://www.city.oyama.tochigi.jp/page_004103.html?a=1&b=2",
        "http://x*太字*y http://x/~~消~~ http://x/[a](http://y) http://x/\\*",
    ]
    for sample in samples:
        reader = Reader()
        reader.feed(MarkdownIt("commonmark").render(literal_markdown(sample)))
        reader.close()
        assert reader.tags <= {"p"}, (sample, reader.tags)
        assert "".join(reader.text).strip().replace(WORD_JOINER, "") == sample.strip(), sample


SENDER = """
import sys
from datetime import timedelta
from pipeline.services.notify import RetryPolicy, deliver_pending
from storage.db import Database

policy = RetryPolicy(max_attempts=3, lease=timedelta(seconds=0.3))
report = deliver_pending(Database(sys.argv[1]), ignore_backoff=True, policy=policy)
print(report.sent, report.failed, report.gave_up)
"""


def test_a_send_whose_sender_is_killed_counts_as_an_attempt_and_the_retries_stop(
    tmp_path: Path,
) -> None:
    """A sender killed (kill -9) mid-send leaves its row `sending`; the next sender takes it over
    when the lease runs out. That lost send is an attempt: a message whose sender dies every
    time is given up after the last attempt, not sent again and again for ever."""
    slow = WebhookReceiver(delay=30).start()
    url = f"sqlite:///{tmp_path / 'keika.db'}"
    db = Database(url)
    try:
        queue_plain(db, slow.url())
        env = {k: v for k, v in os.environ.items() if k != "KEIKA_NOTIFY"}
        command = [sys.executable, "-c", SENDER, url]
        for n in range(1, 4):
            sender = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE)
            deadline = time.monotonic() + 30
            while slow.received < n and time.monotonic() < deadline:
                time.sleep(0.02)
            assert slow.received == n
            sender.kill()  # SIGKILL, mid-send
            sender.wait(timeout=10)
            time.sleep(0.5)  # the lease (0.3 s) runs out
        last = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
        assert last.returncode == 0, last.stderr
        assert last.stdout.split() == ["0", "1", "1"]
        assert slow.received == 3  # not a fourth time
        [row] = outbox(db)
        assert (row.status, row.attempts) == ("failed", 3)
        assert "sender stopped" in (row.last_error or "")
    finally:
        slow.stop()
        db.dispose()


def test_a_sender_whose_row_was_taken_over_leaves_the_new_senders_row_alone(
    tmp_path: Path,
) -> None:
    """Sender A's lease runs out while it is still sending (its renewals could not reach the
    database: here its claim is dated two hours back); B takes the row over. A's late `failed`
    must not put B's row in flight back to pending, where a third sender would send it again."""
    receiver = WebhookReceiver(status=500, delay=1.5).start()
    url = f"sqlite:///{tmp_path / 'keika.db'}"
    db = Database(url)
    try:
        queue_plain(db, receiver.url())
        policy = RetryPolicy(lease=timedelta(hours=1))
        past = datetime.now(UTC) - timedelta(hours=2)
        reports: dict[str, object] = {}
        a = threading.Thread(
            target=lambda: reports.update(
                a=deliver_pending(Database(url), now=past, policy=policy, ignore_backoff=True)
            )
        )
        a.start()
        wait_until(lambda: receiver.received == 1, 10, "A's send")
        receiver.status, receiver.delay = 200, 2.5
        b = threading.Thread(target=lambda: reports.update(b=deliver_pending(Database(url))))
        b.start()
        wait_until(lambda: receiver.received == 2, 10, "B's send")
        a.join()  # A's send failed (500) after B took the row over
        receiver.delay = 0
        third = deliver_pending(Database(url), ignore_backoff=True)
        b.join()
    finally:
        receiver.stop()
    assert third.sent == 0 and receiver.received == 2
    assert reports["b"].sent == 1
    [row] = outbox(db)
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_target_that_hangs_costs_one_timeout_per_round_not_one_per_message(
    db: Database, webhook
) -> None:
    """A webhook that takes the connection and never answers fails each send only after the
    read timeout (4 s). Five digests for it used to hold every other target's messages, queued
    after them, for five timeouts; now its other rows wait for the next round, untouched."""
    hanging = WebhookReceiver(delay=30).start()
    try:
        for n in range(5):
            queue_plain(db, hanging.url(), digest_id=f"d{n}", subject=f"m{n}")
        queue_plain(db, webhook.url(), digest_id="fine", subject="fine")
        started = time.monotonic()
        report = deliver_pending(db)
        took = time.monotonic() - started
    finally:
        hanging.stop()
    assert took < 12, took  # one timeout, not five (20 s)
    assert (report.sent, report.failed, report.deferred) == (1, 1, 4)
    assert webhook.titles() == ["fine"] and hanging.received == 1
    waiting = [r for r in outbox(db) if r.target == hanging.url()]
    assert sorted(r.attempts for r in waiting) == [0, 0, 0, 0, 1]
    assert {r.status for r in waiting} == {"pending"}
    with db.session() as session:
        from storage.outbox import due_ids

        assert len(due_ids(session, ignore_backoff=True)) == 5  # all left for the next round
