"""Layouts met probing other organisations' pages: a decade's heading over year items that
date their month lines, a timeline's year box inside each entry's box, a list item whose first
line ends with its date and whose next lines are the event's details, a page title set apart
in a header band above a content without a landmark, headings ending with their date in
brackets, dates alone above headings or ending their sections, a time of day run on after a day,
a note closing the content, a table's caption naming an era, a heading opened by a date in an
element of its own, a year alone on a line of a <br> block (see tests/fixtures/synthetic for
whole pages)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _doc(body: str, title: str = "あゆみ｜どこか県") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- a decade's heading over year items --------------------------------------------------------


def test_a_decade_heading_over_year_items_is_context_not_an_empty_entry():
    """<h2>1960年代</h2><ul><li><b>1964年</b><ul><li>10月　…</li></ul></li></ul>: the decade
    groups the years, which date their month lines; it is no entry with an empty body."""
    data = _doc(
        "<main><h1>県政年表</h1><h2>1960年代</h2><ul><li><b>1962年</b><ul><li>4月　公園開園</li>"
        "</ul></li><li><b>1964年</b><ul><li>6月　地震</li><li>10月　聖火リレー</li></ul></li>"
        "</ul><h2>1970年代</h2><ul><li><b>1972年</b><ul><li>3月　道路開通</li></ul></li></ul>"
        "</main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("4月", "1962-04", "1962-04", ("公園開園",)),
        ("6月", "1964-06", "1964-06", ("地震",)),
        ("10月", "1964-10", "1964-10", ("聖火リレー",)),
        ("3月", "1972-03", "1972-03", ("道路開通",)),
    ]
    assert parsed.page.text == ()
    assert trace.lines("context") == ["1960年代", "1962年", "1964年", "1970年代", "1972年"]
    # A decade over lines dated by their year alone: they are its entries, it heads them.
    data = _doc(
        "<main><h1>県政年表</h1><h2>昭和30年代</h2><ul><li>昭和32年　県民会館完成</li>"
        "<li>昭和36年　県道全線開通</li></ul></main>"
    )
    assert _entries(data) == [
        ("昭和32年", "1957", "1957", ("県民会館完成",)),
        ("昭和36年", "1961", "1961", ("県道全線開通",)),
    ]


# --- a timeline's year box inside each entry's box ---------------------------------------------


def test_a_year_box_beside_the_month_in_an_entrys_box_bounds_the_last_entry():
    """<div class="item"><div class="year">2015</div><div class="month">4月</div><div
    class="text">…</div></div>: the year is the month's year, not another date in the box, so
    the box bounds the entry and a menu of links after the last box is no body of it."""
    rows = "".join(
        f'<div class="item"><div class="year">{y}</div><div class="month">{m}</div>'
        f'<div class="text">{t}</div></div>'
        for y, m, t in (
            ("1968", "4月", "創業"),
            ("1991", "6月", "工場新設"),
            ("2023", "12月", "55周年"),
        )
    )
    data = _doc(
        f'<main><h1>沿革</h1><div class="tl">{rows}</div>'
        '<div class="subnav"><ul><li><a href="/a/">会社概要</a></li><li><a href="/b/">沿革</a>'
        "</li></ul></div></main>"
    )
    assert _entries(data) == [
        ("4月", "1968-04", "1968-04", ("創業",)),
        ("6月", "1991-06", "1991-06", ("工場新設",)),
        ("12月", "2023-12", "2023-12", ("55周年",)),
    ]
    assert parse_page(data).page.text == ()


# --- a list item dated at its first line's end -------------------------------------------------


def test_a_list_item_ending_its_first_line_with_a_date_keeps_its_next_lines_as_body():
    """<li>第1回協議会（平成16年5月20日）<br>規約について協議</li>: the item is one entry, its
    next lines the event's details, not page text."""
    data = _doc(
        "<main><h1>合併の経緯</h1><ol>"
        "<li>第1回協議会（平成16年5月20日）<br>規約について協議</li>"
        "<li>第2回協議会（平成16年6月24日）<br>名称について協議<br>事務所の位置を確認</li>"
        "<li>第3回協議会（平成16年7月29日）</li>"
        "</ol><p>会議録は図書館で閲覧できます。</p></main>"
    )
    assert _entries(data) == [
        ("平成16年5月20日", "2004-05-20", "2004-05-20", ("第1回協議会", "規約について協議")),
        (
            "平成16年6月24日",
            "2004-06-24",
            "2004-06-24",
            ("第2回協議会", "名称について協議", "事務所の位置を確認"),
        ),
        ("平成16年7月29日", "2004-07-29", "2004-07-29", ("第3回協議会",)),
    ]
    assert parse_page(data).page.text == ("会議録は図書館で閲覧できます。",)
    # One <br> block of such lines still reads one entry per line; its undated line is text.
    data = _doc(
        "<main><h1>交流</h1><p>提携調印（昭和59年5月）<br>市長訪問（昭和60年8月）<br>"
        "以後毎年交流</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("昭和59年5月", ("提携調印",)),
        ("昭和60年8月", ("市長訪問",)),
    ]
    assert parsed.page.text == ("以後毎年交流",)


