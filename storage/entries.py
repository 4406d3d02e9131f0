"""Entries with stable ids, their versions, and the change events between them.

Writes are set-based (one INSERT … RETURNING or executemany UPDATE per kind of row), because a
page's ingest runs inside the crawl and a row-at-a-time flush made it 50× slower than fetching.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from pipeline.domain.kinds import ChangeKind
from pipeline.domain.records import EntryRecord, KnownEntry, PageInfo, RecordDiff
from storage.models import ChangeEvent, Entry, EntryVersion, Page


def known_entries(session: Session, page: Page | int) -> list[KnownEntry]:
    """The page's live entries in page order, as the diff stage wants them."""
    page_id = page if isinstance(page, int) else page.id
    entries, versions = Entry.__table__, EntryVersion.__table__
    rows = (
        session.connection()
        .execute(
            select(entries.c.id, entries.c.position, versions.c.record)
            .join(versions, entries.c.current_version_id == versions.c.id)
            .where(entries.c.page_id == page_id, entries.c.removed_at.is_(None))
            .order_by(entries.c.position, entries.c.id)
        )
        .all()
    )
    return [
        KnownEntry(entry_id=entry_id, record=EntryRecord.from_dict(record), position=i)
        for i, (entry_id, _position, record) in enumerate(rows)
    ]


def removed_entries(session: Session, page: Page | int) -> list[KnownEntry]:
    """The page's removed entries as they were when removed, most recently removed first: an
    entry that comes back is matched to one of these and keeps its id."""
    page_id = page if isinstance(page, int) else page.id
    entries, versions = Entry.__table__, EntryVersion.__table__
    rows = (
        session.connection()
        .execute(
            select(entries.c.id, versions.c.record)
            .join(versions, entries.c.current_version_id == versions.c.id)
            .where(entries.c.page_id == page_id, entries.c.removed_at.is_not(None))
            .order_by(entries.c.removed_at.desc(), entries.c.id.desc())
        )
        .all()
    )
    return [
        KnownEntry(entry_id=entry_id, record=EntryRecord.from_dict(record), position=i)
        for i, (entry_id, record) in enumerate(rows)
    ]


def _insert_returning_ids(
    session: Session, table: Any, rows: list[dict[str, Any]], key: str
) -> list[int]:
    """INSERT rows; their new ids in row order, matched back through a column unique per batch.

    SQLAlchemy can only promise RETURNING order on SQLite by inserting one row per statement;
    matching on `key` lets it send the whole batch as one multi-row INSERT instead.
    """
    keys = [row[key] for row in rows]
    if len(set(keys)) != len(keys):
        statement = _insert_in_order(table)
        return list(session.connection().scalars(statement, rows))
    id_of = {k: i for i, k in session.connection().execute(_insert_with_key(table, key), rows)}
    return [id_of[k] for k in keys]


# Statements built once: building and cache-keying them per page cost more than running them.


@cache
def _insert_in_order(table: Any) -> Any:
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


@cache
def _insert_with_key(table: Any, key: str) -> Any:
    return insert(table).returning(table.c.id, table.c[key])


@cache
def _point_statement() -> Any:
    entries, versions = Entry.__table__, EntryVersion.__table__
    newest = (
        select(func.max(versions.c.id))
        .where(versions.c.entry_id == entries.c.id, versions.c.fetch_id == bindparam("fetch_id"))
        .scalar_subquery()
    )
    return (
        update(entries)
        .where(entries.c.id.in_(bindparam("entry_ids", expanding=True)))
        .values(current_version_id=newest)
    )


@cache
def _update_statement(names: tuple[str, ...]) -> Any:
    table = Entry.__table__
    values = {name: bindparam(name) for name in names}
    return update(table).where(table.c.id == bindparam("entry_id")).values(values)


def _insert_entries(
    session: Session, page_id: int, positions: Sequence[int], now: datetime
) -> list[int]:
    if not positions:
        return []
    rows = [
        {"page_id": page_id, "position": p, "first_seen_at": now, "last_seen_at": now}
        for p in positions
    ]
    return _insert_returning_ids(session, Entry.__table__, rows, "position")


def _insert_versions(
    session: Session,
    pairs: Sequence[tuple[int, EntryRecord]],
    fetch_id: int,
    now: datetime,
) -> list[int]:
    """New versions for (entry id, record) pairs; each becomes its entry's current version."""
    if not pairs:
        return []
    rows = [
        {
            "entry_id": entry_id,
            "fetch_id": fetch_id,
            "created_at": now,
            "date_text": record.date_text,
            "start": record.start,
            "end": record.end,
            "record": record.to_dict(),
        }
        for entry_id, record in pairs
    ]
    version_ids = _insert_returning_ids(session, EntryVersion.__table__, rows, "entry_id")
    _point_entries_at_versions(session, [entry_id for entry_id, _ in pairs], fetch_id)
    return version_ids


def _point_entries_at_versions(session: Session, entry_ids: list[int], fetch_id: int) -> None:
    """One UPDATE: each entry's current version becomes the one this fetch just wrote."""
    session.connection().execute(_point_statement(), {"entry_ids": entry_ids, "fetch_id": fetch_id})


