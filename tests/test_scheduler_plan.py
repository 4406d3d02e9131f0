"""Schedules to triggers, seeds to jobs, runs to log lines: the scheduler's pure parts."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.worker import configure_logging as worker_logging
from pipeline.domain.errors import SeedError
from pipeline.domain.seed import Seed, SeedSet
from pipeline.services.crawl import CrawlReport
from scheduler import _configure_logging as scheduler_logging
from scheduler import crontab_weekdays, make_trigger, plan_jobs, run_line
from storage.crawls import FetchRow

JST = ZoneInfo("Asia/Tokyo")


def test_cron_runs_in_the_pages_timezone() -> None:
    trigger = make_trigger("0 6 * * *", "Asia/Tokyo")
    now = datetime(2026, 11, 29, 22, 0, tzinfo=UTC)  # 07:00 JST on the 30th
    assert trigger.get_next_fire_time(None, now) == datetime(2026, 12, 1, 6, 0, tzinfo=JST)


def test_cron_weekday_field_is_crontab_style() -> None:
    trigger = make_trigger("30 7 * * 1", "UTC")  # Mondays
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 29, tzinfo=UTC))  # a Sunday
    assert fire == datetime(2026, 11, 30, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "interval"),
    [
        ("every 2s", timedelta(seconds=2)),
        ("every 30m", timedelta(minutes=30)),
        ("every 6h", timedelta(hours=6)),
        ("every 1d", timedelta(days=1)),
        ("Every 90S", timedelta(seconds=90)),
    ],
)
def test_intervals(schedule: str, interval: timedelta) -> None:
    trigger = make_trigger(schedule, "Asia/Tokyo")
    assert trigger.interval == interval
    now = datetime(2026, 11, 29, tzinfo=UTC)
    first = trigger.get_next_fire_time(None, now)
    assert trigger.get_next_fire_time(first, first) == first + interval


@pytest.mark.parametrize(
    "schedule",
    [
        "61 * * * *",
        "0 6 * *",
        "0 6 * * * *",
        "every 0s",
        "every 5x",
        "every",
        "daily",
        "",
        "0 6 * * 8",
        "0 6 * * 5-1",
        "0 6 * * */0",
    ],
)
def test_bad_schedules_raise_value_error(schedule: str) -> None:
    with pytest.raises(ValueError):
        make_trigger(schedule, "Asia/Tokyo")


def _seed(key: str, schedule: str, **kw: object) -> Seed:
    return Seed(
        key=key, url=f"http://127.0.0.1/{key}", schedule=schedule, source="seeds/x.toml", **kw
    )


def test_plan_has_a_job_per_enabled_page_named_by_its_schedule() -> None:
    seeds = SeedSet(
        (
            _seed("a", "0 6 * * *"),
            _seed("b", "every 30m", timezone="UTC"),
            _seed("off", "0 6 * * *", enabled=False),
        )
    )
    jobs = plan_jobs(seeds)
    assert [j.key for j in jobs] == ["a", "b"]
    assert [j.name for j in jobs] == ["a: 0 6 * * * (Asia/Tokyo)", "b: every 30m (UTC)"]


def test_plan_reports_every_bad_schedule_with_file_and_key() -> None:
    seeds = SeedSet((_seed("a", "61 * * * *"), _seed("ok", "every 1h"), _seed("c", "every 5x")))
    with pytest.raises(SeedError) as caught:
        plan_jobs(seeds)
    message = str(caught.value)
    assert "seeds/x.toml:a: bad schedule '61 * * * *'" in message
    assert "seeds/x.toml:c: bad schedule 'every 5x'" in message
    assert ":ok" not in message


def _row(**kw: object) -> FetchRow:
    base: dict[str, object] = {
        "crawl": 7,
        "page": "p",
        "url": "http://127.0.0.1/p",
        "outcome": "changed",
        "status": 200,
        "started_at": datetime(2026, 11, 29, tzinfo=UTC),
        "fetched_at": datetime(2026, 11, 29, tzinfo=UTC),
        "duration_ms": 120,
        "entry_count": 33,
        "counts": {"added": 1, "edited": 2, "removed": 0},
        "error": None,
        "crawl_status": "finished",
    }
    return FetchRow(**{**base, **kw})  # type: ignore[arg-type]


def test_run_line_says_page_outcome_counts_crawl_and_duration() -> None:
    report = CrawlReport(7, (_row(),), 2.61)
    assert run_line("p", report) == "p: changed | 33 entries | 1 added, 2 edited | crawl 7 | 2.6s"


def test_run_line_of_a_cut_off_run() -> None:
    row = _row(outcome="failed", entry_count=None, counts=None, error="crawl cut off after 2s")
    report = CrawlReport(8, (row,), 3.4, status="interrupted")
    assert run_line("p", report) == (
        "p: failed | error: crawl cut off after 2s | crawl 8 interrupted | 3.4s"
    )


def test_run_line_shows_a_servers_control_characters_and_stays_one_line() -> None:
    """A server's Content-Type lands in the failure reason: its ESC sequence, BEL and a line
    break are shown as escapes, so the log line can be neither coloured nor forged."""
    hostile = (
        "not HTML: application/x\x1b[31m[bold]RED\x07\r\n2026-12-02 06:00:00,000 INFO q: changed"
    )
    row = _row(outcome="failed", entry_count=None, counts=None, error=hostile)
    line = run_line("p", CrawlReport(9, (row,), 2.1))
    assert line == (
        "p: failed | error: not HTML: application/x\\x1b[31m[bold]RED\\x07\\x0d\\n"
        "2026-12-02 06:00:00,000 INFO q: changed | crawl 9 | 2.1s"
    )


@pytest.mark.parametrize(
    "configure", [scheduler_logging, worker_logging], ids=["schedule", "worker"]
)
def test_every_log_message_shows_control_characters_as_escapes(configure) -> None:  # type: ignore[no-untyped-def]
    """`keika schedule` and `keika worker` log through one handler each: any message that
    carries a server's text (an error, a URL) has its control characters shown, not obeyed; a
    traceback keeps its lines."""
    root, own = logging.getLogger(), logging.getLogger("keika")
    saved = (root.handlers[:], root.level, own.handlers[:], own.level, own.propagate)
    try:
        configure()
        [handler] = own.handlers if own.handlers and not own.propagate else root.handlers
        record = logging.LogRecord("keika.x", logging.WARNING, __file__, 1, "got %s", None, None)
        record.args = ("a\x1b[2Jb\u202ec\x9b",)
        shown = handler.format(record)
        assert shown.endswith("got a\\x1b[2Jb\\u202ec\\x9b"), shown
        try:
            raise ValueError("boom")
        except ValueError:
            record.exc_info = sys.exc_info()
        assert "Traceback (most recent call last):\n" in handler.format(record)
    finally:
        root.handlers[:], root.level, own.handlers[:] = saved[0], saved[1], saved[2]
        own.setLevel(saved[3])
        own.propagate = saved[4]


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("*", "*"),
        ("0", "sun"),
        ("7", "sun"),
        ("1", "mon"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("5-7", "fri,sat,sun"),
        ("0-6", "*"),
        ("*/2", "tue,thu,sat,sun"),
        ("1/3", "mon,thu"),
        ("sat,sun", "sat,sun"),
        ("MON-wed", "mon,tue,wed"),
        ("1,3,5", "mon,wed,fri"),
    ],
)
def test_crontab_weekdays_count_from_sunday(field: str, days: str) -> None:
    assert crontab_weekdays(field) == days


@pytest.mark.parametrize(
    ("schedule", "weekday"),
    [("0 6 * * 0", "Sunday"), ("0 6 * * 1", "Monday"), ("0 6 * * 7", "Sunday")],
)
def test_cron_weekday_numbers_mean_what_they_mean_in_crontab(schedule: str, weekday: str) -> None:
    trigger = make_trigger(schedule, "Asia/Tokyo")
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 25, tzinfo=UTC))
    assert fire.strftime("%A %H:%M") == f"{weekday} 06:00"


def test_both_day_fields_are_refused_rather_than_misread() -> None:
    with pytest.raises(ValueError, match="not both"):
        make_trigger("0 6 1 * 1", "Asia/Tokyo")
