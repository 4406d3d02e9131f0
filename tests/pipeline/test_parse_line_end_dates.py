"""Lines that END with their date in brackets (<li>姉妹都市提携調印（昭和59年5月）</li>), in a
list, a block of <br> lines or like paragraphs: each is an entry, dated by the bracketed date,
its body the text before it. A lone line ending so, a sentence among prose, an update stamp, or
a bracket holding more than a date stays as it was (see
tests/fixtures/synthetic/line-end-dates.html for a whole page)."""

from __future__ import annotations

import pytest
from conftest import html_page
from test_parse_text import _chars

from pipeline.parse import explain_page, parse_page


def _doc(body: str, title: str = "国際交流のあゆみ｜どこか市") -> bytes:
    return html_page(f"<main><h1>国際交流のあゆみ</h1>{body}</main>", title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.body) for e in parse_page(data).entries]


_THREE = [
    ("昭和59年5月", "1984-05", ("姉妹都市提携調印",)),
    ("昭和60年8月", "1985-08", ("第1回青少年派遣団を派遣",)),
    ("平成2年4月1日", "1990-04-01", ("協会設立",)),
]


def test_a_list_whose_items_end_with_their_date_in_brackets_is_read_as_entries():
    data = _doc(
        "<p>本渓市との交流の経過です。</p>"
        "<ul><li>姉妹都市提携調印（昭和59年5月）</li><li>第1回青少年派遣団を派遣（昭和60年8月）</li>"
        "<li>協会設立（平成2年4月1日）</li></ul><p>以上です。</p>"
    )
    page = parse_page(data)
    assert _entries(data) == _THREE
    assert page.page.text == ("本渓市との交流の経過です。", "以上です。")


@pytest.mark.parametrize(
    "body",
    [
        # like sibling paragraphs, half-width brackets
        "<p>姉妹都市提携調印(昭和59年5月)</p><p>第1回青少年派遣団を派遣(昭和60年8月)</p>"
        "<p>協会設立(平成2年4月1日)</p>",
        # the lines of one <br> block, a space before the bracket
        "<p>姉妹都市提携調印 （昭和59年5月）<br>第1回青少年派遣団を派遣　（昭和60年8月）<br>"
        "協会設立 （平成2年4月1日）</p>",
        # square brackets, a bullet before each line
        '<div class="history"><p>・姉妹都市提携調印［昭和59年5月］</p>'
        "<p>・第1回青少年派遣団を派遣［昭和60年8月］</p><p>・協会設立［平成2年4月1日］</p></div>",
        # a western year with its era in brackets inside the date's brackets
        "<ul><li>姉妹都市提携調印（1984年（昭和59年）5月）</li>"
        "<li>第1回青少年派遣団を派遣（1985年（昭和60年）8月）</li>"
        "<li>協会設立（1990年（平成2年）4月1日）</li></ul>",
        # the same, the outer brackets half-width
        "<ul><li>姉妹都市提携調印(1984年（昭和59年）5月)</li>"
        "<li>第1回青少年派遣団を派遣(1985年（昭和60年）8月)</li>"
        "<li>協会設立(1990年（平成2年）4月1日)</li></ul>",
    ],
    ids=[
        "paragraphs-half-width",
        "br-lines-spaced",
        "square-brackets-bullets",
        "nested-era",
        "nested-mixed-widths",
    ],
)
def test_lines_ending_with_a_bracketed_date_in_other_layouts(body):
    parsed, trace = explain_page(_doc(body))
    got = [(e.start, e.body) for e in parsed.entries]
    assert got == [(start, text) for _, start, text in _THREE]
    placed = [*(e.date_text for e in parsed.entries), *(x for e in parsed.entries for x in e.body)]
    assert _chars(trace.content) == _chars([*placed, *trace.lines("meta")])  # no line lost


def test_a_lists_items_are_alike_whatever_their_classes_paragraphs_share_one():
    zebra = _doc(
        '<ul><li class="odd">姉妹都市提携調印（昭和59年5月）</li>'
        '<li class="even">第1回青少年派遣団を派遣（昭和60年8月）</li>'
        '<li class="odd">協会設立（平成2年4月1日）</li></ul>'
    )
    assert _entries(zebra) == _THREE
    shared = _doc(
        '<p class="item first">姉妹都市提携調印（昭和59年5月）</p>'
        '<p class="item">第1回青少年派遣団を派遣（昭和60年8月）</p>'
        '<p class="item last">協会設立（平成2年4月1日）</p>'
    )
    assert _entries(shared) == _THREE
    unlike = _doc(
        '<p class="lead">姉妹都市提携調印（昭和59年5月）</p>'
        '<p class="note">第1回青少年派遣団を派遣（昭和60年8月）</p>'
    )
    assert _entries(unlike) == []


