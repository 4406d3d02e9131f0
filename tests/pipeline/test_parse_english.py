"""English pages of layouts keika had not seen (see tests/fixtures/synthetic/english-*.html and
drupal-*.html): what is read, and what is left as page text rather than guessed."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import explain_page, parse_page

_DRUPAL_VIEW = (
    '<a href="#main-content" class="skip-link">Skip to main content</a>'
    '<header role="banner"><a href="/">Riverside Historical Society</a></header>'
    "<main role=main><h1>Timeline</h1><div class=view-content>"
    "<div class=views-row><span class=date-display-single>04/12/1975</span>"
    "<div class=field-body><p>Society founded.</p></div></div>"
    "<div class=views-row><span class=date-display-single>11/10/1999</span>"
    "<div class=field-body><p>Archive room opens.</p></div></div>"
    "</div></main><footer><p>210 Main Street</p></footer>"
)


def test_a_day_and_month_in_figures_is_no_date_and_explain_says_why():
    """04/12/1975 is April 12 in the US and 4 December in the UK: on a page whose dates all read
    both ways (11/10/1999 too) and whose lang= is plain "en", keika reads neither (a wrong date
    is worse than none), and --explain names the reason."""
    parsed, trace = explain_page(html_page(_DRUPAL_VIEW, "Timeline | Riverside", lang="en"))
    assert parsed.entries == ()
    reasons = dict(trace.unused)
    assert "figures" in reasons["04/12/1975"]
    assert "figures" in reasons["11/10/1999"]


def test_a_page_with_no_dated_entries_keeps_its_landmarks_text_only():
    """With nothing dated anywhere, the page's text is its <main>'s lines, not the whole body's
    (the skip link before it, the banner's site name)."""
    page = parse_page(html_page(_DRUPAL_VIEW, "Timeline | Riverside", lang="en")).page
    assert page.text == (
        "04/12/1975",
        "Society founded.",
        "11/10/1999",
        "Archive room opens.",
    )


def test_a_day_written_with_a_dot_is_no_list_number():
    """12. April 1989 is a German (Danish, Czech …) day, not item 12 dated April 1989: keika
    reads no wrong month and drops no day; the lines stay page text (so does 2. October 1986:
    item 2 or the 2nd, the page does not say). A list's number before a date with its day
    (1. May 10, 1985) is still a number."""
    german = (
        "<main><h1>Chronik</h1><ul>"
        "<li>12. April 1989: Gründung des Vereins</li>"
        "<li>3. August 1990: Unterzeichnung der Urkunde</li>"
        "<li>1. September 1994: Erster Schüleraustausch</li></ul></main>"
    )
    parsed = parse_page(html_page(german, "Chronik", lang="de"))
    assert parsed.entries == ()
    assert parsed.page.text[0] == "12. April 1989: Gründung des Vereins"
    numbered = (
        "<main><h1>History</h1>"
        "<p>1. May 10, 1985: Agreement signed</p><p>2. October 21, 1986: First delegation</p>"
        "</main>"
    )
    entries = parse_page(html_page(numbered, "History", lang="en")).entries
    assert [(e.date_text, e.start) for e in entries] == [
        ("May 10, 1985", "1985-05-10"),
        ("October 21, 1986", "1986-10-21"),
    ]


def test_bare_years_among_a_decade_and_a_circa_year_in_a_year_column_are_years():
    """A Wikipedia timeline's Year column: 1914 | 1940s | 1967 | 1999 and c. 1190 | 1337 | 1588.
    Two or more bare years in order with one dated cell are years, not lines of the row
    above (1967 was the 1940s' body); a cell keika does not read (AD 43) stays page text."""
    table = (
        "<main><h1>Timeline of Port Ellery</h1>"
        "<table class=wikitable><tr><th>Year</th><th>Event</th></tr>"
        "<tr><td>AD 43</td><td>Roman conquest.</td></tr>"
        "<tr><td>c. 1190</td><td>Church founded.</td></tr>"
        "<tr><td>1337</td><td>Market charter.</td></tr>"
        "<tr><td>1588</td><td>Beacon lit.</td></tr></table>"
        "<table class=wikitable><tr><th>Year</th><th>Event</th></tr>"
        "<tr><td>1914</td><td>Lifeboat station rebuilt.</td></tr>"
        "<tr><td>1940s</td><td>Patrol base.</td></tr>"
        "<tr><td>1967</td><td>Harbour closed.</td></tr>"
        "<tr><td>1999</td><td>Eclipse.</td></tr></table></main>"
    )
    parsed = parse_page(html_page(table, "Timeline of Port Ellery", lang="en"))
    assert [(e.date_text, e.start, e.end, e.note, e.body) for e in parsed.entries] == [
        ("c. 1190", "1190", "1190", "Circa", ("Church founded.",)),
        ("1337", "1337", "1337", None, ("Market charter.",)),
        ("1588", "1588", "1588", None, ("Beacon lit.",)),
        ("1914", "1914", "1914", None, ("Lifeboat station rebuilt.",)),
        ("1940s", "1940", "1949", "Decade", ("Patrol base.",)),
        ("1967", "1967", "1967", None, ("Harbour closed.",)),
        ("1999", "1999", "1999", None, ("Eclipse.",)),
    ]
    assert "AD 43 Roman conquest." in parsed.page.text
