"""The ingest stage: one fetched page in, one committed outcome out.

Everything that one page's crawl writes — the archived response, the parsed records, entry
versions, change events and the notifications they cause — is committed in one transaction, so a
crash leaves the previous state intact. Failed and suspect fetches never produce entry events:
the next good parse is compared with the last good one.

Crawls of one page may overlap (a manual `keika crawl` beside the scheduler, a late worker), so
the transaction first locks the page (`storage.pages.lock_page`) and diffs against the state read
under that lock; a result fetched before the page's last compared fetch is recorded as stale and
compared with nothing. Any number of concurrent crawls then record what one at a time would.

Writes are Core statements (no ORM unit of work): a first crawl ingests every page, so each
statement saved is saved a thousand times.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from pipeline.diff import diff_entries, diff_page_info
from pipeline.digest import ChangeItem, entry_change_items, page_change_item
from pipeline.domain.errors import InputError, SeedError
from pipeline.domain.fetch import FetchResult
from pipeline.domain.kinds import GOOD_OUTCOMES, ChangeKind, Outcome
from pipeline.domain.records import PageInfo, ParsedPage, RecordDiff
from pipeline.domain.seed import Seed
from pipeline.parse import elsewhere, parse_page
from pipeline.selectors import Selectors
from pipeline.services.notify import queue_notifications
from storage.archive import (
    body_for_sha256,
    body_for_snapshot,
    body_sha256,
    snapshot_id_for,
    store_snapshot_id,
)
from storage.crawls import finish_crawl, last_fetch, start_crawl
from storage.db import Database
from storage.entries import (
    known_entries,
    page_event_row,
    record_baseline,
    removed_entries,
    write_diff,
)
from storage.models import Fetch, Page, utcnow
from storage.pages import PageState, known_body, lock_page, update_page

SUSPECT_RATIO = 0.5
#: How many final bytes (trailing white space aside) say that two responses end the same way.
ENDING_BYTES = 64
#: How a document closes, in the bytes of any ASCII-compatible encoding or of UTF-16.
_DOCUMENT_ENDS = tuple(
    tag.encode(codec)
    for tag in ("</html", "</body")
    for codec in ("ascii", "utf-16-le", "utf-16-be")
)
_INSERT_FETCH = insert(Fetch.__table__).returning(Fetch.__table__.c.id)


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


def selectors_for(seed: Seed) -> Selectors | None:
    if not seed.selectors:
        return None
    try:
        return Selectors.from_mapping(dict(seed.selectors))
    except SeedError as exc:
        raise SeedError(f"{seed.source}: page {seed.key!r}: {exc}") from exc


def classify(parsed: ParsedPage, last_count: int | None) -> str | None:
    """Why a parse is not to be trusted ('suspect'), or None when it looks like the page.

    `last_count` 0 means a user accepted an empty page (`keika accept`): empty is the page now.
    """
    count = len(parsed.entries)
    if count == 0 and last_count != 0:
        return "no dated entries found"
    if last_count and count < last_count * SUSPECT_RATIO:
        return f"only {count} entries where the last good crawl had {last_count}"
    return None


def closes_document(body: bytes) -> bool:
    """Whether the bytes hold the end of an HTML document (a closing </body> or </html>)."""
    lowered = body.lower()
    return any(end in lowered for end in _DOCUMENT_ENDS)


def cut_short(body: bytes, last_good: bytes | None) -> str | None:
    """Why a response looks cut off (a server that died mid-page, a proxy that gave up), or None.

    A body that neither closes its document (</body>, </html>) nor ends the way the page's last
    good response ended is not the page: whatever it lacks would read as removed entries or
    shortened ones. Ingest asks only when the parse would remove or rewrite text, so a cut in
    the footer is taken as it reads, and a new template that leaves out the optional end tags
    is taken once (nothing lost) and from then on ends like the last good response.
    """
    if last_good is None or closes_document(body):
        return None
    if body.rstrip()[-ENDING_BYTES:] == last_good.rstrip()[-ENDING_BYTES:]:
        return None
    return "the response ends before the page does (no </html>, nor the last good ending): cut off?"


def ingest_fetch(db: Database, crawl_id: int, seed: Seed, result: FetchResult) -> PageOutcome:
    """Ingest one result in its own transaction; the body is parsed before the page is locked,
    so parsing (the costly part) never holds the lock and several ingest processes can parse
    at once while their writes take turns."""
    parsed = None
    if result.body is not None and result.error is None:
        with db.session() as session:
            known = known_body(session, seed.key)
        if known != body_sha256(result.body):
            parsed = parse_body(seed, result)
    with db.session(write=True) as session:
        return ingest_in_session(session, crawl_id, seed, result, parsed=parsed)


def parse_body(seed: Seed, result: FetchResult) -> ParsedPage | InputError:
    """The result's body parsed with the seed's selectors, or why it cannot be."""
    try:
        return parse_page(
            result.body or b"",
            url=result.final_url or result.url,
            content_type=result.content_type,
            selectors=selectors_for(seed),
        )
    except InputError as exc:
        return exc


class _Ingest:
    """One page's ingest: the locked page state, the fetch row being built, what changed."""

    def __init__(
        self, session: Session, crawl_id: int, seed: Seed, result: FetchResult, page: PageState
    ) -> None:
        self.session = session
        self.crawl_id = crawl_id
        self.seed = seed
        self.result = result
        self.page = page
        self.page_updates: dict[str, Any] = {}
        self.fetch: dict[str, Any] = {
            "crawl_id": crawl_id,
            "page_id": page.id,
            "started_at": result.started_at,
            "fetched_at": result.fetched_at,
            "url": result.url,
            "final_url": result.final_url,
            "status": result.status,
            "headers": dict(result.headers) or None,
            "snapshot_id": None,
            "outcome": Outcome.FAILED,
            "error": None,
            "duration_ms": _duration_ms(result),
            "entry_count": None,
            "counts": None,
            "parsed": None,
        }
        self.changes: list[ChangeItem] = []
        self.accepting = False  # the body is a suspect parse a user accepted: no second guess

    def set_page(self, **values: Any) -> None:
        for name, value in values.items():
            if getattr(self.page, name) != value:
                setattr(self.page, name, value)
                self.page_updates[name] = value

    def fail(self, reason: str) -> None:
        self.fetch["outcome"] = Outcome.FAILED
        self.fetch["error"] = reason
        self.set_page(failures_in_row=self.page.failures_in_row + 1)

    def insert_fetch(self) -> int:
        fetch_id = self.session.connection().scalar(_INSERT_FETCH, self.fetch)
        self.fetch["id"] = fetch_id
        return fetch_id


