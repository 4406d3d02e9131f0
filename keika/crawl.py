"""One crawl, start to finish: targets from seeds and storage, the spider, the summary.

`keika crawl`, the scheduler and the demo all go through `run_once`, so a crawl means the same
thing everywhere — including what happens to a page the spider never reported on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from crawler.items import CrawlTarget, FetchResult
from keika.seeds import Seed, SeedSet
from pipeline.ingest import ingest_fetch
from storage.crawls import GOOD_OUTCOMES, FetchRow, fetch_rows, finish_crawl, start_crawl
from storage.db import Database
from storage.models import Fetch, Page, utcnow


@dataclass(frozen=True, slots=True)
class CrawlReport:
    crawl_id: int
    rows: tuple[FetchRow, ...]
    seconds: float
    status: str = "finished"

    @property
    def ok(self) -> bool:
        return self.status == "finished" and all(r.outcome in GOOD_OUTCOMES for r in self.rows)

    def summary(self) -> str:
        outcomes = Counter(r.outcome for r in self.rows)
        changes: Counter[str] = Counter()
        for row in self.rows:
            changes.update(row.counts or {})
        parts = [f"{n} {name}" for name, n in sorted(outcomes.items())]
        text = f"crawl {self.crawl_id}: {len(self.rows)} page(s) — " + ", ".join(parts or ["none"])
        entry_changes = [
            f"{changes[k]} {k}" for k in ("added", "edited", "removed", "moved") if changes.get(k)
        ]
        if entry_changes:
            text += f" ({', '.join(entry_changes)})"
        if self.status != "finished":
            text += f"; crawl {self.status}"
        return text + f" in {self.seconds:.1f}s"


def crawl_targets(db: Database, seeds: Sequence[Seed]) -> list[CrawlTarget]:
    """Seeds plus the validators remembered from each page's last good response."""
    with db.session() as session:
        state = {
            key: (etag, last_modified)
            for key, etag, last_modified in session.execute(
                select(Page.key, Page.etag, Page.last_modified).where(
                    Page.key.in_([s.key for s in seeds])
                )
            )
        }
    targets = []
    for seed in seeds:
        etag, last_modified = state.get(seed.key, (None, None))
        targets.append(
            CrawlTarget(
                key=seed.key,
                url=seed.url,
                etag=etag,
                last_modified=last_modified,
                obey_robots=seed.obey_robots,
                allow_hosts=seed.allow_hosts,
                timeout=seed.timeout,
                max_size=seed.max_size,
            )
        )
    return targets


def run_once(
    db: Database,
    seedset: SeedSet,
    seeds: Sequence[Seed],
    *,
    trigger: str = "manual",
    in_child: bool = False,
    time_limit: float | None = None,
    settings: dict[str, object] | None = None,
) -> CrawlReport:
    from crawler.run import run_crawl, run_crawl_in_child

    began = time.monotonic()
    crawl_id = start_crawl(db, trigger)
    targets = crawl_targets(db, seeds)
    crawl_settings: dict[str, object] = {"KEIKA_DATABASE_URL": db.url, "KEIKA_CRAWL_ID": crawl_id}
    if seedset.contact:
        crawl_settings["KEIKA_CONTACT"] = seedset.contact
    crawl_settings.update(settings or {})
    status = "finished"
    ended_early: str | None = None
    try:
        if in_child:
            result = run_crawl_in_child(
                targets, settings=crawl_settings, seeds=seeds, timeout=time_limit
            )
            if result.timed_out:
                status, ended_early = "interrupted", f"crawl cut off after {time_limit:g}s"
            elif result.exitcode != 0:
                status, ended_early = "interrupted", f"crawl process exited with {result.exitcode}"
        else:
            stats = run_crawl(targets, settings=crawl_settings, seeds=seeds)
            if stats.get("finish_reason") != "finished":  # Ctrl-C: Scrapy stopped early
                status, ended_early = "interrupted", "crawl interrupted"
    except KeyboardInterrupt:
        status, ended_early = "interrupted", "crawl interrupted"
        raise
    finally:
        _record_missing(db, crawl_id, seeds, ended_early or "the spider reported no result")
        finish_crawl(db, crawl_id, status)
    with db.session() as session:
        rows = fetch_rows(session, crawl_id=crawl_id)
    return CrawlReport(crawl_id, tuple(rows), time.monotonic() - began, status)


def _record_missing(db: Database, crawl_id: int, seeds: Sequence[Seed], reason: str) -> None:
    """A page the spider never reported on is a failed fetch, never a silent gap."""
    with db.session() as session:
        done = set(
            session.scalars(
                select(Page.key)
                .join(Fetch, Fetch.page_id == Page.id)
                .where(Fetch.crawl_id == crawl_id)
            )
        )
    now = utcnow()
    for seed in seeds:
        if seed.key not in done:
            ingest_fetch(
                db,
                crawl_id,
                seed,
                FetchResult(key=seed.key, url=seed.url, started_at=now, error=reason),
            )
