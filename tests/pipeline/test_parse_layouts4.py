"""Layouts of municipal 沿革 and 交流の歩み pages typed with fewer separators: an era year running
straight into its text under an era heading, a run of Latin era years with a colon, news cards
dated at their end (see tests/fixtures/synthetic for whole pages)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _doc(body: str, title: str = "沿革｜どこか市") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- an era year running straight into its text --------------------------------------------------


def test_an_era_year_with_its_month_runs_straight_into_its_text_under_an_era_heading():
    """<h2>平成</h2> over 5年10月増築: the month ends the date, the text opens the body; the
    separated form reads as it did, and so does a day (15年7月1日視聴覚室開設)."""
    data = _doc(
        "<main><h1>図書館の沿革</h1><h2>昭和</h2><p>55年4月　市立図書館開館</p>"
        "<p>62年3月移動図書館車導入</p><h2>平成</h2><p>元年4月　新館開館</p><p>5年10月増築</p>"
        "<p>12年3月閉館</p><p>15年7月1日視聴覚室開設</p></main>"
    )
    assert _entries(data) == [
        ("55年4月", "1980-04", "1980-04", ("市立図書館開館",)),
        ("62年3月", "1987-03", "1987-03", ("移動図書館車導入",)),
        ("元年4月", "1989-04", "1989-04", ("新館開館",)),
        ("5年10月", "1993-10", "1993-10", ("増築",)),
        ("12年3月", "2000-03", "2000-03", ("閉館",)),
        ("15年7月1日", "2003-07-01", "2003-07-01", ("視聴覚室開設",)),
    ]


def test_an_era_year_running_into_a_sentence_stays_text():
    """5年間続いた (a year alone: a length of time), 5年10月に (a particle: a sentence), 5年10月
    上旬 (a qualifier of the date, not text), and the same line with no era above it."""
    data = _doc(
        "<main><h1>沿革</h1><h2>平成</h2><p>元年4月　開館</p><p>5年間続いた読書会が終了した。</p>"
        "<p>5年10月に増築した。</p><p>6年10月上旬増築</p><h2>その他</h2><p>5年10月増築</p>"
        "</main>"
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        (
            "元年4月",
            ("開館", "5年間続いた読書会が終了した。", "5年10月に増築した。", "6年10月上旬増築"),
        ),
    ]
    assert parsed.page.text == ("その他", "5年10月増築")
    assert trace.lines("text") == ["その他", "5年10月増築"]


def test_a_month_runs_straight_into_its_text_under_a_year_heading():
    """<h3>平成15年</h3> over 4月開館: the month ends the date, as 4月　開館 does; a month running
    into a sentence (6月に…), a day in kanji (2月晦日) and a line with no year above stay text."""
    data = _doc(
        "<main><h1>沿革</h1><p>4月開館の予定です。</p><h3>平成15年</h3><ul><li>4月開館</li>"
        "<li>6月に記念式典を開いた。</li><li>10月1日増築</li><li>12月　完成式典</li></ul>"
        "<h3>平成16年</h3><p>2月晦日大火</p><p>3月再建に着手</p></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("4月", "2003-04", "2003-04", ("開館", "6月に記念式典を開いた。")),
        ("10月1日", "2003-10-01", "2003-10-01", ("増築",)),
        ("12月", "2003-12", "2003-12", ("完成式典",)),
        ("平成16年", "2004", "2004", ("2月晦日大火",)),
        ("3月", "2004-03", "2004-03", ("再建に着手",)),
    ]
    assert parsed.page.text == ("4月開館の予定です。",)


# --- Latin era years before a colon -------------------------------------------------------------


def test_a_run_of_latin_era_years_before_a_colon_dates_its_lines():
    """H30：開始, R1: 拡大 (a 事業の歩み list): in a run of two or more in order they are years,
    as H30 alone is; a sentence naming them stays text."""
    data = _doc(
        "<main><h1>こども食堂事業の歩み</h1><p>これまでの主な取り組みです。</p><ul>"
        "<li>H30：モデル事業を開始</li><li>R1: 市内3か所に拡大</li><li>Ｒ２：弁当配布に切替</li>"
        "<li>R5 – 全小学校区で実施</li></ul><p>H30とR1の違いは実施主体です。</p>"
        "<p>S50：設立</p><p>H2：移転</p></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("H30", "2018", "2018", ("モデル事業を開始",)),
        ("R1", "2019", "2019", ("市内3か所に拡大",)),
        ("Ｒ２", "2020", "2020", ("弁当配布に切替",)),
        ("R5", "2023", "2023", ("全小学校区で実施",)),
        ("S50", "1975", "1975", ("設立",)),
        ("H2", "1990", "1990", ("移転",)),
    ]
    assert parsed.page.text == ("これまでの主な取り組みです。", "H30とR1の違いは実施主体です。")
    assert trace.lines("entry")[:2] == ["H30：モデル事業を開始", "R1: 市内3か所に拡大"]


def test_a_lone_latin_era_year_before_a_colon_or_a_run_out_of_order_stays_text():
    data = _doc(
        "<main><h1>沿革</h1><p>2001年4月　開館</p><ul><li>R1: 会議室</li></ul>"
        "<ol><li>H30：開始</li><li>S50：設立</li><li>R2：拡大</li></ol></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [("2001年4月", ("開館",))]
    assert parsed.page.text == ("R1: 会議室", "H30：開始", "S50：設立", "R2：拡大")


# --- news cards dated at their end ----------------------------------------------------------------


def _li_card(title: str, text: str | None, date_line: str) -> str:
    """One item of a news list read as one block: title link, text, date line, split by <br>."""
    lines = [f'<a href="/a/{len(title)}.html">{title}</a>', *([text] if text else []), date_line]
    return "<li>" + "<br>".join(lines) + "</li>"


def test_list_items_ending_with_a_labelled_date_line_are_dated_at_their_end():
    data = _doc(
        "<main><h1>国際交流のあゆみ</h1><ul class='list'>"
        + _li_card("記念式典を開催しました", "市民訪問団が来訪しました。", "掲載日：2023年5月10日")
        + _li_card("中学生派遣事業の報告", "10名を派遣しました。", "掲載日：2022年8月20日")
        + _li_card("友好協定を締結しました", None, "掲載日：2021年11月3日")
        + "</ul></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        (
            "2023年5月10日",
            "2023-05-10",
            "2023-05-10",
            ("記念式典を開催しました", "市民訪問団が来訪しました。"),
        ),
        (
            "2022年8月20日",
            "2022-08-20",
            "2022-08-20",
            ("中学生派遣事業の報告", "10名を派遣しました。"),
        ),
        ("2021年11月3日", "2021-11-03", "2021-11-03", ("友好協定を締結しました",)),
    ]
    assert parsed.page.text == ()
    assert trace.lines("meta").count("掲載日：") == 3


def test_list_items_ending_with_a_date_alone_or_in_paragraphs_are_dated_at_their_end():
    """The date alone as the item's last line after a <br>, or the item's lines in <p>s."""
    data = _doc(
        "<main><h1>活動報告</h1><ul>"
        + _li_card("河川敷の清掃", "会員20名で清掃しました。", "2023年5月10日")
        + _li_card("定期総会", None, "2023年4月22日")
        + "</ul><ul class='report-list'>"
        "<li><p><a href='/1'>日本語教室</a></p><p>春の教室が始まりました。</p>"
        "<p>掲載日 2023年4月8日</p></li>"
        "<li><p><a href='/2'>交流会</a></p><p>掲載日 2023年3月1日</p></li></ul></main>"
    )
    assert _entries(data) == [
        ("2023年5月10日", "2023-05-10", "2023-05-10", ("河川敷の清掃", "会員20名で清掃しました。")),
        ("2023年4月22日", "2023-04-22", "2023-04-22", ("定期総会",)),
        ("2023年4月8日", "2023-04-08", "2023-04-08", ("日本語教室", "春の教室が始まりました。")),
        ("2023年3月1日", "2023-03-01", "2023-03-01", ("交流会",)),
    ]


def test_list_items_opening_with_a_date_read_as_before_though_one_ends_with_one():
    data = _doc(
        "<main><h1>沿革</h1><ul><li>平成15年4月<br>開館</li><li>平成20年5月<br>増築<br>"
        "2009年3月</li></ul></main>"
    )
    assert [(e.date_text, e.body) for e in parse_page(data).entries] == [
        ("平成15年4月", ("開館",)),
        ("平成20年5月", ("増築",)),
        ("2009年3月", ()),
    ]


def _card(title: str, text: str, meta: str) -> str:
    return (
        f'<div class="card"><p class="title">{title}</p><p>{text}</p>'
        f'<div class="meta">{meta}</div></div>'
    )


def test_cards_whose_last_box_holds_a_date_and_a_category_are_dated_at_their_end():
    """<div class="meta"><time>…</time><span class="cat">お知らせ</span></div> as the card's last
    element (its category spanned, boxed or spaced): the date dates the card, the category is
    metadata, as a footer's category links are."""
    data = _doc(
        "<main><h1>交流の歩み</h1><div class='cards'>"
        + _card(
            "代表団が来訪",
            "市長と懇談しました。",
            '<time datetime="2024-05-10">2024-05-10</time><span class="cat">お知らせ</span>',
        )
        + _card(
            "高校生交流",
            "10名が参加しました。",
            '<time>2023-08-01</time><div class="cat">イベント</div>',
        )
        + _card(
            "協定締結",
            "協定書に署名しました。",
            '<span class="date">2022.11.03</span> <span class="cat">お知らせ</span>',
        )
        + "</div></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("2024-05-10", "2024-05-10", "2024-05-10", ("代表団が来訪", "市長と懇談しました。")),
        ("2023-08-01", "2023-08-01", "2023-08-01", ("高校生交流", "10名が参加しました。")),
        ("2022.11.03", "2022-11-03", "2022-11-03", ("協定締結", "協定書に署名しました。")),
    ]
    assert parsed.page.text == ()
    assert trace.lines("meta")[1:] == ["お知らせ", "イベント", "お知らせ"]  # (the title first)