def _update_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE … WHERE id = :entry_id for rows that all set the same columns."""
    if not rows:
        return
    statement = _update_statement(tuple(name for name in rows[0] if name != "id"))
    session.connection().execute(
        statement,
        [{"entry_id": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in rows],
    )


def record_baseline(
    session: Session, page: Page | int, records: Sequence[EntryRecord], fetch_id: int, now: datetime
) -> None:
    """First good parse: every record becomes an entry, and nothing is reported as a change."""
    page_id = page if isinstance(page, int) else page.id
    entry_ids = _insert_entries(session, page_id, range(len(records)), now)
    _insert_versions(session, list(zip(entry_ids, records, strict=True)), fetch_id, now)


def _diff_event_rows(
    session: Session,
    page_id: int,
    diff: RecordDiff,
    *,
    crawl_id: int,
    fetch_id: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """Write the versions and entry updates a diff describes; the change events as rows."""
    entries = Entry.__table__
    current = dict(
        session.connection()
        .execute(
            select(entries.c.id, entries.c.current_version_id).where(
                entries.c.page_id == page_id, entries.c.removed_at.is_(None)
            )
        )
        .all()
    )
    _update_entries(
        session,
        [{"id": e, "position": p, "last_seen_at": now} for e, p in diff.kept],
    )
    added = [c for c in diff.changes if c.kind == ChangeKind.ADDED and c.entry_id is None]
    back = [c for c in diff.changes if c.kind == ChangeKind.ADDED and c.entry_id is not None]
    edited = [c for c in diff.changes if c.kind == ChangeKind.EDITED]
    added_ids = _insert_entries(session, page_id, [c.position or 0 for c in added], now)
    entry_of = {id(c): e for c, e in zip(added, added_ids, strict=True)}
    for change in back + edited:
        entry_of[id(change)] = change.entry_id or 0
    # A removed entry that came back: live again where it now is, with a new version.
    _update_entries(
        session,
        [
            {"id": c.entry_id, "position": c.position, "last_seen_at": now, "removed_at": None}
            for c in back
        ],
    )
    written = added + back + edited
    version_ids = _insert_versions(
        session, [(entry_of[id(c)], c.after) for c in written if c.after], fetch_id, now
    )
    new_version = {id(c): v for c, v in zip(written, version_ids, strict=True)}
    _update_entries(
        session,
        [
            {"id": c.entry_id, "removed_at": now, "position": None}
            for c in diff.changes
            if c.kind == ChangeKind.REMOVED
        ],
    )

    rows: list[dict[str, Any]] = []
    for change in diff.changes:
        record = change.after or change.before
        row: dict[str, Any] = {
            "page_id": page_id,
            "crawl_id": crawl_id,
            "fetch_id": fetch_id,
            "kind": change.kind,
            "fields": list(change.fields),
            "detected_at": now,
            "date_text": record.date_text if record else None,
            "entry_id": change.entry_id,
            "before_version_id": None,
            "after_version_id": None,
            "detail": None,
        }
        if change.kind == ChangeKind.ADDED:
            row["entry_id"] = entry_of[id(change)]
            row["after_version_id"] = new_version[id(change)]
        else:
            row["before_version_id"] = current.get(change.entry_id or 0)
            if change.kind == ChangeKind.EDITED:
                row["after_version_id"] = new_version[id(change)]
            elif change.kind == ChangeKind.MOVED:
                row["after_version_id"] = row["before_version_id"]
                row["detail"] = {"to": change.position}
        rows.append(row)
    return rows


def write_diff(
    session: Session,
    page_id: int,
    diff: RecordDiff,
    *,
    crawl_id: int,
    fetch_id: int,
    now: datetime,
    page_event: dict[str, Any] | None = None,
) -> list[str]:
    """`apply_diff` without ORM objects: the events go in as one INSERT; returns their kinds.

    `page_event` (from `page_event_row`) is inserted with them.
    """
    rows = _diff_event_rows(session, page_id, diff, crawl_id=crawl_id, fetch_id=fetch_id, now=now)
    if page_event is not None:
        rows.append(page_event)
    if rows:
        session.connection().execute(insert(ChangeEvent.__table__), rows)
    return [row["kind"] for row in rows]


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
    rows = _diff_event_rows(session, page.id, diff, crawl_id=crawl_id, fetch_id=fetch_id, now=now)
    events = [ChangeEvent(**row) for row in rows]
    session.add_all(events)
    session.flush()
    return events


def page_event_row(
    page_id: int,
    before: PageInfo | None,
    after: PageInfo,
    fields: Sequence[str],
    *,
    crawl_id: int,
    fetch_id: int,
    now: datetime,
) -> dict[str, Any]:
    """The change event for the page's own metadata, as a row for `write_diff`."""
    return {
        "page_id": page_id,
        "crawl_id": crawl_id,
        "fetch_id": fetch_id,
        "kind": ChangeKind.PAGE,
        "fields": list(fields),
        "detected_at": now,
        "date_text": None,
        "entry_id": None,
        "before_version_id": None,
        "after_version_id": None,
        "detail": {"before": before.to_dict() if before else None, "after": after.to_dict()},
    }
