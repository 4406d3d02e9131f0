"""Where due pages wait for a worker: the keika database (default) or Redis (`--queue redis://`).

Both queues have the same methods, so the scheduler and the worker do not care which one runs:
`enqueue` (dedupe by page key), `claim` (a lease per page: the visibility timeout), `set_crawl`,
`renew`, `ack`, `release`, `stats`, `holders`. A payload is JSON: the page's seed and how to run
it, so a worker on another machine needs no seed files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any, Protocol

from pipeline.domain.controls import visible
from pipeline.domain.errors import KeikaError
from pipeline.domain.kinds import CrawlStatus
from pipeline.domain.seed import Seed
from storage import queue as dbq
from storage.db import Database
from storage.queue import ClaimedPage, QueueStats

QUEUE_ENV = "KEIKA_QUEUE"
WORKER_LEASE_TTL = 60.0  # seconds a page stays with a worker that stopped renewing its lease


class CrawlQueue(Protocol):
    kind: str

    @property
    def display(self) -> str: ...
    def enqueue(self, payloads: Mapping[str, dict[str, Any]]) -> list[str]: ...
    def claim(self, worker: str, limit: int, ttl: float) -> list[ClaimedPage]: ...
    def set_crawl(self, worker: str, key: str, crawl_id: int) -> bool: ...
    def ack(self, worker: str, key: str) -> bool: ...
    def renew(self, worker: str, ttl: float, keys: Sequence[str]) -> list[str]: ...
    def release(self, worker: str, keys: Sequence[str] | None = None) -> list[ClaimedPage]: ...
    def stats(self) -> QueueStats: ...
    def holders(self) -> list[str]: ...
    def close(self) -> None: ...


class DbQueue:
    """The `crawl_queue` table of the keika database (storage/queue.py), one transaction a call."""

    kind = "db"

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def display(self) -> str:
        return f"database ({self.db.display_url})"

    def enqueue(self, payloads: Mapping[str, dict[str, Any]]) -> list[str]:
        with self.db.session() as session:
            return dbq.enqueue_pages(session, payloads)

    def claim(self, worker: str, limit: int, ttl: float) -> list[ClaimedPage]:
        with self.db.session() as session:
            return dbq.claim_pages(session, worker, limit, ttl)

    def set_crawl(self, worker: str, key: str, crawl_id: int) -> bool:
        with self.db.session() as session:
            return dbq.set_crawl(session, worker, key, crawl_id)

    def ack(self, worker: str, key: str) -> bool:
        with self.db.session() as session:
            return dbq.ack_page(session, worker, key)

    def renew(self, worker: str, ttl: float, keys: Sequence[str]) -> list[str]:
        with self.db.session() as session:
            return dbq.renew_claims(session, worker, ttl, keys)

    def release(self, worker: str, keys: Sequence[str] | None = None) -> list[ClaimedPage]:
        with self.db.session() as session:
            return dbq.release_claims(session, worker, keys)

    def stats(self) -> QueueStats:
        with self.db.session() as session:
            return dbq.queue_stats(session)

    def holders(self) -> list[str]:
        with self.db.session() as session:
            return dbq.holders(session)

    def close(self) -> None:
        pass


def queue_url(explicit: str | None) -> str | None:
    """--queue, else KEIKA_QUEUE, else None (the database queue)."""
    return explicit or os.environ.get(QUEUE_ENV) or None


def open_queue(url: str | None, db: Database) -> CrawlQueue:
    """The queue `url` names: None or 'db' -> the database's, redis://… -> Redis."""
    if not url or url == "db":
        return DbQueue(db)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from crawler.redis_queue import RedisQueue

        try:
            queue = RedisQueue(url)
            queue.redis.ping()
        except Exception as exc:
            raise KeikaError(f"cannot reach the Redis queue {url!r}: {exc}") from exc
        return queue
    raise KeikaError(f"not a queue URL: {url!r} (expected redis://HOST:PORT/DB or 'db')")


# --- what a queued page carries ----------------------------------------------------------------


def page_payload(
    seed: Seed, contact: str | None, run_timeout: float | None, trigger: str = "schedule"
) -> dict[str, Any]:
    seed_data = asdict(seed)
    seed_data["notify"] = list(seed.notify)
    seed_data["allow_hosts"] = list(seed.allow_hosts)
    return {
        "seed": seed_data,
        "contact": contact,
        "run_timeout": run_timeout,
        "trigger": trigger,
    }


def seed_from_payload(payload: Mapping[str, Any]) -> Seed:
    data = dict(payload["seed"])
    return Seed(
        **{
            **data,
            "notify": tuple(data.get("notify", ())),
            "allow_hosts": tuple(data.get("allow_hosts", ())),
            "selectors": dict(data.get("selectors", {})),
        }
    )


def run_line(page_key: str, report: Any) -> str:
    """The one log line a scheduled run leaves: page, outcome, counts, crawl, duration. One line
    whatever the error says: a server's text in it (a Content-Type, a reason) has its control
    characters and line breaks shown as escapes."""
    row = next((r for r in report.rows if r.page == page_key), None)
    outcome = row.outcome if row else "no result"
    parts = [f"{page_key}: {outcome}"]
    if row and row.entry_count is not None:
        parts.append(f"{row.entry_count} entries")
    counts = ", ".join(f"{n} {k}" for k, n in (row.counts or {}).items() if n) if row else ""
    if counts:
        parts.append(counts)
    if row and row.error:
        parts.append(f"error: {row.error}")
    crawl = f"crawl {report.crawl_id}"
    if report.status != CrawlStatus.FINISHED:
        crawl += f" {report.status}"
    parts.append(crawl)
    parts.append(f"{report.seconds:.1f}s")
    return visible(" | ".join(parts), newlines=False)
