"""Leader dots between a date and its text (平成3年4月……開館), as an old hand-made 沿革 sets
them like a table of contents."""

from __future__ import annotations

import pytest

from pipeline.dates import match_date


@pytest.mark.parametrize(
    ("line", "date_text", "start", "rest"),
    [
        ("平成3年4月……開館", "平成3年4月", "1991-04", "開館"),
        ("平成3年4月…　開館", "平成3年4月", "1991-04", "開館"),
        ("平成3年4月‥‥市制施行", "平成3年4月", "1991-04", "市制施行"),
        ("平成3年4月・・・開館", "平成3年4月", "1991-04", "開館"),
        ("1998.4.1...開館", "1998.4.1", "1998-04-01", "開館"),
        ("昭和22年……学制改革", "昭和22年", "1947", "学制改革"),
    ],
)
def test_leader_dots_part_a_date_from_its_text(
    line: str, date_text: str, start: str, rest: str
) -> None:
    found = match_date(line)
    assert found is not None, line
    assert (found.date_text, found.span.start, found.rest) == (date_text, start, rest)


@pytest.mark.parametrize(
    "line", ["平成3年4月…", "平成3年4月・開館", "平成3年4月・5月", "1998…開館"]
)
def test_what_is_no_leader(line: str) -> None:
    """Leaders with no text after them, one ・ (a list of months: 4月・5月), a bare number."""
    assert match_date(line) is None
