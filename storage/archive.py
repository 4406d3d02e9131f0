"""Raw responses, compressed and deduplicated by content hash."""

from __future__ import annotations

import hashlib
import zlib
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Snapshot, utcnow


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