def test_list_item_cards_ending_with_a_date_and_a_category_are_dated_at_their_end():
    item = (
        '<li class="card"><h3>{}</h3><p>{}</p>'
        '<div class="meta"><time>{}</time><span>{}</span></div></li>'
    )
    data = _doc(
        "<main><h1>交流の歩み</h1><ul>"
        + item.format("代表団が来訪", "懇談しました。", "2024年5月10日", "お知らせ")
        + item.format("高校生交流", "参加しました。", "2023年8月1日", "イベント")
        + "</ul></main>"
    )
    assert _entries(data) == [
        ("2024年5月10日", "2024-05-10", "2024-05-10", ("代表団が来訪", "懇談しました。")),
        ("2023年8月1日", "2023-08-01", "2023-08-01", ("高校生交流", "参加しました。")),
    ]


def test_a_date_ending_a_lone_card_gives_no_body_from_outside_it():
    """One card ending with a date (no run of them): the date is read as before, but what
    follows the card (the next card's text, a list after it) is not its body."""
    data = _doc(
        "<main><h1>交流の歩み</h1>"
        + _card("代表団が来訪", "懇談しました。", '<p class="date"><time>2024-05-10</time></p>')
        + '<div class="card"><p class="title">高校生交流</p><p>参加しました。</p></div>'
        + "<ul><li class='card'>協定締結<br>2022年11月3日</li></ul><ul><li>調印式の写真</li></ul>"
        + "</main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("2024-05-10", ()),
        ("2022年11月3日", ()),
    ]
    assert parsed.page.text == (
        "代表団が来訪",
        "懇談しました。",
        "高校生交流",
        "参加しました。",
        "協定締結",
        "調印式の写真",
    )


