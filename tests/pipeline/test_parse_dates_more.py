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


def test_year_first_english_dates_open_entries() -> None:
    data = _english_body(
        "<p>1985, April 3: Agreement signed<br>1990 May 3 - Mayor visited<br>"
        "1992, June: Students arrived<br>1995 July 20-23 – Summer camp</p>"
    )
    assert [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries] == [
        ("1985, April 3", "1985-04-03", "1985-04-03", ("Agreement signed",)),
        ("1990 May 3", "1990-05-03", "1990-05-03", ("Mayor visited",)),
        ("1992, June", "1992-06", "1992-06", ("Students arrived",)),
        ("1995 July 20-23", "1995-07-20", "1995-07-23", ("Summer camp",)),
    ]


def test_explain_names_year_first_english_lines_that_are_not_used() -> None:
    data = _english_body(
        "<h2>1985 April 3</h2><p>Agreement signed</p>"
        "<p>1985 April 31 Festival</p>"
        "<p>2019 may be remembered as the year of the flood.</p>"
    )
    parsed, trace = explain_page(data)
    assert [e.date_text for e in parsed.entries] == ["1985 April 3"]
    assert dict(trace.unused) == {
        "1985 April 31 Festival": "looks like a date but is not a valid one"
    }


def test_japanese_forms_open_entries_in_a_block_of_lines() -> None:
    """A range of parts of a month, and a western year with its era in parentheses before a
    dotted date, cut a <br> block as other dated lines do."""
    data = html_page(
        "<main><h1>沿革</h1><p>平成10年4月上旬～中旬　田植え体験<br>"
        "平成10年5月中旬から下旬まで　稲の観察<br>2019(H31).4.1　新庁舎開庁<br>"
        "H31(2019).4.30　記念式典</p></main>",
        "沿革",
    )
    assert [(e.date_text, e.start, e.end, e.note, e.body) for e in parse_page(data).entries] == [
        ("平成10年4月上旬～中旬", "1998-04", "1998-04", "上旬・中旬", ("田植え体験",)),
        ("平成10年5月中旬から下旬まで", "1998-05", "1998-05", "中旬・下旬", ("稲の観察",)),
        ("2019(H31).4.1", "2019-04-01", "2019-04-01", None, ("新庁舎開庁",)),
        ("H31(2019).4.30", "2019-04-30", "2019-04-30", None, ("記念式典",)),
    ]


def test_early_mid_or_late_in_a_month_or_year_open_entries() -> None:
    data = _english_body(
        "<p>Early April 2019: Students arrived<br>Mid-May 2019 - Concert<br>"
        "Late 2019: Mayor visited</p><p>Early April 2019's festival</p>"
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.start, e.note, e.body) for e in parsed.entries] == [
        ("Early April 2019", "2019-04", "Early", ("Students arrived",)),
        ("Mid-May 2019", "2019-05", "Mid", ("Concert",)),
        ("Late 2019", "2019", "Late", ("Mayor visited",)),
    ]
    assert dict(trace.unused) == {
        "Early April 2019's festival": "the date runs straight into text (no separator after it)"
    }


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.note, e.body) for e in parse_page(data).entries]


def test_ranges_to_the_present_open_entries() -> None:
    """平成15年4月～現在 cuts a <br> block as 平成15年4月～ does, and reads as it does."""
    data = html_page(
        "<main><h1>協会のあゆみ</h1><p>平成15年4月～現在　日本語教室を開催<br>"
        "2015年〜現在　通訳ボランティア登録制度<br>平成28年4月から現在まで　国際理解講座</p>"
        "</main>",
        "沿革",
    )
    assert _entries(data) == [
        ("平成15年4月～現在", "2003-04", "2003-04", "以降", ("日本語教室を開催",)),
        ("2015年〜現在", "2015", "2015", "以降", ("通訳ボランティア登録制度",)),
        ("平成28年4月から現在まで", "2016-04", "2016-04", "以降", ("国際理解講座",)),
    ]


def test_dates_of_effect_open_entries() -> None:
    """平成3年4月1日付で姉妹都市提携: 付で ends the date, so the line opens an entry in a <br>
    block though its text follows at once; 令和5年4月1日現在 is the date's too."""
    data = html_page(
        "<main><h1>沿革</h1><p>平成3年4月1日付で姉妹都市提携<br>"
        "平成10年4月1日付け　事務局を市役所内に移転<br>令和5年4月1日現在　会員数120名</p></main>",
        "沿革",
    )
    assert _entries(data) == [
        ("平成3年4月1日付で", "1991-04-01", "1991-04-01", None, ("姉妹都市提携",)),
        ("平成10年4月1日付け", "1998-04-01", "1998-04-01", None, ("事務局を市役所内に移転",)),
        ("令和5年4月1日現在", "2023-04-01", "2023-04-01", None, ("会員数120名",)),
    ]


def test_leap_months_open_entries_under_an_old_year() -> None:
    """A line opening with 閏 (閏11月, under 天保3年) passes the prefilters: a month of the year
    above it, the leap one."""
    data = html_page(
        "<main><h1>村の年表</h1><h2>天保3年</h2><p>11月　大雪<br>閏11月　年貢減免の願い</p>"
        "<p>文久2年閏8月15日　寺子屋開く</p></main>",
        "年表",
    )
    assert _entries(data) == [
        ("11月", "1832-11", "1832-11", None, ("大雪",)),
        ("閏11月", "1832-11", "1832-11", "閏", ("年貢減免の願い",)),
        ("文久2年閏8月15日", "1862-08-15", "1862-08-15", "閏", ("寺子屋開く",)),
    ]


def test_years_written_twice_before_the_month_open_entries() -> None:
    data = html_page(
        "<main><h1>年表</h1><ul><li>慶応4年（明治元年）9月8日　改元</li>"
        "<li>明治元年（慶応4年）　藩校を再興</li><li>平成31年（令和元年）5月1日　改元記念植樹</li>"
        "</ul></main>",
        "年表",
    )
    assert _entries(data) == [
        ("慶応4年（明治元年）9月8日", "1868-09-08", "1868-09-08", None, ("改元",)),
        ("明治元年（慶応4年）", "1868", "1868", None, ("藩校を再興",)),
        ("平成31年（令和元年）5月1日", "2019-05-01", "2019-05-01", None, ("改元記念植樹",)),
    ]


def test_english_decades_open_entries() -> None:
    data = _english_body(
        "<p>1970s: First letters exchanged<br>Early 1980s – Teachers visited<br>"
        "the late 1990s: Youth orchestra tours</p><p>The 1970s were quiet years.</p>"
    )
    assert _entries(data) == [
        ("1970s", "1970", "1979", "Decade", ("First letters exchanged",)),
        ("Early 1980s", "1980", "1989", "Early・Decade", ("Teachers visited",)),
        ("the late 1990s", "1990", "1999", "Late・Decade", ("Youth orchestra tours",)),
    ]
