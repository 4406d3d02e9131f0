"""The one spider: fetch each watched page once, conditionally, and report exactly one result.

Whatever happens to a target — 200, 304, a 404, a refused connection, robots.txt saying no —
the spider yields one `FetchResult` for it, so the ingest stage records every page of every
crawl. The body is kept as raw bytes: keika decodes pages itself (Shift_JIS pages often carry
no charset, and Scrapy would read them as cp932).

Run directly: `scrapy crawl pages -a seeds=seeds/ [-a page=KEY[,KEY]]`; or from Python with
`targets=[CrawlTarget, ...]` (see crawler/run.py).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from crawler.middlewares import (
    ALLOW_HOSTS,
    REDIRECT_CODES,
    ROBOTS_UNREACHABLE,
    STARTED_AT,
    OffHostRedirect,
)
from crawler.settings import user_agent
from pipeline.domain.fetch import CrawlTarget, FetchResult
from pipeline.domain.seed import Seed, SeedSet
from pipeline.seeds import load_seeds
from pipeline.services.crawl import crawl_targets
from storage.db import Database, database_url

HTML_TYPES = ("text/html", "application/xhtml+xml")
TARGET_KEY = "keika_target"
# Every status reaches parse_page except the redirects RedirectMiddleware follows.
HANDLED_STATUSES = [code for code in range(100, 600) if code not in REDIRECT_CODES]


def targets_for_seeds(seeds: Iterable[Seed], db_url: str | None = None) -> list[CrawlTarget]:
    """CrawlTargets for seeds, with the stored ETag/Last-Modified of pages the database knows."""
    seeds = list(seeds)
    if db_url is None:
        return [CrawlTarget.for_seed(seed) for seed in seeds]
    db = Database(db_url)
    try:
        return crawl_targets(db, seeds)
    finally:
        db.dispose()


def conditional_headers(target: CrawlTarget) -> dict[str, str]:
    headers = {}
    if target.etag:
        headers["If-None-Match"] = target.etag
    if target.last_modified:
        headers["If-Modified-Since"] = target.last_modified
    return headers


def response_headers(response: Response) -> dict[str, str]:
    """Header names lowercased; repeated headers joined with ', ' as HTTP allows."""
    headers: dict[str, str] = {}
    for name, values in response.headers.items():
        text = name.decode("latin-1").lower()
        headers[text] = ", ".join(v.decode("latin-1") for v in values)
    return headers


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def failure_reason(exc: BaseException, target: CrawlTarget) -> str:
    """A short, plain reason for a failed fetch, as the change log and alerts show it."""
    host = urlsplit(target.url).hostname or target.url
    if isinstance(exc, OffHostRedirect):
        return str(exc)
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if isinstance(exc, CannotResolveHostError | twisted_errors.DNSLookupError):
        return f"DNS lookup failed for {host}"
    if isinstance(exc, DownloadConnectionRefusedError | twisted_errors.ConnectionRefusedError):
        return "connection refused"
    timeouts = (
        DownloadTimeoutError,
        twisted_errors.TimeoutError,
        twisted_errors.TCPTimedOutError,
        defer.TimeoutError,
    )
    if isinstance(exc, timeouts):
        return f"timeout after {target.timeout:g}s"
    if isinstance(exc, DownloadCancelledError | defer.CancelledError):
        return f"response too large (over {target.max_size} bytes)"
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if message.startswith(ROBOTS_UNREACHABLE):
            return message
        if "robots.txt" in message:
            return "forbidden by robots.txt"
        if "max redirections" in message.lower():
            return "too many redirects"
        return message or "request ignored"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {message}" if message else name


class QuietRobotsFailures(logging.Filter):
    """Drops Scrapy's ERROR + traceback for a robots.txt that could not be downloaded.

    When a host is down or unknown, the page's own FetchResult reports the same failure in
    plain words; the traceback would only alarm whoever reads the terminal.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        network = (
            CannotResolveHostError,
            DownloadConnectionRefusedError,
            DownloadTimeoutError,
            twisted_errors.ConnectError,
        )
        return not (str(record.msg).startswith("Error downloading") and isinstance(exc, network))


ROBOTS_LOGGER = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")


def _now() -> datetime:
    return datetime.now(UTC)


