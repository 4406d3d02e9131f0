"""Retention: forgetting old crawl bookkeeping without losing any history.

What `gc` may delete is what nothing else needs: a fetch of an old crawl that no change event,
no entry version and no page's last good fetch points to (an `unchanged`, `not_modified` or
`failed` day), a crawl left with no fetches, changes or outbox rows, and an archived body no
remaining fetch holds and that is no page's current body. The change log, every entry's
versions, the response behind each of them and each page's newest fetch stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, union
from sqlalchemy.orm import Session

from pipeline.domain.kinds import CrawlStatus
from storage.models import ChangeEvent, Crawl, EntryVersion, Fetch, OutboxMessage, Page, Snapshot


@dataclass(frozen=True, slots=True)
class GcReport:
    fetches: int
    crawls: int
    snapshots: int
    snapshot_bytes: int  # compressed bytes of the bodies removed


@dataclass(frozen=True, slots=True)
class StorageSizes:
    database_bytes: int | None  # None: the backend does not say
    archive_bodies: int
    archive_bytes: int  # as the responses were received
    archive_stored_bytes: int  # compressed, as stored


def collect_garbage(session: Session, before: datetime) -> GcReport:
    """Delete old fetches, crawls and bodies that nothing refers to (see the module doc)."""
    needed_fetches = union(
        select(ChangeEvent.fetch_id),
        select(EntryVersion.fetch_id).where(EntryVersion.fetch_id.is_not(None)),
        select(Page.last_good_fetch_id).where(Page.last_good_fetch_id.is_not(None)),
        select(func.max(Fetch.id)).group_by(Fetch.page_id),
    )
    old_crawls = select(Crawl.id).where(
        Crawl.started_at < before, Crawl.status != CrawlStatus.RUNNING
    )
    fetches = session.execute(
        delete(Fetch).where(
            Fetch.crawl_id.in_(old_crawls),
            Fetch.id.not_in(needed_fetches),
        )
    ).rowcount
    crawls = session.execute(
        delete(Crawl).where(
            Crawl.id.in_(old_crawls),
            Crawl.id.not_in(select(Fetch.crawl_id)),
            Crawl.id.not_in(select(ChangeEvent.crawl_id)),
            Crawl.id.not_in(
                select(OutboxMessage.crawl_id).where(OutboxMessage.crawl_id.is_not(None))
            ),
        )
    ).rowcount
    orphan = (
        Snapshot.id.not_in(select(Fetch.snapshot_id).where(Fetch.snapshot_id.is_not(None)))
        # A page's current body may be handed to a crawl running now (bodies are deduplicated).
        & Snapshot.sha256.not_in(select(Page.body_sha256).where(Page.body_sha256.is_not(None)))
        & (Snapshot.created_at < before)
    )
    count, stored = session.execute(
        select(func.count(), func.coalesce(func.sum(func.length(Snapshot.data)), 0)).where(orphan)
    ).one()
    session.execute(delete(Snapshot).where(orphan))
    return GcReport(fetches or 0, crawls or 0, int(count), int(stored))


def storage_sizes(session: Session) -> StorageSizes:
    """How much room the database and its archive of responses take."""
    bodies, raw, stored = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Snapshot.size), 0),
            func.coalesce(func.sum(func.length(Snapshot.data)), 0),
        ).select_from(Snapshot)
    ).one()
    return StorageSizes(_database_bytes(session), int(bodies), int(raw), int(stored))


def _database_bytes(session: Session) -> int | None:
    from pathlib import Path

    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        return int(session.scalar(select(func.pg_database_size(func.current_database()))) or 0)
    if bind.dialect.name == "sqlite":
        database = bind.url.database
        if not database or database == ":memory:":
            return None
        files = [Path(database), Path(f"{database}-wal")]
        return sum(f.stat().st_size for f in files if f.exists())
    return None
