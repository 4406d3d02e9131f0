"""Notifications: queue digests and alerts into the outbox, and deliver the outbox through Apprise.

Queueing (`queue_notifications`) runs inside the ingest stage's transaction, so a change and the
message reporting it are committed together. Delivery (`deliver_pending`) runs afterwards, one row
at a time: each row is claimed, sent to its one target by its own Apprise object, and marked sent,
or counted as a failed attempt and retried with exponential backoff, until it gives up. A target
that is down only delays its own rows; it never fails a crawl and never blocks another target.

Targets are stored as the user wrote them (`mailto://me:${SMTP_PASSWORD}@host`); `${NAME}` is
expanded from the environment only when sending, so no secret is ever written to the database.
A literal password (`mailto://me:hunter2@host`, which seed loading warns about) is stored masked
(`me:***@host`) with the page's seed file, and the full URL is looked up again at send time in
that file's current page entry and in KEIKA_NOTIFY.

Delivery is at-least-once: a row is marked sent right after its send returns, and its lease is
renewed while the send runs, so a second sender takes it over only when the first has died (or
hangs beyond a renewal). The digest id is the idempotency key a receiver can drop duplicates by.
"""

from __future__ import annotations

import contextvars
import logging
import os
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.digest import (
    ChangeItem,
    Message,
    PageRef,
    build_digest,
    build_failing_alert,
    build_recovered_notice,
    build_suspect_alert,
    build_test_message,
    page_title,
)
from pipeline.domain.errors import KeikaError
from pipeline.domain.kinds import GOOD_OUTCOMES, Outcome
from pipeline.domain.seed import Seed, SeedSet
from pipeline.seeds import MASK, SECRET_RE, literal_password, load_seeds, mask_password
from storage.db import Database
from storage.models import Fetch, Page, utcnow
from storage.outbox import (
    OutboxItem,
    claim,
    due_rows,
    mark_failed,
    mark_sent,
    queue_message,
    record_sent_test,
    renew,
    requeue_failed,
)

log = logging.getLogger("keika.notify")

ENV_TARGETS = "KEIKA_NOTIFY"
IDEMPOTENCY_HEADER = "X-Keika-Digest"
# Apprise services that take `+Header=value` URL arguments (custom webhooks and email).
HEADER_SCHEMES = frozenset({"json", "jsons", "xml", "xmls", "form", "forms", "mailto", "mailtos"})
# ...and those whose payload takes `:key=value` extras.
PAYLOAD_SCHEMES = frozenset({"json", "jsons", "xml", "xmls", "form", "forms"})
# Chat services that render the text Apprise hands them as is (plain text to Apprise) as Markdown,
# and notify whole channels on @channel / @all / @everyone written in it: Mattermost, Discord,
# Zulip. Page text sent there is made literal (`literal_markdown`); so is the subject where it
# lands in that text (Mattermost and Discord put it on the first line; Zulip makes it the topic,
# which is plain). Services Apprise itself sends Markdown to (Rocket.Chat, Slack's mrkdwn) it
# escapes; email and webhooks take text.
MARKDOWN_TEXT_SCHEMES = {"mmost": True, "mmosts": True, "discord": True, "zulip": False}
# CommonMark's escapable punctuation (and `&` that would read as an entity), outside URLs; an @
# that starts a word, which mention parsers read as a mention.
_MARKDOWN_RE = re.compile(
    r"(?P<url>https?://[^\s<>`|*~\[\]\\]+)|(?P<mark>[\\`*_{}\[\]()#+\-.!|~<>=]|&(?=#?\w{1,32};))"
    r"|(?P<at>@(?=\w))"
)
# A word joiner: invisible, and it keeps `@` and the word after it from being one mention.
WORD_JOINER = "\u2060"
# A separator in KEIKA_NOTIFY only where a new URL starts, so `?to=a@x,b@y` stays whole.
TARGET_SPLIT_RE = re.compile(r"[\s,]+(?=[A-Za-z][A-Za-z0-9+.-]*://)")


