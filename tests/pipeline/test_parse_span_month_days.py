"""A month and day alone in an element of its own before the text (<span class="date">4.1
</span><span class="txt">…</span>) under a year heading: that day of the heading's year. In
a line, or as a figure (4.1倍, 4.1%), such digits stay text."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.dates import match_date, month_day_alone, year_context
from pipeline.parse import parse_page


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.note, e.body) for e in parse_page(data).entries]


def _timeline(items: str, heading: str = "2021年") -> bytes:
    return html_page(
        f"<main><h1>市政のあゆみ</h1><h3>{heading}</h3><ul>{items}</ul></main>",
        "市政のあゆみ｜どこか市",
    )


def test_a_month_and_day_in_their_own_element_take_the_year_heading() -> None:
    """Before, the heading was an entry whose body read 4.1電子申請を開始: the date lost."""
    data = _timeline(
        '<li><span class="date">4.1</span><span class="txt">電子申請を開始</span></li>'
        '<li><span class="date">10/15</span><span class="txt">新庁舎が開庁</span></li>'
        '<li><span class="date">１２．１</span> <span class="txt">窓口を移転</span></li>'
    )
    assert _entries(data) == [
        ("4.1", "2021-04-01", "2021-04-01", None, ("電子申請を開始",)),
        ("10/15", "2021-10-15", "2021-10-15", None, ("新庁舎が開庁",)),
        ("１２．１", "2021-12-01", "2021-12-01", None, ("窓口を移転",)),
    ]


def test_a_fiscal_year_heading_gives_its_next_year_to_january_to_march() -> None:
    data = _timeline(
        '<li><span class="date">4.1</span><span class="txt">開所</span></li>'
        '<li><span class="date">1.15</span><span class="txt">成人式</span></li>',
        "令和4年度",
    )
    assert _entries(data) == [
        ("4.1", "2022-04-01", "2022-04-01", None, ("開所",)),
        ("1.15", "2023-01-15", "2023-01-15", None, ("成人式",)),
    ]


def test_figures_and_lines_that_are_no_month_and_day_stay_text() -> None:
    """Figures in elements of their own (4.1倍, 12.5%, 3.2万人), a month or day that does not
    exist, text running on from the element (a figure's unit or a particle), a line whose
    digits are in no element of their own (4.1 概要: a section's number), a time after the
    element: no date, so the heading is an entry over them, as before; one line that is a date
    shows the heading itself still reads."""
    lines = [
        '<li><span class="n">4.1</span><span class="u">倍</span></li>',
        '<li><span class="n">12.5</span><span class="u">%</span>　待ち時間の短縮</li>',
        '<li><span class="n">3.2</span><span class="u">万人</span>が来場</li>',
        '<li><span class="d">13.1</span><span class="t">存在しない月</span></li>',
        '<li><span class="d">2.30</span><span class="t">存在しない日</span></li>',
        '<li><span class="n">4.1</span>倍に増加</li>',
        '<li><span class="d">7/1</span><span class="t">に開始</span></li>',
        '<li><span class="d">8.1</span><span class="t">10時開館</span></li>',
        "<li>4.1 概要</li>",
    ]
    data = _timeline("".join(lines))
    assert _entries(data) == [
        (
            "2021年",
            "2021",
            "2021",
            None,
            (
                "4.1倍",
                "12.5%　待ち時間の短縮",
                "3.2万人が来場",
                "13.1存在しない月",
                "2.30存在しない日",
                "4.1倍に増加",
                "7/1に開始",
                "8.1 10時開館",
                "4.1 概要",
            ),
        )
    ]
    dated = _timeline('<li><span class="d">5.3</span><span class="t">憲法記念式典</span></li>')
    assert _entries(dated) == [("5.3", "2021-05-03", "2021-05-03", None, ("憲法記念式典",))]


def test_without_a_year_above_a_month_and_day_is_no_date() -> None:
    data = html_page(
        '<main><h1>お知らせ</h1><ul><li><span class="date">4.1</span>'
        '<span class="txt">電子申請を開始</span></li></ul></main>',
        "お知らせ｜どこか市",
    )
    assert parse_page(data).entries == ()


@pytest.mark.parametrize(
    ("text", "follower", "start"),
    [
        ("4.1", "電", "2021-04-01"),
        ("4/1", "電", "2021-04-01"),
        ("04.01", "A", "2021-04-01"),
        ("4.1", "%", None),
        ("4.1", "1", None),
        ("4.1", "に", None),
        ("4.1", "", None),
        ("4.31", "電", None),
        ("4.1.2", "電", None),
        ("2021.4", "電", None),
        ("Apr 6", "S", "2021-04-06"),
        ("April 6th", "S", "2021-04-06"),
        ("6 April", "S", "2021-04-06"),
        ("Sept. 30", "J", "2021-09-30"),
        ("Apr 31", "S", None),
        ("April", "S", None),
        ("Apr 6, 2019", "S", None),
        ("Apr 6", "1", None),
    ],
)
def test_month_day_alone(text: str, follower: str, start: str | None) -> None:
    context = year_context(match_date("2021年"))
    found = month_day_alone(text, follower, context)
    assert (found.span.start if found else None) == start
    assert month_day_alone(text, follower, None) is None


# --- an English month and day -----------------------------------------------------------------


def _en_timeline(items: str) -> bytes:
    """`items` under <h2>2019</h2>, with a year after it (a lone 2019 heads nothing)."""
    return html_page(
        f"<main><h1>Exchange Timeline</h1><h2>2019</h2><ul>{items}</ul>"
        "<h2>2020</h2><p>Visits were cancelled.</p></main>",
        "Exchange Timeline | Lakeside",
        lang="en",
    )


def test_an_english_month_and_day_in_their_own_element_take_the_year_heading() -> None:
    """Before, 2019 was one entry whose body read Apr 6 Spring festival delegation …"""
    data = _en_timeline(
        "<li><time>Apr 6</time> Spring festival delegation</li>"
        '<li><span class="date">April 6</span><span>Mayors met online</span></li>'
        "<li><b>6 November</b> Teachers' study tour</li>"
    )
    assert _entries(data) == [
        ("Apr 6", "2019-04-06", "2019-04-06", None, ("Spring festival delegation",)),
        ("April 6", "2019-04-06", "2019-04-06", None, ("Mayors met online",)),
        ("6 November", "2019-11-06", "2019-11-06", None, ("Teachers' study tour",)),
        ("2020", "2020", "2020", None, ("Visits were cancelled.",)),
    ]


def test_an_english_month_and_day_in_running_text_stays_text_under_a_year() -> None:
    """May 6 students visited…: May is a verb too; only an element of its own sets it apart."""
    data = _en_timeline(
        "<li>May 6 students visited the city hall</li><li>Apr 6 Spring festival</li>"
        "<li><time>May</time> Spring festival</li>"
    )
    assert _entries(data) == [
        (
            "2019",
            "2019",
            "2019",
            None,
            (
                "May 6 students visited the city hall",
                "Apr 6 Spring festival",
                "May Spring festival",
            ),
        ),
        ("2020", "2020", "2020", None, ("Visits were cancelled.",)),
    ]


def test_an_english_month_and_day_under_a_lunisolar_year_is_no_date() -> None:
    context = year_context(match_date("天保14年"))
    assert month_day_alone("4.1", "電", context) is not None
    assert month_day_alone("Apr 6", "S", context) is None
