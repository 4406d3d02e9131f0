"""The ingest stage: one fetched page in, one committed outcome out.

Everything that one page's crawl writes — the archived response, the parsed records, entry
versions, change events and the notifications they cause — is committed in one transaction, so a
crash leaves the previous state intact. Failed and suspect fetches never produce entry events:
the next good parse is compared with the last good one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pipeline.diff import diff_entries, diff_page_info
from pipeline.digest import ChangeItem, entry_change_items, page_change_item
from pipeline.domain.errors import InputError, SeedError
from pipeline.domain.fetch import FetchResult
from pipeline.domain.kinds import GOOD_OUTCOMES, Outcome
from pipeline.domain.records import PageInfo, ParsedPage
from pipeline.domain.seed import Seed
from pipeline.parse import Selectors, parse_page
from pipeline.services.notify import queue_notifications
from storage.archive import body_sha256, store_snapshot
from storage.db import Database
from storage.entries import apply_diff, known_entries, record_baseline, record_page_event
from storage.models import ChangeEvent, Fetch, Page, utcnow

SUSPECT_RATIO = 0.5


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What happened to one page in one crawl, as the summary and the scheduler report it."""

    key: str
    outcome: str
    status: int | None = None
    error: str | None = None
    entry_count: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    fetch_id: int | None = None

    @property
    def good(self) -> bool:
        return self.outcome in GOOD_OUTCOMES


def page_for_seed(session: Session, seed: Seed) -> Page:
    page = session.scalar(select(Page).where(Page.key == seed.key))
    if page is None:
        page = Page(key=seed.key, url=seed.url, timezone=seed.timezone)
        session.add(page)
        session.flush()
    else:
        if page.url != seed.url:
            page.url = seed.url
        if page.timezone != seed.timezone:
            page.timezone = seed.timezone
    return page


def selectors_for(seed: Seed) -> Selectors | None:
    if not seed.selectors:
        return None
    try:
        return Selectors.from_mapping(dict(seed.selectors))
    except SeedError as exc:
        raise SeedError(f"{seed.source}: page {seed.key!r}: {exc}") from exc


def classify(parsed: ParsedPage, last_count: int | None) -> str | None:
    """Why a parse is not to be trusted ('suspect'), or None when it looks like the page."""
    count = len(parsed.entries)
    if count == 0:
        return "no dated entries found"
    if last_count and count < last_count * SUSPECT_RATIO:
        return f"only {count} entries where the last good crawl had {last_count}"
    return None


def ingest_fetch(db: Database, crawl_id: int, seed: Seed, result: FetchResult) -> PageOutcome:
    with db.session() as session:
        return ingest_in_session(session, crawl_id, seed, result)


def ingest_in_session(
    session: Session, crawl_id: int, seed: Seed, result: FetchResult
) -> PageOutcome:
    if result.not_modified:
        quick = _record_not_modified(session, crawl_id, seed, result)
        if quick is not None:
            return quick
    now = utcnow()
    page = page_for_seed(session, seed)
    fetch = Fetch(
        crawl_id=crawl_id,
        page_id=page.id,
        started_at=result.started_at,
        fetched_at=result.fetched_at,
        url=result.url,
        final_url=result.final_url,
        status=result.status,
        headers=dict(result.headers) or None,
        outcome=Outcome.FAILED,
    )
    fetch.duration_ms = _duration_ms(result)
    if result.body is not None:
        fetch.snapshot_id = store_snapshot(session, result.body).id
    session.add(fetch)
    session.flush()

    events: list[ChangeEvent] = []
    changes: list[ChangeItem] = []
    if result.error is not None:
        _fail(page, fetch, result.error)
    elif result.not_modified:
        fetch.outcome = Outcome.NOT_MODIFIED
        fetch.entry_count = page.entry_count
    elif result.body is None:
        _fail(page, fetch, f"HTTP {result.status} without a body")
    else:
        events, changes = _ingest_body(session, page, fetch, seed, result, crawl_id, now)

    if fetch.outcome in GOOD_OUTCOMES:
        page.failures_in_row = 0
    counts: dict[str, int] = {}
    for event in events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
    fetch.counts = counts or None
    queue_notifications(session, seed, page, fetch, changes)
    return PageOutcome(
        key=seed.key,
        outcome=fetch.outcome,
        status=fetch.status,
        error=fetch.error,
        entry_count=fetch.entry_count,
        counts=counts,
        fetch_id=fetch.id,
    )


def _duration_ms(result: FetchResult) -> int | None:
    if result.fetched_at is None:
        return None
    return int((result.fetched_at - result.started_at).total_seconds() * 1000)


