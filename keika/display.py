"""How the CLI and the web show values a person reads: times in the page's zone, text made safe.

Text from pages, servers and users is data. `visible` makes control characters (ESC sequences,
NUL, bidi overrides) visible instead of letting a terminal act on them; `local_time` shows a
stored UTC time in the page's timezone with the zone named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.domain.controls import CONTROL_RE as _CONTROL_RE
from pipeline.domain.controls import visible as visible  # keika.display.visible, as before
from pipeline.domain.seed import PAGE_DEFAULTS

DEFAULT_TIMEZONE: str = PAGE_DEFAULTS["timezone"]


def visible_json(encoded: str) -> str:
    """Encoded JSON with the characters `visible` shows written as \\u escapes: the same JSON
    value, nothing a terminal acts on (json escapes C0 controls, not bidi overrides or C1)."""
    return _CONTROL_RE.sub(_json_escape, encoded)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


@lru_cache(maxsize=64)
def zone(name: str | None) -> ZoneInfo:
    """The named zone, or the default (Asia/Tokyo) for None or a name this machine lacks."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def day_window(
    zones: Iterable[str | None],
    since: datetime | None,
    until: datetime | None,
    *,
    utc: bool = False,
) -> dict[str | None, tuple[datetime | None, datetime | None]] | None:
    """A --since/--until (or ?since=/?until=) window, a time without a zone read in each page's
    zone (or UTC): {zone: (since, until) in UTC}, for storage.changes.in_window. None: no bound.
    """
    if since is None and until is None:
        return None

    def at(moment: datetime | None, name: str | None, low: bool) -> datetime | None:
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC if utc else zone(name))
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # a moment at the calendar's ends (0001-01-01 east of UTC)
            early = moment.year == 1
            if early == low:
                return None  # since before every change, or until after every one: no bound
            return datetime(1, 1, 2, tzinfo=UTC) if early else datetime(9999, 12, 30, tzinfo=UTC)

    return {name: (at(since, name, True), at(until, name, False)) for name in zones}


def local_time(
    moment: datetime | None,
    timezone: str | None = None,
    *,
    utc: bool = False,
    seconds: bool = False,
) -> str:
    """'2026-12-01 11:16 JST' in the page's zone (or UTC with `utc`); '' for no time."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown = moment.astimezone(UTC if utc else zone(timezone))
    pattern = "%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z"
    return shown.strftime(pattern)