# --- a title in a header band, no content landmark ---------------------------------------------


def test_an_intro_beside_the_list_is_kept_when_the_title_stands_in_a_header_band():
    """<div class="page-header"><h1>…</h1></div> … <div><section><p>intro</p><ol>…</ol>
    </section></div>, no <main>: the title shares only the <body> with the list, yet the box
    holding the list is the content's: its intro is page text, not dropped with the frame."""
    items = "".join(
        f"<li><time>{d}</time><div><h3>{t}</h3></div></li>"
        for d, t in (("1982.04", "法人設立"), ("1983.06", "施設開設"), ("2000.04", "事業所開設"))
    )
    data = _doc(
        '<header><nav><ul><li><a href="/a/">法人について</a></li><li><a href="/b/">採用</a>'
        '</li></ul></nav></header><div class="page-header"><h1>法人のあゆみ</h1></div>'
        f'<div class="main-content"><section><p>設立から40年を超えました。</p><ol>{items}</ol>'
        "<p>※施設名は当時のものです。</p></section></div>"
        "<footer><p>社会福祉法人 あおぞら福祉会</p></footer>",
        title="法人のあゆみ｜あおぞら福祉会",
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("1982.04", ("法人設立",)),
        ("1983.06", ("施設開設",)),
        ("2000.04", ("事業所開設",)),
    ]
    assert parsed.page.text == ("設立から40年を超えました。", "※施設名は当時のものです。")


# --- headings ending with their date in brackets -----------------------------------------------


def test_headings_ending_with_their_date_in_brackets_head_their_sections():
    """<h3>第1回派遣（平成11年8月）</h3><p>…</p>: in a run of such headings the bracketed date
    heads the section, the heading's text its first body line; a lone one, or a period's title
    over dated lines, stays as it was."""
    data = _doc(
        "<main><h1>交流事業</h1><p>主な交流事業です。</p>"
        "<h3>第1回派遣（平成11年8月）</h3><p>中学生10名が訪問。</p>"
        "<h3>郡長一行来町（平成15年10月）</h3><p>懇談しました。</p><p>施設も視察。</p>"
        "</main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("平成11年8月", "1999-08", "1999-08", ("第1回派遣", "中学生10名が訪問。")),
        ("平成15年10月", "2003-10", "2003-10", ("郡長一行来町", "懇談しました。", "施設も視察。")),
    ]
    assert parsed.page.text == ("主な交流事業です。",)
    # A period's title over dated lines: page text, the lines its entries.
    data = _doc(
        "<main><h1>町のあゆみ</h1><h2>創成期（昭和30年～昭和45年）</h2>"
        "<ul><li>昭和30年4月　町制施行</li></ul><h2>発展期（昭和46年～平成元年）</h2>"
        "<ul><li>昭和50年4月　工業団地造成</li></ul></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("昭和30年4月", ("町制施行",)),
        ("昭和50年4月", ("工業団地造成",)),
    ]
    assert parsed.page.text == ("創成期（昭和30年～昭和45年）", "発展期（昭和46年～平成元年）")
    # A lone heading so dated, among others: no run.
    data = _doc(
        "<main><h1>事業</h1><h3>概要</h3><p>町の事業です。</p><h3>報告会（令和5年8月）</h3>"
        "<p>報告しました。</p><h3>今後</h3><p>続けます。</p><ul><li>令和5年4月　開始</li>"
        "<li>令和5年9月　拡充</li></ul></main>"
    )
    assert [e.date_text for e in parse_page(data).entries] == ["令和5年4月", "令和5年9月"]


# --- a date alone above each heading, or ending each section ----------------------------------


