"""Layouts met probing other sites' pages: an accordion's <summary> naming the years of its
box, an old layout's content cell with no title or heading above its table, a footnote marker
right after a date, a note closing a run of one-paragraph entries, remarks to the reader after a
year's title (see tests/fixtures/synthetic for whole pages)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _doc(body: str, title: str = "沿革｜どこか市") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- an accordion's <summary> ---------------------------------------------------------------


def test_a_summary_naming_a_span_of_years_heads_its_box_and_is_no_entry():
    """<details><summary>昭和27年〜昭和63年</summary><ul>…</ul></details>: the summary groups
    the dated lines as a heading naming years does; it is no entry with an empty body."""
    data = _doc(
        "<main><h1>協会の沿革</h1>"
        "<details><summary>昭和27年〜昭和63年</summary><ul><li>昭和27年6月　発足</li>"
        "<li>昭和45年4月　改組</li></ul></details>"
        "<details open><summary>令和元年〜</summary><ul><li>令和2年7月　推進室を設置</li></ul>"
        "</details></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("昭和27年6月", "1952-06", "1952-06", ("発足",)),
        ("昭和45年4月", "1970-04", "1970-04", ("改組",)),
        ("令和2年7月", "2020-07", "2020-07", ("推進室を設置",)),
    ]
    assert parsed.page.text == ()
    assert trace.lines("context") == ["昭和27年〜昭和63年", "令和元年〜"]
    # An accordion per event: the summary's date opens the entry, the box's paragraphs are
    # its body, and a note after the box is page text.
    data = _doc(
        "<main><h1>庁舎整備の経過</h1>"
        "<details><summary>令和元年5月20日</summary><p>基本構想を策定</p></details>"
        "<details><summary>令和4年3月</summary><p>工事に着工</p><p>工期は約2年</p></details>"
        "<p>事業費は見込みです。</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("令和元年5月20日", ("基本構想を策定",)),
        ("令和4年3月", ("工事に着工", "工期は約2年")),
    ]
    assert parsed.page.text == ("事業費は見込みです。",)


# --- an old layout's content cell -----------------------------------------------------------


def test_the_cell_holding_the_dated_table_is_the_content_when_nothing_names_it():
    """An old layout: menu cell, content cell (a <font><b> heading, an intro, the table, a
    note), and a <title> that is the site's name. The cell's lines are page text, not lost
    with the frame; the menu cell stays out."""
    data = _doc(
        "<table><tr><td><a href='a.html'>協会の概要</a><br><a href='b.html'>会員募集</a></td>"
        "<td><font size='4'><b>■交流のあゆみ</b></font><br><hr>"
        "<font size='2'>主な交流事業です。</font><br>"
        "<table border='1'><tr><td>平成3年8月1日</td><td>協定を締結</td></tr>"
        "<tr><td>平成4年7月</td><td>青少年派遣</td></tr></table>"
        "<font size='2'>※派遣は毎年夏に実施。</font></td></tr></table>",
        title="かわせみ町国際交流協会",
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("平成3年8月1日", ("協定を締結",)),
        ("平成4年7月", ("青少年派遣",)),
    ]
    assert parsed.page.text == ("■交流のあゆみ", "主な交流事業です。", "※派遣は毎年夏に実施。")
    # A box holding another dated line (a news item) is not taken: the table stays the content.
    data = _doc(
        "<div class='honbun'><p>主な出来事です。</p><p>2024年4月1日　お知らせを掲載</p>"
        "<table><tr><td>明治22年4月</td><td>村となる</td></tr>"
        "<tr><td>昭和30年3月</td><td>編入</td></tr>"
        "<tr><td>平成8年10月</td><td>センター完成</td></tr>"
        "<tr><td>令和元年5月</td><td>記念式典</td></tr></table></div>",
        title="ささゆり村公式ホームページ",
    )
    parsed = parse_page(data)
    assert [e.date_text for e in parsed.entries] == [
        "明治22年4月",
        "昭和30年3月",
        "平成8年10月",
        "令和元年5月",
    ]
    assert parsed.page.text == ()


# --- a footnote marker after a date -----------------------------------------------------------


def test_a_footnote_marker_after_a_date_opens_the_body():
    """昭和61年10月*1　…, 平成7年（注2）　…: the marker refers to a note under the list; the
    line is still an entry (it was the body of the entry above), the marker its body's start."""
    data = _doc(
        "<main><h1>交流のあゆみ</h1><ul>"
        "<li>昭和60年5月20日※1　議定書調印</li>"
        "<li>昭和61年10月*1　代表団来訪</li>"
        "<li>平成2年8月＊2　市民の翼派遣</li>"
        "<li>平成7年（注3）　提携10周年</li>"
        "<li>平成9年(注4)　記念植樹</li>"
        "<li>平成10年（注）　式典</li></ul>"
        "<p>*1 人数は当時の記録による。</p></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("昭和60年5月20日", "1985-05-20", "1985-05-20", ("※1\u3000議定書調印",)),
        ("昭和61年10月", "1986-10", "1986-10", ("*1\u3000代表団来訪",)),
        ("平成2年8月", "1990-08", "1990-08", ("＊2\u3000市民の翼派遣",)),
        ("平成7年", "1995", "1995", ("（注3）\u3000提携10周年",)),
        ("平成9年", "1997", "1997", ("(注4)\u3000記念植樹",)),
        # (注) without a number too: a marker, not the date's note (it read note 注)
        ("平成10年", "1998", "1998", ("（注）\u3000式典",)),
    ]
    assert parsed.page.text == ("*1 人数は当時の記録による。",)
    # 平成7年*2倍に… is no footnote (the marker runs on into text): the line stays a body line.
    data = _doc(
        "<main><h1>あゆみ</h1><ul><li>平成5年4月　開館</li>"
        "<li>平成7年*2倍に拡張した記録</li></ul></main>"
    )
    assert [(e.date_text, e.body) for e in parse_page(data).entries] == [
        ("平成5年4月", ("開館", "平成7年*2倍に拡張した記録")),
    ]


