"""`keika replay --archive`: today's parser over yesterday's responses.

A parser change is checked against real history before it ships: every archived response that
was parsed is parsed again and compared, record by record, with what was recorded then. Nothing
is written unless the user applies the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.diff import KnownEntry, RecordDiff, diff_entries, diff_page_info
from pipeline.domain.errors import InputError
from pipeline.domain.records import ParsedPage
from pipeline.parse import parse_page
from pipeline.selectors import Selectors
from storage.archive import snapshot_bytes
from storage.db import Database
from storage.entries import apply_diff, known_entries
from storage.models import Fetch, Page, Snapshot, utcnow


@dataclass(frozen=True, slots=True)
class ReparseResult:
    """One archived response: what was recorded, and how today's parse differs from it."""

    fetch_id: int
    crawl_id: int
    page: str
    outcome: str
    recorded_count: int
    new_count: int
    entry_counts: dict[str, int]
    entry_details: tuple[str, ...]
    page_fields: tuple[str, ...]
    error: str | None = None

    @property
    def differs(self) -> bool:
        return bool(self.entry_counts or self.page_fields or self.error)

    def line(self) -> str:
        head = f"crawl {self.crawl_id} {self.page} (fetch {self.fetch_id}, {self.outcome})"
        if self.error:
            return f"{head}: error: {self.error}"
        if not self.differs:
            return f"{head}: same {self.new_count} entries"
        parts = [f"{n} {kind}" for kind, n in self.entry_counts.items()]
        if self.page_fields:
            parts.append(f"page {', '.join(self.page_fields)}")
        counts = f"{self.recorded_count} → {self.new_count} entries"
        return f"{head}: would differ: {', '.join(parts)} ({counts})"


def compare_parses(recorded: ParsedPage, new: ParsedPage) -> tuple[RecordDiff, tuple[str, ...]]:
    """Record-level differences between two parses of the same bytes (pure)."""
    known = [
        KnownEntry(entry_id=i, record=record, position=i)
        for i, record in enumerate(recorded.entries)
    ]
    return diff_entries(known, new.entries), diff_page_info(recorded.page, new.page)


def _details(diff: RecordDiff) -> tuple[str, ...]:
    lines = []
    for change in diff.changes:
        if change.kind == "moved":
            continue
        record = change.after or change.before
        label = record.date_text if record else "?"
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        lines.append(f"{change.kind}: {label}{fields}")
    return tuple(lines)


SelectorsFor = Callable[[str], Selectors | None]


def reparse_archive(
    db: Database, *, page_key: str | None = None, selectors_for: SelectorsFor | None = None
) -> list[ReparseResult]:
    results = []
    with db.session() as session:
        query = (
            select(Fetch, Page.key, Snapshot)
            .join(Page, Fetch.page_id == Page.id)
            .join(Snapshot, Fetch.snapshot_id == Snapshot.id)
            .where(Fetch.parsed.is_not(None))
            .order_by(Fetch.id)
        )
        if page_key:
            query = query.where(Page.key == page_key)
        for fetch, key, snapshot in session.execute(query):
            results.append(_reparse_one(fetch, key, snapshot, selectors_for))
    return results


def _reparse_one(
    fetch: Fetch, key: str, snapshot: Snapshot, selectors_for: SelectorsFor | None
) -> ReparseResult:
    recorded = ParsedPage.from_dict(fetch.parsed or {})
    base = dict(
        fetch_id=fetch.id,
        crawl_id=fetch.crawl_id,
        page=key,
        outcome=fetch.outcome,
        recorded_count=len(recorded.entries),
    )
    try:
        new = parse_page(
            snapshot_bytes(snapshot),
            url=fetch.final_url or fetch.url,
            content_type=(fetch.headers or {}).get("content-type"),
            selectors=selectors_for(key) if selectors_for else None,
        )
    except InputError as exc:
        return ReparseResult(
            **base, new_count=0, entry_counts={}, entry_details=(), page_fields=(), error=str(exc)
        )
    diff, page_fields = compare_parses(recorded, new)
    counts = {k: n for k, n in diff.counts.items() if n and k != "moved"}
    return ReparseResult(
        **base,
        new_count=len(new.entries),
        entry_counts=counts,
        entry_details=_details(diff),
        page_fields=page_fields,
    )


def apply_reparse(
    db: Database, results: list[ReparseResult], *, selectors_for: SelectorsFor | None = None
) -> int:
    """Record today's parse for the differing fetches, and bring each page's current entries
    in line with its last good response. Events written here carry detail source=replay and
    are never notified: they are parser changes, not page changes."""
    applied = 0
    with db.session() as session:
        for result in results:
            if not result.differs or result.error:
                continue
            fetch = session.get(Fetch, result.fetch_id)
            if fetch is None or fetch.snapshot is None:
                continue
            new = parse_page(
                snapshot_bytes(fetch.snapshot),
                url=fetch.final_url or fetch.url,
                content_type=(fetch.headers or {}).get("content-type"),
                selectors=selectors_for(result.page) if selectors_for else None,
            )
            fetch.parsed = new.to_dict()
            fetch.entry_count = len(new.entries)
            applied += 1
            page = fetch.page
            if page.last_good_fetch_id == fetch.id:
                _realign_current(session, page, fetch, new)
    return applied


def _realign_current(session: Session, page: Page, fetch: Fetch, new: ParsedPage) -> None:
    diff = diff_entries(known_entries(session, page), new.entries)
    events = apply_diff(
        session,
        page,
        diff,
        new.entries,
        crawl_id=fetch.crawl_id,
        fetch_id=fetch.id,
        now=utcnow(),
    )
    for event in events:
        event.detail = {**(event.detail or {}), "source": "replay"}
    page.info = new.page.to_dict()
    page.entry_count = len(new.entries)
