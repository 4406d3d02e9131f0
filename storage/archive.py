"""Raw responses, compressed and deduplicated by content hash."""

from __future__ import annotations

import hashlib
import zlib
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline.domain.errors import NotFoundError
from pipeline.domain.kinds import Outcome
from storage.changes import require_id
from storage.models import Crawl, Fetch, Page, Snapshot, utcnow


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def snapshot_id_for(session: Session, digest: str) -> int | None:
    """The id of the snapshot already holding the body with this SHA-256, if any."""
    return session.connection().scalar(_select_statement(), {"sha256": digest})


@cache
def _select_statement() -> Any:
    table: Any = Snapshot.__table__
    return select(table.c.id).where(table.c.sha256 == bindparam("sha256"))


@cache
def _insert_statement(dialect: str) -> Any:
    table: Any = Snapshot.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=["sha256"]).returning(table.c.id)


def body_for_sha256(session: Session, digest: str) -> bytes | None:
    """The archived bytes with this SHA-256, or None when no snapshot holds them."""
    snapshot = session.scalar(select(Snapshot).where(Snapshot.sha256 == digest))
    return snapshot_bytes(snapshot) if snapshot is not None else None


def body_for_snapshot(session: Session, snapshot_id: int) -> bytes | None:
    """The archived bytes of one snapshot, or None when `gc` has removed it."""
    snapshot = session.get(Snapshot, snapshot_id)
    return snapshot_bytes(snapshot) if snapshot is not None else None


def store_snapshot_id(session: Session, body: bytes, digest: str | None = None) -> int:
    """The id of the snapshot holding these bytes, adding it only if no fetch had them yet.

    INSERT … ON CONFLICT DO NOTHING, then SELECT: two crawls storing the same body at once
    both get the one row (the second waits for the first to commit), neither fails.
    """
    digest = digest or body_sha256(body)
    connection = session.connection()
    new_id = connection.scalar(
        _insert_statement(connection.dialect.name),
        {
            "sha256": digest,
            "size": len(body),
            "compression": "zlib",
            "data": zlib.compress(body, 6),
            "created_at": utcnow(),
        },
    )
    if new_id is not None:
        return new_id
    existing = snapshot_id_for(session, digest)
    assert existing is not None  # the conflicting row is committed: that is why it conflicted
    return existing


def store_snapshot(session: Session, body: bytes) -> Snapshot:
    """The snapshot holding these bytes (see `store_snapshot_id`), as a model."""
    snapshot = session.get(Snapshot, store_snapshot_id(session, body))
    assert snapshot is not None
    return snapshot


def snapshot_bytes(snapshot: Snapshot) -> bytes:
    if snapshot.compression == "zlib":
        return zlib.decompress(snapshot.data)
    return bytes(snapshot.data)


def fetch_body(session: Session, crawl_id: int, page_key: str) -> tuple[Fetch, bytes]:
    """The archived response of one page in one crawl: the fetch row and its body's bytes.

    NotFoundError names what is missing: the crawl, the page in that crawl, or a body (a failed
    fetch or a 304 archives none; `gc` may have removed an old one).
    """
    if session.get(Crawl, require_id(crawl_id, "crawl")) is None:
        raise NotFoundError(f"unknown crawl {crawl_id}")
    fetch = session.scalar(
        select(Fetch)
        .join(Page, Fetch.page_id == Page.id)
        .where(Fetch.crawl_id == crawl_id, Page.key == page_key)
        .order_by(Fetch.id.desc())
        .limit(1)
    )
    if fetch is None:
        raise NotFoundError(f"crawl {crawl_id} has no fetch of page {page_key!r}")
    if fetch.snapshot is None and fetch.outcome == Outcome.NOT_MODIFIED:
        # A 304 said the page was what the last archived body holds: that body is the page.
        earlier = session.scalar(
            select(Fetch)
            .where(
                Fetch.page_id == fetch.page_id,
                Fetch.id < fetch.id,
                Fetch.snapshot_id.is_not(None),
            )
            .order_by(Fetch.id.desc())
            .limit(1)
        )
        fetch = earlier or fetch
    if fetch.snapshot is None:
        why = f"{fetch.outcome}, HTTP {fetch.status}" if fetch.status else fetch.outcome
        raise NotFoundError(f"crawl {crawl_id} archived no response for {page_key!r} ({why})")
    return fetch, snapshot_bytes(fetch.snapshot)
