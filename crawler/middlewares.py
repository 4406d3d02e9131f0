"""Downloader middlewares: when a fetch started, polite retries, redirects kept on-site, robots.txt
kept by its own expiry, and per-site slots shared by every worker.

Each one is a small rule keika adds to Scrapy's defaults; they are wired in crawler/settings.py.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.settings import BaseSettings

STARTED_AT = "keika_started_at"
RETRY_DELAY = "keika_retry_delay"
ALLOW_HOSTS = "keika_allow_hosts"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class FetchClockMiddleware:
    """Stamps the moment a target's first request reaches the downloader (kept over retries)."""

    def process_request(self, request: Request) -> None:
        request.meta.setdefault(STARTED_AT, datetime.now(UTC))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(retry_number: int, base: float, cap: float) -> float:
    """Exponential backoff: base, 2·base, 4·base … for retries 1, 2, 3 …, never over cap."""
    return min(cap, base * 2 ** max(0, retry_number - 1))


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, but waiting before each one instead of retrying at once.

    The wait is the server's Retry-After (capped at RETRY_AFTER_MAX) or exponential backoff
    (RETRY_BACKOFF_BASE doubling up to RETRY_BACKOFF_MAX). It is spent in process_request of the
    retry as a reactor timer, so other pages keep downloading meanwhile.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop(RETRY_DELAY, None)
        if delay:
            # Imported here: importing the reactor at module level would install the default one
            # before Scrapy installs TWISTED_REACTOR.
            from twisted.internet import reactor

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        header = response.headers.get(b"Retry-After")
        asked = retry_after_seconds(header.decode("latin-1") if header else None)
        if asked is not None:
            retry.meta[RETRY_DELAY] = min(asked, self.retry_after_max)
        else:
            retry.meta[RETRY_DELAY] = self._backoff(retry)
        return retry

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            retry.meta[RETRY_DELAY] = self._backoff(retry)
        return retry

    def _backoff(self, retry: Request) -> float:
        return backoff_seconds(
            retry.meta.get("retry_times", 1), self.backoff_base, self.backoff_max
        )