def ingest_in_session(
    session: Session,
    crawl_id: int,
    seed: Seed,
    result: FetchResult,
    *,
    parsed: ParsedPage | InputError | None = None,
    accepting: int | None = None,
) -> PageOutcome:
    """Ingest one result in the caller's (write) transaction; the page is locked until it ends.

    `parsed` is the body already parsed (`parse_body`), if the caller did that first.
    `accepting`: the id of the suspect fetch whose body this is (`accept_suspect`); it must
    still be the page's latest fetch once the page is locked.
    """
    page = lock_page(session, seed.key, seed.url, seed.timezone)
    if accepting is not None:
        latest = last_fetch(session, seed.key)
        if latest is None or latest.id != accepting:
            raise InputError(
                f"page {seed.key!r} was crawled again meanwhile; nothing accepted (try again)"
            )
    job = _Ingest(session, crawl_id, seed, result, page)
    job.accepting = accepting is not None
    job.set_page(url=seed.url, timezone=seed.timezone)
    digest = body_sha256(result.body) if result.body is not None else None
    if digest is not None:
        assert result.body is not None
        known = digest == page.body_sha256 and snapshot_id_for(session, digest)
        job.fetch["snapshot_id"] = known or store_snapshot_id(session, result.body, digest)

    stale = (
        page.last_fetch_started_at is not None and result.started_at < page.last_fetch_started_at
    )
    if stale:
        # A newer fetch already set the page's state: keep this one, compare it with nothing.
        if result.error is not None or (result.body is None and not result.not_modified):
            job.fetch["outcome"] = Outcome.FAILED
            job.fetch["error"] = result.error or f"HTTP {result.status} without a body"
        else:
            job.fetch["outcome"] = Outcome.STALE
            job.fetch["error"] = "fetched before the page's last compared fetch; not compared"
        job.insert_fetch()
        update_page(session, page.id, job.page_updates)
        return _outcome(job, Counter())

    kinds: list[str] = []
    if result.error is not None:
        job.fail(result.error)
        job.insert_fetch()
    elif result.not_modified:
        job.fetch["outcome"] = Outcome.NOT_MODIFIED
        job.fetch["entry_count"] = page.entry_count
        job.insert_fetch()
    elif result.body is None or digest is None:
        job.fail(f"HTTP {result.status} without a body")
        job.insert_fetch()
    else:
        kinds = _ingest_body(job, result.body, digest, utcnow(), parsed)

    if job.fetch["outcome"] in GOOD_OUTCOMES:
        job.set_page(failures_in_row=0)
    counts = Counter(kinds)
    if _may_notify(job):
        page_model = Page(
            id=page.id,
            key=page.key,
            url=page.url,
            info=page.info,
            failures_in_row=page.failures_in_row,
            failing_alerted=page.failing_alerted,
        )
        fetch_model = Fetch(**job.fetch)
        queue_notifications(session, seed, page_model, fetch_model, job.changes)
        job.set_page(failing_alerted=bool(page_model.failing_alerted))
    update_page(session, page.id, job.page_updates)
    return _outcome(job, counts)


