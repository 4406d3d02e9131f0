"""Two era years joined by a slash or a 中黒 (平成31年/令和元年5月1日, 平成31年・令和元年): the
same year written twice, as in brackets (平成31年（令和元年）); read only when both eras name the
same western year."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.dates import match_date
from pipeline.parse import parse_page


@pytest.mark.parametrize(
    ("line", "date_text", "start", "rest"),
    [
        ("平成31年/令和元年5月1日", "平成31年/令和元年5月1日", "2019-05-01", ""),
        ("平成31年・令和元年5月1日　改元", "平成31年・令和元年5月1日", "2019-05-01", "改元"),
        ("平成31年／令和元年5月1日 改元", "平成31年／令和元年5月1日", "2019-05-01", "改元"),
        ("慶応4年 / 明治元年9月8日　改元", "慶応4年 / 明治元年9月8日", "1868-09-08", "改元"),
        ("平成31年・令和元年　改元の年", "平成31年・令和元年", "2019", "改元の年"),
    ],
)
def test_two_eras_of_one_year_joined_by_a_slash_or_a_middle_dot_are_one_date(
    line: str, date_text: str, start: str, rest: str
) -> None:
    found = match_date(line)
    assert found is not None
    assert (found.date_text, found.span.start, found.rest) == (date_text, start, rest)


@pytest.mark.parametrize(
    "line",
    [
        "平成30年/令和元年5月1日　改元",
        "平成30年・令和元年5月1日 式典",
        "明治元年/大正元年9月8日　x",
    ],
)
def test_two_eras_of_different_years_joined_by_a_slash_are_no_date(line: str) -> None:
    assert match_date(line) is None


def test_a_page_dated_by_two_eras_at_once() -> None:
    data = html_page(
        "<main><h1>市のあゆみ</h1><ul><li>平成30年4月1日　新庁舎開庁</li>"
        "<li>平成31年/令和元年5月1日　改元記念式典</li></ul></main>",
        "市のあゆみ",
    )
    assert [(e.date_text, e.start) for e in parse_page(data).entries] == [
        ("平成30年4月1日", "2018-04-01"),
        ("平成31年/令和元年5月1日", "2019-05-01"),
    ]
