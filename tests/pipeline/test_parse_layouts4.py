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