# --- a note closing a run of one-paragraph entries ------------------------------------------------


def test_a_note_after_the_last_of_one_paragraph_entries_is_page_text():
    """<p>date　text</p> entries (some packed with <br>), then （注）…: no entry before took a
    paragraph after its line, so the note closing the content is the page's, not the last
    entry's."""
    data = _doc(
        "<main><h1>町のあゆみ</h1>"
        "<p>明治22年4月1日　村が誕生<br>大正12年10月1日　町制施行</p>"
        "<p>昭和30年3月31日\t隣村と合併</p>"
        "<p>令和3年4月1日　センター開設</p>"
        "<p>（注）月日の不明なものは年月のみ記載しています。</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("明治22年4月1日", ("村が誕生",)),
        ("大正12年10月1日", ("町制施行",)),
        ("昭和30年3月31日", ("隣村と合併",)),
        ("令和3年4月1日", ("センター開設",)),
    ]
    assert parsed.page.text == ("（注）月日の不明なものは年月のみ記載しています。",)
    # Before a later heading or dated line, or after a lone entry, a paragraph continues the
    # entry, as before.
    closing_a_section = _doc(
        "<main><h1>町のあゆみ</h1><p>昭和30年3月31日　合併</p><p>昭和38年4月　新庁舎完成</p>"
        "<p>建物は町民の募金で建てられました。</p><h2>平成</h2><p>平成5年4月1日　開園</p></main>"
    )
    assert [e.body for e in parse_page(closing_a_section).entries] == [
        ("合併",),
        ("新庁舎完成", "建物は町民の募金で建てられました。"),
        ("開園",),
    ]
    lone = _doc(
        "<main><h1>町のあゆみ</h1><p>令和3年4月1日　開設</p><p>相談を受け付けます。</p></main>"
    )
    assert [e.body for e in parse_page(lone).entries] == [("開設", "相談を受け付けます。")]
    assert parse_page(lone).page.text == ()
    # After two entries, a second paragraph is as likely the last entry's: it stays its body.
    two = _doc(
        "<main><h1>町のあゆみ</h1><p>昭和30年3月31日　合併</p><p>令和3年4月1日　開設</p>"
        "<p>相談を受け付けます。</p></main>"
    )
    assert [e.body for e in parse_page(two).entries] == [
        ("合併",),
        ("開設", "相談を受け付けます。"),
    ]


