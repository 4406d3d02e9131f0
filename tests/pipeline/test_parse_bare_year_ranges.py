"""Two bare years as a range (2000–2010, 1996～2000) among bare years: the years from the first
to the second, in the run's order by the first (before, 2000–2010 stayed a line of the entry
above, 2012 - 2015: … read as 2012 with its body opening 2015:, and 1996～2000 in a <dl> or a
year column left the whole run undated)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import parse_page


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.note, e.body) for e in parse_page(data).entries]


def test_a_range_of_bare_years_in_a_run_of_lines() -> None:
    data = html_page(
        "<main><h1>History</h1><ul><li>1985 – Agreement signed</li><li>1992 – Delegation</li>"
        "<li>2000–2010: Teacher exchange</li><li>2012 - 2015: Joint concerts</li>"
        "<li>2016 – Garden opened</li></ul></main>",
        "History | Some City",
        "en",
    )
    assert _entries(data) == [
        ("1985", "1985", "1985", None, ("Agreement signed",)),
        ("1992", "1992", "1992", None, ("Delegation",)),
        ("2000–2010", "2000", "2010", None, ("Teacher exchange",)),
        ("2012 - 2015", "2012", "2015", None, ("Joint concerts",)),
        ("2016", "2016", "2016", None, ("Garden opened",)),
    ]
    # A second number before the first is no range (the line is what it was: 2010, its body
    # opening 2005:), nor is a date (2019-04-01).
    data = html_page(
        "<main><h1>History</h1><ul><li>1985 – Agreement signed</li><li>1992 – Delegation</li>"
        "<li>2010 - 2005: a typo</li></ul><p>2019-04-01 Web site opened</p></main>",
        "History | Some City",
        "en",
    )
    assert [entry[:3] for entry in _entries(data)] == [
        ("1985", "1985", "1985"),
        ("1992", "1992", "1992"),
        ("2010", "2010", "2010"),
        ("2019-04-01", "2019-04-01", "2019-04-01"),
    ]


def test_a_range_of_bare_years_in_a_definition_list_and_a_year_column() -> None:
    data = html_page(
        "<main><h1>沿革</h1><dl><dt>1988</dt><dd>会社設立</dd><dt>1996～2000</dt>"
        "<dd>海外工場を順次開設</dd><dt>2003</dt><dd>本社移転</dd></dl>"
        "<h2>研修制度</h2><table><tr><th>年度</th><th>内容</th></tr>"
        "<tr><td>2018</td><td>新人研修</td></tr><tr><td>2019－2020</td><td>海外研修</td></tr>"
        "</table></main>",
        "沿革｜どこか株式会社",
    )
    assert _entries(data) == [
        ("1988", "1988", "1988", None, ("会社設立",)),
        ("1996～2000", "1996", "2000", None, ("海外工場を順次開設",)),
        ("2003", "2003", "2003", None, ("本社移転",)),
        ("2018", "2018-04", "2019-03", "年度", ("新人研修",)),
        ("2019－2020", "2019-04", "2021-03", "年度", ("海外研修",)),
    ]
