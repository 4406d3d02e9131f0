"""Layouts that used to lose records: a year heading over undated lines, card/article layouts,
and a page whose <h1> is the site's name."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _doc(body: str, title: str = "交流の記録｜どこか市") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body, e.note) for e in parse_page(data).entries]


def test_fiscal_year_heading_with_undated_lines_is_an_entry_and_months_still_take_its_year():
    data = _doc(
        "<main><h1>交流の記録</h1>"
        "<h2>令和2年度</h2><p>オンライン交流会を開始した。</p>"
        "<p>5月12日　総会を書面で開催</p><p>1月20日　新年交流会を中止</p>"
        "<h2>令和3年度</h2><p>対面の交流を再開した。</p></main>"
    )
    assert _entries(data) == [
        ("令和2年度", "2020-04", "2021-03", ("オンライン交流会を開始した。",), "年度"),
        ("5月12日", "2020-05-12", "2020-05-12", ("総会を書面で開催",), None),
        ("1月20日", "2021-01-20", "2021-01-20", ("新年交流会を中止",), None),
        ("令和3年度", "2021-04", "2022-03", ("対面の交流を再開した。",), "年度"),
    ]


def test_a_year_over_dated_lines_only_stays_their_year_and_is_counted_as_context():
    data = _doc(
        "<main><h1>交流の記録</h1><h2>平成30年</h2>"
        "<ul><li>4月1日　着任</li><li>11月3日　出展</li></ul></main>"
    )
    parsed, trace = explain_page(data)
    assert [e.date_text for e in parsed.entries] == ["4月1日", "11月3日"]
    assert trace.lines("context") == ["平成30年"]
    assert parsed.page.text == ()


@pytest.mark.parametrize(
    "date_element",
    [
        '<time datetime="2023-08-05">2023年8月5日</time>',
        '<span class="date">2023.8.5</span>',
        '<p class="date">2023年8月5日</p>',
    ],
)
def test_card_date_in_the_header_title_beside_it_body_is_the_card(date_element: str):
    card = (
        f'<article class="card"><header>{date_element}<h2>訪問団が出発</h2></header>'
        "<div><p>12名が出発しました。</p><ul><li>ホームステイ</li></ul>"
        "<table><tr><td>日数</td><td>6日間</td></tr></table></div></article>"
    )
    other = (
        '<article class="card"><header><p class="date">2022年11月3日</p><h2>野球大会</h2>'
        "</header><p>対戦しました。</p></article>"
    )
    data = _doc(f"<main><h1>交流の記録</h1><p>記事の一覧です。</p>{card}{other}</main>")
    parsed = parse_page(data)
    assert [(e.start, e.body) for e in parsed.entries] == [
        ("2023-08-05", ("訪問団が出発", "12名が出発しました。", "ホームステイ", "日数 6日間")),
        ("2022-11-03", ("野球大会", "対戦しました。")),
    ]
    assert parsed.page.text == ("記事の一覧です。",)
    assert parsed.page.updated is None  # a card's <time> is its entry's date, not the page's


def test_card_title_written_before_the_date():
    data = _doc(
        "<main><h1>交流の記録</h1>"
        '<div class="item"><h3>市長が来町</h3><p class="date">2021年5月10日</p><p>懇談した。</p>'
        '</div><div class="item"><h3>協定締結</h3><p class="date">2020年1月9日</p>'
        "<p>協定を結んだ。</p></div></main>"
    )
    assert [(e.date_text, e.body) for e in parse_page(data).entries] == [
        ("2021年5月10日", ("市長が来町", "懇談した。")),
        ("2020年1月9日", ("協定締結", "協定を結んだ。")),
    ]


def test_an_h1_in_a_banner_is_not_the_title_the_contents_first_heading_is():
    data = _doc(
        '<div role="banner"><h1>どこか市</h1></div>'
        '<div id="content"><h2>姉妹都市交流のあゆみ</h2><h3>平成5年4月</h3><p>提携した。</p></div>',
        title="ようこそ｜どこか市",
    )
    assert parse_page(data).page.title == "姉妹都市交流のあゆみ"


def test_an_h1_equal_to_the_site_suffix_of_title_is_not_the_title():
    data = _doc(
        '<div class="top"><h1>どこか市</h1></div>'
        '<div id="content"><h2>平成5年4月</h2><p>提携した。</p><h2>交流の記録について</h2></div>',
        title="交流の記録 | どこか市",
    )
    page = parse_page(data).page
    assert page.title == "交流の記録について"  # a dated heading is never the title


def test_a_table_header_row_under_a_year_does_not_make_the_year_an_entry():
    data = _doc(
        "<main><h1>交流の記録</h1><h2>平成15年</h2><table>"
        "<tr><th>月日</th><th>内容</th></tr><tr><td>5月10日</td><td>協会を設立</td></tr>"
        "</table></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("5月10日", "2003-05-10", ("協会を設立",))
    ]
    assert parsed.page.text == ("月日 内容",)


def test_a_list_of_date_paragraphs_under_a_section_heading_is_not_a_card():
    data = _doc(
        '<main><h1>交流の記録</h1><div class="body"><h2>これまでの交流</h2>'
        "<p><strong>平成28年4月</strong></p><p>協定を結んだ。</p>"
        "<p><strong>平成29年10月</strong></p><p>町長が訪問した。</p></div></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("平成28年4月", ("協定を結んだ。",)),
        ("平成29年10月", ("町長が訪問した。",)),
    ]
    assert parsed.page.text == ("これまでの交流",)


def _table(rows: str, head: str = "") -> bytes:
    return _doc(f"<main><h1>町のあゆみ</h1><table>{head}{rows}</table></main>")


def test_a_seireki_column_beside_the_wareki_one_is_part_of_the_date_not_the_body():
    data = _table(
        "<tr><td>明治22年</td><td>1889</td><td>村制施行</td></tr>"
        "<tr><td>昭和30年</td><td>1955年</td><td>合併し町となる<br>初代町長が就任</td></tr>",
        head="<tr><th>和暦</th><th>西暦</th><th>できごと</th></tr>",
    )
    assert _entries(data) == [
        ("明治22年 1889", "1889", "1889", ("村制施行",), None),
        ("昭和30年 1955年", "1955", "1955", ("合併し町となる", "初代町長が就任"), None),
    ]


def test_a_seireki_column_before_the_wareki_one_and_a_month_column_after_them():
    data = _table(
        "<tr><td>1955</td><td>昭和30年</td><td>3月</td><td>合併</td></tr>"
        "<tr><td></td><td></td><td>10月</td><td>町章を制定</td></tr>"
        "<tr><td>1964</td><td>昭和39年</td><td></td><td>新庁舎が完成</td></tr>"
    )
    assert _entries(data) == [
        ("1955 昭和30年3月", "1955-03", "1955-03", ("合併",), None),
        ("10月", "1955-10", "1955-10", ("町章を制定",), None),
        ("1964 昭和39年", "1964", "1964", ("新庁舎が完成",), None),
    ]


def test_a_seireki_column_before_era_years_without_nen_reads_in_page_order():
    """西暦 | 和暦 | できごと with 明治22 (no 年): the era column holds a date in every row and
    the first never does, but the first restates its year; the date reads as the page does."""
    data = _table(
        "<tr><td>1889</td><td>明治22</td><td>村が誕生</td></tr>"
        "<tr><td>1954</td><td>昭和29</td><td>町制施行</td></tr>",
        head="<tr><th>西暦</th><th>和暦</th><th>できごと</th></tr>",
    )
    assert _entries(data) == [
        ("1889 明治22", "1889", "1889", ("村が誕生",), None),
        ("1954 昭和29", "1954", "1954", ("町制施行",), None),
    ]


def test_a_western_year_that_disagrees_with_the_era_year_stays_text():
    """The two calendars disagree (a typo): neither is trusted, as in pipeline.dates, in
    either order; each row is page text, one line."""
    data = _table(
        "<tr><td>昭和48年</td><td>1974</td><td>町民憲章を制定</td></tr>"
        "<tr><td>1975</td><td>昭和49年</td><td>町民ホール完成</td></tr>"
    )
    parsed = parse_page(data)
    assert parsed.entries == ()
    assert parsed.page.text == ("昭和48年 1974 町民憲章を制定", "1975 昭和49年 町民ホール完成")


def test_a_year_row_inside_a_table_dates_the_rows_below_it():
    data = _table(
        '<tr><th colspan="2">昭和55年（1980年）</th></tr>'
        "<tr><td>7月1日</td><td>開館</td></tr><tr><td>11月</td><td>巡回を開始</td></tr>"
        '<tr><th colspan="2">平成8年</th></tr><tr><td>4月20日</td><td>分館が開館</td></tr>'
        '<tr><th colspan="2">平成9年</th></tr><tr><td>特記事項なし</td><td></td></tr>',
        head="<tr><th>年月日</th><th>できごと</th></tr>",
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("7月1日", "1980-07-01", ("開館",)),
        ("11月", "1980-11", ("巡回を開始",)),
        ("4月20日", "1996-04-20", ("分館が開館",)),
        ("平成9年", "1997", ("特記事項なし",)),
    ]
    assert trace.lines("context") == ["昭和55年（1980年）", "平成8年"]
    assert parsed.page.text == ("年月日 できごと",)


def test_a_table_caption_is_read_the_title_as_metadata_a_year_as_the_rows_year():
    data = _doc(
        "<main><h1>あゆみ</h1><p>主なできごとです。</p>"
        "<table><caption>あゆみ</caption><tr><td>平成元年4月</td><td>設立</td></tr></table>"
        "<table><caption>主な受賞歴</caption><tr><td>平成5年</td><td>知事表彰</td></tr></table>"
        "<table><caption>令和元年</caption><tr><td>6月1日</td><td>開所</td></tr></table>"
        "</main>"
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("平成元年4月", "1989-04", ("設立",)),
        ("平成5年", "1993", ("知事表彰",)),
        ("6月1日", "2019-06-01", ("開所",)),
    ]
    assert parsed.page.text == ("主なできごとです。", "主な受賞歴")
    assert trace.lines("meta") == ["あゆみ", "あゆみ"]


def test_an_old_frame_table_with_a_menu_cell_and_br_lines_in_one_font_is_read_line_by_line():
    """A layout table without headings: a menu cell beside a content cell, the entries as
    <br>-separated lines of one <font> in a one-cell table; the update line shares the
    notes' <font> and is metadata, not text."""
    data = _doc(
        '<table width="780"><tr><td><table><tr><td><a href="/">トップ</a></td></tr>'
        '<tr><td><a href="/a">概要</a></td></tr></table></td><td id="content">'
        "<font size=5><b>商工会の沿革</b></font><hr>"
        '<table width="600"><tr><td><font size="2">昭和36年5月15日　商工会設立<br>'
        "平成4年7月　　　 夏まつりを主催</font></td></tr></table>"
        "<font size=2>※会員数は当時のもの。<br><br>最終更新日　平成29年1月10日</font>"
        "</td></tr></table>",
        title="商工会の沿革",
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("昭和36年5月15日", "1961-05-15", ("商工会設立",)),
        ("平成4年7月", "1992-07", ("夏まつりを主催",)),
    ]
    assert parsed.page.updated == "2017-01-10"
    assert parsed.page.text == ("※会員数は当時のもの。",)
    assert "最終更新日　平成29年1月10日" in trace.lines("meta")
    assert "商工会の沿革" in trace.lines("meta")  # the title, written as a line