def test_list_item_cards_made_links_as_a_whole_are_dated_at_their_end():
    """<li><a href><p>title</p><p>text</p><div class="meta"><time>…</time><span>…</span></div>
    </a></li>: a list of links only, but each a card ending with its date, not a menu."""
    item = (
        '<li class="card"><a href="/{0}"><p class="title">{1}</p><p>{2}</p>'
        '<div class="meta"><time>{3}</time><span class="cat">お知らせ</span></div></a></li>'
    )
    data = _doc(
        "<main><h1>交流の歩み</h1><ul class='cards'>"
        + item.format(1, "代表団が来訪", "懇談しました。", "2024-05-10")
        + item.format(2, "高校生交流", "参加しました。", "2023-08-01")
        + "</ul></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("2024-05-10", "2024-05-10", "2024-05-10", ("代表団が来訪", "懇談しました。")),
        ("2023-08-01", "2023-08-01", "2023-08-01", ("高校生交流", "参加しました。")),
    ]
    assert trace.lines("meta")[1:] == ["お知らせ", "お知らせ"]
    assert parsed.page.text == ()


# --- a 年 | 月 | 内容 table with bare month numbers ----------------------------------------------


def test_a_month_column_of_bare_numbers_beside_a_year_column_dates_its_rows():
    """A company's 沿革 table: 年 | 月 | 内容, the months as bare numbers, a year written once
    for its rows (the cell left empty below it) or as a Latin era year."""
    data = _doc(
        "<main><h1>沿革</h1><table><tr><th>年</th><th>月</th><th>内容</th></tr>"
        "<tr><td>1998</td><td>4</td><td>会社設立</td></tr>"
        "<tr><td></td><td>１０</td><td>第1工場竣工</td></tr>"
        "<tr><td>2003</td><td>12</td><td>本社移転</td></tr></table>"
        "<table><tr><th>年</th><th>月</th><th>できごと</th></tr>"
        "<tr><td>平成15年</td><td>4</td><td>開館</td></tr>"
        "<tr><td>平成20年</td><td></td><td>増築</td></tr>"
        "<tr><td>平成21年</td><td>5</td><td>開館記念式典</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("1998 4", "1998-04", "1998-04", ("会社設立",)),
        ("１０", "1998-10", "1998-10", ("第1工場竣工",)),
        ("2003 12", "2003-12", "2003-12", ("本社移転",)),
        ("平成15年4", "2003-04", "2003-04", ("開館",)),
        ("平成20年", "2008", "2008", ("増築",)),
        ("平成21年5", "2009-05", "2009-05", ("開館記念式典",)),
    ]


