"""Layouts met probing other organisations' pages: a month and day in figures (4/1 開館, <dt>4.1
</dt>) under a year heading, a post's stamp written date first (2023年5月10日 投稿), a sentence
opening with a date label's word (更新日が変わった理由は…) (see tests/fixtures/synthetic for
whole pages)."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.dates import YearContext, match_date
from pipeline.parse import explain_page, parse_page
from pipeline.parse.matching import _strict_match


def _doc(body: str, title: str = "あゆみ｜どこか市") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- a month and day in figures under a year heading -------------------------------------------


def test_slash_month_day_lines_under_a_year_heading_take_its_year():
    """<h3>2019年</h3><p>4/1 開館</p>, a full-width space too, and <br> lines: each is an entry
    in the heading's year, as 4月1日 開館 is."""
    data = _doc(
        "<main><h1>図書館の沿革</h1><h3>2019年</h3><p>4/1 開館</p><p>7/20　読書会を開始</p>"
        "<h3>2020年</h3><p>3/2 臨時休館<br>6/1 再開<br>11/3(火)　記念式典</p></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("4/1", "2019-04-01", "2019-04-01", ("開館",)),
        ("7/20", "2019-07-20", "2019-07-20", ("読書会を開始",)),
        ("3/2", "2020-03-02", "2020-03-02", ("臨時休館",)),
        ("6/1", "2020-06-01", "2020-06-01", ("再開",)),
        ("11/3(火)", "2020-11-03", "2020-11-03", ("記念式典",)),
    ]
    assert parsed.page.text == ()
    assert trace.lines("context") == ["2019年", "2020年"]


def test_a_dotted_month_day_term_under_a_year_heading_takes_its_year():
    """<h3>2021年</h3><dl><dt>4.1</dt><dd>…</dd>: the term is that day of the year; under a
    fiscal year, 1.15 is the next calendar year's."""
    data = _doc(
        "<main><h1>あゆみ</h1><h3>2021年</h3><dl><dt>4.1</dt><dd>電子書籍サービス開始</dd>"
        "<dt>10.15</dt><dd>分館を新設</dd></dl><h3>令和4年度</h3><dl><dt>５．２０</dt>"
        "<dd>講座を開講</dd><dt>1.15</dt><dd>成人式</dd></dl></main>"
    )
    assert _entries(data) == [
        ("4.1", "2021-04-01", "2021-04-01", ("電子書籍サービス開始",)),
        ("10.15", "2021-10-15", "2021-10-15", ("分館を新設",)),
        ("５．２０", "2022-05-20", "2022-05-20", ("講座を開講",)),
        ("1.15", "2023-01-15", "2023-01-15", ("成人式",)),
    ]


def test_a_slash_range_of_days_under_a_year_heading_spans_them():
    """7/25～8/3　中学生派遣 and 12/26～1/4 under a year heading: the days between, in the
    heading's year (the end in the next year when it comes before the start)."""
    data = _doc(
        "<main><h1>あゆみ</h1><h3>2023年</h3><p>7/25～8/3　中学生派遣</p>"
        "<p>12/26(火)～1/4(木) 年末年始休館</p></main>"
    )
    assert _entries(data) == [
        ("7/25～8/3", "2023-07-25", "2023-08-03", ("中学生派遣",)),
        ("12/26(火)～1/4(木)", "2023-12-26", "2024-01-04", ("年末年始休館",)),
    ]


