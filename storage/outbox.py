"""The outbox: notifications written with the changes they report, delivered later, row by row.

A row is queued in the same transaction as its change events, so a crash loses neither or both.
Delivery claims one row at a time with a single conditional UPDATE (pending -> sending, with a
lease until `next_attempt_at`): on SQLite writes are serialised, on PostgreSQL the UPDATE re-checks
its WHERE after waiting for the row lock, so two senders never both claim a row. A sender that
dies mid-send leaves a `sending` row whose lease expires and which is then claimed again; that
takeover counts the lost send as an attempt, and the count fences the sender's later statements
(renew, mark sent, mark failed match the attempts it claimed with), so a sender whose row was
taken over never moves the row of the sender that took it.

Every time written here (a new row's times, leases, backoff, `sent_at`) comes from the database's
clock at the moment of the statement, unless a test passes `now`: crawls and senders on several
machines agree on when a row is due and when a lease ends, whatever their own clocks say, and a
lease taken late in a long batch is as long as one taken first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, String, and_, case, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline.domain.kinds import MessageKind, OutboxStatus
from storage.models import OutboxMessage, Page, UTCDateTime

# pending: waiting (maybe backing off); sending: claimed by a sender until its lease ends;
# sent: delivered; failed: gave up after the last attempt (still listed by `keika outbox`).

# The error of an attempt whose sender stopped mid-send: its row is taken over when its lease
# runs out, and that send counts as an attempt (a message whose sender dies every time is given
# up after the last one, like any other).
LOST_SEND = (
    "the sender stopped during the send (killed, or it lost the database); it may have arrived"
)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One claimed row: everything needed to send it, nothing needed to find it again."""

    id: int
    digest_id: str
    kind: str
    target: str
    subject: str
    body_text: str
    body_html: str | None
    attempts: int
    page_key: str | None = None
    seed_file: str | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One row as `keika outbox` lists it."""

    id: int
    digest_id: str
    page: str | None
    crawl: int | None
    kind: str
    target: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "digest_id": self.digest_id,
            "page": self.page,
            "crawl": self.crawl,
            "kind": self.kind,
            "target": self.target,
            "subject": self.subject,
            "status": self.status,
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at.isoformat(),
            "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
        }


def queue_message(
    session: Session,
    *,
    digest_id: str,
    kind: str,
    subject: str,
    body_text: str,
    body_html: str | None,
    targets: Iterable[str],
    page_id: int | None = None,
    crawl_id: int | None = None,
    seed_file: str | None = None,
    now: datetime | None = None,
) -> int:
    """One pending row per target; a (digest, target) already queued is left as it is.

    `seed_file` is where a masked target's full URL is looked up again at send time.
    Runs in the caller's transaction. Returns how many rows were added.
    """
    at = clock(session, now)
    rows = [
        {
            "digest_id": digest_id,
            "page_id": page_id,
            "crawl_id": crawl_id,
            "seed_file": seed_file,
            "kind": kind,
            "target": target,
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": at,
            "created_at": at,
        }
        for target in dict.fromkeys(targets)
    ]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(OutboxMessage).on_conflict_do_nothing(
            constraint="uq_outbox_digest_target"
        )
    elif dialect == "sqlite":
        stmt = sqlite.insert(OutboxMessage).on_conflict_do_nothing()
    else:  # pragma: no cover - keika supports SQLite and PostgreSQL
        stmt = insert(OutboxMessage)
    added = 0
    for row in rows:
        # RETURNING, not rowcount: psycopg reports no rowcount for an INSERT that may skip rows.
        added += len(session.execute(stmt.values(**row).returning(OutboxMessage.id)).all())
    return added


def record_sent_test(
    session: Session,
    *,
    digest_id: str,
    target: str,
    subject: str,
    body_text: str,
    body_html: str | None,
    error: str | None,
    now: datetime | None = None,
) -> None:
    """Keep a `keika notify --test` in the outbox as sent or failed (never retried)."""
    at = clock(session, now)
    session.add(
        OutboxMessage(
            digest_id=digest_id,
            kind=MessageKind.TEST,
            target=target,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            status=OutboxStatus.FAILED if error else OutboxStatus.SENT,
            attempts=1,
            next_attempt_at=at,
            last_error=error,
            created_at=at,
            sent_at=None if error else at,
        )
    )


def clock(session: Session, now: datetime | None = None, plus: timedelta = timedelta(0)) -> Any:
    """`now + plus` as SQL: the database's clock at this statement, or a given `now` (tests).

    SQLite stores these columns as 'YYYY-MM-DD HH:MM:SS.ffffff' text, so its clock is spelled
    in that form (strftime gives milliseconds; three zeros make microseconds) and compares as
    text with the stored values.
    """
    if now is not None:
        return literal(now + plus, UTCDateTime)
    if session.get_bind().dialect.name == "sqlite":
        offset = f"{plus.total_seconds():+.6f} seconds"
        return func.strftime("%Y-%m-%d %H:%M:%f", "now", offset, type_=String).concat("000")
    return func.statement_timestamp(type_=DateTime(timezone=True)) + plus


def _claimable(session: Session, now: datetime | None, ignore_backoff: bool) -> Any:
    """Rows a sender may take: due pending rows (all pending ones when forced), expired leases."""
    at = clock(session, now)
    pending = OutboxMessage.status == OutboxStatus.PENDING
    if not ignore_backoff:
        pending = and_(pending, OutboxMessage.next_attempt_at <= at)
    stale = and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= at)
    return or_(pending, stale)


def due_ids(
    session: Session,
    *,
    now: datetime | None = None,
    ignore_backoff: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Candidate rows, oldest first; another sender may still claim any of them first."""
    return [
        row_id
        for row_id, _ in due_rows(session, now=now, ignore_backoff=ignore_backoff, limit=limit)
    ]


