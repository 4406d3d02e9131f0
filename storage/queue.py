"""The crawl queue in the keika database: `keika schedule` enqueues due pages, workers claim them.

No Redis needed on one machine. Claiming is one conditional statement per batch — `UPDATE …
WHERE page_key IN (SELECT … FOR UPDATE SKIP LOCKED)` on PostgreSQL (concurrent workers skip
each other's rows instead of waiting), the same UPDATE on SQLite (writes are serialised) — and
gives the rows to one worker until `lease_until`. The worker renews its lease while it crawls and
deletes the row when the page is stored; a worker that dies stops renewing, and the next claim
after the lease runs out takes the page again (the visibility timeout). Each function runs in
the caller's transaction. Times come from the caller's clock (see storage/leases.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline.domain.kinds import CrawlStatus
from storage.models import Crawl, QueuedPage, WorkerRow, utcnow


@dataclass(frozen=True, slots=True)
class ClaimedPage:
    """A page a worker now holds; `previous_crawl` is the crawl a lost holder left open."""

    key: str
    payload: dict[str, Any]
    previous_crawl: int | None


@dataclass(frozen=True, slots=True)
class QueueStats:
    depth: int  # waiting, not held by a live lease
    oldest: datetime | None  # when the oldest waiting page was queued
    held: dict[str, list[str]]  # worker -> page keys it holds


def _available(now: datetime) -> Any:
    return or_(QueuedPage.claimed_by.is_(None), QueuedPage.lease_until < now)


def enqueue_pages(
    session: Session, payloads: Mapping[str, dict[str, Any]], now: datetime | None = None
) -> list[str]:
    """Queue each page unless it is already queued or held; returns the keys newly queued."""
    if not payloads:
        return []
    now = now or utcnow()
    rows = [
        {"page_key": k, "payload": p, "enqueued_at": now, "attempts": 0}
        for k, p in payloads.items()
    ]
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = (
        module.insert(QueuedPage)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["page_key"])
        .returning(QueuedPage.page_key)
    )
    return list(session.scalars(statement))


def claim_pages(
    session: Session, worker: str, limit: int, ttl: float, now: datetime | None = None
) -> list[ClaimedPage]:
    """Up to `limit` waiting pages (oldest first), held by `worker` for `ttl` seconds."""
    if limit <= 0:
        return []
    now = now or utcnow()
    # A plain read first: an empty queue costs no write lock (SQLite) and no row locks.
    if session.scalar(select(QueuedPage.page_key).where(_available(now)).limit(1)) is None:
        return []
    candidates = (
        select(QueuedPage.page_key)
        .where(_available(now))
        .order_by(QueuedPage.enqueued_at, QueuedPage.page_key)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(QueuedPage)
        .where(QueuedPage.page_key.in_(candidates.scalar_subquery()), _available(now))
        .values(
            claimed_by=worker,
            lease_until=now + timedelta(seconds=ttl),
            attempts=QueuedPage.attempts + 1,
        )
        .returning(QueuedPage.page_key, QueuedPage.payload, QueuedPage.crawl_id)
        .execution_options(synchronize_session=False)
    )
    return [ClaimedPage(k, dict(p), c) for k, p, c in session.execute(statement)]


def set_crawl(session: Session, worker: str, key: str, crawl_id: int) -> bool:
    """Remember which crawl `worker` opened for `key` (so a successor can close it)."""
    result = session.execute(
        update(QueuedPage)
        .where(QueuedPage.page_key == key, QueuedPage.claimed_by == worker)
        .values(crawl_id=crawl_id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def ack_page(session: Session, worker: str, key: str) -> bool:
    """The page is stored: it leaves the queue (only if `worker` still holds it)."""
    result = session.execute(
        delete(QueuedPage)
        .where(QueuedPage.page_key == key, QueuedPage.claimed_by == worker)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def renew_claims(
    session: Session, worker: str, ttl: float, keys: Sequence[str], now: datetime | None = None
) -> list[str]:
    """Extend `worker`'s lease on `keys`; returns the keys it still holds."""
    if not keys:
        return []
    now = now or utcnow()
    statement = (
        update(QueuedPage)
        .where(QueuedPage.claimed_by == worker, QueuedPage.page_key.in_(list(keys)))
        .values(lease_until=now + timedelta(seconds=ttl))
        .returning(QueuedPage.page_key)
        .execution_options(synchronize_session=False)
    )
    return list(session.scalars(statement))


def release_claims(
    session: Session, worker: str, keys: Sequence[str] | None = None
) -> list[ClaimedPage]:
    """Give `worker`'s pages (all, or `keys`) back to the queue at once; returns what it held."""
    statement = update(QueuedPage).where(QueuedPage.claimed_by == worker)
    if keys is not None:
        statement = statement.where(QueuedPage.page_key.in_(list(keys)))
    statement = (
        statement.values(claimed_by=None, lease_until=None)
        .returning(QueuedPage.page_key, QueuedPage.payload, QueuedPage.crawl_id)
        .execution_options(synchronize_session=False)
    )
    return [ClaimedPage(k, dict(p), c) for k, p, c in session.execute(statement)]


def holders(session: Session) -> list[str]:
    """Every worker that holds a page now (leases not checked)."""
    rows = session.scalars(select(QueuedPage.claimed_by).where(QueuedPage.claimed_by.isnot(None)))
    return sorted(set(rows))


def queue_stats(session: Session, now: datetime | None = None) -> QueueStats:
    now = now or utcnow()
    depth, oldest = session.execute(
        select(func.count(), func.min(QueuedPage.enqueued_at)).where(_available(now))
    ).one()
    held: dict[str, list[str]] = {}
    for key, worker in session.execute(
        select(QueuedPage.page_key, QueuedPage.claimed_by).where(
            QueuedPage.claimed_by.isnot(None), QueuedPage.lease_until >= now
        )
    ):
        held.setdefault(worker, []).append(key)
    if oldest is not None and oldest.tzinfo is None:  # func.min bypasses the column type
        oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=now.tzinfo)
    return QueueStats(int(depth), oldest, held)


def crawl_left_open(session: Session, crawl_id: int) -> bool:
    """A crawl a lost holder opened and never finished (still running, or only marked
    interrupted because its process is gone): its page may still need its failed fetch."""
    status = session.scalar(select(Crawl.status).where(Crawl.id == crawl_id))
    return status is not None and status != CrawlStatus.FINISHED


# --- the workers' registry ---------------------------------------------------------------------


def heartbeat(
    session: Session, worker: str, queue: str, crawling: Sequence[str], now: datetime | None = None
) -> None:
    """Say `worker` is alive and what it is crawling."""
    now = now or utcnow()
    row = session.get(WorkerRow, worker)
    if row is None:
        session.add(
            WorkerRow(id=worker, queue=queue, started_at=now, seen_at=now, crawling=list(crawling))
        )
    else:
        row.seen_at = now
        row.queue = queue
        row.crawling = list(crawling)


def forget_worker(session: Session, worker: str) -> None:
    session.execute(delete(WorkerRow).where(WorkerRow.id == worker))


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    id: str
    queue: str
    started_at: datetime
    seen_at: datetime
    crawling: tuple[str, ...]


def list_workers(session: Session) -> list[WorkerInfo]:
    rows = session.scalars(select(WorkerRow).order_by(WorkerRow.started_at, WorkerRow.id))
    return [
        WorkerInfo(r.id, r.queue, r.started_at, r.seen_at, tuple(r.crawling or ())) for r in rows
    ]
