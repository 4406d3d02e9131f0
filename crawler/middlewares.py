"""Downloader middlewares: when a fetch started, polite retries, and redirects kept on-site.

Each one is a small rule keika adds to Scrapy's defaults; they are wired in crawler/settings.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Self
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
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