def test_a_one_column_table_of_dated_lines_is_a_box_around_lines_not_data():
    data = _doc(
        "<main><h1>あゆみ</h1><table><tr><th>沿革</th></tr>"
        "<tr><td>平成元年4月　協会を設立</td></tr><tr><td>平成5年10月　法人化</td></tr>"
        "</table></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("平成元年4月", ("協会を設立",)),
        ("平成5年10月", ("法人化",)),
    ]
    assert parsed.page.text == ("沿革",)


@pytest.mark.parametrize(
    "block",
    [
        "<p>※記載は抜粋です。<br>更新日：2023年4月1日</p>",
        '<p class="note">※記載は抜粋です。<br>更新日：2023年4月1日</p>',
        "<div>※記載は抜粋です。<br>更新日：2023年4月1日</div>",
    ],
    ids=["p", "p-with-class", "inline-text"],
)
def test_an_update_line_after_a_note_in_one_block_is_metadata_not_text(block: str):
    """Else every new update date would be an edit of page.text."""
    data = _doc(f"<main><h1>あゆみ</h1><h2>平成元年4月</h2><p>設立</p><h2>備考</h2>{block}</main>")
    parsed, trace = explain_page(data)
    assert parsed.page.text == ("備考", "※記載は抜粋です。")
    assert parsed.page.updated == "2023-04-01"
    assert trace.lines("meta") == ["あゆみ", "更新日：2023年4月1日"]