# --- remarks to the reader after a year's title ------------------------------------------------


def test_remarks_to_the_reader_after_a_years_title_are_page_text():
    """<p>令和3年度 第3回 審議会資料</p> then <p>資料はPDF形式です。</p>…: the year names the
    title's year; the sentences speaking to the reader that close the content are the page's,
    not the title's body (see tests/fixtures/synthetic/shingikai-shiryo-nendo.html)."""
    remarks = "<p>資料はPDF形式です。</p><p>傍聴を希望される方はご連絡ください。</p>"
    for titles in (
        "<p>令和3年度 第3回 審議会資料</p>",  # one alone
        "<p>令和4年度 第1回 審議会資料</p><p>令和3年度 第3回 審議会資料</p>",
    ):
        parsed = parse_page(
            _doc(
                f"<main><h1>審議会</h1>{titles}{remarks}<h2>委員</h2><p>委員は15名です。</p></main>"
            )
        )
        assert [e.body for e in parsed.entries][-1] == ("第3回 審議会資料",)
        assert parsed.page.text == (
            "資料はPDF形式です。",
            "傍聴を希望される方はご連絡ください。",
            "委員",
            "委員は15名です。",
        )


def test_a_years_entry_keeps_its_second_paragraph_in_a_chronology():
    """Not the page's remarks: a line that is no sentence (記念式典を開催), a sentence in the past
    (…開催しました。), one before a later dated line, one among others that are not remarks, or
    one after a day's entry (令和3年4月1日　開設, then 相談を受け付けます。, above)."""
    chronology = (
        "<main><h1>あゆみ</h1><p>令和2年度　交流協会設立</p><p>令和3年度　姉妹都市提携30周年</p>"
    )
    for after, body in (
        ("<p>記念式典を開催</p>", "記念式典を開催"),
        ("<p>記念式典を開催しました。</p>", "記念式典を開催しました。"),
        (
            "<p>記念式典を開催します。</p><h2>その他</h2><p>令和4年度　訪問団派遣</p>",
            "記念式典を開催します。",
        ),
        ("<p>記念式典を開催します。</p><p>市長も出席した</p>", "記念式典を開催します。"),
    ):
        parsed = parse_page(_doc(chronology + after + "</main>"))
        second = parsed.entries[1]
        assert second.date_text == "令和3年度"
        assert second.body[1] == body


# --- a <dt>'s entry ends with its <dl> ----------------------------------------------------------


def test_a_term_dated_entry_ends_with_its_definition_list():
    """<dl><dt>date</dt><dd>…</dd>…</dl><p>※…</p>: the note under the list is the page's, not
    the last term's body; a <div> around each dt/dd pair changes nothing."""
    for pairs in (
        "<dt>2004年5月</dt><dd>設立</dd><dt>2012年7月</dt><dd>拠点を開設</dd><dd>学校を開始</dd>",
        "<div><dt>2004年5月</dt><dd>設立</dd></div>"
        "<div><dt>2012年7月</dt><dd>拠点を開設</dd><dd>学校を開始</dd></div>",
    ):
        data = _doc(
            f"<main><h1>沿革</h1><dl>{pairs}</dl><p>※会員数は当時のもの。</p>"
            "<p>ご支援をお待ちしています。</p></main>"
        )
        parsed = parse_page(data)
        assert [(e.date_text, e.body) for e in parsed.entries] == [
            ("2004年5月", ("設立",)),
            ("2012年7月", ("拠点を開設", "学校を開始")),
        ]
        assert parsed.page.text == ("※会員数は当時のもの。", "ご支援をお待ちしています。")


