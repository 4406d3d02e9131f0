"""Retry timing rules and the child-process time limit."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import FAST_SETTINGS, Reply

from crawler.middlewares import backoff_seconds, retry_after_seconds
from crawler.run import run_crawl_in_child
from pipeline.domain.fetch import CrawlTarget


def test_retry_after_in_seconds_and_as_a_date():
    now = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Mon, 01 Jun 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Mon, 01 Jun 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_seconds(n, 2.0, 10.0) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 10.0]


def test_child_crawl_is_stopped_at_its_time_limit(fixture_server, tmp_path):
    fixture_server.route("/slow.html", Reply(body=b"<p>late</p>", delay=30))
    target = CrawlTarget("p", fixture_server.url("/slow.html"), timeout=60)
    outcome = run_crawl_in_child(
        [target],
        settings={**FAST_SETTINGS, "KEIKA_FETCH_LOG": str(tmp_path / "log.jsonl")},
        pipelines={"crawler.pipelines.FetchLogPipeline": 300},
        timeout=3,
        grace=1,
    )
    assert outcome.timed_out
    assert outcome.exitcode is None
    assert not outcome.ok