def test_div_rows_each_row_bounds_its_entry_the_note_after_the_last_is_text():
    rows = "".join(
        f'<div class="row"><div class="date">{d}</div><div class="txt"><p>{t}</p></div></div>'
        for d, t in (("昭和46年", "スキー場が開業"), ("平成元年12月", "新庁舎が完成"))
    )
    data = _doc(
        f'<main><h1>沿革</h1><div class="history">{rows}</div>'
        "<p>※詳しくは村史をご覧ください。</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("昭和46年", ("スキー場が開業",)),
        ("平成元年12月", ("新庁舎が完成",)),
    ]
    assert parsed.page.text == ("※詳しくは村史をご覧ください。",)


def test_a_date_alone_in_a_box_of_its_own_still_takes_the_paragraphs_after_it():
    data = _doc(
        '<main><h1>沿革</h1><div class="d"><p><strong>平成28年4月</strong></p></div>'
        "<p>協定を結んだ。</p><p>視察した。</p></main>"
    )
    assert [e.body for e in parse_page(data).entries] == [("協定を結んだ。", "視察した。")]


def test_the_paragraph_after_one_packed_with_dated_lines_is_not_the_last_lines_body():
    data = _doc(
        "<main><h1>自治会のあゆみ</h1>"
        "<p>1978/4/1　自治会発足<br>1983/5/15　会館完成<br>会館は木造平屋</p>"
        "<p>資料をお持ちの方はお知らせください。</p></main>"
    )
    parsed = parse_page(data)
    assert [(e.start, e.body) for e in parsed.entries] == [
        ("1978-04-01", ("自治会発足",)),
        ("1983-05-15", ("会館完成", "会館は木造平屋")),
    ]
    assert parsed.page.text == ("資料をお持ちの方はお知らせください。",)


