"""SQLAlchemy models: the only place keika's tables are described.

Other stages pass frozen records around; rows live here so that the schema, its migrations and
the queries that depend on it change together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pipeline.domain.kinds import CrawlStatus, OutboxStatus

# None is SQL NULL (not the JSON value null), whether a row is written by the ORM or by a Core
# statement: "no parse" must read as NULL in queries such as `parsed IS NOT NULL`.
JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every backend (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Page(Base):
    """A watched page (one seed entry), plus what conditional GET and change detection remember."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The seed's timezone (IANA name): the CLI and web show this page's times in it.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # Conditional GET and "unchanged" short-cut, from the last 200 response.
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    # The last good parse: what the next one is compared with.
    last_good_fetch_id: Mapped[int | None] = mapped_column(Integer)
    last_good_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the fetch behind that state started: a result fetched earlier than this (a crawl
    # that overlapped a newer one) is recorded but compared with nothing.
    last_fetch_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    entry_count: Mapped[int | None] = mapped_column(Integer)
    info: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # Alerts: consecutive failed crawls and whether a "failing" alert is out.
    failures_in_row: Mapped[int] = mapped_column(Integer, default=0)
    failing_alerted: Mapped[bool] = mapped_column(default=False)

    entries: Mapped[list[Entry]] = relationship(back_populates="page")


class Crawl(Base):
    """One run of the spider over some pages."""

    __tablename__ = "crawls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # running | finished | interrupted
    status: Mapped[str] = mapped_column(String(20), default=CrawlStatus.RUNNING)
    trigger: Mapped[str] = mapped_column(String(20), default="manual")
    pid: Mapped[int | None] = mapped_column(Integer)
    # The machine the crawl runs on: its pid means something only there (NULL: before 0.1).
    host: Mapped[str | None] = mapped_column(String(255))
    counts: Mapped[dict[str, int] | None] = mapped_column(JSONType)


class Snapshot(Base):
    """Raw response bytes, compressed and stored once per distinct body."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    compression: Mapped[str] = mapped_column(String(10), default="zlib")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Fetch(Base):
    """What happened to one page in one crawl: the archived response and its outcome."""

    __tablename__ = "fetches"
    __table_args__ = (Index("ix_fetches_page_started", "page_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"), index=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSONType)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"))
    # baseline | changed | unchanged | not_modified | failed | suspect | stale
    outcome: Mapped[str] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    entry_count: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict[str, int] | None] = mapped_column(JSONType)
    # The parsed page of a good fetch ({"page": ..., "entries": [...]}), as `keika parse` prints it.
    parsed: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    page: Mapped[Page] = relationship()
    crawl: Mapped[Crawl] = relationship()
    snapshot: Mapped[Snapshot | None] = relationship()


class Entry(Base):
    """A dated entry with a stable identity across crawls."""

    __tablename__ = "entries"
    __table_args__ = (Index("ix_entries_page_position", "page_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("entry_versions.id", use_alter=True)
    )
    position: Mapped[int | None] = mapped_column(Integer)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    page: Mapped[Page] = relationship(back_populates="entries")
    current_version: Mapped[EntryVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class EntryVersion(Base):
    """An entry's record as it was between two changes."""

    __tablename__ = "entry_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetches.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    date_text: Mapped[str] = mapped_column(Text)
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    record: Mapped[dict[str, Any]] = mapped_column(JSONType)


class ChangeEvent(Base):
    """One detected change: an entry added/edited/removed/moved, or the page's metadata."""

    __tablename__ = "change_events"
    __table_args__ = (Index("ix_change_events_page_id_id", "page_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"))
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"))
    fetch_id: Mapped[int] = mapped_column(ForeignKey("fetches.id"))
    # added | edited | removed | moved | page
    kind: Mapped[str] = mapped_column(String(10), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"), index=True)
    before_version_id: Mapped[int | None] = mapped_column(ForeignKey("entry_versions.id"))
    after_version_id: Mapped[int | None] = mapped_column(ForeignKey("entry_versions.id"))
    date_text: Mapped[str | None] = mapped_column(Text)
    fields: Mapped[list[str] | None] = mapped_column(JSONType)
    # For kind "page": the PageInfo before and after; for entries, positions moved from/to.
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    page: Mapped[Page] = relationship()
    entry: Mapped[Entry | None] = relationship()
    before_version: Mapped[EntryVersion | None] = relationship(foreign_keys=[before_version_id])
    after_version: Mapped[EntryVersion | None] = relationship(foreign_keys=[after_version_id])


class OutboxMessage(Base):
    """A notification waiting to be delivered to one target, written with what it reports."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("digest_id", "target", name="uq_outbox_digest_target"),
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_id: Mapped[str] = mapped_column(String(64))
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id"))
    crawl_id: Mapped[int | None] = mapped_column(ForeignKey("crawls.id"))
    # digest | failing | recovered | suspect | test
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # pending | sending (claimed by a sender, with a lease) | sent | failed (gave up)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The seed file of the page, absolute: a target stored with its password masked is looked up
    # there again at send time (the password itself is never written here).
    seed_file: Mapped[str | None] = mapped_column(Text)


class Lease(Base):
    """A named, expiring lock row: only one scheduler may hold `scheduler` at a time."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(Text)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QueuedPage(Base):
    """A page due for a crawl: waiting for a worker, or held by one until `lease_until`.

    One row per page (the key is the primary key), so a page due again while it is still queued
    or being crawled is not queued twice. A worker that stops renewing its lease loses the page
    to the next worker that asks.
    """

    __tablename__ = "crawl_queue"

    page_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    crawl_id: Mapped[int | None] = mapped_column(Integer)  # the crawl its holder opened for it
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class WorkerRow(Base):
    """A `keika worker` that is (or was recently) alive: what it crawls, when it was last seen."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid
    queue: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    crawling: Mapped[list[str] | None] = mapped_column(JSONType)
