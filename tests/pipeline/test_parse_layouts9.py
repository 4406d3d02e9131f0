"""Layouts met probing other organisations' pages: a month and day in figures (4/1 開館, <dt>4.1
</dt>) under a year heading, a post's stamp written date first (2023年5月10日 投稿), a sentence
opening with a date label's word (更新日が変わった理由は…) (see tests/fixtures/synthetic for
whole pages)."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.dates import YearContext
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
