"""What a person reads: control characters made visible, times in the page's zone."""

from __future__ import annotations

from datetime import UTC, datetime

from keika.display import local_time, visible


def test_control_characters_are_shown_not_obeyed() -> None:
    assert visible("a\x1b[31mred\x00\x7f\u202eevil") == "a\\x1b[31mred\\x00\\x7f\\u202eevil"
    assert visible("一行目\n二行目\tタブ") == "一行目\n二行目\tタブ"
    assert visible("a\nb", newlines=False) == "a\\nb"


def test_characters_that_show_as_nothing_are_shown_as_escapes() -> None:
    """A page that adds a zero-width space to an entry edits it: `keika show` must not print
    two identical lines. Joiners inside emoji and scripts are kept."""
    hidden = "開\u200b館\ufeff\u2060\u2061\u061c\u180e\ufffe\uffff"
    assert visible(hidden) == "開\\u200b館\\ufeff\\u2060\\u2061\\u061c\\u180e\\ufffe\\uffff"
    family = "\N{MAN}\u200d\N{WOMAN}\u200d\N{GIRL}"
    assert visible(family) == family


def test_times_are_shown_in_the_page_zone_with_the_zone_named() -> None:
    moment = datetime(2026, 12, 1, 2, 16, 5, tzinfo=UTC)
    assert local_time(moment) == "2026-12-01 11:16 JST"
    assert local_time(moment, "Europe/Paris", seconds=True) == "2026-12-01 03:16:05 CET"
    assert local_time(moment, "Asia/Tokyo", utc=True) == "2026-12-01 02:16 UTC"
    assert local_time(moment, "No/Such_Zone") == "2026-12-01 11:16 JST"
    assert local_time(None) == ""
