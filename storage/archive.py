"""Raw responses, compressed and deduplicated by content hash."""

from __future__ import annotations

import hashlib
import zlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Snapshot


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def store_snapshot(session: Session, body: bytes) -> Snapshot:
    """Return the snapshot holding these bytes, adding it only if no earlier fetch had them."""
    digest = body_sha256(body)
    existing = session.scalar(select(Snapshot).where(Snapshot.sha256 == digest))
    if existing is not None:
        return existing
    snapshot = Snapshot(sha256=digest, size=len(body), data=zlib.compress(body, 6))
    session.add(snapshot)
    session.flush()
    return snapshot


def snapshot_bytes(snapshot: Snapshot) -> bytes:
    if snapshot.compression == "zlib":
        return zlib.decompress(snapshot.data)
    return bytes(snapshot.data)