def test_bare_numbers_in_a_column_named_otherwise_or_out_of_months_stay_text():
    """年 | 回 | 内容 (the session's number), or a 月 column holding 13: no months."""
    data = _doc(
        "<main><h1>大会の記録</h1><table><tr><th>年</th><th>回</th><th>内容</th></tr>"
        "<tr><td>平成10年</td><td>4</td><td>大会</td></tr>"
        "<tr><td>平成15年</td><td>10</td><td>大会</td></tr></table>"
        "<table><tr><th>年</th><th>月</th><th>内容</th></tr>"
        "<tr><td>平成16年</td><td>13</td><td>x</td></tr>"
        "<tr><td>平成17年</td><td>10</td><td>y</td></tr></table></main>"
    )
    assert [(e.date_text, e.start, e.body) for e in parse_page(data).entries] == [
        ("平成10年", "1998", ("4", "大会")),
        ("平成15年", "2003", ("10", "大会")),
        ("平成16年", "2004", ("13", "x")),
        ("平成17年", "2005", ("10", "y")),
    ]


# --- 同年: the year of the dated line above -----------------------------------------------------


def test_a_line_dated_the_same_year_takes_the_year_of_the_dated_line_above():
    """同年10月 (the same year): in a list, in paragraphs, in lines split by <br>, in a table's
    rows, in headings, and under a year heading."""
    data = _doc(
        "<main><h1>沿革</h1><ul><li>平成15年4月　開館</li><li>同年10月　増築</li></ul>"
        "<p>平成17年　開館10周年</p><p>同年11月3日　記念式典</p>"
        "<p>平成20年4月　指定管理者制度を導入<br>同年7月　開館時間を延長</p>"
        "<table><tr><th>年月</th><th>内容</th></tr><tr><td>平成22年4月</td><td>分館開設</td></tr>"
        "<tr><td>同年10月</td><td>移動図書館廃止</td></tr></table>"
        "<h3>平成25年3月</h3><p>耐震改修</p><h3>同年9月</h3><p>再開館</p>"
        "<h3>平成28年</h3><ul><li>4月　電子図書館開始</li><li>同年12月　蔵書点検</li></ul></main>"
    )
    assert [(e.date_text, e.start, e.body) for e in parse_page(data).entries] == [
        ("平成15年4月", "2003-04", ("開館",)),
        ("同年10月", "2003-10", ("増築",)),
        ("平成17年", "2005", ("開館10周年",)),
        ("同年11月3日", "2005-11-03", ("記念式典",)),
        ("平成20年4月", "2008-04", ("指定管理者制度を導入",)),
        ("同年7月", "2008-07", ("開館時間を延長",)),
        ("平成22年4月", "2010-04", ("分館開設",)),
        ("同年10月", "2010-10", ("移動図書館廃止",)),
        ("平成25年3月", "2013-03", ("耐震改修",)),
        ("同年9月", "2013-09", ("再開館",)),
        ("4月", "2016-04", ("電子図書館開始",)),
        ("同年12月", "2016-12", ("蔵書点検",)),
    ]


