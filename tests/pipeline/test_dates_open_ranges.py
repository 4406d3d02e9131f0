"""A range with no end written (平成15年4月～, 2013年2月21日から): the start, with note 以降 (see
pipeline/dates.py's notes); から or ～ running into text stays a sentence."""

from __future__ import annotations

import datetime

import pytest
from conftest import html_page
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dates import read_date

from pipeline.dates import DateSpan, YearContext, match_date, normalize_date
from pipeline.parse import parse_page


@pytest.mark.parametrize(
    ("line", "date_text", "start", "end", "note", "rest"),
    [
        ("平成15年4月～", "平成15年4月～", "2003-04", "2003-04", "以降", ""),
        ("平成15年4月〜", "平成15年4月〜", "2003-04", "2003-04", "以降", ""),  # wave dash
        ("平成15年4月から", "平成15年4月から", "2003-04", "2003-04", "以降", ""),
        ("平成15年4月～　運行開始", "平成15年4月～", "2003-04", "2003-04", "以降", "運行開始"),
        ("平成15年4月から　運行開始", "平成15年4月から", "2003-04", "2003-04", "以降", "運行開始"),
        ("平成15年4月 ～ 運行開始", "平成15年4月 ～", "2003-04", "2003-04", "以降", "運行開始"),
        ("2013年2月21日～", "2013年2月21日～", "2013-02-21", "2013-02-21", "以降", ""),
        (
            "2013年2月21日～ 供用開始",
            "2013年2月21日～",
            "2013-02-21",
            "2013-02-21",
            "以降",
            "供用開始",
        ),
        ("2013/2/21 ～", "2013/2/21 ～", "2013-02-21", "2013-02-21", "以降", ""),
        ("2013.2.21～　供用開始", "2013.2.21～", "2013-02-21", "2013-02-21", "以降", "供用開始"),
        ("H15.4～", "H15.4～", "2003-04", "2003-04", "以降", ""),
        ("令和2年4月1日(水)～", "令和2年4月1日(水)～", "2020-04-01", "2020-04-01", "以降", ""),
        ("平成15年4月上旬～", "平成15年4月上旬～", "2003-04", "2003-04", "上旬・以降", ""),
        ("平成15年～", "平成15年～", "2003", "2003", "以降", ""),
        ("平成15年度～", "平成15年度～", "2003-04", "2004-03", "年度・以降", ""),
        ("天保14年5月～", "天保14年5月～", "1843-05", "1843-05", "以降", ""),
        # an end written reads as before
        ("平成15年4月～ 平成16年3月", "平成15年4月～ 平成16年3月", "2003-04", "2004-03", None, ""),
        (
            "平成15年4月から平成16年3月まで",
            "平成15年4月から平成16年3月まで",
            "2003-04",
            "2004-03",
            None,
            "",
        ),
    ],
)
def test_a_range_with_no_end_is_its_start_with_the_note_from(
    line: str, date_text: str, start: str, end: str, note: str | None, rest: str
) -> None:
    found = read_date(line)
    span = DateSpan(start, end, note)
    assert (found.date_text, found.span, found.rest) == (date_text, span, rest)
    assert not found.year_only  # 平成15年～ heads no month lines: it is no year heading


def test_a_range_with_no_end_under_a_year_heading() -> None:
    found = match_date("4月～　運行開始", context=YearContext(2003))
    assert found is not None
    assert (found.span, found.rest) == (DateSpan("2003-04", "2003-04", "以降"), "運行開始")


def test_a_range_with_no_end_is_a_date_alone() -> None:
    assert normalize_date("平成15年4月から") == DateSpan("2003-04", "2003-04", "以降")


@pytest.mark.parametrize(
    "line",
    [
        "平成15年4月から運行を開始",  # から running into text: a sentence
        "平成15年4月～運行開始",
        "平成15年4月から、運行を開始した。",
        "平成15年4月～ 15日",  # something like an end that is none: no date rather than a guess
        "平成15年4月～ 平成14年3月",  # an end before the start
        "平成15年4月ー",  # a dash is no open end
        "4月～",  # no year
        "昭和40年代～",
    ],
)
def test_what_follows_the_range_mark_keeps_a_sentence_or_a_bad_end_undated(line: str) -> None:
    assert match_date(line) is None


def test_a_dash_after_a_date_stays_as_it_was() -> None:
    found = match_date("2013年2月21日 - ")
    assert found is not None
    assert (found.date_text, found.span, found.rest) == (
        "2013年2月21日",
        DateSpan("2013-02-21", "2013-02-21"),
        "-",
    )


def test_a_timeline_of_ranges_with_no_end_is_cut_into_entries() -> None:
    data = html_page(
        "<main><h1>バス路線のあゆみ</h1>"
        "<p>平成15年4月～　循環バス運行開始<br>2013/2/21 ～　デマンド交通運行<br>"
        "令和2年4月から　新路線運行</p></main>",
        "沿革｜どこか市",
    )
    assert [(e.date_text, e.start, e.end, e.note, e.body) for e in parse_page(data).entries] == [
        ("平成15年4月～", "2003-04", "2003-04", "以降", ("循環バス運行開始",)),
        ("2013/2/21 ～", "2013-02-21", "2013-02-21", "以降", ("デマンド交通運行",)),
        ("令和2年4月から", "2020-04", "2020-04", "以降", ("新路線運行",)),
    ]


def test_a_range_broken_after_its_mark_is_one_range() -> None:
    """平成15年4月～<br>平成16年3月　本体工事: the page's range, not a range with no end and a
    month; a line with its own open end after it stays so."""
    data = html_page(
        "<main><h1>工事の経過</h1><p>平成15年4月～<br>平成16年3月　本体工事</p>"
        "<p>平成16年4月～<br>供用開始</p><p>平成17年4月から<br>平成18年4月～　第2期</p></main>",
        "沿革｜どこか市",
    )
    assert [(e.date_text, e.start, e.end, e.note, e.body) for e in parse_page(data).entries] == [
        ("平成15年4月～ 平成16年3月", "2003-04", "2004-03", None, ("本体工事",)),
        ("平成16年4月～", "2004-04", "2004-04", "以降", ("供用開始",)),
        ("平成17年4月から", "2005-04", "2005-04", "以降", ()),
        ("平成18年4月～", "2006-04", "2006-04", "以降", ("第2期",)),
    ]


@settings(max_examples=200)
@given(
    st.dates(datetime.date(1873, 1, 1), datetime.date(2100, 12, 31)),
    st.sampled_from(["～", "〜", "から", " ～", "~"]),
    st.sampled_from(["", "　運行開始", " 運行開始"]),
)
def test_a_date_with_no_end_round_trips(day: datetime.date, mark: str, rest: str) -> None:
    for written, iso in [
        (f"{day.year}年{day.month}月{day.day}日", day.isoformat()),
        (f"{day.year}年{day.month}月", f"{day:%Y-%m}"),
        (f"{day.year}/{day.month}/{day.day}", day.isoformat()),
    ]:
        found = match_date(f"{written}{mark}{rest}")
        assert found is not None
        assert (found.date_text, found.span, found.rest) == (
            f"{written}{mark}",
            DateSpan(iso, iso, "以降"),
            rest.strip(" \u3000"),
        )
