"""A page to fetch and what fetching it gave: the values between the crawler and ingest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pipeline.domain.seed import PAGE_DEFAULTS, Seed


@dataclass(frozen=True, slots=True)
class CrawlTarget:
    """A page to fetch, with what the last good response lets us ask conditionally."""

    key: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    obey_robots: bool = PAGE_DEFAULTS["obey_robots"]
    allow_hosts: tuple[str, ...] = ()
    timeout: float = PAGE_DEFAULTS["timeout"]
    max_size: int = PAGE_DEFAULTS["max_size"]

    @classmethod
    def for_seed(
        cls, seed: Seed, etag: str | None = None, last_modified: str | None = None
    ) -> CrawlTarget:
        """The one way a seed becomes a target (validators from the last good response)."""
        return cls(
            key=seed.key,
            url=seed.url,
            etag=etag,
            last_modified=last_modified,
            obey_robots=seed.obey_robots,
            allow_hosts=seed.allow_hosts,
            timeout=seed.timeout,
            max_size=seed.max_size,
        )


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