class SiteHoldMiddleware:
    """Holds back a whole site, not one page: for a 429/503's Retry-After, for a backoff that
    doubles with each failure in a row (RETRY_HTTP_CODES, timeouts, refused connections), and
    for the Crawl-delay of its robots.txt.

    Retries alone wait per page, so a site that answers 503 "come back in 2 minutes" would still
    get every other watched page of it meanwhile. Scrapy paces each site in a downloader slot
    (one per host), so a hold moves the slot's last start forward: nothing of the site starts
    before the hold ends (a request already under way when an error, not a response, comes back
    may still start). With KEIKA_SITE_SLOTS (workers sharing Redis) the hold is written there
    too, and `SiteSlotMiddleware` keeps every worker's requests to the site back until it ends
    (the failure count behind the backoff stays per process). A Crawl-delay raises the slot's
    delay so that even its jitter stays above it (at most KEIKA_CRAWL_DELAY_MAX seconds).
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions = tuple(
            load_object(e) if isinstance(e, str) else e
            for e in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.crawl_delay_max = settings.getfloat("KEIKA_CRAWL_DELAY_MAX", 60.0)
        self.agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT") or ""
        self.failures: dict[str, int] = {}
        self.crawl_delays: dict[str, float] = {}
        shared = settings.get("KEIKA_SITE_SLOTS")
        if shared:
            from crawler.redis_queue import SiteSlots

            self.shared: Any = SiteSlots(shared)
        else:
            self.shared = None
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _downloader(self) -> Any:
        engine = self.crawler.engine
        return engine.downloader if engine is not None else None

    def _robots_parsed(self, robotparser: Any, request: Request) -> None:
        agent = request.headers.get(b"User-Agent") or self.agent
        delay = robotparser.crawl_delay(agent)
        downloader = self._downloader()
        if not delay or downloader is None:
            return
        key = downloader.get_slot_key(request)
        self.crawl_delays[key] = min(float(delay), self.crawl_delay_max)
        self._pace(key, downloader.slots.get(key))

    def _pace(self, key: str, slot: Any) -> None:
        """Keep the slot's delay at the site's Crawl-delay or above, jitter included (AutoThrottle
        lowers a delay as the site answers fast)."""
        wanted = self.crawl_delays.get(key)
        if slot is None or not wanted:
            return
        jitter = min(max(slot.jitter, 0.0), 0.9)
        slot.delay = max(slot.delay, wanted / (1 - jitter))

    def _hold(self, request: Request, asked: float | None) -> None:
        key = request.meta.get("download_slot")
        downloader = self._downloader()
        slot = downloader.slots.get(key) if downloader is not None and key else None
        if slot is None:
            return
        self.failures[key] = failures = self.failures.get(key, 0) + 1
        hold = backoff_seconds(failures, self.backoff_base, self.backoff_max)
        if asked is not None:
            hold = max(hold, min(asked, self.retry_after_max))
        # The slot starts its next request `delay` (jittered) after lastseen, and a slot without
        # a delay never looks at lastseen: give it a token one.
        slot.delay = slot.delay or 0.001
        shortest = slot.delay * (1 - min(max(slot.jitter, 0.0), 1.0))
        slot.lastseen = max(slot.lastseen, time.monotonic() + hold - shortest)
        self._pace(key, slot)
        if self.shared is not None:
            self.shared.hold((urlsplit(request.url).hostname or "").lower(), hold)

    def _response_downloaded(self, response: Response, request: Request, **_: Any) -> None:
        # A signal, not process_response: it comes before the slot starts its next request.
        if response.status in self.codes:
            header = response.headers.get(b"Retry-After")
            self._hold(request, retry_after_seconds(header.decode("latin-1") if header else None))
            return
        key = request.meta.get("download_slot")
        if key is not None:
            self.failures.pop(key, None)
            downloader = self._downloader()
            self._pace(key, downloader.slots.get(key) if downloader is not None else None)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, self.exceptions):
            self._hold(request, None)
        return None


class OffHostRedirect(IgnoreRequest):
    """A redirect to a host the target does not allow; the page is reported as failed."""

    def __init__(self, host: str, response: Response) -> None:
        super().__init__(f"redirect to another host: {host}")
        self.host = host
        self.response = response  # the 3xx, so the result keeps its status and Location


class HostBoundRedirectMiddleware:
    """Lets RedirectMiddleware follow a redirect only within the target's host or allow_hosts.

    A watched page that starts redirecting elsewhere (a portal renewal, a parked domain) should
    be reported, not silently replaced by whatever the other host serves.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in REDIRECT_CODES or request.meta.get("dont_redirect"):
            return response
        if ALLOW_HOSTS not in request.meta:
            return response  # not a watched page: robots.txt follows redirects anywhere (RFC 9309)
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        host = (urlsplit(target).hostname or "").lower()
        allowed = {(urlsplit(request.url).hostname or "").lower()}
        original = request.meta.get("redirect_urls", [request.url])[0]
        allowed.add((urlsplit(original).hostname or "").lower())
        allowed.update(h.lower() for h in request.meta.get(ALLOW_HOSTS, ()))
        if host not in allowed:
            raise OffHostRedirect(host, response)
        return response


ROBOTS_READ_LIMIT = 500 * 1024  # RFC 9309 2.5: parse at least the first 500 KiB
ROBOTS_UNREACHABLE = "robots.txt unreachable"
ROBOTS_BYTES = "keika_robots_bytes"


def is_robots_request(request: Request) -> bool:
    """Whether this is RobotsTxtMiddleware's own fetch of a robots.txt (not a watched page)."""
    return ALLOW_HOSTS not in request.meta and urlsplit(request.url).path == "/robots.txt"


MAX_AGE_RE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*(\d+)", re.IGNORECASE)
ROBOTS_ERROR_RETRY = 300.0  # seconds before a robots.txt that could not be fetched is tried again


def robots_max_age(headers: Any, default: float) -> float:
    """Seconds a robots.txt may be kept: its Cache-Control max-age (no-store: 0), capped at
    `default` (RFC 9309: at most 24 hours)."""
    raw = headers.get(b"Cache-Control") if headers is not None else None
    text = raw.decode("latin-1") if raw else ""
    if "no-store" in text.lower() or "no-cache" in text.lower():
        return 0.0
    found = MAX_AGE_RE.search(text)
    return min(float(found.group(1)), default) if found else default


def _branch(pending: Any) -> Any:
    """A Deferred fired with `pending`'s result, leaving that result in place for the others."""
    from twisted.internet.defer import Deferred

    branch: Deferred[Any] = Deferred()

    def relay(result: Any) -> Any:
        branch.callback(result)
        return result

    pending.addCallback(relay)
    return branch


class ExpiringRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt handling, with each site's copy dropped when it expires.

    Scrapy keeps a parsed robots.txt for the life of the process, which for a long-lived worker
    means forever; keika keeps it as long as the site says (Cache-Control max-age), at most
    ROBOTSTXT_MAX_AGE, so a worker fetches it once per site and expiry, not once per crawl.
    As RFC 9309 asks, a robots.txt that answers 5xx (or 429) forbids the whole site until it is
    asked again (ROBOTS_ERROR_RETRY), only its first 500 KiB are read, and its redirects are
    followed to any host; a 4xx or a network error still means no rules.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_age = crawler.settings.getfloat("ROBOTSTXT_MAX_AGE", 86400.0)
        self._expires: dict[str, float] = {}
        self._unreachable: dict[str, int] = {}  # netloc -> the 5xx/429 its robots.txt gave
        crawler.signals.connect(self._bytes_received, signal=signals.bytes_received)

    async def process_request(self, request: Request) -> None:
        if is_robots_request(request) and request.meta.get("dont_obey_robotstxt"):
            # Read up to ROBOTS_READ_LIMIT whatever its size (_bytes_received stops it there);
            # a page's download_maxsize is not robots.txt's.
            request.meta["download_maxsize"] = 0
            return
        await super().process_request(request)

    def _bytes_received(self, data: bytes, request: Request, **_: Any) -> None:
        if not is_robots_request(request):
            return
        got = request.meta[ROBOTS_BYTES] = request.meta.get(ROBOTS_BYTES, 0) + len(data)
        if got >= ROBOTS_READ_LIMIT:
            raise StopDownload(fail=False)  # the response goes on with what came so far

    def process_request_2(self, rp: Any, request: Request) -> None:
        status = self._unreachable.get(urlparse_cached(request).netloc)
        if status is not None:
            raise IgnoreRequest(f"{ROBOTS_UNREACHABLE} (HTTP {status})")
        super().process_request_2(rp, request)

    async def robot_parser(self, request: Request) -> Any:
        from twisted.internet.defer import Deferred

        netloc = urlparse_cached(request).netloc
        known = self._parsers.get(netloc, ...)
        expires = self._expires.get(netloc)
        expired = expires is not None and time.monotonic() >= expires
        if known is not ... and expired and not isinstance(known, Deferred):
            # A fetch in progress is never dropped.
            del self._parsers[netloc]
            del self._expires[netloc]
        if isinstance(known, Deferred):
            # Scrapy awaits the one pending Deferred as a future for every waiting request, and
            # a future's callback returns None: the first waiter gets the rules, the rest None
            # ("allowed"). Each waiter gets a branch that passes the rules on instead.
            return await maybe_deferred_to_future(_branch(known))
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            # RFC 9309 2.3.1.4: a server error means complete disallow, until it is asked again.
            self._unreachable[netloc] = response.status
            self._expires[netloc] = time.monotonic() + min(ROBOTS_ERROR_RETRY, self.max_age)
        else:
            self._unreachable.pop(netloc, None)
            max_age = robots_max_age(response.headers, self.max_age)
            self._expires[netloc] = time.monotonic() + max_age
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # A network error: the page's own request then fails (or not) with the real reason.
        self._unreachable.pop(netloc, None)
        self._expires[netloc] = time.monotonic() + min(ROBOTS_ERROR_RETRY, self.max_age)
        super()._robots_error(exc, netloc)


SLOT_TOKEN = "keika_site_slot"


class SiteSlotMiddleware:
    """Per-site politeness across every worker: a slot in Redis for each request to a host.

    A request may start only when fewer than CONCURRENT_REQUESTS_PER_DOMAIN requests to its host
    are in flight from all workers together and the last one started at least the delay floor
    ago (plus jitter above the floor). The slot is held until the response or the error comes
    back, and expires on its own if the worker dies. On only with KEIKA_SITE_SLOTS (redis://).
    """

    def __init__(self, crawler: Crawler) -> None:
        url = crawler.settings.get("KEIKA_SITE_SLOTS")
        if not url:
            raise NotConfigured  # no message: Scrapy would log a message as a WARNING
        from crawler.redis_queue import SiteSlots

        settings = crawler.settings
        self.slots = SiteSlots(url)
        self.max_in_flight = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2)
        self.floor = settings.getfloat("KEIKA_DELAY_FLOOR", 1.0)
        self.above = settings.getfloat("KEIKA_DELAY_JITTER_ABOVE", 0.5)
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT", 180.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        from twisted.internet import reactor

        host = (urlsplit(request.url).hostname or "").lower()
        token = uuid.uuid4().hex
        delay = self.floor * (1 + random.uniform(0, self.above))
        lease = float(request.meta.get("download_timeout") or self.timeout) + 30.0
        while True:
            wait = self.slots.acquire(host, token, self.max_in_flight, delay, lease)
            if wait <= 0:
                break
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        request.meta[SLOT_TOKEN] = (host, token)

    def _release(self, request: Request) -> None:
        held = request.meta.pop(SLOT_TOKEN, None)
        if held:
            self.slots.release(*held)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)
        return None