def _record_not_modified(
    session: Session, crawl_id: int, seed: Seed, result: FetchResult
) -> PageOutcome | None:
    """A 304 for a page in good standing changes nothing but the fetch log.

    Most fetches of an unchanged crawl are this, so it is one SELECT and one INSERT without
    ORM objects; a page that failed before (recovery notice), moved URL or is new takes the
    full path.
    """
    pages = Page.__table__
    state = (
        session.connection()
        .execute(
            select(
                pages.c.id,
                pages.c.url,
                pages.c.timezone,
                pages.c.entry_count,
                pages.c.failures_in_row,
                pages.c.failing_alerted,
            ).where(pages.c.key == seed.key)
        )
        .first()
    )
    if (
        state is None
        or (state.url, state.timezone) != (seed.url, seed.timezone)
        or state.failures_in_row
        or state.failing_alerted
    ):
        return None
    fetches = Fetch.__table__
    fetch_id = session.connection().scalar(
        insert(fetches).returning(fetches.c.id),
        {
            "crawl_id": crawl_id,
            "page_id": state.id,
            "started_at": result.started_at,
            "fetched_at": result.fetched_at,
            "url": result.url,
            "final_url": result.final_url,
            "status": result.status,
            "headers": dict(result.headers) or None,
            "outcome": Outcome.NOT_MODIFIED,
            "duration_ms": _duration_ms(result),
            "entry_count": state.entry_count,
        },
    )
    return PageOutcome(
        key=seed.key,
        outcome=Outcome.NOT_MODIFIED,
        status=result.status,
        entry_count=state.entry_count,
        fetch_id=fetch_id,
    )


def _fail(page: Page, fetch: Fetch, reason: str) -> None:
    fetch.outcome = Outcome.FAILED
    fetch.error = reason
    page.failures_in_row = (page.failures_in_row or 0) + 1


def _ingest_body(
    session: Session,
    page: Page,
    fetch: Fetch,
    seed: Seed,
    result: FetchResult,
    crawl_id: int,
    now: datetime,
) -> tuple[list[ChangeEvent], list[ChangeItem]]:
    """Parse, diff and store a fetched body: the events written and the changes to notify."""
    body = result.body or b""
    digest = body_sha256(body)
    if page.last_good_fetch_id is not None and digest == page.body_sha256:
        # Same bytes as the last good response: nothing to parse, nothing can have changed.
        fetch.outcome = Outcome.UNCHANGED
        fetch.entry_count = page.entry_count
        _remember_validators(page, result, digest)
        return [], []
    try:
        parsed = parse_page(
            body,
            url=result.final_url or result.url,
            content_type=result.content_type,
            selectors=selectors_for(seed),
        )
    except InputError as exc:
        _fail(page, fetch, f"cannot parse: {exc}")
        return [], []
    # With the codec the bytes were read with (the label may have been overridden).
    fetch.parsed = {**parsed.to_dict(), "encoding": parsed.encoding}
    fetch.entry_count = len(parsed.entries)
    reason = classify(parsed, page.entry_count)
    if reason is not None:
        fetch.outcome = Outcome.SUSPECT
        fetch.error = reason
        page.failures_in_row = 0
        return [], []

    events: list[ChangeEvent] = []
    changes: list[ChangeItem] = []
    if page.last_good_fetch_id is None:
        record_baseline(session, page, parsed.entries, fetch.id, now)
        fetch.outcome = Outcome.BASELINE
    else:
        known = known_entries(session, page)
        diff = diff_entries(known, parsed.entries)
        events = apply_diff(
            session, page, diff, parsed.entries, crawl_id=crawl_id, fetch_id=fetch.id, now=now
        )
        changes = entry_change_items(diff)
        before = PageInfo.from_dict(page.info) if page.info else None
        fields = diff_page_info(before, parsed.page)
        if fields:
            events.append(
                record_page_event(
                    session,
                    page,
                    before,
                    parsed.page,
                    fields,
                    crawl_id=crawl_id,
                    fetch_id=fetch.id,
                    now=now,
                )
            )
            changes.append(page_change_item(before, parsed.page, fields))
        fetch.outcome = Outcome.CHANGED if events else Outcome.UNCHANGED
    page.info = parsed.page.to_dict()
    page.entry_count = len(parsed.entries)
    page.last_good_fetch_id = fetch.id
    page.last_good_at = now
    _remember_validators(page, result, digest)
    return events, changes


def _remember_validators(page: Page, result: FetchResult, digest: str) -> None:
    page.etag = result.headers.get("etag")
    page.last_modified = result.headers.get("last-modified")
    page.body_sha256 = digest
