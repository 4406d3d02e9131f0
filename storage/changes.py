"""Read side of the change log: the rows `keika changes/show/entries/history` and the web show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from pipeline.domain.errors import NotFoundError
from pipeline.domain.kinds import ChangeKind, Outcome
from storage.models import ChangeEvent, Entry, EntryVersion, Page


@dataclass(frozen=True, slots=True)
class ChangeRow:
    id: int
    page: str
    url: str
    kind: str
    date_text: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: tuple[str, ...]
    crawl: int
    detected_at: datetime
    entry: int | None
    detail: dict[str, Any] | None
    # For people reading a list of changes: the page's title and timezone (not in the JSON).
    title: str | None = None
    timezone: str | None = None

    @property
    def first_line(self) -> str:
        """The changed entry's first body line (its text before a removal), '' if none."""
        record = self.after if self.kind != ChangeKind.REMOVED else self.before
        if self.kind == ChangeKind.PAGE or not record:
            return ""
        body = record.get("body") or []
        return str(body[0]) if body else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "page": self.page,
            "url": self.url,
            "kind": self.kind,
            "date_text": self.date_text,
            "before": self.before,
            "after": self.after,
            "fields": list(self.fields),
            "crawl": self.crawl,
            "detected_at": self.detected_at.isoformat(),
            "entry": self.entry,
        }


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: int
    page: str
    position: int | None
    record: dict[str, Any]
    first_seen_at: datetime
    last_seen_at: datetime
    removed_at: datetime | None
    timezone: str | None = None  # the page's, for showing times (not in the JSON)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "page": self.page,
            **self.record,
            "first_seen_at": self.first_seen_at.isoformat(),
            "last_seen_at": self.last_seen_at.isoformat(),
            "removed_at": self.removed_at.isoformat() if self.removed_at else None,
        }


@dataclass(frozen=True, slots=True)
class VersionRow:
    id: int
    record: dict[str, Any]
    created_at: datetime
    change_kind: str | None
    change_id: int | None


#: The largest row id on every backend (PostgreSQL's INTEGER): a larger number names no row, and
#: binding it would fail (SQLite takes at most 2**63 - 1, PostgreSQL 2**31 - 1).
MAX_ID = 2**31 - 1


def require_id(value: int, what: str) -> int:
    """`value` if it can be a row id; NotFoundError ("unknown change N") otherwise."""
    if not 0 < value <= MAX_ID:
        raise NotFoundError(f"unknown {what} {value}")
    return value


def change_query() -> Select[Any]:
    before = aliased(EntryVersion)
    after = aliased(EntryVersion)
    return (
        select(
            ChangeEvent,
            Page.key,
            Page.url,
            before.record,
            after.record,
            Page.timezone,
            Page.info,
        )
        .join(Page, ChangeEvent.page_id == Page.id)
        .outerjoin(before, ChangeEvent.before_version_id == before.id)
        .outerjoin(after, ChangeEvent.after_version_id == after.id)
    )


def change_row(
    event: ChangeEvent,
    key: str,
    url: str,
    before: Any,
    after: Any,
    timezone: str | None = None,
    info: dict[str, Any] | None = None,
) -> ChangeRow:
    if event.kind == ChangeKind.PAGE and event.detail:
        before, after = event.detail.get("before"), event.detail.get("after")
    return ChangeRow(
        id=event.id,
        page=key,
        url=url,
        kind=event.kind,
        date_text=event.date_text,
        before=before,
        after=after,
        fields=tuple(event.fields or ()),
        crawl=event.crawl_id,
        detected_at=event.detected_at,
        entry=event.entry_id,
        detail=event.detail,
        title=(info or {}).get("title"),
        timezone=timezone,
    )


def require_page(session: Session, key: str) -> Page:
    page = session.scalar(select(Page).where(Page.key == key))
    if page is None:
        raise NotFoundError(f"unknown page {key!r}")
    return page


def list_changes(
    session: Session,
    *,
    page: str | None = None,
    since: datetime | None = None,
    kinds: tuple[str, ...] = (),
    newest_first: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[ChangeRow]:
    """Change events in the order they were detected (or newest first, for the web)."""
    query = change_query()
    if page:
        require_page(session, page)
        query = query.where(Page.key == page)
    if since:
        query = query.where(ChangeEvent.detected_at >= since)
    if kinds:
        query = query.where(ChangeEvent.kind.in_(kinds))
    order = ChangeEvent.id.desc() if newest_first else ChangeEvent.id
    query = query.order_by(order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [change_row(*r) for r in session.execute(query)]


def get_change(session: Session, change_id: int) -> ChangeRow:
    require_id(change_id, "change")
    row = session.execute(change_query().where(ChangeEvent.id == change_id)).first()
    if row is None:
        raise NotFoundError(f"unknown change {change_id}")
    return change_row(*row)


def current_entries(session: Session, key: str) -> list[EntryRow]:
    page = require_page(session, key)
    rows = session.execute(
        select(Entry, EntryVersion.record)
        .join(EntryVersion, Entry.current_version_id == EntryVersion.id)
        .where(Entry.page_id == page.id, Entry.removed_at.is_(None))
        .order_by(Entry.position, Entry.id)
    )
    return [
        EntryRow(
            e.id,
            key,
            e.position,
            record,
            e.first_seen_at,
            e.last_seen_at,
            e.removed_at,
            page.timezone,
        )
        for e, record in rows
    ]


def get_entry(session: Session, entry_id: int) -> EntryRow:
    require_id(entry_id, "entry")
    row = session.execute(
        select(Entry, EntryVersion.record, Page.key, Page.timezone)
        .join(EntryVersion, Entry.current_version_id == EntryVersion.id)
        .join(Page, Entry.page_id == Page.id)
        .where(Entry.id == entry_id)
    ).first()
    if row is None:
        raise NotFoundError(f"unknown entry {entry_id}")
    e, record, key, timezone = row
    return EntryRow(
        e.id, key, e.position, record, e.first_seen_at, e.last_seen_at, e.removed_at, timezone
    )


def entry_history(session: Session, entry_id: int) -> tuple[EntryRow, list[VersionRow]]:
    """Every version of an entry, oldest first, with the change that produced it."""
    entry = get_entry(session, entry_id)
    versions = session.scalars(
        select(EntryVersion).where(EntryVersion.entry_id == entry_id).order_by(EntryVersion.id)
    ).all()
    events = {
        e.after_version_id: e
        for e in session.scalars(
            select(ChangeEvent).where(
                ChangeEvent.entry_id == entry_id,
                ChangeEvent.kind.in_((ChangeKind.ADDED, ChangeKind.EDITED)),
            )
        )
    }
    rows = [
        VersionRow(
            v.id,
            v.record,
            v.created_at,
            events[v.id].kind if v.id in events else Outcome.BASELINE,
            events[v.id].id if v.id in events else None,
        )
        for v in versions
    ]
    return entry, rows