def test_a_table_rows_month_day_cell_under_a_year_heading_takes_its_year():
    """<h2>令和5年度</h2> over a table 月日 | 活動 | 備考 whose first cells are 4/22(土),
    7/20(木)～7/21(金), 2/17(土): each row is an entry in the fiscal year (2月 the next
    calendar year's); a row of figures stays none."""
    data = _doc(
        "<main><h1>PTA活動の記録</h1><h2>令和5年度</h2><table><tr><th>月日</th><th>活動</th>"
        "<th>備考</th></tr><tr><td>4/22(土)</td><td>PTA総会</td><td>体育館</td></tr>"
        "<tr><td>7/20(木)～7/21(金)</td><td>通学路点検</td><td></td></tr>"
        "<tr><td>2/17(土)</td><td>ベルマーク集計</td><td></td></tr></table></main>"
    )
    assert _entries(data) == [
        ("4/22(土)", "2023-04-22", "2023-04-22", ("PTA総会", "体育館")),
        ("7/20(木)～7/21(金)", "2023-07-20", "2023-07-21", ("通学路点検",)),
        ("2/17(土)", "2024-02-17", "2024-02-17", ("ベルマーク集計",)),
    ]
    figures = _doc(
        "<main><h1>利用状況</h1><h2>2022年</h2><p>年間の利用状況です。</p><table>"
        "<tr><td>1.5</td><td>2.3</td></tr><tr><td>4.1</td><td>3.2</td></tr></table></main>"
    )
    assert _entries(figures) == [
        ("2022年", "2022", "2022", ("年間の利用状況です。", "1.5 2.3", "4.1 3.2"))
    ]


def test_figures_and_versions_under_a_year_heading_stay_text():
    """4.1倍, 3.2%, 4/1の予定 inside a sentence, a fraction (1/3 程度) and a section's number
    (4.1 概要) are no dates: the year heading keeps them as its body."""
    lines = [
        "貸出冊数は前年の4.1倍になりました。",
        "4/1の予定は変更になりました。",
        "3.2% 増加しました",
        "1/3 程度が新規登録です",
        "4.1 概要",
        "2/30 式典",
    ]
    data = _doc(
        "<main><h1>あゆみ</h1><h3>2022年</h3>"
        + "".join(f"<p>{line}</p>" for line in lines)
        + "</main>"
    )
    assert _entries(data) == [("2022年", "2022", "2022", tuple(lines))]


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("4/1 開館", "2021-04-01"),
        ("４／１　開館", "2021-04-01"),
        ("4/1：開館", "2021-04-01"),
        ("4.1(木) 式典", "2021-04-01"),
        ("4.1", "2021-04-01"),
        ("12/31", "2021-12-31"),
        ("7/25～8/3　派遣", "2021-07-25"),
        ("7/25(火)～8/3(木) 派遣", "2021-07-25"),
        ("4/1 JR線開通", "2021-04-01"),
        ("1/4 Opening ceremony", None),  # (English: 1 April on a British page)
        ("4.1～4.5 展示", None),  # (a range of dotted figures: versions as often)
        ("4/1～4/31 展示", None),
        ("4.1 概要", None),
        ("4/1の予定", None),
        ("4/1 に開館", None),
        ("4/1 10時", None),
        ("1/3 程度", None),
        ("4.1倍", None),
        ("3.2%", None),
        ("13/1 開館", None),
        ("4/31 開館", None),
        ("4/1/2 開館", None),
        ("0.5", None),
    ],
)
def test_month_day_line_needs_its_year_and_a_body_opening(line: str, start: str | None):
    found = _strict_match(line, YearContext(2021))
    assert (found.span.start if found else None) == start
    assert _strict_match(line, None) is None  # no year above: no date


# --- a post's stamp written date first ----------------------------------------------------------


def test_a_day_then_toukou_alone_is_a_post_stamp_not_an_entry():
    """2023年5月10日 投稿 at the top of the content: the post's stamp (metadata, as 投稿日：… is),
    not an entry whose body is 投稿."""
    data = _doc(
        "<main><h1>協会のあゆみ</h1><p>2023年5月10日 投稿</p><h2>昭和50年</h2><p>協会設立</p>"
        "<h2>平成5年</h2><p>法人化</p></main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("昭和50年", "1975", "1975", ("協会設立",)),
        ("平成5年", "1993", "1993", ("法人化",)),
    ]
    assert parsed.page.text == ()
    assert "2023年5月10日 投稿" in trace.lines("meta")


# --- a date label's word opening a sentence -----------------------------------------------------


