"""Layouts met trying keika on other cities' and organisations' pages: an update line loose in
an old hand-made page's cell, a section dated by its 日程：/会期： line, a hidden tab panel
(see tests/fixtures/synthetic for whole pages)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _doc(body: str, title: str = "沿革｜どこか市") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- an update line loose in a cell ---------------------------------------------------------------


def test_an_update_line_loose_after_a_rule_is_metadata_not_the_last_entrys_body():
    """An old page's cell: <br> lines in a <font>, an <hr>, then 最終更新日 in a <font> of its
    own. The update line is the page's update date, never a line of the last entry."""
    data = _doc(
        '<table><tr><td><font size="5"><b>寺の歴史</b></font><hr><font size="2">'
        "寛永15年　本堂再建<br>享保3年3月　鐘楼建立</font><hr>"
        '<font size="1">最終更新日：2019年1月5日</font></td></tr></table>'
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("寛永15年", ("本堂再建",)),
        ("享保3年3月", ("鐘楼建立",)),
    ]
    assert parsed.page.updated == "2019-01-05"
    assert trace.lines("meta") == ["最終更新日：2019年1月5日"]


# --- a section dated by a labelled line -------------------------------------------------------


def test_sections_dated_by_a_labelled_line_under_their_heading_are_entries():
    """A 議会's sessions: <h2>令和6年第2回定例会</h2><p>日程：令和6年6月3日～6月21日</p>: the
    session's dates are the entry's, its name the first body line; the label is furniture."""
    data = _doc(
        "<main><h1>議会の活動記録</h1><h2>令和6年第2回定例会</h2>"
        "<p>日程：令和6年6月3日～6月21日</p><p>議案15件を可決しました。</p>"
        "<h2>令和6年第1回臨時会</h2><p>日程：令和6年5月10日</p><p>議長選挙を行いました。</p>"
        "</main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        (
            "令和6年6月3日～6月21日",
            "2024-06-03",
            "2024-06-21",
            ("令和6年第2回定例会", "議案15件を可決しました。"),
        ),
        (
            "令和6年5月10日",
            "2024-05-10",
            "2024-05-10",
            ("令和6年第1回臨時会", "議長選挙を行いました。"),
        ),
    ]
    assert parsed.page.text == ()
    assert trace.lines("meta") == ["議会の活動記録", "日程：", "日程："]


def test_labelled_dates_of_several_kinds_with_a_weekday_and_a_time_in_boxes():
    """A 年報's 会期：… (a weekday after each date) and 日時：… with the time run on, each section
    in a box; the time opens the body, a heading over the sections stays page text."""
    data = _doc(
        "<main><h1>令和5年度事業報告</h1><h2>展示事業</h2>"
        '<div class="report"><h3>企画展「城下町」</h3>'
        "<p>会期：令和5年7月15日（土曜日）～9月3日（日曜日）</p><p>入館者数：8,214人</p></div>"
        '<div class="report"><h3>博物館講座</h3><p>【日時】令和5年6月10日（土曜日）午後2時～4時</p>'
        "</div></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        (
            "令和5年7月15日（土曜日）～9月3日（日曜日）",
            "2023-07-15",
            "2023-09-03",
            ("企画展「城下町」", "入館者数：8,214人"),
        ),
        ("令和5年6月10日（土曜日）", "2023-06-10", "2023-06-10", ("博物館講座", "午後2時～4時")),
    ]
    assert parsed.page.text == ("展示事業",)


def test_a_lone_labelled_section_or_a_label_without_a_whole_date_reads_as_before():
    """One section so dated is no run (an event page's 日時：… under its title); a label whose
    value runs into text or has no year, or a heading that is a date itself, changes
    nothing."""
    lone = _doc("<main><h1>お知らせ</h1><h2>交流会</h2><p>日時：令和6年5月10日</p></main>")
    assert parse_page(lone).entries == ()
    others = _doc(
        "<main><h1>行事</h1><h2>交流会</h2><p>日程：令和6年5月10日予定</p>"
        "<h2>講演会</h2><p>日程：5月10日</p><h2>平成30年7月20日</h2><p>日時：平成30年7月20日</p>"
        "<h2>平成30年8月1日</h2><p>日時：平成30年8月1日</p></main>"
    )
    assert [(e.date_text, e.body) for e in parse_page(others).entries] == [
        ("平成30年7月20日", ("日時：平成30年7月20日",)),
        ("平成30年8月1日", ("日時：平成30年8月1日",)),
    ]


# --- a hidden tab panel -----------------------------------------------------------------------


