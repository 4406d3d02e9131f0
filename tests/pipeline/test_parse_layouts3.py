"""Layouts of company and school 沿革 pages, and lists a template names as news: years written
as bare digits, decades as headings (see tests/fixtures/synthetic for whole pages)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import parse_page


def _doc(body: str, title: str = "沿革｜どこか株式会社") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- years written as four digits alone ---------------------------------------------------------


def test_terms_that_are_bare_years_in_order_are_years():
    data = _doc(
        "<main><h1>沿革</h1><dl><dt>1998</dt><dd>会社設立</dd>"
        "<div><dt>2003</dt><dd>本社を移転</dd></div><dt>２０１０</dt><dd>上場</dd></dl></main>"
    )
    assert _entries(data) == [
        ("1998", "1998", "1998", ("会社設立",)),
        ("2003", "2003", "2003", ("本社を移転",)),
        ("２０１０", "2010", "2010", ("上場",)),
    ]


def test_a_year_column_of_bare_years_dates_its_rows_and_their_months():
    data = _doc(
        "<main><h1>沿革</h1><table><tr><th>年</th><th>内容</th></tr>"
        "<tr><td>2020</td><td>開所</td></tr><tr><td>2012</td><td>設立</td></tr></table>"
        "<table><tr><th>年</th><th>月</th><th>内容</th></tr>"
        "<tr><td>1998</td><td>4月</td><td>会社設立</td></tr>"
        "<tr><td>2003</td><td>10月</td><td>本社移転</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("2020", "2020", "2020", ("開所",)),  # newest first: in order the other way
        ("2012", "2012", "2012", ("設立",)),
        ("1998 4月", "1998-04", "1998-04", ("会社設立",)),
        ("2003 10月", "2003-10", "2003-10", ("本社移転",)),
    ]


def test_headings_and_timeline_boxes_that_are_bare_years_are_years():
    data = _doc(
        "<main><h1>沿革</h1><h3>1998</h3><p>会社設立</p><h3>2003</h3><p>本社を移転</p>"
        '<div class="tl"><div class="tl-item"><div class="tl-year">2010</div>'
        '<div class="tl-text">上場</div></div><div class="tl-item"><div class="tl-year">2015</div>'
        '<div class="tl-text">海外に進出</div></div></div></main>'
    )
    assert _entries(data) == [
        ("1998", "1998", "1998", ("会社設立",)),
        ("2003", "2003", "2003", ("本社を移転",)),
        ("2010", "2010", "2010", ("上場",)),
        ("2015", "2015", "2015", ("海外に進出",)),
    ]


def test_bare_numbers_out_of_order_or_alone_are_no_years():
    """A statistics table (年 | 人口 in no order), a lone number term, codes out of range: their
    lines stay the page's text, not entries."""
    data = _doc(
        "<main><h1>概要</h1><table><tr><th>年</th><th>人口</th></tr>"
        "<tr><td>2015</td><td>12,345</td></tr><tr><td>2013</td><td>12,000</td></tr>"
        "<tr><td>2020</td><td>13,000</td></tr></table>"
        "<dl><dt>1998</dt><dd>設立</dd></dl>"
        "<dl><dt>0101</dt><dd>本店</dd><dt>0102</dt><dd>支店</dd></dl>"
        "<h3>2021</h3><p>売上</p><h4>2022</h4><p>利益</p></main>",  # not like each other
        title="概要｜どこか株式会社",
    )
    parsed = parse_page(data)
    assert parsed.entries == ()
    assert "2013 12,000" in parsed.page.text and "0102" in parsed.page.text


# --- decades ------------------------------------------------------------------------------------


def test_a_decade_heading_is_an_entry_for_its_ten_years():
    data = _doc(
        "<main><h1>まちのあゆみ</h1><p>昭和30年代</p><p>団地の造成が進む。</p>"
        "<h2>1990年代後半</h2><p>駅前の再開発。</p><h2>昭和60年代</h2><p>新庁舎が完成。</p></main>",
        title="まちのあゆみ｜どこか市",
    )
    assert _entries(data) == [
        ("昭和30年代", "1955", "1964", ("団地の造成が進む。",)),
        ("1990年代後半", "1995", "1999", ("駅前の再開発。",)),
        ("昭和60年代", "1985", "1989", ("新庁舎が完成。",)),
    ]
    assert [e.note for e in parse_page(data).entries] == ["年代", "年代後半", "年代"]