def test_an_undated_line_inside_the_run_is_page_text_not_the_previous_entrys_body():
    data = _doc(
        "<ul><li>姉妹都市提携調印（昭和59年5月）</li><li>以後、毎年相互に訪問しています。</li>"
        "<li>協会設立（平成2年4月1日）</li></ul>"
    )
    page = parse_page(data)
    assert _entries(data) == [_THREE[0], _THREE[2]]
    assert page.page.text == ("以後、毎年相互に訪問しています。",)


def test_a_bracket_holding_more_than_a_date_is_no_date():
    data = _doc(
        "<ul><li>姉妹都市提携調印（昭和59年5月）</li><li>記念植樹（昭和59年5月、本渓市にて）</li>"
        "<li>協会設立（平成2年4月1日）</li></ul>"
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [_THREE[0], _THREE[2]]
    assert parsed.page.text == ("記念植樹（昭和59年5月、本渓市にて）",)
    assert trace.unused == [
        (
            "記念植樹（昭和59年5月、本渓市にて）",
            "the bracket ending the line holds more than a date ('本渓市にて'): no date",
        )
    ]
    only_more = _doc(
        "<ul><li>記念植樹（昭和59年5月、本渓市にて）</li><li>記念式典（昭和60年8月、市民会館）</li></ul>"
    )
    assert _entries(only_more) == []


def test_a_lone_line_ending_with_a_date_stays_text_and_explain_says_why():
    data = _doc(
        "<p>本市は昭和59年に本渓市と提携しました。</p><p>協会を設立（平成2年4月1日）</p>"
        "<p>今後も交流を続けます。</p>"
    )
    parsed, trace = explain_page(data)
    assert parsed.entries == ()
    assert "協会を設立（平成2年4月1日）" in parsed.page.text
    assert ("協会を設立（平成2年4月1日）", "in a run") in [
        (line, "in a run" if "not in a run" in why else why) for line, why in trace.unused
    ]


def test_sentences_ending_with_dates_among_prose_stay_text():
    """Two lines ending so with as many undated ones between them: prose."""
    data = _doc(
        "<p>本市の国際交流は昭和の終わりに始まりました。</p>"
        "<p>提携の調印は市長が行いました（昭和59年5月）</p><p>その後、交流は市民に広がりました。</p>"
        "<p>学校や地域の団体が訪問を重ねました。</p>"
        "<p>協会もこの流れで生まれました（平成2年4月1日）</p><p>詳しくは年報をご覧ください。</p>"
    )
    assert _entries(data) == []


def test_an_intro_and_notes_around_dated_paragraphs_do_not_count_against_them():
    data = _doc(
        "<p>本市と本渓市は昭和の終わりに交流を始めました。</p><p>両市の市民が行き来しています。</p>"
        "<p>主なできごとは次のとおりです。</p>"
        "<p>姉妹都市提携調印（昭和59年5月）</p><p>協会設立（平成2年4月1日）</p>"
        "<p>記載は抜粋です。</p>"
    )
    page = parse_page(data)
    assert _entries(data) == [_THREE[0], _THREE[2]]
    assert page.page.text == (
        "本市と本渓市は昭和の終わりに交流を始めました。",
        "両市の市民が行き来しています。",
        "主なできごとは次のとおりです。",
        "記載は抜粋です。",
    )


@pytest.mark.parametrize(
    "lines",
    [
        # an update stamp in the bracket: more than a date
        [
            "お問い合わせは国際交流課まで（令和5年4月1日更新）",
            "資料は窓口で配布しています（令和5年4月1日更新）",
        ],
        # the text before the bracket is an update label (更新日（…） is metadata already)
        ["ページ更新（令和5年4月1日）", "ページ公開（令和4年4月1日）", "更新（令和3年4月1日）"],
    ],
    ids=["stamp-in-bracket", "stamp-label"],
)
def test_update_stamps_are_no_entries(lines):
    assert _entries(_doc("".join(f"<p>{line}</p>" for line in lines))) == []


@pytest.mark.parametrize(
    "body",
    [
        # a notice's paragraphs among prose, each stamped with the day it takes effect
        "<p>市民課の窓口業務を次のとおり変更します。</p>"
        "<p>市民課窓口の受付時間を変更します（令和5年4月1日）</p>"
        "<p>証明書の郵送請求を開始します（令和5年4月1日）</p>"
        "<p>詳しくは市民課へお問い合わせください。</p>",
        # a list, the same day written two ways
        "<ul><li>受付時間を変更します（令和5年4月1日）</li><li>郵送請求を開始します（2023年4月1日）</li>"
        "<li>手数料を改定します（令和5年4月1日）</li></ul>",
        # the lines of one <br> block, a month
        "<p>窓口を移転します［令和5年4月］<br>電話番号が変わります［令和5年4月］</p>",
    ],
    ids=["paragraphs", "list-two-writings", "br-lines"],
)
def test_lines_all_ending_with_one_date_are_a_stamp_not_a_history(body):
    """The same date closing every line is the day a notice was issued or takes effect: a
    history's lines end with dates of their own."""
    parsed, trace = explain_page(_doc(body, "市民課からのお知らせ｜どこか市"))
    assert parsed.entries == ()
    stamped = [line for line in parsed.page.text if line[-1:] in "）］"]
    assert len(stamped) >= 2
    assert [line for line, _ in trace.unused] == stamped
    assert all("not all of one date" in why for _, why in trace.unused)


def test_a_history_with_two_events_on_one_date_is_still_read():
    data = _doc(
        "<ul><li>姉妹都市提携調印（昭和59年5月）</li><li>記念植樹（昭和59年5月）</li>"
        "<li>協会設立（平成2年4月1日）</li></ul>"
    )
    assert _entries(data) == [_THREE[0], ("昭和59年5月", "1984-05", ("記念植樹",)), _THREE[2]]


def test_a_list_dated_at_its_start_reads_as_before_whatever_its_lines_end_with():
    data = _doc(
        "<ul><li>昭和59年5月　姉妹都市提携調印（平成2年4月1日）</li>"
        "<li>昭和60年8月　第1回青少年派遣団を派遣（昭和60年8月）</li></ul>"
    )
    assert [e.date_text for e in parse_page(data).entries] == ["昭和59年5月", "昭和60年8月"]


def test_a_list_of_links_ending_with_dates_is_no_chronology():
    data = _doc(
        "<ul><li><a href='/a.pdf'>事業報告書（令和4年3月）</a></li>"
        "<li><a href='/b.pdf'>事業報告書（令和3年3月）</a></li></ul>"
    )
    assert _entries(data) == []


def test_a_list_under_a_year_heading_is_read_under_a_dated_heading_it_is_its_body():
    under_year = _doc(
        "<h2>平成2年</h2><ul><li>協会設立（平成2年4月1日）</li><li>記念式典（平成2年11月3日）</li></ul>"
    )
    assert [e.date_text for e in parse_page(under_year).entries] == [
        "平成2年4月1日",
        "平成2年11月3日",
    ]
    under_day = _doc(
        "<h2>平成2年4月1日</h2><ul><li>協会設立（平成2年4月1日）</li>"
        "<li>記念式典（平成2年11月3日）</li></ul>"
    )
    parsed, trace = explain_page(under_day)
    (entry,) = parsed.entries
    assert entry.body == ("協会設立（平成2年4月1日）", "記念式典（平成2年11月3日）")
    assert {why for _, why in trace.unused} == {
        "ends with a date in brackets, inside the body of '平成2年4月1日'"
    }


def test_a_page_with_other_entries_reads_its_line_end_dated_list_too():
    """Not a fallback: the list is read whatever else the page dates, so a dated heading added
    elsewhere does not turn the list's entries into page text."""
    data = _doc(
        "<h2>平成元年4月</h2><p>交流事業を始めた。</p><h2>ウィロービー市</h2>"
        "<ul><li>姉妹都市提携調印（平成8年4月）</li><li>中学生の相互派遣を開始（平成9年8月）</li></ul>"
    )
    assert [(e.date_text, e.body) for e in parse_page(data).entries] == [
        ("平成元年4月", ("交流事業を始めた。",)),
        ("平成8年4月", ("姉妹都市提携調印",)),
        ("平成9年8月", ("中学生の相互派遣を開始",)),
    ]


def test_explain_shows_the_line_as_written_as_the_entrys_line():
    data = _doc(
        "<ul><li>姉妹都市提携調印（昭和59年5月）</li><li>協会設立（平成2年4月1日）</li></ul>"
    )
    _, trace = explain_page(data)
    assert trace.lines("entry") == ["姉妹都市提携調印（昭和59年5月）", "協会設立（平成2年4月1日）"]
    assert trace.unused == []