def test_a_hidden_tab_panel_is_content():
    """A 会社概要 page's 沿革 tab: hidden (hidden, or display:none on a tab-content box) until
    its tab is chosen, but a browser shows it with one click. Other hidden elements stay
    out."""
    for panel in (
        '<div id="enkaku" role="tabpanel" hidden>',
        '<div id="enkaku" class="tab-content js-tab" style="display: none">',
    ):
        data = _doc(
            '<main><h1>会社概要</h1><ul role="tablist"><li><a href="#gaiyo">概要</a></li>'
            '<li><a href="#enkaku">沿革</a></li></ul><div id="gaiyo" role="tabpanel">'
            "<p>本社：どこか市</p></div>"
            f"{panel}<dl><dt>1962年5月</dt><dd>創業</dd><dt>1975年4月</dt><dd>本社工場を新設</dd>"
            "</dl></div><div hidden><p>2001年4月　下書き</p></div></main>"
        )
        assert _entries(data) == [
            ("1962年5月", "1962-05", "1962-05", ("創業",)),
            ("1975年4月", "1975-04", "1975-04", ("本社工場を新設",)),
        ], panel


# --- a date running into an element -----------------------------------------------------------


def test_a_date_that_is_all_the_text_before_an_element_is_parted_from_it():
    """A hand-made news list writes the date, then the link, with no space
    (<li>2024.05.20<a>…</a></li>); a 記録 <dl> writes its category in a <span> after the date
    in the <dt>. The element's start parts the two as a separator would."""
    data = _doc(
        '<main><h1>国際交流の記録</h1><ul><li>2024.05.20<a href="/n/1">友好都市から訪問団</a>'
        '</li><li>2024.03.02<a href="/n/2">交流パーティー</a></li></ul><dl>'
        '<dt>2023年11月3日<span class="cat">訪問</span></dt><dd>中学生を派遣</dd></dl></main>'
    )
    assert _entries(data) == [
        ("2024.05.20", "2024-05-20", "2024-05-20", ("友好都市から訪問団",)),
        ("2024.03.02", "2024-03-02", "2024-03-02", ("交流パーティー",)),
        ("2023年11月3日", "2023-11-03", "2023-11-03", ("訪問", "中学生を派遣")),
    ]


def test_text_before_an_element_that_runs_on_into_it_stays_as_it_reads():
    """The element continues the date (令和6年<b>度</b>) or a sentence (…<b>に</b>提携), or
    the text is not a whole date (平成元年5月の<a>…</a>): no entry, as before."""
    data = _doc(
        "<main><h1>記録</h1><p>令和6年<b>度</b>予算を可決</p><p>平成元年5月12日<b>に</b>提携</p>"
        '<p>平成元年5月の<a href="/x">調印式</a></p></main>'
    )
    parsed = parse_page(data)
    assert parsed.entries == ()
    assert parsed.page.text == (
        "令和6年度予算を可決",
        "平成元年5月12日に提携",
        "平成元年5月の調印式",
    )


# --- a year in the page's title ---------------------------------------------------------------


def test_the_one_year_a_title_names_dates_the_pages_year_less_lines():
    """市長の動き（令和6年5月）: its table's 5月1日（水曜日） rows are 2024's; a 年報 titled
    令和5年度… reads its months as the fiscal year's (2月 is 2024's); a year heading below the
    title gives its own year to its section."""
    mayor = _doc(
        '<div id="main"><h1>市長の動き（令和6年5月）</h1><table><tr><th>日付</th><th>内容</th></tr>'
        "<tr><td>5月1日（水曜日）</td><td>庁議</td></tr>"
        "<tr><td>5月20日（月曜日）</td><td>表敬訪問</td></tr></table></div>"
    )
    assert _entries(mayor) == [
        ("5月1日（水曜日）", "2024-05-01", "2024-05-01", ("庁議",)),
        ("5月20日（月曜日）", "2024-05-20", "2024-05-20", ("表敬訪問",)),
    ]
    fiscal = _doc(
        "<main><h1>令和5年度図書館年報</h1><ul><li>4月23日　おはなし会</li>"
        "<li>2月10日　リサイクル市</li></ul><h2>令和4年度</h2><ul><li>3月18日　講演会</li></ul>"
        "</main>"
    )
    assert [(e.date_text, e.start) for e in parse_page(fiscal).entries] == [
        ("4月23日", "2023-04-23"),
        ("2月10日", "2024-02-10"),
        ("3月18日", "2023-03-18"),
    ]