# --- a page that is its news list ---------------------------------------------------------------

_NEWS_LIST = (
    '<ul class="news-list"><li><time datetime="2023-04-01">2023.04.01</time>'
    '<a href="/a">新年度のお知らせ</a></li><li><time datetime="2023-05-10">2023.05.10</time>'
    '<a href="/b">イベントを開催します</a></li></ul>'
)


def test_a_page_whose_content_is_its_news_list_reads_the_list():
    data = _doc(f"<main><h1>お知らせ一覧</h1>{_NEWS_LIST}</main>", title="お知らせ｜どこか市")
    assert _entries(data) == [
        ("2023.04.01", "2023-04-01", "2023-04-01", ("新年度のお知らせ",)),
        ("2023.05.10", "2023-05-10", "2023-05-10", ("イベントを開催します",)),
    ]


def test_a_news_box_beside_a_chronology_stays_furniture():
    data = _doc(
        f"<main><h1>沿革</h1><h2>平成15年4月</h2><p>開校</p>"
        f'<div class="news">{_NEWS_LIST}</div></main>'
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [("平成15年4月", ("開校",))]
    assert not any("お知らせ" in line for line in (*parsed.page.text, *parsed.entries[0].body))


def test_dated_lines_under_a_decade_heading_are_entries_of_their_own():
    data = _doc(
        "<main><h1>まちのあゆみ</h1><h2>昭和20年代</h2><p>昭和22年4月　村役場が開庁</p>"
        "<p>開拓で人口が増える。</p><h2>昭和30年代</h2><p>団地の造成が進む。</p>"
        "<p>昭和33年10月1日　町制施行</p></main>",
        title="まちのあゆみ｜どこか町",
    )
    assert _entries(data) == [
        # The heading over dated lines heads them, as a year heading does (no entry of its own).
        ("昭和22年4月", "1947-04", "1947-04", ("村役場が開庁", "開拓で人口が増える。")),
        # Undated lines first: the decade is an entry, with them as its body.
        ("昭和30年代", "1955", "1964", ("団地の造成が進む。",)),
        ("昭和33年10月1日", "1958-10-01", "1958-10-01", ("町制施行",)),
    ]


def test_a_date_in_its_own_element_ends_where_the_next_element_begins():
    """<span>2024.08.15</span><span>お知らせ</span>: the style sets them apart, though the text
    runs on; <span>平成元年5月12日</span>に提携した is one sentence."""
    data = _doc(
        '<main><h1>お知らせ一覧</h1><ul><li><span class="date">2024.08.15</span>'
        '<span class="cat">お知らせ</span><a href="/a">夏季休業</a></li>'
        '<li><span class="date">2024.04.01</span><a href="/b">ごあいさつ</a></li></ul>'
        "<p><span>平成元年5月12日</span>に姉妹都市提携を結んだ。</p></main>",
        title="お知らせ｜どこか市",
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("2024.08.15", ("お知らせ夏季休業",)),
        ("2024.04.01", ("ごあいさつ",)),
    ]
    assert parsed.page.text == ("平成元年5月12日に姉妹都市提携を結んだ。",)


def test_month_lines_under_an_old_era_heading_are_lunisolar_days():
    """天保14年 over 5月31日: that day never was (a lunisolar month had 29 or 30 days), so the
    line is no date, as 天保14年5月31日 is not; under 1843年 the page gives ISO days."""
    data = _doc(
        "<main><h1>藩のあゆみ</h1><h2>天保14年</h2><p>5月30日　藩校を開く</p>"
        "<p>5月31日　祭礼</p><h2>1843年</h2><p>5月31日　記録</p></main>",
        title="藩のあゆみ｜どこか市",
    )
    starts = [e.start for e in parse_page(data).entries]
    assert starts == ["1843-05-30", "1843-05-31"]
    entry = parse_page(data).entries[0]
    assert entry.body == ("藩校を開く", "5月31日　祭礼")  # kept as text, not dated


def test_a_numbered_chronology_is_read_past_its_numbers():
    data = _doc(
        "<main><h1>沿革</h1><p>①昭和60年5月　視察団が来訪</p><p>(2) 昭和61年9月　表敬訪問</p>"
        "<p>3. 平成2年11月　視察団が来訪</p><p>No.4　平成3年7月　訪中団を派遣</p>"
        "<p>5　平成4年11月　協定を締結</p><p>〇 平成5年4月　研修生を受け入れ</p>"
        "<p>6. 会則を定めた。</p><p>2 0 0 3 年 8 月　記念式典</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("昭和60年5月", "1985-05", ("視察団が来訪",)),
        ("昭和61年9月", "1986-09", ("表敬訪問",)),
        ("平成2年11月", "1990-11", ("視察団が来訪",)),
        ("平成3年7月", "1991-07", ("訪中団を派遣",)),
        ("平成4年11月", "1992-11", ("協定を締結",)),
        ("平成5年4月", "1993-04", ("研修生を受け入れ", "6. 会則を定めた。")),
        ("2 0 0 3 年 8 月", "2003-08", ("記念式典",)),  # spaced digits: a date, not a number
    ]


def test_a_year_month_and_day_in_cells_of_their_own_are_one_date():
    data = _doc(
        "<main><h1>沿革</h1><table><tr><th>年</th><th>月</th><th>日</th><th>事項</th></tr>"
        "<tr><td>平成15年</td><td>4月</td><td>1日</td><td>開校</td></tr>"
        "<tr><td></td><td>5月</td><td>10日</td><td>運動会</td></tr>"
        "<tr><td></td><td>6月</td><td>上旬</td><td>遠足</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("平成15年4月1日", "2003-04-01", "2003-04-01", ("開校",)),
        ("5月10日", "2003-05-10", "2003-05-10", ("運動会",)),
        ("6月", "2003-06", "2003-06", ("上旬", "遠足")),  # no day: the cell stays text
    ]


def test_a_heading_set_as_an_image_reads_as_its_alt_text():
    data = _doc(
        '<main><h1>沿革</h1><h2><img src="h2003.gif" alt="平成15年4月"></h2><p>開校</p>'
        '<section><h3><img src="h2004.gif" alt="平成16年6月"></h3><p>記念式典</p></section>'
        '<h2><img src="photo.jpg" alt=""></h2><p>写真のみ</p></main>'
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("平成15年4月", ("開校",)),
        ("平成16年6月", ("記念式典",)),
    ]
    assert parsed.page.text == ("写真のみ",)


def _english(body: str) -> bytes:
    return html_page(f"<main><h1>History</h1>{body}</main>", "History | Sister Cities", "en")


def test_an_english_timeline_of_years_before_a_dash_or_a_colon():
    dashed = _english(
        "<ul><li>1985 – First delegation from Oyama visits</li>"
        "<li>1992 - Sister city agreement signed</li><li>2005 — Student exchange begins</li></ul>"
    )
    assert _entries(dashed) == [
        ("1985", "1985", "1985", ("First delegation from Oyama visits",)),
        ("1992", "1992", "1992", ("Sister city agreement signed",)),
        ("2005", "2005", "2005", ("Student exchange begins",)),
    ]
    colons = _doc(
        "<main><h1>沿革</h1><ul><li>1998：会社設立</li><li>2003: 本社移転</li></ul></main>"
    )
    assert [(e.date_text, e.body) for e in parse_page(colons).entries] == [
        ("1998", ("会社設立",)),
        ("2003", ("本社移転",)),
    ]


def test_numbers_before_a_colon_out_of_order_or_alone_are_no_years():
    data = _english(
        "<ul><li>2019: 12,345 visitors</li><li>2017: 11,002 visitors</li>"
        "<li>2021: 9,870 visitors</li></ul><p>1985 – the year it began</p>"
    )
    parsed = parse_page(data)
    assert parsed.entries == ()
    assert "2017: 11,002 visitors" in parsed.page.text


def test_a_dash_after_a_date_in_its_own_element_is_no_part_of_the_body():
    data = _english(
        "<p><strong>May 1985</strong> – First delegation visits.</p>"
        "<p><strong>November 1992</strong> — Agreement signed.</p>"
    )
    assert [(e.date_text, e.body) for e in parse_page(data).entries] == [
        ("May 1985", ("First delegation visits.",)),
        ("November 1992", ("Agreement signed.",)),
    ]
