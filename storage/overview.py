"""Read side for the web view: pages at a glance, filtered and paged change log, crawl history.

Builds on storage.changes (its change query and ChangeRow) and storage.crawls (FetchRow), so the
web shows exactly the rows `keika changes/crawls/entries` print, only filtered and paged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipeline.domain.errors import NotFoundError
from storage.archive import snapshot_bytes
from storage.changes import (
    ChangeRow,
    Window,
    change_query,
    change_row,
    in_window,
    require_id,
    require_page,
)
from storage.crawls import FetchRow, fetch_row_of, fetch_row_query
from storage.models import ChangeEvent, Crawl, Entry, Fetch, Page, Snapshot

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageSummary:
    """One watched page: how its last crawl went, how many entries it has, when it last changed."""

    key: str
    url: str
    title: str | None
    entry_count: int
    change_count: int
    last_fetch: FetchRow | None
    last_change: ChangeRow | None
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class CrawlSummary:
    """One crawl run with what happened to each page in it."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    trigger: str
    counts: dict[str, int]
    fetches: tuple[FetchRow, ...]


@dataclass(frozen=True, slots=True)
class Paged(Generic[T]):
    """One page of a longer list: the rows, and how many there are in all."""

    rows: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def page_summaries(session: Session, key: str | None = None) -> list[PageSummary]:
    """Every watched page (or just `key`) in key order, with its last fetch and last change."""
    live = (
        select(Entry.page_id, func.count().label("n"))
        .where(Entry.removed_at.is_(None))
        .group_by(Entry.page_id)
        .subquery()
    )
    last_fetch = (
        select(Fetch.page_id, func.max(Fetch.id).label("fetch_id")).group_by(Fetch.page_id)
    ).subquery()
    changes = (
        select(
            ChangeEvent.page_id,
            func.max(ChangeEvent.id).label("change_id"),
            func.count().label("n"),
        ).group_by(ChangeEvent.page_id)
    ).subquery()
    query = (
        select(Page, live.c.n, last_fetch.c.fetch_id, changes.c.change_id, changes.c.n)
        .outerjoin(live, live.c.page_id == Page.id)
        .outerjoin(last_fetch, last_fetch.c.page_id == Page.id)
        .outerjoin(changes, changes.c.page_id == Page.id)
        .order_by(Page.key)
    )
    if key is not None:
        query = query.where(Page.key == key)
    rows = session.execute(query).all()
    if key is not None and not rows:
        raise NotFoundError(f"unknown page {key!r}")
    fetch_ids = [r[2] for r in rows if r[2] is not None]
    change_ids = [r[3] for r in rows if r[3] is not None]
    fetches = {
        row.id: fetch_row_of(row)
        for row in session.execute(fetch_row_query().where(Fetch.id.in_(fetch_ids)))
    }
    last_changes = {
        r.id: r
        for r in (
            change_row(*row)
            for row in session.execute(change_query().where(ChangeEvent.id.in_(change_ids)))
        )
    }
    return [
        PageSummary(
            key=page.key,
            url=page.url,
            title=(page.info or {}).get("title"),
            entry_count=entries or 0,
            change_count=change_count or 0,
            last_fetch=fetches.get(fetch_id) if fetch_id else None,
            last_change=last_changes.get(change_id) if change_id else None,
            timezone=page.timezone,
        )
        for page, entries, fetch_id, change_id, change_count in rows
    ]


def page_summary(session: Session, key: str) -> PageSummary:
    return page_summaries(session, key)[0]


def _filtered_changes(
    page: str | None,
    kinds: tuple[str, ...],
    window: Window | None,
    entry_id: int | None,
) -> Any:
    query = change_query()
    if page:
        query = query.where(Page.key == page)
    if kinds:
        query = query.where(ChangeEvent.kind.in_(kinds))
    query = in_window(query, window)
    if entry_id is not None:
        query = query.where(ChangeEvent.entry_id == entry_id)
    return query


def change_page(
    session: Session,
    *,
    page: str | None = None,
    kinds: tuple[str, ...] = (),
    window: Window | None = None,
    entry_id: int | None = None,
    number: int = 1,
    per_page: int = 50,
) -> Paged[ChangeRow]:
    """Change events newest first, `per_page` at a time, detected in `window` (its `until`
    exclusive, per page timezone: see storage.changes.page_zones).

    An unknown page key raises NotFoundError (as list_changes does) rather than listing nothing.
    """
    if page:
        require_page(session, page)
    query = _filtered_changes(page, kinds, window, entry_id)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.execute(
        query.order_by(ChangeEvent.id.desc()).offset((number - 1) * per_page).limit(per_page)
    )
    return Paged([change_row(*r) for r in rows], total or 0, number, per_page)


def crawl_page(
    session: Session, *, page: str | None = None, number: int = 1, per_page: int = 50
) -> Paged[CrawlSummary]:
    """Crawl runs newest first, each with its fetches (only `page`'s when given)."""
    query = select(Crawl)
    if page:
        page_id = require_page(session, page).id
        query = query.where(Crawl.id.in_(select(Fetch.crawl_id).where(Fetch.page_id == page_id)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    crawls = session.scalars(
        query.order_by(Crawl.id.desc()).offset((number - 1) * per_page).limit(per_page)
    ).all()
    fetch_query = (
        fetch_row_query().where(Fetch.crawl_id.in_([c.id for c in crawls])).order_by(Fetch.id)
    )
    if page:
        fetch_query = fetch_query.where(Page.key == page)
    by_crawl: dict[int, list[FetchRow]] = {}
    for row in session.execute(fetch_query):
        by_crawl.setdefault(row.crawl_id, []).append(fetch_row_of(row))
    rows = [
        CrawlSummary(
            id=c.id,
            started_at=c.started_at,
            finished_at=c.finished_at,
            status=c.status,
            trigger=c.trigger,
            counts=dict(c.counts or {}),
            fetches=tuple(by_crawl.get(c.id, ())),
        )
        for c in crawls
    ]
    return Paged(rows, total, number, per_page)


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    """The response a crawl archived for one page: what the page was, byte for byte."""

    crawl: int
    page: str
    url: str
    status: int | None
    fetched_at: datetime | None
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return {k.lower(): v for k, v in self.headers.items()}.get("content-type", "")


def archived_response(session: Session, crawl_id: int, key: str) -> ArchivedResponse:
    """The archived body behind `key`'s fetch in crawl `crawl_id` (the page as it was then).

    NotFoundError when the crawl did not fetch the page or kept no body (a 304, a failure).
    """
    require_id(crawl_id, "crawl")
    page = require_page(session, key)
    row = session.execute(
        select(Fetch.url, Fetch.status, Fetch.fetched_at, Fetch.headers, Snapshot)
        .join(Snapshot, Fetch.snapshot_id == Snapshot.id)
        .where(Fetch.crawl_id == crawl_id, Fetch.page_id == page.id)
        .order_by(Fetch.id.desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFoundError(f"no archived response for {key!r} in crawl {crawl_id}")
    url, status, fetched_at, headers, snapshot = row
    return ArchivedResponse(
        crawl=crawl_id,
        page=key,
        url=url,
        status=status,
        fetched_at=fetched_at,
        headers=dict(headers or {}),
        body=snapshot_bytes(snapshot),
    )