def test_a_sentence_opening_with_koushinbi_is_text_a_labelled_date_is_metadata():
    """更新日が変わった理由は… and 公開日について… are the page's text; 更新日：2023年5月10日,
    【公開日】…, 掲載日 2023年… and 更新日 alone on its line stay metadata."""
    data = _doc(
        "<main><h1>協会のあゆみ</h1><p>更新日が変わった理由は、内容の修正によるものです。</p>"
        "<p>公開日について、お問い合わせが多くあります。</p><h2>昭和50年</h2><p>協会設立</p>"
        "<h2>平成5年</h2><p>法人化</p><p>更新日：2023年5月10日</p><p>【公開日】2020年4月1日</p>"
        "<p>掲載日 2020年4月1日</p></main>"
    )
    parsed, trace = explain_page(data)
    assert parsed.page.text == (
        "更新日が変わった理由は、内容の修正によるものです。",
        "公開日について、お問い合わせが多くあります。",
    )
    assert parsed.page.updated == "2023-05-10"
    assert _entries(data) == [
        ("昭和50年", "1975", "1975", ("協会設立",)),
        ("平成5年", "1993", "1993", ("法人化",)),
    ]
    assert trace.lines("meta")[-3:] == [
        "更新日：2023年5月10日",
        "【公開日】2020年4月1日",
        "掲載日 2020年4月1日",
    ]


# --- two years in a row listed with a 中黒 -----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "span"),
    [
        ("令和2年度・令和3年度", ("2020-04", "2022-03")),
        ("令和2年・令和3年", ("2020", "2021")),
        ("平成30年・令和元年", ("2018", "2019")),
        ("平成31年度・令和元年度", ("2019-04", "2020-03")),  # one fiscal year, written twice
        ("平成31年・令和元年", ("2019", "2019")),
        ("令和2年・令和4年", None),  # not in a row: which years between?
        ("平成30年/令和元年", None),  # a slash restates one year: these differ
        ("令和2年度・令和3年", None),  # a fiscal year and a calendar one
        ("平成30年・令和元年5月1日", None),  # which year's May?
    ],
)
def test_two_years_in_a_row_listed_with_a_middle_dot_span_both(line: str, span):
    found = match_date(line)
    assert ((found.span.start, found.span.end) if found else None) == span


def test_a_heading_of_two_fiscal_years_is_an_entry_spanning_both():
    """<h2>令和2年度・令和3年度</h2> over a paragraph (the years the visits were cancelled): one
    entry for both years, not page text."""
    data = _doc(
        "<main><h1>交流のあゆみ</h1><h2>令和4年度</h2><p>11月5日　オンライン交流会</p>"
        "<h2>令和2年度・令和3年度</h2><p>相互訪問はすべて中止しました。</p>"
        "<h2>令和元年度</h2><p>7月24日～8月2日　中学生海外派遣</p></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("11月5日", "2022-11-05", "2022-11-05", ("オンライン交流会",)),
        ("令和2年度・令和3年度", "2020-04", "2022-03", ("相互訪問はすべて中止しました。",)),
        ("7月24日～8月2日", "2019-07-24", "2019-08-02", ("中学生海外派遣",)),
    ]
    assert parsed.page.text == ()


# --- a council's session named before its dates ------------------------------------------------


def test_a_session_label_before_its_dates_opens_the_body():
    """令和5年第2回定例会　令和5年6月5日～6月20日（16日間）: the session's dates are the entry's,
    its name (with its year and ordinal) opens the body, as 第1回　平成15年8月3日 does."""
    data = _doc(
        "<main><h1>定例会・臨時会の会期</h1><h2>令和5年</h2><ul>"
        "<li>令和5年第1回臨時会　令和5年1月27日（1日間）</li>"
        "<li>令和5年第2回定例会　令和5年6月5日～6月20日（16日間）</li>"
        "<li>第3回定例会　9月4日～9月22日</li></ul></main>"
    )
    assert _entries(data) == [
        ("令和5年1月27日", "2023-01-27", "2023-01-27", ("令和5年第1回臨時会 （1日間）",)),
        ("令和5年6月5日～6月20日", "2023-06-05", "2023-06-20", ("令和5年第2回定例会 （16日間）",)),
        ("9月4日～9月22日", "2023-09-04", "2023-09-22", ("第3回定例会",)),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "令和5年第1回定例会",  # no date after the label
        "第3回交流会を開催　平成15年",  # a sentence, not a label
        "令和5年第1回定例会の会議録　令和5年6月5日",
    ],
)
def test_no_session_label_no_date(line: str):
    assert _strict_match(line, None) is None


