"""Read side of the change log: the rows `keika changes/show/entries/history` and the web show."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
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


# --- lists a person reads, streamed -------------------------------------------------------------

# {page timezone (None: not recorded): (on or after, before)} in UTC; see `page_zones`.
Window = Mapping[str | None, tuple[datetime | None, datetime | None]]


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One change as a list shows it: the page by its title, the changed entry's first line."""

    id: int
    page: str
    title: str | None
    timezone: str | None
    kind: str
    date_text: str | None
    fields: tuple[str, ...]
    crawl: int
    detected_at: datetime
    entry: int | None
    first_line: str | None


def page_zones(session: Session, page: str | None = None) -> list[str | None]:
    """The timezones of the pages (of one page), so date filters can be read in each."""
    query = select(Page.timezone).distinct()
    if page:
        query = query.where(Page.key == page)
    return list(session.scalars(query))


def _filtered(
    query: Select[Any], page: str | None, window: Window | None, kinds: tuple[str, ...]
) -> Select[Any]:
    if page:
        query = query.where(Page.key == page)
    if kinds:
        query = query.where(ChangeEvent.kind.in_(kinds))
    return in_window(query, window)


def in_window(query: Select[Any], window: Window | None) -> Select[Any]:
    """`query` (joined to Page) narrowed to changes detected in `window`, zone by zone."""
    if not window:
        return query
    by_zone = []
    for zone, (since, until) in window.items():
        cond = Page.timezone.is_(None) if zone is None else Page.timezone == zone
        if since is not None:
            cond = cond & (ChangeEvent.detected_at >= since)
        if until is not None:
            cond = cond & (ChangeEvent.detected_at < until)
        by_zone.append(cond)
    return query.where(or_(*by_zone))


def _ordered(query: Select[Any], newest_first: bool, limit: int | None, batch: int) -> Select[Any]:
    query = query.order_by(ChangeEvent.id.desc() if newest_first else ChangeEvent.id)
    if limit is not None:
        query = query.limit(limit)
    # yield_per: rows arrive in batches (a server-side cursor on PostgreSQL), never all at once.
    return query.execution_options(yield_per=batch)


def count_changes(
    session: Session,
    *,
    page: str | None = None,
    window: Window | None = None,
    kinds: tuple[str, ...] = (),
) -> int:
    query = select(func.count()).select_from(ChangeEvent).join(Page, ChangeEvent.page_id == Page.id)
    return int(session.scalar(_filtered(query, page, window, kinds)) or 0)


def iter_changes(
    session: Session,
    *,
    page: str | None = None,
    window: Window | None = None,
    kinds: tuple[str, ...] = (),
    newest_first: bool = False,
    limit: int | None = None,
    batch: int = 500,
) -> Iterator[ChangeRow]:
    """ChangeRows one at a time (for `--json`/`--csv` over any number of changes)."""
    if page:
        require_page(session, page)
    query = _ordered(_filtered(change_query(), page, window, kinds), newest_first, limit, batch)
    for row in session.execute(query):
        yield change_row(*row)


def iter_change_lines(
    session: Session,
    *,
    page: str | None = None,
    window: Window | None = None,
    kinds: tuple[str, ...] = (),
    newest_first: bool = False,
    limit: int | None = None,
    batch: int = 1000,
) -> Iterator[ChangeLine]:
    """ChangeLines one at a time, with the page's title and the entry's first line."""
    if page:
        require_page(session, page)
    before = aliased(EntryVersion)
    after = aliased(EntryVersion)
    query = (
        select(
            ChangeEvent.id,
            Page.key,
            Page.info,
            Page.timezone,
            ChangeEvent.kind,
            ChangeEvent.date_text,
            ChangeEvent.fields,
            ChangeEvent.crawl_id,
            ChangeEvent.detected_at,
            ChangeEvent.entry_id,
            before.record,
            after.record,
        )
        .join(Page, ChangeEvent.page_id == Page.id)
        .outerjoin(before, ChangeEvent.before_version_id == before.id)
        .outerjoin(after, ChangeEvent.after_version_id == after.id)
    )
    query = _ordered(_filtered(query, page, window, kinds), newest_first, limit, batch)
    for (
        id_,
        key,
        info,
        zone,
        kind,
        date_text,
        fields,
        crawl,
        detected_at,
        entry,
        old,
        new,
    ) in session.execute(query):
        yield ChangeLine(
            id=id_,
            page=key,
            title=(info or {}).get("title") or None,
            timezone=zone,
            kind=kind,
            date_text=date_text,
            fields=tuple(fields or ()),
            crawl=crawl,
            detected_at=detected_at,
            entry=entry,
            first_line=_first_line(new) or _first_line(old),
        )


def _first_line(record: dict[str, Any] | None) -> str | None:
    for line in (record or {}).get("body") or ():
        if line and line.strip():
            return str(line).strip()
    return None


def timezones(session: Session) -> dict[str, str | None]:
    """Each page's timezone by key, for showing its times in it."""
    return {key: zone for key, zone in session.execute(select(Page.key, Page.timezone))}
