"""The item the spider yields: one page's fetch, good or failed, ready for the ingest stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CrawlTarget:
    """A page to fetch, with what the last good response lets us ask conditionally."""

    key: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    obey_robots: bool = True
    allow_hosts: tuple[str, ...] = ()
    timeout: float = 30.0
    max_size: int = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A response (or the reason there is none). `error` set means the fetch failed."""

    key: str
    url: str
    started_at: datetime
    fetched_at: datetime | None = None
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and self.error is None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")
