"""Era dates dotted and padded to a fixed width (昭和22. 4. 1, 平成 9.11. 3, S22. 4. 1), as an old
school's 沿革 table aligns them: read as the western padded forms (2005. 1. 1) are."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import DateSpan, match_date, normalize_date


@settings(max_examples=200)
@given(
    st.dates(datetime.date(1927, 1, 1), datetime.date(1988, 12, 31)),
    st.sampled_from(["昭和", "S"]),
    st.sampled_from("./"),
)
def test_padded_dotted_era_dates_round_trip(day: datetime.date, era: str, sep: str) -> None:
    year = day.year - 1925
    pad = " " if era == "昭和" else ""
    text = f"{era}{pad if year < 10 else ''}{year}{sep}{day.month:2d}{sep}{day.day:2d}"
    assert normalize_date(text) == DateSpan(day.isoformat(), day.isoformat())
    found = match_date(f"{text}　校舎落成")
    assert found is not None and (found.date_text, found.rest) == (text, "校舎落成")


def test_padded_era_dates_as_a_school_table_writes_them() -> None:
    assert normalize_date("平成 9.11. 3") == DateSpan("1997-11-03", "1997-11-03")
    assert normalize_date("令和 4. 4. 1") == DateSpan("2022-04-01", "2022-04-01")
    assert normalize_date("昭和35. 3.20") == DateSpan("1960-03-20", "1960-03-20")


@pytest.mark.parametrize(
    "line",
    ["昭和22. 4", "H 9.4.1", "平成 9. 4", "S22.  4. 1", "昭和22- 4- 1", "平成 10.4.1", "S22. 2.30"],
)
def test_padded_era_forms_that_are_not_dates(line: str) -> None:
    """Padding only in a whole date with dots or slashes, one space before one digit, and a
    Latin initial's year unpadded (H 9 is no era year)."""
    assert match_date(line) is None
    assert match_date(f"{line} 本文") is None
