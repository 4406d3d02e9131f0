"""Date forms read since session 7: a western year with its era in parentheses before a dotted
date, ranges of parts of a month, English seasons and year-first English dates, and range ends
written 同年 (the same year), 翌年 (the next) or 同月 (the same month)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import (
    DateError,
    DateSpan,
    YearContext,
    match_date,
    normalize_date,
)

ERAS = [("明治", "M", 1868, 45), ("大正", "T", 1912, 15), ("昭和", "S", 1926, 64)]
ERAS += [("平成", "H", 1989, 31), ("令和", "R", 2019, 30)]


def _read(line: str, context: YearContext | None = None) -> tuple[str, str, str | None, str]:
    found = match_date(line, context=context)
    assert found is not None, line
    return found.span.start, found.span.end, found.span.note, found.rest


def _no_date(line: str, context: YearContext | None = None) -> None:
    assert match_date(line, context=context) is None, line
    with pytest.raises(DateError):
        normalize_date(line, context=context)


# --- a western year with its era in parentheses, in a dotted date ------------------------------

WESTERN_WITH_ERA = [
    ("2019(H31).4.1", "2019-04-01", "2019-04-01", ""),
    ("2019（H31）.4.1 新元号発表", "2019-04-01", "2019-04-01", "新元号発表"),
    ("1989(昭和64).1.7", "1989-01-07", "1989-01-07", ""),
    ("1989(平成元).1.8", "1989-01-08", "1989-01-08", ""),
    ("2019(令和元年)/5/1", "2019-05-01", "2019-05-01", ""),
    ("2019(R1).5.1～5.3", "2019-05-01", "2019-05-03", ""),
    ("2019(H31).4", "2019-04", "2019-04", ""),
    # and the era year first, the western year in parentheses
    ("H31(2019).4.1", "2019-04-01", "2019-04-01", ""),
    ("平成31(2019).4.1　開庁", "2019-04-01", "2019-04-01", "開庁"),
    # (read before, with 年: unchanged)
    ("2019（平成31）年4月1日", "2019-04-01", "2019-04-01", ""),
]


@pytest.mark.parametrize(("line", "start", "end", "rest"), WESTERN_WITH_ERA)
def test_a_western_year_with_its_era_in_parentheses(
    line: str, start: str, end: str, rest: str
) -> None:
    assert _read(line) == (start, end, None, rest)


@pytest.mark.parametrize(
    "line",
    [
        "2019(H30).4.1",  # the era year is another year
        "1989(昭和63).1.7",
        "2019(令和2).5.1",
        "H30(2019).4.1",
        "平成31(2018).4.1",
        "2019(H99).4.1",  # out of its era
        "2019(X31).4.1",
        "2019(H31)",  # no month: a year and a note, not a dotted date
        "H31(2019)",
        "2019(H31).13.1",
        "2019(H31).2.30",
    ],
)
def test_a_western_year_with_a_disagreeing_or_broken_era_is_no_date(line: str) -> None:
    _no_date(line)


@settings(max_examples=300)
@given(
    st.sampled_from(ERAS),
    st.data(),
    st.sampled_from([".", "/"]),
    st.booleans(),
    st.booleans(),
    st.integers(-2, 2),
)
def test_western_and_era_years_in_parentheses_round_trip(
    era: tuple[str, str, int, int],
    data: st.DataObject,
    sep: str,
    letter: bool,
    western_first: bool,
    shift: int,
) -> None:
    name, initial, first, last = era
    era_year = data.draw(st.integers(1, last))
    year = max(first + era_year - 1, 1873)  # (no lunisolar days here)
    era_year = year - first + 1
    day = data.draw(st.dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    written_era = f"{initial if letter else name}{era_year}"
    other = year + shift
    if western_first:
        text = f"{other}({written_era}){sep}{day.month}{sep}{day.day}"
    else:
        text = f"{written_era}({other}){sep}{day.month}{sep}{day.day}"
    if shift == 0:
        assert normalize_date(text) == DateSpan(day.isoformat(), day.isoformat())
        assert _read(text + " 本文") == (day.isoformat(), day.isoformat(), None, "本文")
    else:
        _no_date(text)
