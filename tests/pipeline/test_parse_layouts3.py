"""Layouts of company and school 沿革 pages, and lists a template names as news: years written
as bare digits, decades as headings (see tests/fixtures/synthetic for whole pages)."""

from __future__ import annotations

import re

from conftest import html_page

from pipeline.parse import explain_page, parse_page


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


def test_a_lone_bare_year_among_dated_like_items_is_a_year():
    """One <h3>2021</h3> (or <dt>2020</dt>) among headings that are dates, in order with
    them, is a year as they are; before, its lines were the body of the entry above it."""
    data = html_page(
        "<main><h1>Our History</h1><h3>March 2019</h3><p>Delegation visited.</p>"
        "<h3>November 2019</h3><p>Students exchange.</p><h3>2021</h3><p>Online meetings.</p>"
        "<dl><dt>Apr. 3, 2022</dt><dd>Signing</dd><dt>Oct 12, 2022</dt><dd>Youth delegation</dd>"
        "<dt>2023</dt><dd>Online exchange</dd></dl></main>",
        "History",
        lang="en",
    )
    assert _entries(data) == [
        ("March 2019", "2019-03", "2019-03", ("Delegation visited.",)),
        ("November 2019", "2019-11", "2019-11", ("Students exchange.",)),
        ("2021", "2021", "2021", ("Online meetings.",)),
        ("Apr. 3, 2022", "2022-04-03", "2022-04-03", ("Signing",)),
        ("Oct 12, 2022", "2022-10-12", "2022-10-12", ("Youth delegation",)),
        ("2023", "2023", "2023", ("Online exchange",)),
    ]


def test_a_lone_bare_year_out_of_order_or_beside_one_date_stays_text():
    for body in (
        "<h3>2019年3月</h3><p>設立</p><h3>2020年4月</h3><p>移転</p><h3>1999</h3><p>売上</p>",
        "<h3>2020年4月</h3><p>移転</p><h3>2021</h3><p>売上</p>",
    ):
        parsed = parse_page(_doc(f"<main><h1>沿革</h1>{body}</main>"))
        assert [e.date_text for e in parsed.entries] == re.findall(r"20\d\d年\d+月", body)
        assert parsed.page.text[-2:] == (re.findall(r"<h3>(\d+)</h3>", body)[0], "売上")


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


# --- an era named alone over its years ----------------------------------------------------------


def test_an_era_heading_gives_its_era_to_the_years_below_it():
    """<h2>平成</h2> over 元年4月, 5年10月: the years are 平成's, until the next <h2>; a month
    line after them takes their year, as under a dated line that writes its year."""
    data = _doc(
        "<main><h1>沿革</h1><p>開館からのあゆみです。</p>"
        "<h2>平成</h2><ul><li>元年4月　開館</li><li>5年10月　増築</li><li>11月　完成式典</li></ul>"
        "<h2>令和</h2><ul><li>元年5月　記念式典</li><li>2年3月　改修</li></ul>"
        "<h2>お知らせ</h2><p>3年4月　休館日の変更</p></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("元年4月", "1989-04", "1989-04", ("開館",)),
        ("5年10月", "1993-10", "1993-10", ("増築",)),
        ("11月", "1993-11", "1993-11", ("完成式典",)),
        ("元年5月", "2019-05", "2019-05", ("記念式典",)),
        ("2年3月", "2020-03", "2020-03", ("改修",)),
    ]
    assert trace.lines("context") == ["平成", "令和"]  # the eras are no entries
    # After the era's section a bare era year is no date again: page text.
    assert parsed.page.text == ("開館からのあゆみです。", "お知らせ", "3年4月　休館日の変更")


def test_a_year_heading_inside_an_era_section_is_a_year_of_that_era():
    data = _doc(
        "<main><h1>沿革</h1><h2>平成</h2><h3>5年</h3><ul><li>4月　開館</li><li>10月　増築</li>"
        "</ul><h3>6年</h3><ul><li>3月　記念式典</li></ul><h3>7年10月　改修</h3></main>"
    )
    assert _entries(data) == [
        ("4月", "1993-04", "1993-04", ("開館",)),
        ("10月", "1993-10", "1993-10", ("増築",)),
        ("3月", "1994-03", "1994-03", ("記念式典",)),
        ("7年10月", "1995-10", "1995-10", ("改修",)),
    ]