def _may_notify(job: _Ingest) -> bool:
    """Whether `queue_notifications` could have anything to queue or an alert state to keep."""
    outcome = job.fetch["outcome"]
    if job.changes or outcome in (Outcome.FAILED, Outcome.SUSPECT):
        return True
    return job.page.failing_alerted


def _outcome(job: _Ingest, counts: Counter[str]) -> PageOutcome:
    fetch = job.fetch
    return PageOutcome(
        key=job.seed.key,
        outcome=fetch["outcome"],
        status=fetch["status"],
        error=fetch["error"],
        entry_count=fetch["entry_count"],
        counts=dict(counts),
        fetch_id=fetch["id"],
    )


def _duration_ms(result: FetchResult) -> int | None:
    if result.fetched_at is None:
        return None
    return int((result.fetched_at - result.started_at).total_seconds() * 1000)


def _ingest_body(
    job: _Ingest,
    body: bytes,
    digest: str,
    now: datetime,
    parsed: ParsedPage | InputError | None,
) -> list[str]:
    """Parse, diff and store a fetched body; the kinds of the events written."""
    page, fetch, result = job.page, job.fetch, job.result
    if page.last_good_fetch_id is not None and digest == page.body_sha256:
        # Same bytes as the last good response: nothing to parse, nothing can have changed.
        fetch["outcome"] = Outcome.UNCHANGED
        fetch["entry_count"] = page.entry_count
        job.insert_fetch()
        _remember_validators(job, digest)
        return []
    if parsed is None:
        parsed = parse_body(job.seed, result)
    if isinstance(parsed, InputError):
        job.fail(f"cannot parse: {parsed}")
        job.insert_fetch()
        return []
    # With the codec the bytes were read with (the label may have been overridden).
    fetch["parsed"] = {**parsed.to_dict(), "encoding": parsed.encoding}
    fetch["entry_count"] = len(parsed.entries)
    reason = None if job.accepting else classify(parsed, page.entry_count)
    if reason is not None:
        if not parsed.entries:  # a moved page often leaves a pointer: say where
            hint = elsewhere(
                body, url=result.final_url or result.url, content_type=result.content_type
            )
            reason += f"; {hint}" if hint else ""
        return _suspect(job, reason)

    session = job.session
    kinds: list[str] = []
    if page.last_good_fetch_id is None:
        fetch["outcome"] = Outcome.BASELINE
        fetch_id = job.insert_fetch()
        record_baseline(session, page.id, parsed.entries, fetch_id, now)
    else:
        diff = diff_entries(
            known_entries(session, page.id), parsed.entries, removed_entries(session, page.id)
        )
        before = PageInfo.from_dict(page.info) if page.info else None
        if before is not None and "text" not in page.info:
            # Stored by a keika that did not read page text yet: its text is unknown, not empty,
            # so the first parse after an upgrade reports no `text` change.
            before = replace(before, text=parsed.page.text)
        page_fields = diff_page_info(before, parsed.page)
        if (
            not job.accepting
            and _loses_text(diff, page_fields)
            and not closes_document(body)
            and page.body_sha256
        ):
            reason = cut_short(body, body_for_sha256(session, page.body_sha256))
            if reason is not None:
                return _suspect(job, reason)
        job.changes = entry_change_items(diff)
        if page_fields:
            job.changes.append(page_change_item(before, parsed.page, page_fields))
        counts = Counter(str(c.kind) for c in diff.changes)
        if page_fields:
            counts["page"] += 1
        fetch["outcome"] = Outcome.CHANGED if counts else Outcome.UNCHANGED
        fetch["counts"] = dict(counts) or None
        fetch_id = job.insert_fetch()
        page_event = (
            page_event_row(
                page.id,
                before,
                parsed.page,
                page_fields,
                crawl_id=job.crawl_id,
                fetch_id=fetch_id,
                now=now,
            )
            if page_fields
            else None
        )
        kinds = write_diff(
            session,
            page.id,
            diff,
            crawl_id=job.crawl_id,
            fetch_id=fetch_id,
            now=now,
            page_event=page_event,
        )
    job.set_page(
        info={**parsed.page.to_dict(), "text": list(parsed.page.text)},  # "text" always kept
        entry_count=len(parsed.entries),
        last_good_fetch_id=fetch["id"],
        last_good_at=now,
    )
    _remember_validators(job, digest)
    return kinds


