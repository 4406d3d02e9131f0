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


def test_a_range_to_the_present_broken_over_a_br_is_one_range() -> None:
    """平成15年4月～<br>現在　…: as 平成15年4月～現在 on one line (before, the range had no end
    and the body opened with 現在); also after a dash, and in English."""
    data = html_page(
        "<main><h1>交流のあゆみ</h1><p>平成15年4月～<br>現在　市民交流を継続</p>"
        "<p>平成16年4月から<br>現在に至る　相互訪問</p><p>2015年－<br>現在　職員派遣</p>"
        "<p>平成20年4月～<br>現在</p><p>受入事業</p></main>",
        "交流のあゆみ｜どこか市",
    )
    assert _entries(data) == [
        ("平成15年4月～ 現在", "2003-04", "2003-04", "以降", ("市民交流を継続",)),
        ("平成16年4月から 現在に至る", "2004-04", "2004-04", "以降", ("相互訪問",)),
        ("2015年－ 現在", "2015", "2015", "以降", ("職員派遣",)),
        ("平成20年4月～ 現在", "2008-04", "2008-04", "以降", ("受入事業",)),
    ]
    english = html_page(
        "<main><h1>History</h1><p>May 2019 –<br>Present: Online classes</p>"
        "<p>1998–<br>present: Annual exchange</p></main>",
        "History | Some City",
        "en",
    )
    assert _entries(english) == [
        ("May 2019 – Present", "2019-05", "2019-05", "Onward", ("Online classes",)),
        ("1998– present", "1998", "1998", "Onward", ("Annual exchange",)),
    ]


def test_only_the_present_joins_a_broken_open_range() -> None:
    """A line ending with a mark joins the next only as a range: to a date (as before) or to
    the present as words of their own; 今日の…, Today the …, a date after a dash, and a line
    after a dash that is no date stay apart."""
    data = html_page(
        "<main><h1>交流のあゆみ</h1><p>平成18年4月～<br>今日の交流の基礎となる協会が発足</p>"
        "<p>平成19年4月～<br>現在の庁舎で受付開始</p>"
        "<p>2016年4月1日 -<br>2016年4月3日　交流フェスティバル</p>"
        "<p>平成20年4月～<br>現在まで　受入事業</p></main>",
        "交流のあゆみ｜どこか市",
    )
    assert _entries(data) == [
        ("平成18年4月～", "2006-04", "2006-04", "以降", ("今日の交流の基礎となる協会が発足",)),
        ("平成19年4月～", "2007-04", "2007-04", "以降", ("現在の庁舎で受付開始",)),
        ("2016年4月1日", "2016-04-01", "2016-04-01", None, ("-",)),
        ("2016年4月3日", "2016-04-03", "2016-04-03", None, ("交流フェスティバル",)),
        ("平成20年4月～ 現在まで", "2008-04", "2008-04", "以降", ("受入事業",)),
    ]
    english = html_page(
        "<main><h1>History</h1><p>June 2020 –<br>Today the city hall moved</p>"
        "<p>May 2021 –<br>today: Online classes</p></main>",
        "History | Some City",
        "en",
    )
    assert _entries(english) == [
        ("June 2020", "2020-06", "2020-06", None, ("–", "Today the city hall moved")),
        ("May 2021 – today", "2021-05", "2021-05", "Onward", ("Online classes",)),
    ]