# --- an old layout's side column of links --------------------------------------------------------


def test_links_on_lines_inside_a_font_are_a_menu():
    """An old layout's column of links: <font size="2"><a>トップ</a><br><a>お知らせ</a>…</font>:
    a menu, not the page's text, as links side by side are; and the copyright line under the
    content is furniture."""
    data = _doc(
        '<div id="content"><font size="2"><a href="index.html">トップ</a><br>'
        '<a href="oshirase.html">お知らせ</a><br><a href="ayumi.html">自治会のあゆみ</a></font>'
        "<h1>自治会のあゆみ</h1><p>当自治会のあゆみです。</p><h2>昭和52年</h2>"
        "<p>4月　団地入居開始<br>7月　自治会発足</p><h2>昭和58年</h2><p>10月　集会所完成</p>"
        '<font size="1">Copyright(C) 1999-2018 Asahigaoka Jichikai</font></div>'
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("4月", "1977-04", "1977-04", ("団地入居開始",)),
        ("7月", "1977-07", "1977-07", ("自治会発足",)),
        ("10月", "1983-10", "1983-10", ("集会所完成",)),
    ]
    assert parsed.page.text == ("当自治会のあゆみです。",)
    assert "Copyright(C) 1999-2018 Asahigaoka Jichikai" in trace.lines("meta")


# --- a contact box titled by its first line -----------------------------------------------------


def test_a_box_titled_by_a_contact_line_is_furniture():
    """<div id="section_footer"><div>このページに関するお問い合わせ先</div><div>企画部…</div>
    </div> in the content: no heading element titles the box, its first line does; the box is
    furniture as a section under <h2>お問い合わせ</h2> is, not the page's text. A box opening with
    a line that only begins so (お問い合わせ窓口を開設) is kept."""
    data = _doc(
        '<div id="main"><h1>交流のあゆみ</h1><p>主な交流です。</p><h2>令和5年度</h2>'
        '<p>10月14日　市長一行が来訪</p><div class="item"><p>お問い合わせ窓口を開設</p>'
        "<p>(市民課内)</p></div>"
        '<div id="section_footer"><div id="section_footer_ttl">このページに関するお問い合わせ先'
        '</div><div class="detail">企画部 国際交流課<br>電話：0000-55-6666</div></div>'
        '<div class="box"><p>【関連リンク】</p><p><a href="/a/">姉妹都市の紹介</a></p></div></div>'
    )
    parsed = parse_page(data)
    assert _entries(data) == [("10月14日", "2023-10-14", "2023-10-14", ("市長一行が来訪",))]
    assert parsed.page.text == ("主な交流です。", "お問い合わせ窓口を開設", "(市民課内)")


# --- loose lines in a box, then a paragraph ------------------------------------------------------


def test_a_paragraph_after_loose_dated_lines_is_not_the_last_lines_body():
    """<td><font>…<b>平成29年</b><br>7月　記念誌を発行</font><p>（文責：広報部）</p></td>: the
    dated lines are loose text in the cell, one entry each; the paragraph after them is the
    page's note, not the last line's body, as after a <p> of <br> lines."""
    data = _doc(
        '<div id="content"><h1>自治会のあゆみ</h1><table><tr><td><font size="3">'
        "<b>平成19年</b><br>4月　自主防災会を結成<br><br><b>平成29年</b><br>7月　記念誌を発行"
        '</font><p><font size="2">（文責：広報部）</font></p></td></tr></table></div>'
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("4月", "2007-04", "2007-04", ("自主防災会を結成",)),
        ("7月", "2017-07", "2017-07", ("記念誌を発行",)),
    ]
    assert parsed.page.text == ("（文責：広報部）",)
