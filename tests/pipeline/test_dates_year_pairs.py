"""A season, a school or a financial year across two years (2021–22, 2021/22, 2011/12 season,
2021-2022 academic year): the two years, when the second is exactly the next; the two digits of
a month (2011/12) only before a season's or a year's word."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dates import match_date, normalize_date

years = st.integers(min_value=1000, max_value=2998)
seps = st.sampled_from(["-", "/", "–"])
words = st.sampled_from(
    [
        ("season", "Season"),
        ("Academic Year", "Academic year"),
        ("school year", "School year"),
        ("financial year", "Financial year"),
        ("Fiscal Year", "Fiscal year"),
    ]
)


@given(years, seps)
def test_a_year_and_the_next_ones_two_digits_that_are_no_month(year, sep):
    short = (year + 1) % 100
    text = f"{year}{sep}{short:02d}"
    found = match_date(f"{text}: League champions")
    if short > 12:
        assert found is not None
        assert (found.date_text, found.rest) == (text, "League champions")
        assert (found.span.start, found.span.end, found.span.note) == (
            f"{year}",
            f"{year + 1}",
            None,
        )
    else:  # 2011/12: a year's month, as before
        assert found is None or found.span.end != f"{year + 1}"


@given(years, seps, st.booleans(), words)
def test_a_year_and_the_next_before_a_seasons_word(year, sep, whole, word):
    second = f"{year + 1}" if whole else f"{(year + 1) % 100:02d}"
    text = f"{year}{sep}{second} {word[0]}"
    found = match_date(f"{text} – Promoted to Division One")
    assert found is not None
    assert (found.date_text, found.rest) == (text, "Promoted to Division One")
    assert (found.span.start, found.span.end, found.span.note) == (
        f"{year}",
        f"{year + 1}",
        word[1],
    )
    assert normalize_date(text) == found.span


@given(years, seps, st.integers(min_value=2, max_value=60), st.booleans())
def test_a_second_year_that_is_not_the_next_is_no_pair(year, sep, gap, whole):
    later = year + gap
    second = f"{later}" if whole else f"{later % 100:02d}"
    found = match_date(f"{year}{sep}{second} season")
    assert found is None or found.span.note != "Season"


@pytest.mark.parametrize("text", ["2021-2022", "2021/2022", "1999-2000"])
def test_two_whole_years_alone_stay_bare_years(text):
    """Without a season's word, 2021-2022 is two bare years, which pipeline.parse reads in a run
    of them (as 1998 alone), not here."""
    assert match_date(text) is None


def test_a_year_first_day_is_untouched():
    for text, start in (
        ("2019/4/1", "2019-04-01"),
        ("2019-04-01", "2019-04-01"),
        ("2011/12", "2011-12"),
    ):
        found = match_date(text)
        assert found is not None and found.span.start == start