def test_undated_lines_under_an_era_heading_are_page_text_not_an_entry():
    """An era is no date a page gives an event (it spans decades, and its first and last
    years are shared with the eras beside it): lines before its first dated one are the
    page's text, and the era is only the context of the lines below it."""
    data = _doc(
        "<main><h1>沿革</h1><h2>昭和</h2><p>戦後の復興とともに歩んだ時代です。</p>"
        "<p>30年4月　開館</p><p>45年　新館を建設</p></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("30年4月", "1955-04", "1955-04", ("開館",)),
        ("45年", "1970", "1970", ("新館を建設",)),
    ]
    assert parsed.page.text == ("戦後の復興とともに歩んだ時代です。",)
    assert trace.lines("context") == ["昭和"]


def test_an_era_column_dates_the_year_cells_beside_it():
    """元号 | 年 | できごと, the era cell spanning its rows or written on each."""
    data = _doc(
        "<main><h1>沿革</h1><table><tr><th>元号</th><th>年</th><th>できごと</th></tr>"
        '<tr><th rowspan="2">昭和</th><td>30年</td><td>開館</td></tr>'
        "<tr><td>45年</td><td>増築</td></tr>"
        "<tr><th>平成</th><td>元年</td><td>改築</td></tr>"
        "<tr><th>平成</th><td>5年</td><td>図書室を開設</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("昭和 30年", "1955", "1955", ("開館",)),
        ("45年", "1970", "1970", ("増築",)),
        ("平成 元年", "1989", "1989", ("改築",)),
        ("平成 5年", "1993", "1993", ("図書室を開設",)),
    ]


def test_an_era_term_over_its_years_and_a_row_naming_an_era_alone():
    data = _doc(
        "<main><h1>沿革</h1><dl><dt>明治</dt><dd>5年　学制発布により開校</dd>"
        "<dd>22年4月　村立となる</dd><dt>大正</dt><dd>12年9月　震災で校舎を失う</dd></dl>"
        '<table><tr><th colspan="2">昭和</th></tr><tr><td>22年4月</td><td>新制中学校を併設</td>'
        "</tr><tr><td>30年</td><td>町立となる</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("5年", "1872", "1872", ("学制発布により開校",)),
        ("22年4月", "1889-04", "1889-04", ("村立となる",)),
        ("12年9月", "1923-09", "1923-09", ("震災で校舎を失う",)),
        ("22年4月", "1947-04", "1947-04", ("新制中学校を併設",)),
        ("30年", "1955", "1955", ("町立となる",)),
    ]


def test_an_old_era_heading_keeps_the_lunisolar_calendar():
    """天保 over 14年: days of the lunisolar calendar, so a 31st or a 晦日 is no date (kept as
    the body it sits in), under the era or under a year heading in it."""
    data = _doc(
        "<main><h1>藩のあゆみ</h1><h2>天保</h2><p>14年5月30日　藩校を開く</p>"
        "<p>14年5月31日　祭礼</p><h3>15年</h3><p>2月晦日　大火</p><p>3月1日　再建に着手</p>"
        "</main>",
        title="藩のあゆみ｜どこか市",
    )
    assert _entries(data) == [
        ("14年5月30日", "1843-05-30", "1843-05-30", ("藩校を開く", "14年5月31日　祭礼")),
        ("15年", "1844", "1844", ("2月晦日　大火",)),  # undated lines first: the year's body
        ("3月1日", "1844-03-01", "1844-03-01", ("再建に着手",)),
    ]


def test_an_era_word_in_a_sentence_or_a_year_out_of_the_era_is_no_date():
    data = _doc(
        "<main><h1>沿革</h1><h2>平成の時代には</h2><p>5年10月　増築</p>"
        "<p>平成</p><p>6年1月　改修</p>"
        "<h2>平成</h2><p>40年4月　開館</p><p>令和</p></main>"
    )
    parsed = parse_page(data)
    assert parsed.entries == ()
    assert parsed.page.text == (
        "平成の時代には",
        "5年10月　増築",
        "平成",
        "6年1月　改修",
        "平成",
        "40年4月　開館",
        "令和",
    )


# --- era years written with a Latin initial -------------------------------------------------


