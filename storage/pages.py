"""A page's row as one ingest reads it under the page's lock, and writes it back.

Ingest diffs against the state it read, so the read must be the last one before its write: on
PostgreSQL the row is locked (SELECT … FOR UPDATE, after INSERT … ON CONFLICT DO NOTHING for a
new page); on SQLite the caller's write session already holds the database's write lock
(`Database.session(write=True)`). A second crawl of the page waits until the first commits.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select, update
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


@cache
def _statements(dialect: str) -> tuple[Any, Any]:
    """The locking SELECT and the INSERT of a new page (returning the same columns), built once."""
    table: Any = Page.__table__
    columns = [table.c[name] for name in _COLUMNS]
    query = select(*columns).where(table.c.key == bindparam("key"))
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if dialect == "postgresql":
        query = query.with_for_update()
    add = insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(*columns)
    return query, add


@cache
def _update_statement(names: frozenset[str]) -> Any:
    table: Any = Page.__table__
    values = {name: bindparam(name) for name in names}
    return update(table).where(table.c.id == bindparam("page_id")).values(values)


def lock_page(session: Session, key: str, url: str, timezone: str | None) -> PageState:
    """The page's state, locked for the rest of the transaction; a new page is added first."""
    connection = session.connection()
    query, add = _statements(connection.dialect.name)
    row = connection.execute(query, {"key": key}).first()
    if row is None:
        new = {
            "key": key,
            "url": url,
            "timezone": timezone,
            "created_at": utcnow(),
            "failures_in_row": 0,
            "failing_alerted": False,
        }
        # Another crawl may add it first: then it is that row, once that crawl commits.
        row = connection.execute(add, new).first() or connection.execute(query, {"key": key}).one()
    state = PageState(*row)
    state.failures_in_row = state.failures_in_row or 0
    state.failing_alerted = bool(state.failing_alerted)
    return state


def known_body(session: Session, key: str) -> str | None:
    """The SHA-256 of the page's last good body, read without a lock (a hint: ingest decides
    under the lock)."""
    return session.connection().scalar(_known_body_statement(), {"key": key})


@cache
def _known_body_statement() -> Any:
    table: Any = Page.__table__
    return select(table.c.body_sha256).where(
        table.c.key == bindparam("key"), table.c.last_good_fetch_id.is_not(None)
    )


def update_page(session: Session, page_id: int, values: dict[str, Any]) -> None:
    """One UPDATE of the columns that changed (nothing when none did)."""
    if values:
        statement = _update_statement(frozenset(values))
        session.connection().execute(statement, {"page_id": page_id, **values})