def accept_suspect(db: Database, seed: Seed) -> tuple[int, int, PageOutcome]:
    """Take the page's latest crawl, held back as suspect, as the page after all.

    A page can really shrink by half, or lose its end tags with its text: every crawl of it is
    then suspect and nothing is ever compared again. Accepting re-reads the archived response
    (with today's parser and the seed's selectors) in a crawl of its own (trigger "accept"),
    compares it with the last good crawl as if it were good, and records and notifies what
    changed; later crawls compare with it. Only the page's latest fetch can be accepted, and
    only while it is: a crawl that lands meanwhile wins (`InputError`, nothing written).

    Returns the crawl accepted, the crawl that took it, and the outcome.
    """
    with db.session(write=True) as session:
        latest = last_fetch(session, seed.key)
        if latest is None:
            raise InputError(f"page {seed.key!r} has not been crawled: nothing to accept")
        if latest.outcome != Outcome.SUSPECT:
            raise InputError(
                f"page {seed.key!r}: its latest crawl ({latest.crawl_id}) is {latest.outcome}, "
                "not suspect: nothing to accept"
            )
        body = body_for_snapshot(session, latest.snapshot_id) if latest.snapshot_id else None
        if body is None:
            raise InputError(
                f"page {seed.key!r}: the response of crawl {latest.crawl_id} is no longer "
                "archived: nothing to accept"
            )
        now = utcnow()
        result = FetchResult(
            key=seed.key,
            url=latest.url,
            started_at=now,
            fetched_at=now,
            final_url=latest.final_url,
            status=latest.status,
            headers=dict(latest.headers or {}),
            body=body,
        )
        parsed = parse_body(seed, result)
        if isinstance(parsed, InputError):
            raise InputError(f"page {seed.key!r}: cannot parse crawl {latest.crawl_id}: {parsed}")
        crawl_id = start_crawl(session, trigger="accept")
        outcome = ingest_in_session(
            session, crawl_id, seed, result, parsed=parsed, accepting=latest.id
        )
        finish_crawl(session, crawl_id)
        return latest.crawl_id, crawl_id, outcome


def _suspect(job: _Ingest, reason: str) -> list[str]:
    """Record the fetch as suspect: archived and kept, compared with nothing."""
    job.fetch["outcome"] = Outcome.SUSPECT
    job.fetch["error"] = reason
    job.set_page(failures_in_row=0)
    job.insert_fetch()
    return []


def _loses_text(diff: RecordDiff, page_fields: tuple[str, ...]) -> bool:
    """Whether taking this parse would remove or rewrite text: an entry removed or edited, or
    the page's own text changed (what a response cut short does; additions and moves not)."""
    lossy = (ChangeKind.REMOVED, ChangeKind.EDITED)
    return "text" in page_fields or any(change.kind in lossy for change in diff.changes)


def _remember_validators(job: _Ingest, digest: str) -> None:
    """The validators and hash of the page's latest good body, and when it was fetched."""
    headers = job.result.headers
    job.set_page(
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        body_sha256=digest,
        last_fetch_started_at=job.result.started_at,
    )
