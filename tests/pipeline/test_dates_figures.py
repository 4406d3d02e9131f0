"""A day and a month in figures before the year (04/12/2015, 12.04.2015, 4-12-2015): read by
`match_date` only in an order given (`order="dmy"` or `"mdy"`, which pipeline.parse decides for
a page), never without one; a year first (2015/04/12) is read as before, whatever the order."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dates import DateError, figures_order, match_date, normalize_date

days = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(2999, 12, 31))
separators = st.sampled_from("/.-")
orders = st.sampled_from(("dmy", "mdy"))


def _written(day: datetime.date, sep: str, order: str, padded: bool) -> str:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if padded else (str(day.day), str(day.month))
    first, second = (d, m) if order == "dmy" else (m, d)
    return f"{first}{sep}{second}{sep}{day.year}"


@given(days, separators, orders, st.booleans())
def test_a_day_written_in_the_order_given_reads_back(day, sep, order, padded):
    text = _written(day, sep, order, padded)
    found = match_date(text, order=order)
    assert found is not None
    assert (found.date_text, found.rest) == (text, "")
    assert found.span.start == found.span.end == day.isoformat()
    assert normalize_date(text, order=order) == found.span


@given(days, separators, orders, st.booleans())
def test_without_an_order_no_such_date_is_read(day, sep, order, padded):
    text = _written(day, sep, order, padded)
    assert match_date(text) is None
    with pytest.raises(DateError):
        normalize_date(text)


@given(days, separators, orders)
def test_the_other_order_reads_the_day_and_month_swapped_or_nothing(day, sep, order):
    """04/12/2015 is April 12 one way and 4 December the other; 13/04/2015 only one way."""
    text = _written(day, sep, order, True)
    other = "mdy" if order == "dmy" else "dmy"
    found = match_date(text, order=other)
    try:
        swapped = day.replace(month=day.day, day=day.month)
    except ValueError:
        assert found is None
        assert figures_order(*_numbers(text)) == order
    else:
        assert found is not None and found.span.start == swapped.isoformat()
        assert figures_order(*_numbers(text)) is None or day == swapped


def _numbers(text: str) -> tuple[int, int]:
    for sep in "/.-":
        if sep in text:
            first, second, _ = text.split(sep)
            return int(first), int(second)
    raise AssertionError(text)


@given(days, days, separators, orders, st.sampled_from([" - ", "-", " – ", " to ", " ~ "]))
def test_a_range_of_two_such_days_runs_forward(a, b, sep, order, between):
    text = f"{_written(a, sep, order, True)}{between}{_written(b, sep, order, True)}"
    found = match_date(f"{text}: Festival week", order=order)
    if a <= b:
        assert found is not None
        assert (found.date_text, found.rest) == (text, "Festival week")
        assert (found.span.start, found.span.end) == (a.isoformat(), b.isoformat())
    else:
        assert found is None


@given(days, separators, orders, st.sampled_from([" ", ": ", " - ", " – ", ", "]))
def test_the_text_after_the_date_is_its_rest(day, sep, order, gap):
    text = _written(day, sep, order, True)
    found = match_date(f"{text}{gap}Twinning charter signed", order=order)
    assert found is not None
    assert (found.date_text, found.rest) == (text, "Twinning charter signed")


@given(days, st.sampled_from("/.-"), st.sampled_from((None, "dmy", "mdy")))
def test_a_year_first_is_read_the_same_in_any_order(day, sep, order):
    text = f"{day.year}{sep}{day.month}{sep}{day.day}"
    assert match_date(text, order=order) == match_date(text)
    found = match_date(text)
    assert found is not None and found.span.start == day.isoformat()


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("13/04/2015", "mdy"),  # no 13th month
        ("04/13/2015", "dmy"),
        ("29/02/2015", "dmy"),  # no such day
        ("04/12/2015年", "dmy"),  # text running into it
        ("04/12/20155", "dmy"),  # more digits: no year
        ("04/12-2015", "dmy"),  # two separators
        ("12.04.2015.", "dmy"),
        ("04/15/2015 - 04/12/2015", "mdy"),  # a range running backwards
        ("04/12/2015 - 04/32/2015", "mdy"),  # a range whose end is no day
    ],
)
def test_what_is_no_such_date(text, order):
    assert match_date(text, order=order) is None


def test_figures_order_names_the_only_reading():
    assert figures_order(13, 4) == "dmy"
    assert figures_order(4, 13) == "mdy"
    assert figures_order(4, 12) is None
    assert figures_order(13, 13) is None


@given(st.text(alphabet=st.sampled_from("0123456789/.-– to~年:")), orders)
def test_odd_text_in_figures_never_raises(text, order):
    found = match_date(text, order=order)
    assert found is None or text.lstrip().startswith(found.date_text)
