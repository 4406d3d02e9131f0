"""Crawl runs: starting, finishing, and noticing the ones a crash left behind."""

from __future__ import annotations

import os
import socket
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, or_, select
from sqlalchemy.orm import Session

from pipeline.domain.kinds import CrawlStatus
from storage.models import Crawl, Fetch, Page, utcnow


@dataclass(frozen=True, slots=True)
class FetchRow:
    """One page in one crawl, as `keika crawls` lists it."""

    crawl: int
    page: str
    url: str
    outcome: str
    status: int | None
    started_at: datetime
    fetched_at: datetime | None
    duration_ms: int | None
    entry_count: int | None
    counts: dict[str, int] | None
    error: str | None
    crawl_status: str
    # Whether the response behind it is in the archive (the web links to it); not in the JSON.
    archived: bool = False
    timezone: str | None = None  # the page's, for showing times (not in the JSON)

    def to_dict(self) -> dict[str, object]:
        return {
            "crawl": self.crawl,
            "page": self.page,
            "url": self.url,
            "outcome": self.outcome,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
            "duration_ms": self.duration_ms,
            "entries": self.entry_count,
            "counts": self.counts or {},
            "error": self.error,
            "crawl_status": self.crawl_status,
        }


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted(session: Session) -> list[int]:
    """Crawls still 'running' whose process is gone were cut short: say so.

    Only this machine's crawls are judged (a pid means nothing on another host): a worker on
    another machine keeps its crawl until its own queue lease runs out and it is closed there.
    """
    here = socket.gethostname()
    stale = session.scalars(
        select(Crawl).where(
            Crawl.status == CrawlStatus.RUNNING, or_(Crawl.host.is_(None), Crawl.host == here)
        )
    ).all()
    marked = []
    for crawl in stale:
        if crawl.pid != os.getpid() and not _pid_alive(crawl.pid):
            crawl.status = CrawlStatus.INTERRUPTED
            crawl.finished_at = crawl.finished_at or utcnow()
            marked.append(crawl.id)
    return marked


def start_crawl(session: Session, trigger: str = "manual") -> int:
    mark_interrupted(session)
    crawl = Crawl(
        trigger=trigger, pid=os.getpid(), host=socket.gethostname(), status=CrawlStatus.RUNNING
    )
    session.add(crawl)
    session.flush()
    return crawl.id


def finish_crawl(
    session: Session, crawl_id: int, status: str = CrawlStatus.FINISHED
) -> dict[str, int]:
    crawl = session.get(Crawl, crawl_id)
    if crawl is None:
        return {}
    outcomes = session.scalars(select(Fetch.outcome).where(Fetch.crawl_id == crawl_id)).all()
    counts = dict(Counter(outcomes))
    crawl.counts = counts
    crawl.status = status
    crawl.finished_at = utcnow()
    return counts


def fetch_row(fetch: Fetch, key: str, crawl_status: str) -> FetchRow:
    return FetchRow(
        crawl=fetch.crawl_id,
        page=key,
        url=fetch.url,
        outcome=fetch.outcome,
        status=fetch.status,
        started_at=fetch.started_at,
        fetched_at=fetch.fetched_at,
        duration_ms=fetch.duration_ms,
        entry_count=fetch.entry_count,
        counts=fetch.counts,
        error=fetch.error,
        crawl_status=crawl_status,
        archived=fetch.snapshot_id is not None,
    )


def fetch_row_query() -> Select[Any]:
    """The columns a FetchRow shows, and no more: a fetch's parsed JSON and headers can be
    hundreds of kilobytes (600 entries), and a list of crawls needs none of it."""
    return (
        select(
            Fetch.id,
            Fetch.crawl_id,
            Fetch.url,
            Fetch.outcome,
            Fetch.status,
            Fetch.started_at,
            Fetch.fetched_at,
            Fetch.duration_ms,
            Fetch.entry_count,
            Fetch.counts,
            Fetch.error,
            Fetch.snapshot_id,
            Page.key,
            Page.timezone,
            Crawl.status.label("crawl_status"),
        )
        .join(Page, Fetch.page_id == Page.id)
        .join(Crawl, Fetch.crawl_id == Crawl.id)
    )


def fetch_row_of(row: Row[Any]) -> FetchRow:
    """A FetchRow from one row of fetch_row_query()."""
    return FetchRow(
        crawl=row.crawl_id,
        page=row.key,
        url=row.url,
        outcome=row.outcome,
        status=row.status,
        started_at=row.started_at,
        fetched_at=row.fetched_at,
        duration_ms=row.duration_ms,
        entry_count=row.entry_count,
        counts=row.counts,
        error=row.error,
        crawl_status=row.crawl_status,
        archived=row.snapshot_id is not None,
        timezone=row.timezone,
    )


def fetch_rows(
    session: Session, page_key: str | None = None, crawl_id: int | None = None
) -> list[FetchRow]:
    query = fetch_row_query().order_by(Fetch.crawl_id, Fetch.id)
    if page_key:
        query = query.where(Page.key == page_key)
    if crawl_id is not None:
        query = query.where(Fetch.crawl_id == crawl_id)
    return [fetch_row_of(row) for row in session.execute(query)]


def page_validators(
    session: Session, keys: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """ETag and Last-Modified of each known page's last good response, by page key."""
    rows = session.execute(
        select(Page.key, Page.etag, Page.last_modified).where(Page.key.in_(list(keys)))
    )
    return {key: (etag, modified) for key, etag, modified in rows}


def reported_pages(session: Session, crawl_id: int) -> set[str]:
    """Keys of the pages that have a fetch in this crawl."""
    return set(
        session.scalars(
            select(Page.key).join(Fetch, Fetch.page_id == Page.id).where(Fetch.crawl_id == crawl_id)
        )
    )


@dataclass(frozen=True, slots=True)
class LastFetch:
    """A page's latest fetch, as `keika accept` needs it: what came and what was made of it."""

    id: int
    crawl_id: int
    outcome: str
    url: str
    final_url: str | None
    status: int | None
    headers: dict[str, str] | None
    snapshot_id: int | None


def last_fetch(session: Session, page_key: str) -> LastFetch | None:
    """The page's latest fetch (latest started; the later row of two started at once)."""
    row = session.execute(
        select(
            Fetch.id,
            Fetch.crawl_id,
            Fetch.outcome,
            Fetch.url,
            Fetch.final_url,
            Fetch.status,
            Fetch.headers,
            Fetch.snapshot_id,
        )
        .join(Page, Fetch.page_id == Page.id)
        .where(Page.key == page_key)
        .order_by(Fetch.started_at.desc(), Fetch.id.desc())
        .limit(1)
    ).first()
    return LastFetch(*row) if row is not None else None
