"""A watched page as keika's stages see it, and the defaults every layer derives from.

`PAGE_DEFAULTS` is the one owner of each page default (timeout, size limit, schedule, ...):
the seed loader, `Seed`, `CrawlTarget` and the Scrapy settings all read it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pipeline.domain.errors import SeedError

# Keys a [[page]] may set, with the defaults used when neither the page nor [defaults] does.
PAGE_DEFAULTS: dict[str, Any] = {
    "schedule": "0 6 * * *",
    "timezone": "Asia/Tokyo",
    "notify": [],
    "selectors": {},
    "obey_robots": True,
    "allow_hosts": [],
    "timeout": 30.0,
    "max_size": 5 * 1024 * 1024,
    "fail_alert_after": 3,
    "notify_moved": False,
    "notify_page": False,
    "enabled": True,
    "name": None,
}
PAGE_ONLY_KEYS = ("key", "url")
DEFAULTS_ONLY_KEYS = ("contact",)


@dataclass(frozen=True, slots=True)
class Seed:
    """One watched page, with [defaults] already applied."""

    key: str
    url: str
    schedule: str = PAGE_DEFAULTS["schedule"]
    timezone: str = PAGE_DEFAULTS["timezone"]
    notify: tuple[str, ...] = ()
    selectors: Mapping[str, str] = field(default_factory=dict)
    obey_robots: bool = PAGE_DEFAULTS["obey_robots"]
    allow_hosts: tuple[str, ...] = ()
    timeout: float = PAGE_DEFAULTS["timeout"]
    max_size: int = PAGE_DEFAULTS["max_size"]
    fail_alert_after: int = PAGE_DEFAULTS["fail_alert_after"]
    notify_moved: bool = PAGE_DEFAULTS["notify_moved"]
    notify_page: bool = PAGE_DEFAULTS["notify_page"]
    enabled: bool = PAGE_DEFAULTS["enabled"]
    name: str | None = PAGE_DEFAULTS["name"]
    source: str = ""

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


@dataclass(frozen=True, slots=True)
class SeedSet:
    """All seeds of a file or folder, plus settings that apply to the whole crawl."""

    seeds: tuple[Seed, ...]
    contact: str | None = None
    files: tuple[str, ...] = ()

    def get(self, key: str) -> Seed:
        for seed in self.seeds:
            if seed.key == key:
                return seed
        known = ", ".join(s.key for s in self.seeds) or "none"
        raise SeedError(f"no page with key {key!r} in the seeds (known: {known})")

    def select(self, keys: Iterable[str] | None) -> tuple[Seed, ...]:
        if not keys:
            return tuple(s for s in self.seeds if s.enabled)
        return tuple(self.get(k) for k in keys)