# --- a year cell beside a cell of month lines ---------------------------------------------------


def test_a_year_cell_dates_the_month_lines_beside_it_as_a_year_heading_would():
    """年度 | 主な交流 with 5月　…<br>10月　…<br>2月　… in one cell: each line is an entry in
    the fiscal year (2月 is the next calendar year), bounded by its row; a row with no month
    lines stays one entry, and the year cell is not lost."""
    data = _doc(
        "<main><h1>交流の歩み</h1><table><tr><th>年度</th><th>主な交流</th></tr>"
        "<tr><th>平成30年度</th><td>5月　訪問団受入<br>10月　中学生派遣<br>2月　交流会</td></tr>"
        "<tr><th>令和2年度</th><td>交流事業を中止</td></tr>"
        "<tr><th>2021年</th><td>7月　オンライン交流<br>記録集を作成</td></tr>"
        "<tr><th>令和4年度</th><td>・6月　訪問再開<br>・1月　記念誌</td></tr></table></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("5月", "2018-05", "2018-05", ("訪問団受入",)),
        ("10月", "2018-10", "2018-10", ("中学生派遣",)),
        ("2月", "2019-02", "2019-02", ("交流会",)),
        ("令和2年度", "2020-04", "2021-03", ("交流事業を中止",)),
        ("7月", "2021-07", "2021-07", ("オンライン交流", "記録集を作成")),
        ("6月", "2022-06", "2022-06", ("訪問再開",)),
        ("1月", "2023-01", "2023-01", ("記念誌",)),
    ]
    assert trace.lines("context") == ["平成30年度", "2021年", "令和4年度"]
    assert parsed.page.text == ("年度 主な交流",)


# --- a <title> that only names the site --------------------------------------------------------


_SITE = "Riverside Sister Cities Association"
_HISTORY = (
    "<main><h2>Our History</h2><ul><li>March 14, 1992 Agreement signed</li>"
    "<li>August 2, 1995 First student exchange</li></ul></main>"
)


def _en_page(body: str, head: str = "", title: str = _SITE) -> bytes:
    return (
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body>{body}</body></html>"
    ).encode()


def test_with_no_h1_a_title_equal_to_the_logos_alt_yields_to_the_contents_heading():
    logo = f'<header><a href="/"><img src="logo.png" alt="{_SITE}"></a></header>'
    page = parse_page(_en_page(logo + _HISTORY)).page
    assert page.title == "Our History"
    assert "Our History" not in page.text


def test_with_no_h1_a_title_equal_to_og_site_name_yields_to_the_contents_heading():
    head = f'<meta property="og:site_name" content="{_SITE}">'
    assert parse_page(_en_page(_HISTORY, head)).page.title == "Our History"


def test_with_no_h1_a_title_repeating_its_site_suffix_yields_to_the_contents_heading():
    data = _en_page(_HISTORY, title=f"{_SITE} | {_SITE}")
    assert parse_page(data).page.title == "Our History"


def test_an_h1_in_the_content_equal_to_a_title_that_names_the_site_is_not_the_title():
    body = (
        f'<header><a href="/"><img src="logo.png" alt="{_SITE}"></a></header>'
        f'<div id="content"><h1>{_SITE}</h1><h2>Our History</h2>'
        "<p>March 14, 1992 Agreement signed</p><p>August 2, 1995 First student exchange</p></div>"
    )
    assert parse_page(_en_page(body)).page.title == "Our History"


def test_with_no_h1_a_title_the_site_does_not_name_elsewhere_stays_the_title():
    """<title> is the page's own when nothing says it is the site's name (a link in the
    content reading the same is no logo)."""
    data = _en_page(f'<a href="/">{_SITE}</a>' + _HISTORY)
    assert parse_page(data).page.title == _SITE
    article = f'<article><header><a href="/">{_SITE}</a></header>{_HISTORY}</article>'
    assert parse_page(_en_page(article)).page.title == _SITE
