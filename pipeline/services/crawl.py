"""A crawl's bookkeeping: its targets, its start and end, and pages the spider never reported.

`crawler.run.run_once` drives the spider between `begin_crawl` and `end_crawl`, so a crawl
means the same thing everywhere — including what happens to a page the spider never reported on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.domain.fetch import CrawlTarget, FetchResult
from pipeline.domain.kinds import ENTRY_CHANGE_KINDS, GOOD_OUTCOMES, CrawlStatus
from pipeline.domain.seed import Seed
from pipeline.services.ingest import ingest_fetch
from storage.crawls import (
    FetchRow,
    fetch_rows,
    finish_crawl,
    page_validators,
    reported_pages,
    start_crawl,
)
from storage.db import Database
from storage.models import utcnow


@dataclass(frozen=True, slots=True)
class CrawlReport:
    crawl_id: int
    rows: tuple[FetchRow, ...]
    seconds: float
    status: CrawlStatus = CrawlStatus.FINISHED

    @property
    def ok(self) -> bool:
        return self.status == CrawlStatus.FINISHED and all(
            r.outcome in GOOD_OUTCOMES for r in self.rows
        )

    def summary(self) -> str:
        outcomes = Counter(r.outcome for r in self.rows)
        changes: Counter[str] = Counter()
        for row in self.rows:
            changes.update(row.counts or {})
        parts = [f"{n} {name}" for name, n in sorted(outcomes.items())]
        text = f"crawl {self.crawl_id}: {len(self.rows)} page(s) — " + ", ".join(parts or ["none"])
        entry_changes = [f"{changes[k]} {k}" for k in ENTRY_CHANGE_KINDS if changes.get(k)]
        if entry_changes:
            text += f" ({', '.join(entry_changes)})"
        if self.status != CrawlStatus.FINISHED:
            text += f"; crawl {self.status}"
        return text + f" in {self.seconds:.1f}s"


def crawl_targets(db: Database, seeds: Sequence[Seed]) -> list[CrawlTarget]:
    """Seeds plus the validators remembered from each page's last good response.

    The one builder of crawl targets: `keika crawl`, the scheduler and the spider run as a
    Scrapy project all come here.
    """
    with db.session() as session:
        validators = page_validators(session, [s.key for s in seeds])
    return [CrawlTarget.for_seed(s, *validators.get(s.key, (None, None))) for s in seeds]


def begin_crawl(db: Database, trigger: str) -> int:
    with db.session() as session:
        return start_crawl(session, trigger)


def end_crawl(
    db: Database,
    crawl_id: int,
    seeds: Sequence[Seed],
    status: CrawlStatus = CrawlStatus.FINISHED,
    missing_reason: str = "the spider reported no result",
) -> CrawlReport:
    """Close a crawl: every seed the spider never reported on becomes a failed fetch."""
    record_missing(db, crawl_id, seeds, missing_reason)
    with db.session() as session:
        finish_crawl(session, crawl_id, status)
        rows = fetch_rows(session, crawl_id=crawl_id)
    return CrawlReport(crawl_id, tuple(rows), 0.0, status)


def record_missing(db: Database, crawl_id: int, seeds: Sequence[Seed], reason: str) -> None:
    """A page the spider never reported on is a failed fetch, never a silent gap."""
    with db.session() as session:
        done = reported_pages(session, crawl_id)
    now = utcnow()
    for seed in seeds:
        if seed.key not in done:
            ingest_fetch(
                db,
                crawl_id,
                seed,
                FetchResult(key=seed.key, url=seed.url, started_at=now, error=reason),
            )
