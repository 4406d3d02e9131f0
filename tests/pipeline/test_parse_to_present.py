"""Ranges to the present inside a page: a bare year to the present among bare years (a run's
line, a table's year column, a <dl>), and a range to the present broken over a <br>."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import parse_page


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.note, e.body) for e in parse_page(data).entries]


def test_a_bare_year_to_the_present_in_a_run_of_bare_years_keeps_its_words() -> None:
    """2005 - Present: among 1985 – … lines is no year 2005 whose body opens "Present:"."""
    data = html_page(
        "<main><h1>History</h1><ul><li>1985 – Agreement signed</li>"
        "<li>1992 – First delegation</li><li>2005 - Present: Teacher exchange</li></ul></main>",
        "History | Some City",
        "en",
    )
    assert _entries(data) == [
        ("1985", "1985", "1985", None, ("Agreement signed",)),
        ("1992", "1992", "1992", None, ("First delegation",)),
        ("2005 - Present", "2005", "2005", "Onward", ("Teacher exchange",)),
    ]


def test_a_bare_year_to_the_present_keeps_a_column_of_bare_years() -> None:
    """年 | 内容 with 1999～現在 in the last row: the column is still one of years (before, the
    one cell that was no bare year left every row page text)."""
    data = html_page(
        "<main><h1>交流のあゆみ</h1><table><tr><th>年</th><th>内容</th></tr>"
        "<tr><td>1988</td><td>友好協会設立</td></tr><tr><td>1996</td><td>市民訪問団派遣</td></tr>"
        "<tr><td>1999～現在</td><td>中学生相互派遣</td></tr></table></main>",
        "交流のあゆみ｜どこか市",
    )
    assert _entries(data) == [
        ("1988", "1988", "1988", None, ("友好協会設立",)),
        ("1996", "1996", "1996", None, ("市民訪問団派遣",)),
        ("1999～現在", "1999", "1999", "以降", ("中学生相互派遣",)),
    ]


def test_a_bare_year_to_the_present_in_a_definition_list() -> None:
    data = html_page(
        "<main><h1>沿革</h1><dl><dt>1988</dt><dd>会社設立</dd><dt>1996</dt><dd>本社移転</dd>"
        "<dt>1999～現在</dt><dd>海外研修制度</dd></dl></main>",
        "沿革｜どこか株式会社",
    )
    assert _entries(data) == [
        ("1988", "1988", "1988", None, ("会社設立",)),
        ("1996", "1996", "1996", None, ("本社移転",)),
        ("1999～現在", "1999", "1999", "以降", ("海外研修制度",)),
    ]