class MissingSecretError(Exception):
    """A target names an environment variable that is not set."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff after a failed attempt: base, 2×base, 4×base … capped; give up after N attempts.

    `lease` is how long a claimed row stays a sender's before another may take it over (a sender
    that died mid-send). It runs from the claim, by the database's clock, and is renewed every
    third of it while the send is in progress, so a slow send keeps its row.

    `slow` is how long a failed send must have taken for its target to be put off for the rest of
    the round: a receiver that times out costs one timeout a round, not one per message, and the
    other targets' messages are not held behind it. A quick failure puts nothing off.
    """

    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=6)
    max_attempts: int = 10
    lease: timedelta = timedelta(minutes=5)
    slow: timedelta = timedelta(seconds=2)

    def retry_in(self, attempts: int) -> timedelta | None:
        """How long to wait after `attempts` failed attempts, or None to give up."""
        if attempts >= self.max_attempts:
            return None
        return min(self.cap, self.base * (2 ** max(0, attempts - 1)))

    def retry_at(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after `attempts` failed attempts, or None to give up."""
        wait = self.retry_in(attempts)
        return None if wait is None else now + wait


DEFAULT_POLICY = RetryPolicy()


@dataclass(frozen=True, slots=True)
class SendResult:
    """The outcome of one message to one target."""

    ok: bool
    error: str | None = None

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True, slots=True)
class DeliveryFailure:
    row_id: int
    target: str
    error: str
    gave_up: bool


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery round did; `failures` lists this round's failed attempts; `deferred`
    counts rows left, untouched, for the next round because their target timed out in this one."""

    sent: int = 0
    failures: tuple[DeliveryFailure, ...] = field(default_factory=tuple)
    deferred: int = 0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def gave_up(self) -> int:
        return sum(1 for f in self.failures if f.gave_up)

    @property
    def ok(self) -> bool:
        return not self.failures


# --- targets and secrets ---------------------------------------------------------------------


def env_targets(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Targets from KEIKA_NOTIFY: Apprise URLs separated by commas or whitespace."""
    env = os.environ if env is None else env
    raw = env.get(ENV_TARGETS, "").strip().strip(",").strip()
    if not raw:
        return ()
    return tuple(t for t in TARGET_SPLIT_RE.split(raw) if t)


def targets_for(seed: Seed, env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The seed's own targets (page or [defaults]), then KEIKA_NOTIFY's, each once."""
    return tuple(dict.fromkeys((*seed.notify, *env_targets(env))))


def expand_secrets(target: str, env: Mapping[str, str] | None = None) -> str:
    """Replace `${NAME}` with the environment's value (URL-quoted unless it is the whole URL)."""
    env = os.environ if env is None else env
    whole = SECRET_RE.fullmatch(target.strip())
    if whole:
        name = whole.group(1)
        if name not in env:
            raise MissingSecretError(f"environment variable {name} is not set")
        return env[name]

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise MissingSecretError(f"environment variable {name} is not set")
        return quote(env[name], safe="")

    return SECRET_RE.sub(value, target)


def display_target(target: str) -> str:
    """A target fit to print or store: a literal password is masked (`${NAME}` is kept)."""
    return mask_password(target)


def is_masked(target: str) -> bool:
    try:
        return urlsplit(target).password == MASK
    except ValueError:
        return False


def resolve_target(
    stored: str,
    *,
    page_key: str | None,
    seed_file: str | None,
    seeds: SeedSet | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """The URL to send to for a stored target: itself, or for a masked one the target of the
    page's seed (as the seed reads now) or of KEIKA_NOTIFY that masks to the same text.

    The seed is re-read at send time, so an edited password is used; a target removed from the
    seeds since the row was queued is a per-row error (retried, then given up), never a guess.
    """
    if not is_masked(stored):
        return stored
    candidates: list[str] = []
    seed = _current_seed(page_key, seed_file, seeds)
    if seed is not None:
        candidates.extend(seed.notify)
    candidates.extend(env_targets(env))
    for candidate in candidates:
        if literal_password(candidate) and display_target(candidate) == stored:
            return candidate
    where = f"page {page_key!r} in {seed_file or 'the seeds'}" if page_key else "KEIKA_NOTIFY"
    raise MissingSecretError(
        f"the password of {stored} is not stored; no target of {where} or KEIKA_NOTIFY "
        "matches it now"
    )


def _current_seed(
    page_key: str | None, seed_file: str | None, seeds: SeedSet | None
) -> Seed | None:
    if page_key is None:
        return None
    if seeds is not None:
        found = next((s for s in seeds.seeds if s.key == page_key), None)
        if found is not None:
            return found
    if seed_file:
        try:
            return next((s for s in load_seeds(seed_file).seeds if s.key == page_key), None)
        except KeikaError as exc:
            log.warning("cannot re-read %s for a masked target: %s", seed_file, exc)
    return None


def literal_markdown(text: str) -> str:
    """`text` as Markdown that renders as the same text: punctuation backslash-escaped (URLs
    kept whole, so they still link), and no @-mention."""

    def escape(match: re.Match[str]) -> str:
        if match["url"]:
            return match["url"]
        if match["at"]:
            return "@" + WORD_JOINER
        return "\\" + match["mark"]

    return _MARKDOWN_RE.sub(escape, text)


def _with_idempotency_key(url: str, digest_id: str) -> str:
    scheme = url.split("://", 1)[0].lower()
    args = []
    if scheme in HEADER_SCHEMES:
        args.append(f"+{IDEMPOTENCY_HEADER}={digest_id}")
    if scheme in PAYLOAD_SCHEMES:
        args.append(f":digest_id={digest_id}")
    if not args:
        return url
    base, hash_mark, fragment = url.partition("#")
    joined = "&".join(args)
    base = f"{base}{'&' if '?' in base else '?'}{joined}"
    return base + hash_mark + fragment


# --- queueing (inside the ingest transaction) --------------------------------------------------


def queue_notifications(
    session: Session,
    seed: Seed,
    page: Page,
    fetch: Fetch,
    changes: Sequence[ChangeItem],
    *,
    env: Mapping[str, str] | None = None,
) -> list[Message]:
    """Queue this fetch's digest and alerts, one outbox row per target; returns the messages.

    `changes` come from the diff just applied (in memory), not from re-reading stored versions.

    Also keeps the page's alert state (`failing_alerted`) even when there is no target, so
    adding a target later does not replay old alerts.
    """
    ref = PageRef(seed.key, page.url, page_title(page.info, seed.name, seed.key))
    messages: list[Message] = []
    if changes:
        digest = build_digest(
            ref,
            fetch.crawl_id,
            changes,
            include_moved=seed.notify_moved,
            include_page=seed.notify_page,
        )
        if digest is not None:
            messages.append(digest)
    if fetch.outcome == Outcome.FAILED:
        failures = page.failures_in_row or 0
        if failures >= seed.fail_alert_after and not page.failing_alerted:
            messages.append(build_failing_alert(ref, fetch.crawl_id, failures, fetch.error))
            page.failing_alerted = True
    elif fetch.outcome in GOOD_OUTCOMES:
        if page.failing_alerted:
            messages.append(build_recovered_notice(ref, fetch.crawl_id, fetch.outcome))
            page.failing_alerted = False
    elif (
        fetch.outcome == Outcome.SUSPECT
        and _previous_outcome(session, page, fetch) != Outcome.SUSPECT
    ):
        # One alert per run of suspect parses, not one per crawl while the page stays odd.
        messages.append(build_suspect_alert(ref, fetch.crawl_id, fetch.error))

    # A literal password never reaches the database: stored masked, resolved again when sending.
    targets = [display_target(t) for t in targets_for(seed, env)]
    seed_file = str(Path(seed.source).resolve()) if seed.source else None
    for message in messages:
        queue_message(
            session,
            digest_id=message.digest_id,
            kind=message.kind,
            subject=message.subject,
            body_text=message.body_text,
            body_html=message.body_html,
            targets=targets,
            page_id=page.id,
            crawl_id=fetch.crawl_id,
            seed_file=seed_file if any(is_masked(t) for t in targets) else None,
        )
    return messages


def _previous_outcome(session: Session, page: Page, fetch: Fetch) -> str | None:
    return session.scalar(
        select(Fetch.outcome)
        .where(Fetch.page_id == page.id, Fetch.id < fetch.id)
        .order_by(Fetch.id.desc())
        .limit(1)
    )


# --- delivery ----------------------------------------------------------------------------------


def send_message(
    target: str,
    *,
    subject: str,
    body_text: str,
    body_html: str | None,
    digest_id: str,
    env: Mapping[str, str] | None = None,
) -> SendResult:
    """Send one message to one target through its own Apprise object; never raises."""
    try:
        url = expand_secrets(target, env)
    except MissingSecretError as exc:
        return SendResult(False, str(exc))
    secrets = _secret_values(target, env)
    try:
        import apprise

        asset = apprise.AppriseAsset(app_id="keika", app_desc="keika", storage_mode="memory")
        service = apprise.Apprise(asset=asset)
        if not service.add(_with_idempotency_key(url, digest_id)):
            return SendResult(False, f"not a usable Apprise URL: {display_target(target)}")
        wants_html = (
            body_html is not None and service[0].resolve_format(None) == apprise.NotifyFormat.HTML
        )
        scheme = url.split("://", 1)[0].lower()
        if scheme in MARKDOWN_TEXT_SCHEMES:
            body_text = literal_markdown(body_text)
            if MARKDOWN_TEXT_SCHEMES[scheme]:
                subject = literal_markdown(subject)
        with _server_reasons() as reasons:
            result = service.notify(
                body=body_html if wants_html else body_text,
                title=subject,
                body_format=apprise.NotifyFormat.HTML if wants_html else apprise.NotifyFormat.TEXT,
            )
        if result:
            return SendResult(True)
        warnings = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR")]
        error = "; ".join(dict.fromkeys([*warnings, *reasons])) or "not delivered"
    except Exception as exc:  # a plugin bug must not stop the other targets
        error = f"{type(exc).__name__}: {exc}"
    for secret in secrets:
        error = error.replace(secret, "***")
    return SendResult(False, error)


# Debug lines of Apprise's plugins that carry the other side's reason for a failure: the
# email plugin says only "Connection error while submitting email" at WARNING, and logs the SMTP
# server's reply ("554 5.7.1 ...") at DEBUG through Apprise's module logger.
_REASON_PREFIXES = ("Socket Exception:", "Response Details:")
_SMTP_REPLY_RE = re.compile(r"""\((\d{3}), b?['"](.*?)['"]\)""")


class _ReasonCapture(logging.Filter):
    """Keeps, per send (a context variable: Apprise runs plugins in its own threads with the
    caller's context), the reason lines Apprise logs at DEBUG; lets through only the records
    that would have passed before its logger was opened up to DEBUG (`floor`)."""

    def __init__(self, floor: int) -> None:
        super().__init__()
        self.floor = floor
        self.bucket: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
            "keika_apprise_reasons", default=None
        )

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.DEBUG:
            message = record.getMessage()
            bucket = self.bucket.get()
            if bucket is not None and message.startswith(_REASON_PREFIXES):
                reason = " ".join(message.split(":", 1)[1].split())
                # smtplib's (554, b'5.7.1 rejected') as the server wrote it: 554 5.7.1 rejected
                reason = _SMTP_REPLY_RE.sub(r"\1 \2", reason)
                if reason:
                    bucket.append(f"server said: {reason[:300]}")
        return record.levelno >= self.floor


_capture: _ReasonCapture | None = None
_capture_lock = threading.Lock()


@contextmanager
def _server_reasons() -> Iterator[list[str]]:
    """The server's reasons Apprise logged at DEBUG while the body ran."""
    global _capture
    with _capture_lock:
        if _capture is None:
            apprise_logger = logging.getLogger("apprise")
            _capture = _ReasonCapture(apprise_logger.getEffectiveLevel())
            apprise_logger.addFilter(_capture)
            apprise_logger.setLevel(logging.DEBUG)
    bucket: list[str] = []
    token = _capture.bucket.set(bucket)
    try:
        yield bucket
    finally:
        _capture.bucket.reset(token)


def _secret_values(target: str, env: Mapping[str, str] | None) -> list[str]:
    env = os.environ if env is None else env
    values: list[str] = []
    for name in SECRET_RE.findall(target):
        value = env.get(name)
        if value:
            values.extend((value, quote(value, safe="")))
    return values


def deliver_pending(
    db: Database,
    *,
    now: datetime | None = None,
    ignore_backoff: bool = False,
    policy: RetryPolicy = DEFAULT_POLICY,
    env: Mapping[str, str] | None = None,
    limit: int | None = None,
    seeds: SeedSet | None = None,
) -> DeliveryReport:
    """Send every due outbox row (every pending row with `ignore_backoff`), each at most once.

    The automatic delivery after a crawl respects the backoff; `keika notify` ignores it, so
    that once a target is back, one command delivers what waited for it. Times come from the
    database's clock at each claim and mark (`now` only for tests that move time). `seeds`, when
    given, is where masked targets are resolved first (else each row's seed file is re-read).
    """
    sent = deferred = 0
    failures: list[DeliveryFailure] = []
    timed_out: set[str] = set()  # targets whose send failed slowly in this round
    with db.session() as session:
        candidates = due_rows(session, now=now, ignore_backoff=ignore_backoff, limit=limit)
    for row_id, target in candidates:
        if target in timed_out:
            deferred += 1
            continue
        with db.session() as session:
            item = claim(
                session, row_id, now=now, lease=policy.lease, ignore_backoff=ignore_backoff
            )
        if item is None:
            continue  # another sender took it
        if policy.retry_in(item.attempts) is None:
            # Its attempts are used up (the last one a send whose sender stopped): give up.
            error = item.last_error or "no attempts left"
            with db.session() as session:
                mark_failed(
                    session,
                    item.id,
                    error=error,
                    retry_in=None,
                    now=now,
                    attempted=False,
                    attempts=item.attempts,
                )
            failures.append(DeliveryFailure(item.id, display_target(item.target), error, True))
            continue
        started = time.monotonic()
        with _lease_renewed(db, item, policy.lease):
            result = _send_item(item, seeds=seeds, env=env)
        if not result.ok and time.monotonic() - started >= policy.slow.total_seconds():
            timed_out.add(item.target)
        if result.ok:
            with db.session() as session:
                mark_sent(session, item.id, now=now, attempts=item.attempts)
            sent += 1
            continue
        error = result.error or "not delivered"
        retry_in = policy.retry_in(item.attempts + 1)
        with db.session() as session:
            mark_failed(
                session, item.id, error=error, retry_in=retry_in, now=now, attempts=item.attempts
            )
        failures.append(
            DeliveryFailure(item.id, display_target(item.target), error, retry_in is None)
        )
    return DeliveryReport(sent, tuple(failures), deferred)


def _send_item(
    item: OutboxItem, *, seeds: SeedSet | None, env: Mapping[str, str] | None
) -> SendResult:
    try:
        target = resolve_target(
            item.target, page_key=item.page_key, seed_file=item.seed_file, seeds=seeds, env=env
        )
    except MissingSecretError as exc:
        return SendResult(False, str(exc))
    result = send_message(
        target,
        subject=item.subject,
        body_text=item.body_text,
        body_html=item.body_html,
        digest_id=item.digest_id,
        env=env,
    )
    if result.error and target != item.target:
        return SendResult(False, _mask_in(result.error, target))
    return result


def _mask_in(text: str, target: str) -> str:
    password = urlsplit(target).password or ""
    for secret in {password, quote(password, safe="")} - {""}:
        text = text.replace(secret, MASK)
    return text


@contextmanager
def _lease_renewed(db: Database, item: OutboxItem, lease: timedelta) -> Iterator[None]:
    """Renew a claimed row's lease every third of it while the body runs (a slow receiver must
    not make the row claimable by a second sender)."""
    stop = threading.Event()
    every = max(lease.total_seconds() / 3, 0.05)

    def keep() -> None:
        while not stop.wait(every):
            try:
                with db.session() as session:
                    if not renew(session, item.id, lease=lease, attempts=item.attempts):
                        return
            except Exception as exc:  # the database is briefly away: try again next round
                log.warning("outbox %s: could not renew the lease: %s", item.id, exc)

    thread = threading.Thread(target=keep, name=f"outbox-lease-{item.id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def send_test_message(
    url: str, *, env: Mapping[str, str] | None = None, stamp: str | None = None
) -> tuple[Message, SendResult]:
    """Send a test notification straight to `url` (no outbox, no retry)."""
    message = build_test_message(stamp or utcnow().strftime("%Y-%m-%d %H:%M:%S UTC"))
    result = send_message(
        url,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        digest_id=message.digest_id,
        env=env,
    )
    return message, result


def send_test(
    db: Database, url: str, *, env: Mapping[str, str] | None = None
) -> tuple[Message, SendResult]:
    """Send a test notification to `url` and keep it in the outbox as sent or failed."""
    message, result = send_test_message(url, env=env)
    with db.session() as session:
        record_sent_test(
            session,
            digest_id=message.digest_id,
            target=display_target(url),
            subject=message.subject,
            body_text=message.body_text,
            body_html=message.body_html,
            error=result.error if not result.ok else None,
        )
    return message, result


def retry_failed(db: Database) -> int:
    """Give messages that ran out of attempts another round; how many were queued again."""
    with db.session() as session:
        return requeue_failed(session)
