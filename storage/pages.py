"""A page's row as one ingest reads it under the page's lock, and writes it back.

Ingest diffs against the state it read, so the read must be the last one before its write: on
PostgreSQL the row is locked (SELECT … FOR UPDATE, after INSERT … ON CONFLICT DO NOTHING for a
new page); on SQLite the caller's write session already holds the database's write lock
(`Database.session(write=True)`). A second crawl of the page waits until the first commits.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Page, utcnow


@dataclass(slots=True)
class PageState:
    """The columns of a page that ingest reads and may change (not a model: no unit of work)."""

    id: int
    key: str
    url: str
    timezone: str | None
    etag: str | None
    last_modified: str | None
    body_sha256: str | None
    last_good_fetch_id: int | None
    last_good_at: datetime | None
    last_fetch_started_at: datetime | None
    entry_count: int | None
    info: dict[str, Any] | None
    failures_in_row: int
    failing_alerted: bool


_COLUMNS = [f.name for f in fields(PageState)]


def lock_page(session: Session, key: str, url: str, timezone: str | None) -> PageState:
    """The page's state, locked for the rest of the transaction; a new page is added first."""
    table: Any = Page.__table__
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    query = select(*(table.c[name] for name in _COLUMNS)).where(table.c.key == key)
    if postgres:
        query = query.with_for_update()
    row = connection.execute(query).first()
    if row is None:
        insert = postgresql.insert if postgres else sqlite.insert
        connection.execute(
            insert(table)
            .values(
                key=key,
                url=url,
                timezone=timezone,
                created_at=utcnow(),
                failures_in_row=0,
                failing_alerted=False,
            )
            .on_conflict_do_nothing(index_elements=["key"])
        )
        row = connection.execute(query).one()
    state = PageState(*row)
    state.failures_in_row = state.failures_in_row or 0
    state.failing_alerted = bool(state.failing_alerted)
    return state


def update_page(session: Session, page_id: int, values: dict[str, Any]) -> None:
    """One UPDATE of the columns that changed (nothing when none did)."""
    if values:
        table = Page.__table__
        session.connection().execute(update(table).where(table.c.id == page_id).values(values))