def test_a_title_naming_no_one_year_dates_nothing():
    """A decade (昭和30年代の町), a span (1974年～2024年), two years, or an anniversary
    (70周年) name no year for the page's month lines: they stay undated, as before."""
    for title in (
        "昭和30年代の町",
        "開館50周年（1974年～2024年）",
        "2019年と2020年の記録",
        "70周年",
    ):
        data = _doc(
            f"<main><h1>{title}</h1><ul><li>5月1日　式典</li><li>6月2日　講演会</li></ul></main>"
        )
        parsed = parse_page(data)
        assert parsed.entries == (), title
        assert parsed.page.text == ("5月1日　式典", "6月2日　講演会"), title


# --- tables -----------------------------------------------------------------------------------


def test_a_month_column_after_a_western_and_an_era_year_column():
    """A 町の年表 of 西暦 | 和暦 | 月 | 主なできごと: the bare month is the date's month, not the
    first line of its body."""
    data = _doc(
        "<main><h1>町の年表</h1><table><tr><th>西暦</th><th>和暦</th><th>月</th><th>できごと</th>"
        "</tr><tr><td>1889</td><td>明治22</td><td>4</td><td>町村制施行</td></tr>"
        "<tr><td>1954</td><td>昭和29</td><td>10</td><td>町制施行</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("1889 明治22 4", "1889-04", "1889-04", ("町村制施行",)),
        ("1954 昭和29 10", "1954-10", "1954-10", ("町制施行",)),
    ]


def test_a_lone_bare_year_among_dated_rows_in_order_is_a_year():
    """An English timeline writes 2008 alone where it knows no month: a year as the dated rows
    around it are, not a line of the row above; out of order, or among fewer than two dated
    rows, it stays the row above's text."""
    rows = (
        ("June 1, 1988", "Agreement signed"),
        ("Aug 1990", "First youth exchange"),
        ("2008", "20th anniversary"),
        ("October 2018", "30th anniversary delegation"),
    )

    def page(rows: tuple[tuple[str, str], ...]) -> bytes:
        cells = "".join(f"<tr><td>{d}</td><td>{t}</td></tr>" for d, t in rows)
        return html_page(
            f"<main><h1>Timeline</h1><table><tr><th>Date</th><th>Event</th></tr>{cells}"
            "</table></main>",
            "Timeline",
            lang="en",
        )

    assert [(e.date_text, e.start, e.body) for e in parse_page(page(rows)).entries] == [
        ("June 1, 1988", "1988-06-01", ("Agreement signed",)),
        ("Aug 1990", "1990-08", ("First youth exchange",)),
        ("2008", "2008", ("20th anniversary",)),
        ("October 2018", "2018-10", ("30th anniversary delegation",)),
    ]
    shuffled = (rows[0], ("2031", "Plan"), rows[1], rows[3])
    assert parse_page(page(shuffled)).entries[0].body == (
        "Agreement signed",
        "2031 Plan",
    )


# --- bullets and leaders ----------------------------------------------------------------------


def test_a_large_circle_bullet_and_leader_dots_around_a_date():
    """◯ (a large circle, as 〇 is typed in some fonts) before a date is a bullet as ○ is; leader
    dots after it part it from its text."""
    data = _doc(
        "<main><h1>沿革</h1><p>◯令和5年4月1日（土）　開会</p><p>平成3年4月……市制施行</p>"
        "<p>➤平成4年5月・・・市章制定</p></main>"
    )
    assert _entries(data) == [
        ("令和5年4月1日（土）", "2023-04-01", "2023-04-01", ("開会",)),
        ("平成3年4月", "1991-04", "1991-04", ("市制施行",)),
        ("平成4年5月", "1992-05", "1992-05", ("市章制定",)),
    ]


# --- an old page's frame ----------------------------------------------------------------------


def test_an_old_pages_heading_and_notes_around_its_table_are_its_text():
    """An old layout table (a menu cell, a content cell) whose <title> is the school's name:
    the <h2> right above the 沿革 table widens the content to its cell, so the note under the
    table is page text, not lost with the frame; a トップへ戻る link is furniture."""
    data = _doc(
        '<table><tr><td><a href="index.html">トップ</a><br><a href="enkaku.html">沿革</a></td>'
        "<td><h2>学校沿革概要</h2><table border=1><tr><td>昭和22年4月1日</td><td>開校</td></tr>"
        "<tr><td>昭和35年3月20日</td><td>新校舎落成</td></tr></table>"
        "<p>※年月日は当時の学校要覧による。</p><p>トップへ戻る</p></td></tr></table>",
        title="ひがし中学校",
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("昭和22年4月1日", ("開校",)),
        ("昭和35年3月20日", ("新校舎落成",)),
    ]
    assert parsed.page.text == ("学校沿革概要", "※年月日は当時の学校要覧による。")
    assert trace.lines("meta") == ["トップへ戻る"]