def test_a_tmp_prefixed_inquiry_box_is_furniture():
    """CMS ids written tmp_inquiry, tmp_update … (the prefix is stripped like c-, l-, p-)."""
    data = _doc(
        '<div id="tmp_contents"><h1>交流経過</h1><h2>平成30年7月10日</h2><p>調印した。</p>'
        '<div id="tmp_inquiry"><div><p>このページに関するお問い合わせ</p></div>'
        "<div><p>国際交流係<br>電話番号：0587-00-0000</p></div></div></div>"
    )
    parsed = parse_page(data)
    assert [e.body for e in parsed.entries] == [("調印した。",)]
    assert parsed.page.text == ()


def test_a_menu_of_links_inside_the_content_is_navigation_with_its_heading():
    data = _doc(
        "<main><h1>沿革</h1><p>創業以来のあゆみです。</p>"
        "<table><tr><th>2001年4月</th><td>商号を変更</td></tr></table>"
        '<section><h2>会社情報</h2><ul><li><a href="/m">トップメッセージ</a></li>'
        '<li><a href="/p">会社概要</a></li></ul></section></main>'
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [("2001年4月", ("商号を変更",))]
    assert parsed.page.text == ("創業以来のあゆみです。",)
    assert trace.lines("meta") == ["沿革", "会社情報", "トップメッセージ", "会社概要"]


def test_links_under_a_dated_heading_are_its_body_and_a_dated_link_list_is_entries():
    under_heading = _doc(
        '<main><h1>交流の記録</h1><h2>平成30年7月</h2><ul><li><a href="/r.pdf">報告書</a></li>'
        '<li><a href="/p.html">写真</a></li></ul></main>'
    )
    assert [e.body for e in parse_page(under_heading).entries] == [("報告書", "写真")]
    dated = _doc(
        '<main><h1>交流の記録</h1><ul><li><a href="/1">令和元年5月1日　記念植樹</a></li>'
        '<li><a href="/2">令和2年4月1日　書面総会</a></li></ul>'
        '<p>その他</p><ul><li><a href="/a">はい</a>、<a href="/b">いいえ</a></li>'
        '<li><a href="/c">規約</a>について</li></ul></main>'
    )
    parsed = parse_page(dated)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("令和元年5月1日", ("記念植樹",)),
        ("令和2年4月1日", ("書面総会",)),
    ]
    assert parsed.page.text == ("その他", "はい、いいえ", "規約について")


