"""Schedules: a seed's `schedule` string as an APScheduler trigger, checked once for everyone.

Pure (values in, values out) so that `load_seeds` refuses a bad schedule for every command
(`crawl`, `schedule`, `info` …) with the same words, and the scheduler builds its triggers from
the same code. A schedule is a five-field crontab expression in the page's timezone, or
`every N{s,m,h,d}`. One that can never fire (`0 6 31 2 *`) or overflows the calendar
(`every 999999999d`) is refused here, not discovered later by a running scheduler.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # APScheduler's cron parser costs ~60 ms: imported when a schedule is read
    from apscheduler.triggers.base import BaseTrigger

EVERY_RE = re.compile(r"^every\s+(\d+)\s*([smhd])$", re.IGNORECASE)
EVERY_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab: 0 (and 7) = Sunday
# An interval longer than this is a typo, and beyond it datetime arithmetic overflows.
MAX_INTERVAL_DAYS = 3660
SCHEDULE_HELP = "expected five-field cron like '0 6 * * *' or 'every 30m'"


def make_trigger(schedule: str, timezone: str) -> BaseTrigger:
    """A five-field cron expression in `timezone`, or `every N{s,m,h,d}`; ValueError otherwise.

    The trigger must be able to fire: a date that never comes is a ValueError too.
    """
    try:
        trigger = _make_trigger(schedule, timezone)
        first = trigger.get_next_fire_time(None, datetime.now(UTC))
    except OverflowError as exc:
        raise ValueError(f"out of range: {exc}") from exc
    if first is None:
        raise ValueError("this schedule never runs (no such date)")
    return trigger


def _make_trigger(schedule: str, timezone: str) -> BaseTrigger:
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    every = EVERY_RE.match(schedule.strip())
    if every:
        amount, unit = int(every.group(1)), every.group(2).lower()
        if amount <= 0:
            raise ValueError("an interval must be at least 1")
        seconds = amount * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
        if seconds > MAX_INTERVAL_DAYS * 86400:
            raise ValueError(f"an interval must be at most {MAX_INTERVAL_DAYS} days")
        return IntervalTrigger(**{EVERY_UNITS[unit]: amount}, timezone=ZoneInfo(timezone))
    if schedule.strip().lower().startswith("every"):
        raise ValueError("expected 'every N' with s, m, h or d, e.g. 'every 30m'")
    fields = schedule.split()
    if len(fields) != 5:
        raise ValueError(f"a cron expression has 5 fields, this has {len(fields)}")
    minute, hour, day, month, weekdays = fields
    if day != "*" and weekdays != "*":
        # cron runs when either matches, APScheduler only when both do: refuse the ambiguity.
        raise ValueError("set day-of-month or day-of-week, not both")
    # Not CronTrigger.from_crontab: APScheduler 3 reads weekday numbers with 0 = Monday.
    trigger = CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=crontab_weekdays(weekdays),
        timezone=ZoneInfo(timezone),
    )
    if not _day_exists(day, month):
        raise ValueError("this schedule never runs (no such date)")
    return trigger


def _day_exists(day: str, month: str) -> bool:
    """Whether some month the field allows has some day the field allows (2000: a leap year)."""
    from apscheduler.triggers.cron import CronTrigger

    probe = CronTrigger(day=day, month=month, hour=0, minute=0, year=2000, timezone=UTC)
    return probe.get_next_fire_time(None, datetime(2000, 1, 1, tzinfo=UTC)) is not None


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field (0/7 = Sunday, names, lists, ranges, steps) as APScheduler
    3 day names, e.g. "1-5" -> "mon,tue,wed,thu,fri", "*/2" -> "sun,tue,thu,sat"."""

    def number(text: str) -> int:
        text = text.lower()
        if text in CRON_WEEKDAYS:
            return CRON_WEEKDAYS.index(text)
        if text.isdigit() and 0 <= int(text) <= 7:
            return int(text)
        raise ValueError(f"day of week {text!r}: expected 0-7 or sun..sat")

    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        if step_text and not (step_text.isdigit() and int(step_text) > 0):
            raise ValueError(f"day of week {part!r}: bad step")
        step = int(step_text) if step_text else 1
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            low, _, high = span.partition("-")
            first, last = number(low), number(high)
            if first > last:
                raise ValueError(f"day of week {part!r}: range runs backwards")
        else:
            first = number(span)
            last = 6 if step_text else first
        days.update(d % 7 for d in range(first, last + 1, step))
    if days == set(range(7)):
        return "*"
    monday_first = [*range(1, 7), 0]
    return ",".join(CRON_WEEKDAYS[d] for d in monday_first if d in days)


def check_schedule(schedule: str, timezone: str) -> str | None:
    """None if `schedule` is usable in `timezone`, else why not (one line)."""
    try:
        make_trigger(schedule, timezone)
    except (ValueError, TypeError, KeyError) as exc:
        return str(exc) or type(exc).__name__
    return None
