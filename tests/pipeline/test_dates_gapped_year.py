"""A western year and a month separated by a space (2003 8月), as a timeline's year and month
columns are written side by side (see pipeline/dates.py's notes)."""

from __future__ import annotations

import datetime

import pytest
from conftest import html_page
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dates import read_date

from pipeline.dates import DateSpan, YearContext, match_date
from pipeline.parse import parse_page


@pytest.mark.parametrize(
    ("line", "date_text", "start", "end", "note", "rest"),
    [
        ("2003 8月", "2003 8月", "2003-08", "2003-08", None, ""),
        ("2003 8月15日", "2003 8月15日", "2003-08-15", "2003-08-15", None, ""),
        ("２００３　８月", "２００３　８月", "2003-08", "2003-08", None, ""),
        ("2003  8月", "2003  8月", "2003-08", "2003-08", None, ""),
        ("2003 8月 本社移転", "2003 8月", "2003-08", "2003-08", None, "本社移転"),
        ("2003 8月15日　開館", "2003 8月15日", "2003-08-15", "2003-08-15", None, "開館"),
        ("2003 8月：開館", "2003 8月", "2003-08", "2003-08", None, "開館"),
        ("2003 8月上旬", "2003 8月上旬", "2003-08", "2003-08", "上旬", ""),
        ("2003 8月～10月", "2003 8月～10月", "2003-08", "2003-10", None, ""),
        ("2003 8月15日～2004 3月", "2003 8月15日～2004 3月", "2003-08-15", "2004-03", None, ""),
        ("1843 5月31日", "1843 5月31日", "1843-05-31", "1843-05-31", None, ""),  # a western year
    ],
)
def test_a_year_and_a_month_separated_by_a_space_are_one_date(
    line: str, date_text: str, start: str, end: str, note: str | None, rest: str
) -> None:
    found = read_date(line)
    span = DateSpan(start, end, note)
    assert (found.date_text, found.span, found.rest) == (date_text, span, rest)
    assert not found.year_only


def test_a_year_and_a_month_separated_by_a_space_override_a_year_heading() -> None:
    found = match_date("2003 8月　開館", context=YearContext(1999))
    assert found is not None
    assert found.span == DateSpan("2003-08", "2003-08")


@pytest.mark.parametrize(
    "line",
    [
        "2003 8",  # no 月: two numbers
        "2003 8 月",
        "2003 8月号",  # an issue of a periodical, not a date
        "2003 8月号　特集",
        "2003 8月分",
        "2003 8月に開館",  # text running on from the month: as after 2003年8月, no date
        "2003 8月開館",  # (and nothing runs into text after the spaced form)
        "203 8月",  # not four digits
        "20030 8月",
        "0999 8月",
        "3000 8月",  # a number rather than a year (as a bare year: 1000-2999)
        "5600 4月",
        "2003 13月",
        "2003 2月30日",
        "2003 八月",
        "2003 8/15",
    ],
)
def test_other_numbers_before_a_month_stay_undated(line: str) -> None:
    assert match_date(line) is None


def test_a_timeline_with_year_and_month_in_adjacent_spans() -> None:
    """<span class="year">2003</span><span class="month">8月</span>: the parser writes them
    2003 8月, one date."""
    data = html_page(
        '<main><h1>沿革</h1><ul class="timeline">'
        '<li><span class="year">2003</span><span class="month">8月</span><p>本社移転</p></li>'
        '<li><span class="year">２００５</span>　<span class="month">４月１日</span>'
        "<p>工場開設</p></li></ul></main>",
        "沿革｜どこか社",
    )
    assert [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries] == [
        ("2003 8月", "2003-08", "2003-08", ("本社移転",)),
        ("２００５\u3000４月１日", "2005-04-01", "2005-04-01", ("工場開設",)),
    ]


@settings(max_examples=200)
@given(st.dates(datetime.date(1000, 1, 1), datetime.date(2999, 12, 31)), st.booleans())
def test_a_year_and_a_month_separated_by_a_space_round_trip(day: datetime.date, wide: bool) -> None:
    text = f"{day.year} {day.month}月{day.day}日"
    if wide:
        text = text.replace(" ", "\u3000").translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    found = match_date(f"{text}　本文")
    assert found is not None
    assert (found.span, found.rest) == (DateSpan(day.isoformat(), day.isoformat()), "本文")