def test_same_year_with_no_one_year_above_or_in_a_sentence_stays_text():
    """No dated line above, a fiscal year above (which calendar year?), or 同年に (a sentence)."""
    data = _doc(
        "<main><h1>沿革</h1><p>同年10月　増築</p><ul><li>平成17年度　改修</li>"
        "<li>同年10月　式典</li></ul><p>平成20年4月　開館</p><p>同年に記念誌を発行した。</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("平成17年度", ("改修", "同年10月　式典")),
        ("平成20年4月", ("開館", "同年に記念誌を発行した。")),
    ]
    assert parsed.page.text == ("同年10月　増築",)


def test_a_date_ending_a_lone_card_in_a_container_gives_no_body_but_a_header_date_does():
    """The lone card dated at its end inside a wrapper or beside an undated card: no body from
    outside it. A card's header box of a category and a date (the card goes on after it) keeps
    the text below as the date's body, as before."""
    data = _doc(
        "<main><h1>交流の歩み</h1><div class='wrap'><div class='post'><h3>河川敷の清掃</h3>"
        "<p>清掃しました。</p><p class='date'>2023年5月10日</p></div><p>次回は秋の予定です。</p>"
        "</div><div class='cards'><div class='card'><p>代表団が来訪</p><p>懇談しました。</p>"
        "<p>2024年5月10日</p></div><div class='card'><p>高校生交流</p><p>参加しました。</p></div>"
        "</div><div class='card'><div class='head'><span class='cat'>お知らせ</span>"
        "<p class='date'>2024年6月1日</p></div><p>総会を開きました。</p></div></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("2023年5月10日", ()),
        ("2024年5月10日", ()),
        ("2024年6月1日", ("総会を開きました。",)),
    ]
    assert parsed.page.text == (
        "河川敷の清掃",
        "清掃しました。",
        "次回は秋の予定です。",
        "代表団が来訪",
        "懇談しました。",
        "高校生交流",
        "参加しました。",
        "お知らせ",
    )