def test_explain_says_a_year_opening_a_sentence_runs_into_text_not_that_it_is_invalid():
    data = _doc(
        "<main><h1>沿革</h1><p>1968年の創業以来、技術を磨いてきました。</p>"
        "<p>平成12年13月　存在しない月。</p><h2>2001年4月</h2><p>商号を変更</p></main>"
    )
    _, trace = explain_page(data)
    assert dict(trace.unused) == {
        "1968年の創業以来、技術を磨いてきました。": (
            "the date runs straight into text (no separator after it)"
        ),
        "平成12年13月　存在しない月。": "looks like a date but is not a valid one",
    }


def test_without_a_landmark_the_dated_block_widens_to_the_title_intro_and_notes_are_text():
    rows = "".join(
        f'<div class="row"><div class="date">{d}</div><div class="txt"><p>{t}</p></div></div>'
        for d, t in (("昭和46年", "スキー場が開業"), ("平成元年12月", "新庁舎が完成"))
    )
    data = _doc(
        '<div class="l-header"><p>かっこう村</p></div><div class="l-main">'
        '<div class="head"><h1>村の沿革</h1></div><div class="text"><p>主なできごとです。</p></div>'
        f'<div class="history">{rows}</div><p>※詳しくは村史をご覧ください。</p></div>'
        '<div class="l-footer"><p>かっこう村役場</p></div>',
        title="村の沿革｜かっこう村",
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("昭和46年", ("スキー場が開業",)),
        ("平成元年12月", ("新庁舎が完成",)),
    ]
    assert parsed.page.text == ("主なできごとです。", "※詳しくは村史をご覧ください。")
    assert 'class="l-main"' in trace.rule


def test_the_block_does_not_widen_over_a_dated_side_list_beside_it():
    data = _doc(
        '<div class="wrap"><h1>交流の記録</h1>'
        '<div class="col-left"><h2>イベント</h2><p>2024年3月10日　朝市</p></div>'
        '<div class="col-main"><h4>平成元年6月</h4><p>提携に調印</p>'
        "<h4>平成5年8月</h4><p>派遣</p><h4>令和5年7月</h4><p>交流会</p></div></div>",
        title="交流の記録",
    )
    parsed, trace = explain_page(data)
    assert [e.date_text for e in parsed.entries] == ["平成元年6月", "平成5年8月", "令和5年7月"]
    assert parsed.page.text == ()
    assert 'class="col-main"' in trace.rule


def test_dates_of_eras_before_meiji_head_entries_and_cut_a_paragraph_into_entries():
    data = _doc(
        "<main><h1>寺の沿革</h1>"
        "<h2>寛永元年</h2><p>本堂を創建した。</p>"
        "<p>元禄15年12月14日　山門を再建<br>天保14年　鐘楼を修復</p></main>"
    )
    assert _entries(data) == [
        ("寛永元年", "1624", "1624", ("本堂を創建した。",), None),
        ("元禄15年12月14日", "1702-12-14", "1702-12-14", ("山門を再建",), None),
        ("天保14年", "1843", "1843", ("鐘楼を修復",), None),
    ]
