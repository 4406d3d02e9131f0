"""English dates on pages keika has not seen (see tests/fixtures/synthetic/english-*.html):
what separates a date from its text, and what is left unread rather than guessed."""

from __future__ import annotations

import pytest

from pipeline.dates import match_date


@pytest.mark.parametrize(
    ("line", "date_text", "rest"),
    [
        ("June 2, 1998 – 10th anniversary", "June 2, 1998", "10th anniversary"),
        ("June 1998 - 1st prize for the taiko team", "June 1998", "1st prize for the taiko team"),
        ("October 17, 2008 — 22nd delegation", "October 17, 2008", "22nd delegation"),
        ("平成10年6月2日 – 10周年記念式典", "平成10年6月2日", "10周年記念式典"),
        ("2003年4月1日 - 10周年記念式典", "2003年4月1日", "10周年記念式典"),
    ],
)
def test_a_dash_before_an_ordinal_separates_the_date_from_its_text(line, date_text, rest):
    """A dash between spaces separates a date from its text; an ordinal after it (10th, 10周年)
    is the text's first word, not a range's end, so the dash is no part of the body."""
    found = match_date(line)
    assert found is not None
    assert (found.date_text, found.rest) == (date_text, rest)


@pytest.mark.parametrize(
    "line",
    ["平成10年5月1日 - 35日", "June 2, 1998 - 10the", "June 2, 1998 – 2000 visitors"],
)
def test_a_dash_before_a_number_that_is_no_ordinal_stays_in_the_text(line):
    """A number after the dash may be a range's end that is no day (35日): the dash stays."""
    found = match_date(line)
    assert found is not None
    assert found.rest.startswith(("-", "–"))


@pytest.mark.parametrize(
    ("line", "date_text", "rest"),
    [
        ("c. 1890 Harbour breakwater extended", "c. 1890", "Harbour breakwater extended"),
        ("ca. 1890: Mill built", "ca. 1890", "Mill built"),
        ("Circa 1890 – Mill built", "Circa 1890", "Mill built"),
        ("c.1890", "c.1890", ""),
    ],
)
def test_a_year_about_which_is_the_year_with_note_circa(line, date_text, rest):
    """c. 1890 is 1890 with note Circa, as 明治23年頃 is 1890 with 頃."""
    found = match_date(line)
    assert found is not None
    assert (found.date_text, found.span.start, found.span.end, found.span.note, found.rest) == (
        date_text,
        "1890",
        "1890",
        "Circa",
        rest,
    )


@pytest.mark.parametrize(
    "line", ["c. 1890s", "c. 1890 - 1900", "c. 1890-95", "c. 200 BC", "Construction 1890"]
)
def test_a_circa_decade_or_range_is_no_date(line):
    """Which end of a range is the circa one is not written; a decade is read without c."""
    assert match_date(line) is None


@pytest.mark.parametrize(
    ("line", "date_text", "start", "end", "rest"),
    [
        ("May 2019 – 2021", "May 2019 – 2021", "2019-05", "2021", ""),
        ("May 2019 – 2021 – Exhibition", "May 2019 – 2021", "2019-05", "2021", "Exhibition"),
        ("June 3, 2015 to 2018: Chair", "June 3, 2015 to 2018", "2015-06-03", "2018", "Chair"),
        ("1985 April - 1987", "1985 April - 1987", "1985-04", "1987", ""),
    ],
)
def test_a_range_may_end_with_a_year_alone(line, date_text, start, end, rest):
    """May 2019 – 2021 is May 2019 to 2021, as 平成4年11月～平成5年 is 1992-11 to 1993: not
    May 2019 with a body opening "– 2021" (a range cut short is a wrong date)."""
    found = match_date(line)
    assert found is not None
    assert (found.date_text, found.span.start, found.span.end, found.rest) == (
        date_text,
        start,
        end,
        rest,
    )


@pytest.mark.parametrize("line", ["May 2019 - 2019", "May 2019 - 2018"])
def test_a_range_to_its_own_year_or_an_earlier_one_is_no_date(line):
    assert match_date(line) is None