def test_latin_era_years_in_a_fiscal_year_column_are_fiscal_years():
    """年度 | 事業: H30, R1, R2 are the fiscal years 2018-2020, as 平成30年度 is."""
    data = _doc(
        "<main><h1>事業の経過</h1><table><tr><th>年度</th><th>事業</th></tr>"
        "<tr><td>H30</td><td>見守り事業を開始</td></tr><tr><td>R1</td><td>対象地区を拡充</td></tr>"
        "<tr><td>Ｒ２</td><td>実施方法を見直し</td></tr></table></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.start, e.end, e.note, e.body) for e in parsed.entries] == [
        ("H30", "2018-04", "2019-03", "年度", ("見守り事業を開始",)),
        ("R1", "2019-04", "2020-03", "年度", ("対象地区を拡充",)),
        ("Ｒ２", "2020-04", "2021-03", "年度", ("実施方法を見直し",)),
    ]
    digits = _doc(
        "<main><h1>事業の経過</h1><table><tr><th>実施年度</th><th>事業</th></tr>"
        "<tr><td>2021</td><td>開始</td></tr><tr><td>2022</td><td>拡充</td></tr></table></main>"
    )
    assert [(e.start, e.end, e.note) for e in parse_page(digits).entries] == [
        ("2021-04", "2022-03", "年度"),  # four digits under 年度: fiscal years as well
        ("2022-04", "2023-03", "年度"),
    ]


def test_latin_era_years_in_a_run_of_terms_or_a_year_column_are_years():
    data = _doc(
        "<main><h1>沿革</h1><dl><dt>S50</dt><dd>設立</dd><dt>H元</dt><dd>法人化</dd>"
        "<dt>R2</dt><dd>移転</dd></dl><h2>近年</h2><table><tr><th>年</th><th>月</th><th>内容</th></tr>"
        "<tr><td>R3</td><td>4月</td><td>新社屋</td></tr>"
        "<tr><td>R5</td><td>10月</td><td>50周年</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("S50", "1975", "1975", ("設立",)),
        ("H元", "1989", "1989", ("法人化",)),
        ("R2", "2020", "2020", ("移転",)),
        ("R3 4月", "2021-04", "2021-04", ("新社屋",)),
        ("R5 10月", "2023-10", "2023-10", ("50周年",)),
    ]


def test_latin_era_years_alone_out_of_order_or_headed_otherwise_stay_text():
    """R1 is also a room, a road: alone, out of order, or in a column headed 部屋, text."""
    data = _doc(
        "<main><h1>施設</h1><table><tr><th>部屋</th><th>用途</th></tr>"
        "<tr><td>R1</td><td>会議室</td></tr><tr><td>R2</td><td>倉庫</td></tr></table>"
        "<dl><dt>R1</dt><dd>国道沿い</dd></dl>"
        "<dl><dt>H30</dt><dd>a</dd><dt>S50</dt><dd>b</dd><dt>R2</dt><dd>c</dd></dl>"
        "<dl><dt>H40</dt><dd>d</dd><dt>H41</dt><dd>e</dd></dl></main>",
        title="施設｜どこか市",
    )
    parsed = parse_page(data)
    assert parsed.entries == ()
    assert "R1 会議室" in parsed.page.text and "国道沿い" in parsed.page.text
    assert "H41" in parsed.page.text  # out of the era


def test_an_event_series_ordinal_before_the_date_opens_the_body():
    """第1回　平成15年8月3日: the date opens the entry; the ordinal names the event (unlike a
    list's number) and is kept, first in the body."""
    data = _doc(
        "<main><h1>交流会の記録</h1><p>第1回　平成15年8月3日　本渓市で開催</p><p>参加者40名</p>"
        "<p>第2回　平成16年8月1日</p><p>小山市で開催</p><p>第3次計画を策定した。</p>"
        "<ul><li>第十回 2012年10月6日　記念式典</li></ul></main>",
        title="交流会の記録｜どこか市",
    )
    assert [(e.date_text, e.start, e.body) for e in parse_page(data).entries] == [
        ("平成15年8月3日", "2003-08-03", ("第1回 本渓市で開催", "参加者40名")),
        ("平成16年8月1日", "2004-08-01", ("第2回", "小山市で開催", "第3次計画を策定した。")),
        ("2012年10月6日", "2012-10-06", ("第十回 記念式典",)),
    ]
