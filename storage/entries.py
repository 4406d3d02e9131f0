"""Entries with stable ids, their versions, and the change events between them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.diff import KnownEntry, RecordDiff
from pipeline.records import EntryRecord, PageInfo
from storage.models import ChangeEvent, Entry, EntryVersion, Page


def known_entries(session: Session, page: Page) -> list[KnownEntry]:
    """The page's live entries in page order, as the diff stage wants them."""
    rows = session.execute(
        select(Entry.id, Entry.position, EntryVersion.record)
        .join(EntryVersion, Entry.current_version_id == EntryVersion.id)
        .where(Entry.page_id == page.id, Entry.removed_at.is_(None))
        .order_by(Entry.position, Entry.id)
    ).all()
    return [
        KnownEntry(entry_id=entry_id, record=EntryRecord.from_dict(record), position=i)
        for i, (entry_id, _position, record) in enumerate(rows)
    ]


def _new_version(
    session: Session, entry: Entry, record: EntryRecord, fetch_id: int, now: datetime
) -> EntryVersion:
    version = EntryVersion(
        entry_id=entry.id,
        fetch_id=fetch_id,
        created_at=now,
        date_text=record.date_text,
        start=record.start,
        end=record.end,
        record=record.to_dict(),
    )
    session.add(version)
    session.flush()
    entry.current_version_id = version.id
    return version


def record_baseline(
    session: Session, page: Page, records: Sequence[EntryRecord], fetch_id: int, now: datetime
) -> None:
    """First good parse: every record becomes an entry, and nothing is reported as a change."""
    for position, record in enumerate(records):
        entry = Entry(page_id=page.id, position=position, first_seen_at=now, last_seen_at=now)
        session.add(entry)
        session.flush()
        _new_version(session, entry, record, fetch_id, now)


def apply_diff(
    session: Session,
    page: Page,
    diff: RecordDiff,
    records: Sequence[EntryRecord],
    *,
    crawl_id: int,
    fetch_id: int,
    now: datetime,
) -> list[ChangeEvent]:
    """Write the versions and events a diff describes; the caller owns the transaction."""
    entries = {
        e.id: e
        for e in session.scalars(
            select(Entry).where(Entry.page_id == page.id, Entry.removed_at.is_(None))
        )
    }
    for entry_id, position in diff.kept:
        entry = entries[entry_id]
        entry.position = position
        entry.last_seen_at = now
    events: list[ChangeEvent] = []
    for change in diff.changes:
        event = ChangeEvent(
            page_id=page.id,
            crawl_id=crawl_id,
            fetch_id=fetch_id,
            kind=change.kind,
            fields=list(change.fields),
            detected_at=now,
        )
        if change.kind == "added":
            assert change.after is not None and change.position is not None
            entry = Entry(
                page_id=page.id, position=change.position, first_seen_at=now, last_seen_at=now
            )
            session.add(entry)
            session.flush()
            version = _new_version(session, entry, change.after, fetch_id, now)
            event.entry_id = entry.id
            event.after_version_id = version.id
            event.date_text = change.after.date_text
        else:
            assert change.entry_id is not None
            entry = entries[change.entry_id]
            event.entry_id = entry.id
            event.before_version_id = entry.current_version_id
            if change.kind == "edited":
                assert change.after is not None
                version = _new_version(session, entry, change.after, fetch_id, now)
                event.after_version_id = version.id
                event.date_text = change.after.date_text
            elif change.kind == "moved":
                event.after_version_id = entry.current_version_id
                event.date_text = change.after.date_text if change.after else None
                event.detail = {"to": change.position}
            else:  # removed
                entry.removed_at = now
                entry.position = None
                event.date_text = change.before.date_text if change.before else None
        session.add(event)
        events.append(event)
    session.flush()
    return events


def record_page_event(
    session: Session,
    page: Page,
    before: PageInfo | None,
    after: PageInfo,
    fields: Sequence[str],
    *,
    crawl_id: int,
    fetch_id: int,
    now: datetime,
) -> ChangeEvent:
    event = ChangeEvent(
        page_id=page.id,
        crawl_id=crawl_id,
        fetch_id=fetch_id,
        kind="page",
        fields=list(fields),
        date_text=None,
        detail={"before": before.to_dict() if before else None, "after": after.to_dict()},
        detected_at=now,
    )
    session.add(event)
    session.flush()
    return event