def due_rows(
    session: Session,
    *,
    now: datetime | None = None,
    ignore_backoff: bool = False,
    limit: int | None = None,
) -> list[tuple[int, str]]:
    """Candidate rows as (id, target), oldest first (a sender can put off a target's rows)."""
    query = (
        select(OutboxMessage.id, OutboxMessage.target)
        .where(_claimable(session, now, ignore_backoff))
        .order_by(OutboxMessage.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [(row_id, target) for row_id, target in session.execute(query)]


def claim(
    session: Session,
    row_id: int,
    *,
    lease: timedelta,
    now: datetime | None = None,
    ignore_backoff: bool = False,
) -> OutboxItem | None:
    """Take one row for sending until the clock + `lease`, or None if another sender has it.

    The lease starts now, at this claim, not when the sender's batch began. Taking over a row
    whose sender stopped mid-send (still `sending`, its lease over) counts that lost send as a
    failed attempt (`LOST_SEND`); the item's `attempts` include it.
    """
    lost = OutboxMessage.status == OutboxStatus.SENDING
    taken = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, _claimable(session, now, ignore_backoff))
        .values(
            status=OutboxStatus.SENDING,
            next_attempt_at=clock(session, now, lease),
            attempts=case((lost, OutboxMessage.attempts + 1), else_=OutboxMessage.attempts),
            last_error=case((lost, literal(LOST_SEND)), else_=OutboxMessage.last_error),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        return None
    row = session.get(OutboxMessage, row_id)
    assert row is not None
    page_key = (
        session.scalar(select(Page.key).where(Page.id == row.page_id)) if row.page_id else None
    )
    return OutboxItem(
        id=row.id,
        digest_id=row.digest_id,
        kind=row.kind,
        target=row.target,
        subject=row.subject,
        body_text=row.body_text,
        body_html=row.body_html,
        attempts=row.attempts,
        page_key=page_key,
        seed_file=row.seed_file,
        last_error=row.last_error,
    )


def _held(row_id: int, attempts: int | None) -> Any:
    """The row, while it is being sent by the sender that claimed it with `attempts` (a takeover
    counts an attempt, so a sender whose row was taken over no longer matches); any sender's
    when `attempts` is None."""
    held = and_(OutboxMessage.id == row_id, OutboxMessage.status == OutboxStatus.SENDING)
    return held if attempts is None else and_(held, OutboxMessage.attempts == attempts)


def renew(session: Session, row_id: int, *, lease: timedelta, attempts: int | None = None) -> bool:
    """Extend a claimed row's lease to the clock + `lease`; False if the row is no longer being
    sent (marked, or its lease ran out and nobody renewed it) or, given the `attempts` it was
    claimed with, no longer this sender's."""
    return (
        session.execute(
            update(OutboxMessage)
            .where(_held(row_id, attempts))
            .values(next_attempt_at=clock(session, None, lease))
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def mark_sent(
    session: Session, row_id: int, *, now: datetime | None = None, attempts: int | None = None
) -> None:
    """Sent, at the clock's time of this statement (the row's own send, not the batch's start).

    With `attempts` (as claimed), only while the row is still this sender's."""
    session.execute(
        update(OutboxMessage)
        .where(_held(row_id, attempts))
        .values(
            status=OutboxStatus.SENT,
            sent_at=clock(session, now),
            attempts=OutboxMessage.attempts + 1,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )


def mark_failed(
    session: Session,
    row_id: int,
    *,
    error: str,
    retry_in: timedelta | None,
    now: datetime | None = None,
    attempted: bool = True,
    attempts: int | None = None,
) -> None:
    """Count a failed attempt: back to pending for `retry_in`, or `failed` when it is None.

    `attempted=False` gives up a claimed row without counting another attempt (its last one
    was already counted: a lost send, taken over by `claim`). With `attempts` (as claimed),
    only while the row is still this sender's: a late mark never moves another sender's row."""
    session.execute(
        update(OutboxMessage)
        .where(_held(row_id, attempts))
        .values(
            status=OutboxStatus.PENDING if retry_in is not None else OutboxStatus.FAILED,
            attempts=OutboxMessage.attempts + (1 if attempted else 0),
            last_error=error,
            next_attempt_at=clock(session, now, retry_in or timedelta(0)),
        )
        .execution_options(synchronize_session=False)
    )


def requeue_failed(session: Session, *, now: datetime | None = None) -> int:
    """Give rows that ran out of attempts another round (`keika notify --retry-failed`)."""
    return (
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.FAILED, OutboxMessage.kind != MessageKind.TEST
            )
            .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=clock(session, now))
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )


def list_outbox(session: Session, statuses: Sequence[str] = ()) -> list[OutboxRow]:
    """Rows oldest first, with their page key; all statuses unless some are asked for."""
    query = (
        select(OutboxMessage, Page.key)
        .outerjoin(Page, OutboxMessage.page_id == Page.id)
        .order_by(OutboxMessage.id)
    )
    if statuses:
        query = query.where(OutboxMessage.status.in_(statuses))
    return [
        OutboxRow(
            id=m.id,
            digest_id=m.digest_id,
            page=key,
            crawl=m.crawl_id,
            kind=m.kind,
            target=m.target,
            subject=m.subject,
            status=m.status,
            attempts=m.attempts,
            next_attempt_at=m.next_attempt_at,
            last_error=m.last_error,
            created_at=m.created_at,
            sent_at=m.sent_at,
        )
        for m, key in session.execute(query)
    ]
