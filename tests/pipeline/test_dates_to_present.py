"""A bare year to the present (1998–present, 1998～現在) and Since 1998: a span only the
present can end, so the four digits are a year there, though alone they are none."""

from __future__ import annotations

import pytest
from test_dates import read_date

from pipeline.dates import DateSpan, match_date

BARE_YEAR_TO_THE_PRESENT = [
    ("1998–present: Annual student exchange", "1998–present", "Onward", "Annual student exchange"),
    ("1998 - Present", "1998 - Present", "Onward", ""),
    ("1998 – present, homestays", "1998 – present", "Onward", "homestays"),
    ("1998 to present: Exchange", "1998 to present", "Onward", "Exchange"),
    ("1998 to the present", "1998 to the present", "Onward", ""),
    ("1998 until today - Concerts", "1998 until today", "Onward", "Concerts"),
    ("1998-now", "1998-now", "Onward", ""),
    ("１９９８－Ｐｒｅｓｅｎｔ", "１９９８－Ｐｒｅｓｅｎｔ", "Onward", ""),
    ("1998～現在　中学生派遣", "1998～現在", "以降", "中学生派遣"),
    ("1998〜現在", "1998〜現在", "以降", ""),
    ("1998 ～ 現在", "1998 ～ 現在", "以降", ""),
    ("1998から現在まで　継続", "1998から現在まで", "以降", "継続"),
    ("1998年～現在 交流", "1998年～現在", "以降", "交流"),  # (read before too)
    ("Since 1998: Online classes", "Since 1998", "Onward", "Online classes"),
    ("Since 1998 - Online classes", "Since 1998", "Onward", "Online classes"),
    ("since 1998", "since 1998", "Onward", ""),
]


@pytest.mark.parametrize(("line", "date_text", "note", "rest"), BARE_YEAR_TO_THE_PRESENT)
def test_a_bare_year_to_the_present_is_its_open_range(
    line: str, date_text: str, note: str, rest: str
) -> None:
    found = read_date(line)
    assert (found.date_text, found.span, found.rest) == (
        date_text,
        DateSpan("1998", "1998", note),
        rest,
    )
    assert not found.year_only  # an open range heads no month lines


def test_since_a_month_or_a_day_is_its_open_range() -> None:
    assert read_date("Since May 2019: Online").span == DateSpan("2019-05", "2019-05", "Onward")
    assert read_date("Since 3 May 2019").span == DateSpan("2019-05-03", "2019-05-03", "Onward")


@pytest.mark.parametrize(
    "line",
    [
        "1998 - present value of the fund",  # words after present: a sentence
        "1998–present Annual exchange",
        "1998–presently",
        "1998～現在の施設",
        "1998～現在も継続",
        "19980-present",  # no year
        "3000-present",
        "1998",  # a bare year alone is no date (a run of them is, in pipeline.parse)
        "1998-2005",
        "1998 - 1st delegation",
        "Since 1998, the festival has been held every year",  # a sentence
        "Since 1998 the festival",
        "Since May",
        "Since 12: a count",
    ],
)
def test_near_misses_of_a_bare_year_to_the_present_are_no_date(line: str) -> None:
    assert match_date(line) is None
