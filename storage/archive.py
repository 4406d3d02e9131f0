"""Raw responses, compressed and deduplicated by content hash."""

from __future__ import annotations

import hashlib
import zlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.domain.errors import NotFoundError
from pipeline.domain.kinds import Outcome
from storage.models import Crawl, Fetch, Page, Snapshot


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


def fetch_body(session: Session, crawl_id: int, page_key: str) -> tuple[Fetch, bytes]:
    """The archived response of one page in one crawl: the fetch row and its body's bytes.

    NotFoundError names what is missing: the crawl, the page in that crawl, or a body (a failed
    fetch or a 304 archives none; `gc` may have removed an old one).
    """
    if session.get(Crawl, crawl_id) is None:
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