def test_a_date_alone_above_each_heading_heads_its_section():
    """<p class="date">2001年7月20日</p><h3>観察会</h3><p>…</p>, with no box around each: the
    date opens the entry, the heading and the lines under it are its body."""
    data = _doc(
        "<main><h1>活動の記録</h1><p>主な活動です。</p>"
        '<p class="date">1998年6月7日</p><h3>設立総会</h3><p>42名が参加。</p>'
        '<p class="date">2001年7月20日</p><h3>観察会</h3><p>60名が参加。</p><p>18種を確認。</p>'
        '<p class="date">2010年11月14日</p><h3>大臣表彰</h3><p>評価されました。</p></main>'
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("1998年6月7日", "1998-06-07", "1998-06-07", ("設立総会", "42名が参加。")),
        ("2001年7月20日", "2001-07-20", "2001-07-20", ("観察会", "60名が参加。", "18種を確認。")),
        ("2010年11月14日", "2010-11-14", "2010-11-14", ("大臣表彰", "評価されました。")),
    ]
    assert parsed.page.text == ("主な活動です。",)


def test_a_date_alone_ending_each_section_dates_it():
    """<h3>観察会</h3><p>…</p><p>2023年7月20日</p>, no box around each: the date closes its
    section as a card's date closes the card; the heading and its lines are the body, not
    page text beside entries with no body."""
    data = _doc(
        "<main><h1>活動報告</h1><p>会の活動です。</p>"
        "<h3>設立総会</h3><p>42名が参加。</p><p>2023年4月1日</p>"
        "<h3>観察会</h3><p>60名が参加。</p><p>2023年7月20日</p>"
        "<h3>清掃活動</h3><p>30名が参加。</p><p>2023年9月3日</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("2023年4月1日", ("設立総会", "42名が参加。")),
        ("2023年7月20日", ("観察会", "60名が参加。")),
        ("2023年9月3日", ("清掃活動", "30名が参加。")),
    ]
    assert parsed.page.text == ("会の活動です。",)


# --- a time of day run on after a day ----------------------------------------------------------


def test_a_time_of_day_run_on_after_a_day_opens_the_body():
    """令和5年8月2日（水曜日）午後2時　式典: the time, standing apart from the text after it,
    opens the body (as under a labelled date); a time running into a sentence leaves it
    prose, and 2時間 is no time."""
    data = _doc(
        "<main><h1>記念事業</h1><ul><li>令和5年8月2日（水曜日）午後2時　記念式典</li>"
        "<li>令和5年8月3日10:00　記念植樹</li><li>令和5年8月4日15時30分　閉会</li></ul>"
        "<p>令和5年8月5日(土曜日)午前6時から午前9時までの予定です。</p>"
        "<p>令和5年8月6日2時間の講演を行う。</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("令和5年8月2日（水曜日）", "2023-08-02", ("午後2時　記念式典",)),
        ("令和5年8月3日", "2023-08-03", ("10:00　記念植樹",)),
        ("令和5年8月4日", "2023-08-04", ("15時30分　閉会",)),
    ]
    assert parsed.page.text == (
        "令和5年8月5日(土曜日)午前6時から午前9時までの予定です。",
        "令和5年8月6日2時間の講演を行う。",
    )


# --- a note closing the content ----------------------------------------------------------------


def test_a_note_closing_the_content_is_page_text_not_the_last_entrys_body():
    """<p><strong>令和3年</strong></p><p>…</p><p>※分館の開館時間は…</p>: the note after the last
    entry, beside its year and not in its item, is a note under the whole list (page text), as
    a note under a table is; a note inside the entry's own item or box stays its body."""
    data = _doc(
        "<main><h1>公民館のあゆみ</h1><p><strong>昭和45年</strong></p><p>4月　開館</p>"
        "<p>10月　まつり開催</p><p><strong>令和3年</strong></p><p>貸館を一部制限した。</p>"
        "<p>※分館の開館時間は異なります。</p><p>（注）名称は当時のもの。</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("4月", "1970-04", ("開館",)),
        ("10月", "1970-10", ("まつり開催",)),
        ("令和3年", "2021", ("貸館を一部制限した。",)),
    ]
    assert parsed.page.text == ("※分館の開館時間は異なります。", "（注）名称は当時のもの。")
    # Under a dated heading, the same; inside the entry's box, its body.
    data = _doc(
        "<main><h1>交流</h1><h3>平成11年8月</h3><p>派遣。</p><h3>平成15年10月</h3><p>来町。</p>"
        "<p>※写真は当時のもの。</p></main>"
    )
    assert parse_page(data).entries[-1].body == ("来町。",)
    assert parse_page(data).page.text == ("※写真は当時のもの。",)
    data = _doc(
        "<main><h1>交流</h1><section><h3>平成11年8月</h3><p>派遣。</p></section><section>"
        "<h3>平成15年10月</h3><p>来町。</p><p>※写真は当時のもの。</p></section></main>"
    )
    assert parse_page(data).entries[-1].body == ("来町。", "※写真は当時のもの。")
    # An asterisk opens emphasis as often as a note: the paragraph stays the entry's body.
    data = _doc(
        "<main><h1>交流</h1><h2>令和8年1月5日</h2><p>来町。</p><p>*重要* 次回は未定。</p></main>"
    )
    assert parse_page(data).entries[-1].body == ("来町。", "*重要* 次回は未定。")


