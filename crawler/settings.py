"""Scrapy settings for keika: every politeness rule in one place.

keika fetches a handful of municipal pages a day, so it is deliberately slow and courteous:
robots.txt is obeyed, at most two requests per site run at once, AutoThrottle widens the gap
when a site slows down, 5xx/429 are retried with backoff that honours Retry-After, and every
request names keika and a contact URL. Per-page exceptions (timeout, size limit, robots) travel
in request meta, set by `crawler.spiders.pages` from each `CrawlTarget`.

Run as a Scrapy project (`scrapy crawl pages -a seeds=seeds/`, see scrapy.cfg) or through
`crawler.run.run_crawl`, which overrides a few of these per call.
"""

from __future__ import annotations

import os

from pipeline.domain.seed import PAGE_DEFAULTS

BOT_NAME = "keika"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Who we are -------------------------------------------------------------------------------
# The contact named in the User-Agent: KEIKA_CONTACT from the environment wins over the seeds'
# [defaults] contact (applied by the spider when this is None). Without either the User-Agent
# still names keika, and says that no contact was set, rather than inventing one.
KEIKA_CONTACT = os.environ.get("KEIKA_CONTACT") or None


def user_agent(contact: str | None) -> str:
    """The User-Agent keika sends: its name, version and where to complain."""
    if not contact:
        return "keika/0.1 (page history watcher; no contact configured)"
    return f"keika/0.1 (+{contact})"


USER_AGENT = user_agent(KEIKA_CONTACT)

# --- Politeness -------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True  # per target: meta dont_obey_robotstxt (seed obey_robots = false)
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# At least this long between the starts of two requests to one site. Scrapy's jitter varies a
# delay both ways (delay × (1 ± jitter)), so the delay is set above the floor and the jitter
# reaches down to the floor exactly: every gap lands in [floor, 1.5 × floor]. The floor is 1.1 s,
# not 1 s: the server sees each request after a connection set-up whose time varies by tens of
# milliseconds under load, and the 1 s rule holds where the site measures it.
KEIKA_DELAY_FLOOR = 1.1
KEIKA_DELAY_JITTER_ABOVE = 0.5  # up to +50% above the floor
DOWNLOAD_DELAY = KEIKA_DELAY_FLOOR * (2 + KEIKA_DELAY_JITTER_ABOVE) / 2  # AutoThrottle's minimum
DOWNLOAD_DELAY_JITTER = KEIKA_DELAY_JITTER_ABOVE / (2 + KEIKA_DELAY_JITTER_ABOVE)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    "Accept-Language": "ja,en;q=0.5",
}
# A page keika watches is the page it was given: no <meta refresh> hops.
METAREFRESH_ENABLED = False
REDIRECT_MAX_TIMES = 5

# --- Limits -----------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = PAGE_DEFAULTS["timeout"]  # per target: meta download_timeout (seed timeout)
DOWNLOAD_MAXSIZE = PAGE_DEFAULTS["max_size"]  # per target: meta download_maxsize (seed max_size)
DOWNLOAD_WARNSIZE = 0
# Each response yields exactly one item: no need for 100 concurrent item tasks per response.
CONCURRENT_ITEMS = 1
DNS_TIMEOUT = 20

# --- Retries: 5xx and 429, with backoff (crawler.middlewares.RetryAfterMiddleware) -------------
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry; doubles each time
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 120.0  # a server's Retry-After is honoured up to this many seconds
KEIKA_CRAWL_DELAY_MAX = 60.0  # a robots.txt Crawl-delay is honoured up to this many seconds
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"  # the FetchResult records the failure; no log noise

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.FetchClockMiddleware": 90,
    # robots.txt kept per site by its own expiry (Cache-Control, else 24 h), not per process.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.ExpiringRobotsTxtMiddleware": 100,
    # Workers sharing a Redis queue share each site's slots too (KEIKA_SITE_SLOTS); last before
    # the download, so the slot is taken right when the request goes out.
    "crawler.middlewares.SiteSlotMiddleware": 950,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # Sees a 429/503 or an error before RetryAfterMiddleware turns it into a retry: holds the
    # whole site (Retry-After, backoff for failures in a row) and keeps its robots Crawl-delay.
    "crawler.middlewares.SiteHoldMiddleware": 560,
    # process_response runs from high to low: this sees a 3xx before RedirectMiddleware (600).
    "crawler.middlewares.HostBoundRedirectMiddleware": 610,
}

# --- keika's stages ---------------------------------------------------------------------------
ITEM_PIPELINES = {"crawler.pipelines.IngestPipeline": 300}
EXTENSIONS = {"crawler.progress.FetchProgress": 500}
KEIKA_PROGRESS = True  # a progress bar, only when stderr is a terminal
KEIKA_DATABASE_URL = None  # None: storage.db.database_url() (KEIKA_DATABASE_URL env, then default)
KEIKA_CRAWL_ID = None  # None: the IngestPipeline starts (and finishes) a crawl of its own
KEIKA_CRAWL_TRIGGER = "manual"
KEIKA_SEEDS = None  # path to seeds/*.toml, when the spider was not handed a SeedSet
KEIKA_SITE_SLOTS = None  # redis://… : per-site slots shared by every worker (crawler/worker.py)
ROBOTSTXT_MAX_AGE = 86400  # RFC 9309: a robots.txt may be cached up to 24 hours

# --- Off: things keika never wants ------------------------------------------------------------
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19's remote-control server can run code
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False  # conditional GET comes from keika's own stored ETag/Last-Modified
LOG_LEVEL = os.environ.get("KEIKA_SCRAPY_LOG_LEVEL", "WARNING")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# --- Feed exports (`scrapy crawl pages -o items.jsonl`) -----------------------------------------
# A FetchResult's body is bytes, which no feed format can hold: exports carry everything else
# (the body is in keika's archive: `keika snapshot CRAWL_ID PAGE_KEY`).
FEED_EXPORT_FIELDS = [
    "key",
    "url",
    "started_at",
    "fetched_at",
    "final_url",
    "status",
    "headers",
    "error",
]
