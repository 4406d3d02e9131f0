"""Date forms read since session 7 (tests/pipeline/test_dates_more.py) open entries inside a
page: the parser's prefilters let their lines through."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _english_body(body: str) -> bytes:
    return html_page(
        f"<main><h1>History of Exchange</h1>{body}</main>", "History | Some City", "en"
    )


def test_english_seasons_open_entries_in_a_block_of_lines() -> None:
    """Lines of one <br> block are cut before each line a prefilter lets through: a season's
    name (Winter, Fall, Autumn are neither a month's nor a weekday's) opens one too."""
    data = _english_body(
        "<p>Spring 1985: First delegation<br>Winter 1999-2000: Ski exchange<br>"
        "Fall 2003: Students arrived<br>Autumn 2005 - Concert</p>"
    )
    assert [(e.date_text, e.start, e.end, e.note, e.body) for e in parse_page(data).entries] == [
        ("Spring 1985", "1985", "1985", "Spring", ("First delegation",)),
        ("Winter 1999-2000", "1999", "2000", "Winter", ("Ski exchange",)),
        ("Fall 2003", "2003", "2003", "Fall", ("Students arrived",)),
        ("Autumn 2005", "2005", "2005", "Autumn", ("Concert",)),
    ]


def test_explain_names_english_seasons_that_are_not_used() -> None:
    data = _english_body(
        "<h2>Spring 1985</h2><p>Agreement signed</p>"
        "<p>Summer 1985th anniversary</p>"
        "<p>Winter festival 2019 was held.</p>"
    )
    parsed, trace = explain_page(data)
    assert [e.date_text for e in parsed.entries] == ["Spring 1985"]
    assert dict(trace.unused) == {
        "Summer 1985th anniversary": "the date runs straight into text (no separator after it)"
    }