# --- a table's caption naming an era -----------------------------------------------------------


def test_a_caption_naming_an_era_gives_it_to_its_tables_years():
    """<table><caption>令和</caption><tr><td>元年</td><td>10月</td><td>…</td></tr>: the caption
    names the era of the years written without it in its table, as a heading naming it does;
    it is no entry, and the next table's caption names its own."""
    data = _doc(
        "<main><h1>図書館のあゆみ</h1><table><caption>平成</caption>"
        "<tr><td>元年</td><td>7月</td><td>貸出開始</td></tr>"
        "<tr><td>12年</td><td>3月</td><td>システム導入</td></tr></table>"
        "<table><caption>令和</caption><tr><td>元年</td><td>10月</td><td>電子書籍開始</td></tr>"
        "</table></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("元年7月", "1989-07", "1989-07", ("貸出開始",)),
        ("12年3月", "2000-03", "2000-03", ("システム導入",)),
        ("元年10月", "2019-10", "2019-10", ("電子書籍開始",)),
    ]
    assert parsed.page.text == ()
    assert trace.lines("context") == ["平成", "令和"]


# --- a heading opened by a date in an element of its own ---------------------------------------


def test_a_heading_opened_by_a_date_in_its_own_element_is_dated():
    """<h3><span class="date">2023.08.02</span>派遣団が出発</h3>: the element's boundary parts
    the date from the title run on after it, as opening a paragraph; a date running on into
    a sentence (<span>2023年8月2日</span>に…) leaves the heading undated."""
    data = _doc(
        '<main><h1>活動報告</h1><h3><span class="date">2023.08.02</span>派遣団が出発</h3>'
        "<p>出発しました。</p><h3><time>2023年11月3日</time>フェスタを開催</h3><p>来場2千人。</p>"
        "</main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("2023.08.02", "2023-08-02", "2023-08-02", ("派遣団が出発", "出発しました。")),
        ("2023年11月3日", "2023-11-03", "2023-11-03", ("フェスタを開催", "来場2千人。")),
    ]
    assert parsed.page.text == ()
    data = _doc(
        "<main><h1>活動報告</h1><h3><span>2023年8月2日</span>に出発した派遣団</h3><p>報告。</p>"
        "<ul><li>2023年9月1日　報告会</li><li>2023年10月1日　交流会</li></ul></main>"
    )
    assert [e.date_text for e in parse_page(data).entries] == ["2023年9月1日", "2023年10月1日"]


# --- a year alone on a line of a <br> block ----------------------------------------------------


def test_a_year_alone_on_a_line_of_a_block_dates_the_month_lines_below_it():
    """<p>昭和45年<br>4月　開所<br>10月　運動会<br>昭和50年<br>6月　分園開設</p>: each year line
    heads the month lines below it in the block, as a year heading does (a fiscal year's 1月
    is the next year's); it is no entry with the month lines as its body."""
    data = _doc(
        "<main><h1>あゆみ</h1><p>昭和45年<br>4月　開所<br>10月　運動会<br>昭和50年<br>"
        "6月　分園開設</p><p>令和5年度<br>4月　改築<br>1月　研修</p></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("4月", "1970-04", "1970-04", ("開所",)),
        ("10月", "1970-10", "1970-10", ("運動会",)),
        ("6月", "1975-06", "1975-06", ("分園開設",)),
        ("4月", "2023-04", "2023-04", ("改築",)),
        ("1月", "2024-01", "2024-01", ("研修",)),
    ]
    assert parsed.page.text == ()
    assert trace.lines("context") == ["昭和45年", "昭和50年", "令和5年度"]
    # A year alone over undated lines stays an entry with them as its body.
    data = _doc("<main><h1>あゆみ</h1><p>昭和45年<br>保育所を開所した。</p></main>")
    assert _entries(data) == [("昭和45年", "1970", "1970", ("保育所を開所した。",))]