class PagesSpider(scrapy.Spider):
    """Fetches CrawlTargets; yields one FetchResult per target."""

    name = "pages"
    handle_httpstatus_list = HANDLED_STATUSES

    def __init__(
        self,
        targets: Sequence[CrawlTarget] | None = None,
        seeds: str | SeedSet | Sequence[Seed] | None = None,
        page: str | None = None,
        db: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.seed_set: SeedSet | None = None
        self.seeds: dict[str, Seed] = {}
        if isinstance(seeds, str):
            self.seed_set = load_seeds(seeds)
        elif isinstance(seeds, SeedSet):
            self.seed_set = seeds
        elif seeds is not None:
            self.seed_set = SeedSet(tuple(seeds))
        if self.seed_set is not None:
            self.seeds = {s.key: s for s in self.seed_set.seeds}
        self._given_targets = list(targets) if targets is not None else None
        self._pages = [k.strip() for k in page.split(",")] if page else None
        self._db_url = db
        self.targets: list[CrawlTarget] = []
        self.reported: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PagesSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        contact = spider.seed_set.contact if spider.seed_set else None
        if contact and not settings.get("KEIKA_CONTACT"):
            settings.set("KEIKA_CONTACT", contact, priority="spider")
        if settings.get("KEIKA_CONTACT") and settings.getpriority("USER_AGENT") <= 20:
            # USER_AGENT still the project default: name the contact we now know.
            settings.set("USER_AGENT", user_agent(settings.get("KEIKA_CONTACT")), "spider")
        spider.targets = spider._resolve_targets(settings)
        crawler.signals.connect(spider._report_missing, signal=signals.spider_closed)
        if not any(isinstance(f, QuietRobotsFailures) for f in ROBOTS_LOGGER.filters):
            ROBOTS_LOGGER.addFilter(QuietRobotsFailures())
        return spider

    def _resolve_targets(self, settings: Any) -> list[CrawlTarget]:
        if self._given_targets is not None:
            return self._given_targets
        if self.seed_set is None:
            if not settings.get("KEIKA_SEEDS"):
                raise ValueError("PagesSpider needs targets=[...] or seeds=PATH")
            self.seed_set = load_seeds(settings.get("KEIKA_SEEDS"))
            self.seeds = {s.key: s for s in self.seed_set.seeds}
        chosen = self.seed_set.select(self._pages)
        db_url = self._db_url or settings.get("KEIKA_DATABASE_URL")
        if db_url is None:
            db_url = database_url()
        return targets_for_seeds(chosen, db_url)

    async def start(self) -> AsyncIterator[Request]:
        for target in self.targets:
            yield self.request_for(target)

    def request_for(self, target: CrawlTarget) -> Request:
        meta: dict[str, Any] = {
            TARGET_KEY: target,
            "download_timeout": target.timeout,
            "download_maxsize": target.max_size,
            ALLOW_HOSTS: tuple(target.allow_hosts),
        }
        if not target.obey_robots:
            meta["dont_obey_robotstxt"] = True
        return Request(
            target.url,
            headers=conditional_headers(target),
            meta=meta,
            callback=self.parse_page,
            errback=self.fetch_failed,
            dont_filter=True,
        )

    def parse_page(self, response: Response) -> Iterable[FetchResult]:
        target: CrawlTarget = response.meta[TARGET_KEY]
        try:
            result = self._result_for_response(target, response)
        except Exception as exc:  # a bug here must still leave a result for the page
            self.logger.exception("could not read the response for %s", target.key)
            result = self._result(target, response.meta, error=failure_reason(exc, target))
        self.reported.add(target.key)
        yield result

    def _result_for_response(self, target: CrawlTarget, response: Response) -> FetchResult:
        headers = response_headers(response)
        common = {
            "final_url": response.url,
            "status": response.status,
            "headers": headers,
            "fetched_at": _now(),
        }
        if response.status == 304:
            return self._result(target, response.meta, **common)
        # Every body is archived, byte for byte, a failure's too (what a 503 or a 404 said, the
        # PDF served in the page's place); only a 200 of HTML is parsed.
        body = bytes(response.body)
        if response.status != 200:
            error = f"HTTP {response.status}"
            return self._result(target, response.meta, error=error, body=body or None, **common)
        kind = media_type(headers.get("content-type"))
        if kind is not None and kind not in HTML_TYPES:
            error = f"not HTML: {kind}"
            return self._result(target, response.meta, error=error, body=body or None, **common)
        return self._result(target, response.meta, body=body, **common)

    def fetch_failed(self, failure: Failure) -> Iterable[FetchResult]:
        request = failure.request  # type: ignore[attr-defined]
        target: CrawlTarget = request.meta[TARGET_KEY]
        exc = failure.value
        extra: dict[str, Any] = {}
        response = getattr(exc, "response", None)
        if isinstance(response, Response):
            extra = {
                "status": response.status,
                "headers": response_headers(response),
                "final_url": response.url,
                "fetched_at": _now(),
            }
        self.reported.add(target.key)
        yield self._result(target, request.meta, error=failure_reason(exc, target), **extra)

    def _result(self, target: CrawlTarget, meta: dict[str, Any], **fields: Any) -> FetchResult:
        return FetchResult(
            key=target.key, url=target.url, started_at=meta.get(STARTED_AT) or _now(), **fields
        )

    def _report_missing(self, spider: scrapy.Spider, reason: str) -> None:
        missing = [t.key for t in self.targets if t.key not in self.reported]
        if missing:
            self.logger.warning(
                "crawl ended (%s) with no result for %d page(s): %s",
                reason,
                len(missing),
                ", ".join(missing),
            )
