"""The politeness numbers the worker relies on: the delay floor is a floor, robots.txt expiry."""

from __future__ import annotations

from scrapy.http import Headers

from crawler import settings
from crawler.middlewares import robots_max_age


def test_the_delay_floor_is_a_floor_and_jitter_only_goes_above_it() -> None:
    # Scrapy draws each delay from delay × (1 ± jitter).
    lowest = settings.DOWNLOAD_DELAY * (1 - settings.DOWNLOAD_DELAY_JITTER)
    highest = settings.DOWNLOAD_DELAY * (1 + settings.DOWNLOAD_DELAY_JITTER)
    assert lowest >= 1.0
    assert abs(lowest - settings.KEIKA_DELAY_FLOOR) < 1e-9
    assert highest > lowest  # still jittered
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN == 2


def test_robots_txt_is_kept_by_its_own_expiry_at_most_a_day() -> None:
    day = 86400.0
    assert robots_max_age(Headers({}), day) == day
    assert robots_max_age(Headers({"Cache-Control": "public, max-age=600"}), day) == 600
    assert robots_max_age(Headers({"Cache-Control": "max-age=9999999"}), day) == day
    assert robots_max_age(Headers({"Cache-Control": "no-store"}), day) == 0
