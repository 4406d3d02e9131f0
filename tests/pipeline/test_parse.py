"""parse_page against the hand-checked fixtures and against small pages, one per layout."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import html_page
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.diff import diff_page_info
from pipeline.domain.errors import InputError, SeedError
from pipeline.encoding import decode_html_as
from pipeline.parse import elsewhere, explain_page, parse_page
from pipeline.parse.document import _document
from pipeline.parse.page_info import (
    _DATE_BEFORE_LABEL_RE,
    _ID_RE,
    _LABEL_AFTER_DATE_RE,
    _UPDATED_RE,
    _date_may_end_at,
    _label_matches,
    _label_starts,
    _nfkc,
    _page_id,
)
from pipeline.selectors import Selectors

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN_PAGES = sorted(p for p in FIXTURES.rglob("*.html") if p.with_suffix(".json").exists())


def _parse(html: str, **kwargs) -> list[tuple]:
    page = parse_page(html.encode("utf-8"), **kwargs)
    return [(e.date_text, e.start, e.end, e.body, e.note) for e in page.entries]


@pytest.mark.parametrize("path", GOLDEN_PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_equals_its_golden(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert parse_page(path.read_bytes()).to_dict() == expected


def test_maintenance_page_has_no_entries() -> None:
    page = parse_page((FIXTURES / "oyama/P-4103/maintenance.html").read_bytes())
    assert page.entries == ()
    assert page.page.title == "ただいまメンテナンス中です"


def test_url_is_added_when_given() -> None:
    data = (FIXTURES / "oyama/P-4103/v2.html").read_bytes()
    page = parse_page(data, url="https://www.city.oyama.tochigi.jp/p-4103.html")
    assert page.to_dict()["page"]["url"] == "https://www.city.oyama.tochigi.jp/p-4103.html"
    assert page.page.id == "P-4103"


def _page(content: str, *, head: str = "", outside: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">{head}'
        f"<title>テスト｜どこか市</title></head><body>{outside}<main><h1>交流の記録</h1>"
        f"{content}</main></body></html>"
    )


# --- one small page per layout mechanism ----------------------------------------------------


@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_dated_headings_take_the_lines_below_them(level: int) -> None:
    html = _page(
        f"<h{level}>平成4年9月</h{level}><p>訪日団が来訪した。<br>\n市内を視察した。</p>"
        "<p>18日から19日、表敬訪問</p>"
        f"<h{level}>平成4年11月から12月まで</h{level}><p>絵画展を開催した。</p>"
    )
    assert _parse(html) == [
        (
            "平成4年9月",
            "1992-09",
            "1992-09",
            ("訪日団が来訪した。", "市内を視察した。", "18日から19日、表敬訪問"),
            None,
        ),
        ("平成4年11月から12月まで", "1992-11", "1992-12", ("絵画展を開催した。",), None),
    ]


def test_strong_date_paragraphs() -> None:
    html = _page(
        "<p><strong>平成28年4月</strong></p><p>訪問団が来町した。</p>"
        "<p><strong>平成29年10月中旬</strong><br>覚書に署名した。</p>"
        "<p><b>平成30年5月20日</b>　調印式を挙行</p>"
    )
    assert _parse(html) == [
        ("平成28年4月", "2016-04", "2016-04", ("訪問団が来町した。",), None),
        ("平成29年10月中旬", "2017-10", "2017-10", ("覚書に署名した。",), "中旬"),
        ("平成30年5月20日", "2018-05-20", "2018-05-20", ("調印式を挙行",), None),
    ]


def test_definition_list() -> None:
    html = _page(
        "<dl><dt>昭和52年4月</dt><dd>図書室を開設</dd>"
        "<dt>昭和58年11月3日(文化の日)</dt><dd><p>図書館が開館</p><p>蔵書8万冊</p></dd></dl>"
    )
    assert _parse(html) == [
        ("昭和52年4月", "1977-04", "1977-04", ("図書室を開設",), None),
        (
            "昭和58年11月3日(文化の日)",
            "1983-11-03",
            "1983-11-03",
            ("図書館が開館", "蔵書8万冊"),
            "文化の日",
        ),
    ]


def test_table_rows_date_cell_and_text_cell_header_row_skipped() -> None:
    html = _page(
        "<table><tr><th>年月日</th><th>内容</th></tr>"
        "<tr><td>平成２年７月２１日～８月３日</td><td>中学生を派遣<br>ホームステイ</td></tr>"
        "<tr><td>平成３年</td><td>記念式典</td></tr></table>"
    )
    assert _parse(html) == [
        (
            "平成２年７月２１日～８月３日",
            "1990-07-21",
            "1990-08-03",
            ("中学生を派遣", "ホームステイ"),
            None,
        ),
        ("平成３年", "1991", "1991", ("記念式典",), None),
    ]


@pytest.mark.parametrize("separator", ["\u3000", " ", "：", ":"])
def test_list_items_date_separator_text(separator: str) -> None:
    html = _page(
        f"<ul><li>平成12年9月{separator}協定を締結</li><li>令和元年7月{separator}研修生</li></ul>"
    )
    assert _parse(html) == [
        ("平成12年9月", "2000-09", "2000-09", ("協定を締結",), None),
        ("令和元年7月", "2019-07", "2019-07", ("研修生",), None),
    ]


def test_paragraphs_that_start_with_a_date_and_separator() -> None:
    html = _page(
        "<p>はじめに、これまでの交流です。</p><p>平成17年3月 町長が訪問</p><p>詳細は後日。</p>"
    )
    assert _parse(html) == [
        ("平成17年3月", "2005-03", "2005-03", ("町長が訪問", "詳細は後日。"), None)
    ]


def test_bullets_and_brackets_around_dates() -> None:
    html = _page(
        "<h2>■平成12年9月</h2><p>協定</p><h2>【平成13年4月】訪問</h2><p>視察</p>"
        "<h2>その他</h2><p>・平成14年1月　来訪<br>・平成15年2月　派遣</p>"
        "<ul><li>◆令和元年5月：交流会</li></ul>"
    )
    assert [(e[0], e[3]) for e in _parse(html)] == [
        ("平成12年9月", ("協定",)),
        ("平成13年4月", ("訪問", "視察")),
        ("平成14年1月", ("来訪",)),
        ("平成15年2月", ("派遣",)),
        ("令和元年5月", ("交流会",)),
    ]


def test_a_date_running_into_text_without_separator_is_not_an_entry() -> None:
    html = _page("<p>令和8年11月29日(日曜日)午前6時から午前9時までメンテナンスです。</p>")
    assert _parse(html) == []


def test_fiscal_year_heading_gives_its_year_to_month_day_lines() -> None:
    html = _page(
        "<h2>2018年度</h2><ul><li>5月12日　総会</li><li>1月20日　新年会</li></ul>"
        "<h2>平成26年度</h2><p>中学生を受け入れた。</p>"
        "<h2>平成30年</h2><p>3月1日　式典</p>"
    )
    assert _parse(html) == [
        ("5月12日", "2018-05-12", "2018-05-12", ("総会",), None),
        ("1月20日", "2019-01-20", "2019-01-20", ("新年会",), None),
        ("平成26年度", "2014-04", "2015-03", ("中学生を受け入れた。",), "年度"),
        ("3月1日", "2018-03-01", "2018-03-01", ("式典",), None),
    ]


def test_year_list_item_with_a_nested_list_of_dated_lines() -> None:
    html = _page(
        "<ul><li>平成15年<ul><li>5月10日　設立</li><li>8月　訪問</li></ul></li>"
        "<li>平成16年<ul><li>1月5日　新年会</li></ul></li>"
        "<li>平成17年9月　協定締結<ul><li>詳細</li></ul></li></ul>"
    )
    assert _parse(html) == [
        ("5月10日", "2003-05-10", "2003-05-10", ("設立",), None),
        ("8月", "2003-08", "2003-08", ("訪問",), None),
        ("1月5日", "2004-01-05", "2004-01-05", ("新年会",), None),
        ("平成17年9月", "2005-09", "2005-09", ("協定締結", "詳細"), None),
    ]


def test_one_paragraph_holding_several_dated_lines() -> None:
    html = _page(
        "<p>主な経過<br>平成12年9月　協定締結<br>平成13年4月　訪問<br>市内を視察<br>"
        "平成14年8月　来訪</p>"
    )
    assert _parse(html) == [
        ("平成12年9月", "2000-09", "2000-09", ("協定締結",), None),
        ("平成13年4月", "2001-04", "2001-04", ("訪問", "市内を視察"), None),
        ("平成14年8月", "2002-08", "2002-08", ("来訪",), None),
    ]


@pytest.mark.parametrize("continuation", ["<td>8月</td>", "<td></td><td>8月</td>"])
def test_year_month_text_table_columns(continuation: str) -> None:
    year_cell = (
        '<td rowspan="2">平成15年</td>' if continuation == "<td>8月</td>" else "<td>平成15年</td>"
    )
    html = _page(
        "<table><tr><th>年</th><th>月</th><th>内容</th></tr>"
        f"<tr>{year_cell}<td>5月</td><td>設立</td></tr>"
        f"<tr>{continuation}<td>訪問</td></tr>"
        "<tr><td>平成16年</td><td>1月</td><td>新年会</td></tr></table><p>8月　表の外</p>"
    )
    assert _parse(html) == [
        ("平成15年5月", "2003-05", "2003-05", ("設立",), None),
        ("8月", "2003-08", "2003-08", ("訪問",), None),
        ("平成16年1月", "2004-01", "2004-01", ("新年会",), None),
    ]


def test_year_terms_with_several_month_lines_each() -> None:
    html = _page(
        "<dl><dt>平成15年</dt><dd>5月　設立<br>8月　訪問</dd>"
        "<dt>平成16年</dt><dd>1月5日　新年会</dd></dl><p>8月　リストの外</p>"
    )
    assert _parse(html) == [
        ("5月", "2003-05", "2003-05", ("設立",), None),
        ("8月", "2003-08", "2003-08", ("訪問",), None),
        ("1月5日", "2004-01-05", "2004-01-05", ("新年会",), None),
    ]


def test_table_with_a_running_number_column() -> None:
    html = _page(
        "<table><tr><th>No.</th><th>年月</th><th>内容</th></tr>"
        "<tr><td>1</td><td>平成12年9月</td><td>協定</td></tr>"
        "<tr><td>2</td><td>平成13年4月</td><td>訪問</td></tr></table>"
    )
    assert [(e[0], e[3]) for e in _parse(html)] == [
        ("平成12年9月", ("協定",)),
        ("平成13年4月", ("訪問",)),
    ]


def test_year_context_ends_with_its_section() -> None:
    html = _page("<h2>2018年度</h2><p>5月12日　総会</p><h2>その他</h2><p>6月1日　説明会</p>")
    assert _parse(html) == [("5月12日", "2018-05-12", "2018-05-12", ("総会",), None)]


def test_numbers_in_body_and_rate_tables_are_not_dates() -> None:
    html = _page(
        "<h2>平成4年9月</h2><p>8月7日に決定した。</p>"
        "<table><tr><th>区分</th><th>率</th></tr><tr><td>8月7日%</td><td>据置</td></tr></table>"
    )
    assert _parse(html) == [
        (
            "平成4年9月",
            "1992-09",
            "1992-09",
            ("8月7日に決定した。", "区分 率", "8月7日% 据置"),  # a table row per line
            None,
        )
    ]


def test_a_table_in_a_dated_headings_body_gives_a_line_per_row() -> None:
    """As a card's table does: 100m 山田 11.2秒 is one result, not three lines."""
    html = _page(
        "<h2>平成30年8月5日</h2><p>親善大会を開催した。</p><table><tr><th>種目</th>"
        "<th>優勝</th><th>記録</th></tr><tr><td>100m</td><td>山田</td><td>11.2秒</td></tr>"
        "<tr><td>走幅跳</td><td></td><td>6m10</td></tr></table><h2>令和元年8月4日</h2><p>第2回</p>"
    )
    assert [e[3] for e in _parse(html)] == [
        ("親善大会を開催した。", "種目 優勝 記録", "100m 山田 11.2秒", "走幅跳 6m10"),
        ("第2回",),
    ]


def test_duplicate_date_headings_are_two_entries() -> None:
    html = _page("<h2>平成15年5月10日</h2><p>設立</p><h2>平成15年5月10日</h2><p>植樹</p>")
    assert [e[3] for e in _parse(html)] == [("設立",), ("植樹",)]


def test_sections_closed_by_a_plain_heading_and_noise_dropped() -> None:
    html = _page(
        "<h2>平成12年9月</h2><p>協定を締結</p>"
        '<div class="inquiry"><h2>お問い合わせ</h2><p>電話 0123-45-6789</p></div>'
        "<h2>関連リンク</h2><ul><li>平成12年9月　リンク</li></ul>"
        "<form><p>平成13年1月 アンケート</p></form><script>var d='平成14年';</script>",
        outside="<aside><h2>新着情報</h2><ul><li>2021年11月1日 お知らせ</li></ul></aside>",
    )
    assert _parse(html) == [("平成12年9月", "2000-09", "2000-09", ("協定を締結",), None)]


def test_furniture_is_told_by_whole_class_tokens_not_substrings() -> None:
    html = _page(
        '<div class="print-area"><h2 class="sub-title">平成12年9月</h2>'
        '<p class="history-update">協定を締結</p>'
        "<h2>平成13年4月　問い合わせ窓口を開設</h2><p>窓口</p></div>"
        '<div class="c-breadcrumb"><p>平成14年1月　パンくず</p></div>'
        '<div id="sub"><p>平成15年1月　サイドバー</p></div>'
    )
    assert [(e[0], e[3]) for e in _parse(html)] == [
        ("平成12年9月", ("協定を締結",)),
        ("平成13年4月", ("問い合わせ窓口を開設", "窓口")),
    ]


def test_news_sidebar_without_landmarks_is_not_the_content() -> None:
    html = (
        "<html><body><div class='left'><h2>イベント</h2>"
        "<p>2024年3月10日　朝市</p><p>2024年3月24日　運動会</p></div>"
        "<div class='right'><h1>記録</h1>"
        + "".join(f"<h3>平成{y}年6月</h3><p>交流{y}</p>" for y in range(10, 15))
        + "</div></body></html>"
    )
    assert [e[0] for e in _parse(html)] == [f"平成{y}年6月" for y in range(10, 15)]


def test_page_info_id_title_updated() -> None:
    html = _page(
        '<ul class="page-info"><li>【ID】P-9999</li><li>【更新日】2021年11月1日</li></ul>'
        "<h2>平成2年1月</h2><p>本文</p>"
    )
    page = parse_page(html.encode())
    assert (page.page.id, page.page.title, page.page.updated) == (
        "P-9999",
        "交流の記録",
        "2021-11-01",
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ページID：1234", ("1234", "2020-02-03")),
        ("ページ番号 5678", ("5678", "2020-02-03")),
        ("記事ID:A-12", ("A-12", "2020-02-03")),
    ],
)
def test_page_id_spellings(line: str, expected: tuple[str, str]) -> None:
    page = parse_page(_page(f"<p>{line}</p><p>公開日：令和2年2月3日</p>").encode())
    assert (page.page.id, page.page.updated) == expected


def test_update_label_outranks_publication_label() -> None:
    page = parse_page(_page("<p>掲載日：2019年1月5日</p><p>最終更新日：2020年4月1日</p>").encode())
    assert page.page.updated == "2020-04-01"


@pytest.mark.parametrize(
    ("line", "expected"),
    [("2019年6月10日更新", "2019-06-10"), ("2020/04/01 更新", "2020-04-01")],
)
def test_update_date_written_before_its_label(line: str, expected: str) -> None:
    assert parse_page(_page(f"<p>{line}</p>").encode()).page.updated == expected


def test_json_ld_fills_in_what_the_page_does_not_say() -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":'
        '[{"@type":"WebPage","headline":"見出し","dateModified":"2021-11-01T09:00:00+09:00",'
        '"identifier":"P-1"}]}</script>'
    )
    html = f'<html><head>{ld}</head><body><div class="x"><p>本文</p></div></body></html>'
    page = parse_page(html.encode())
    assert (page.page.id, page.page.title, page.page.updated) == ("P-1", "見出し", "2021-11-01")


def test_title_is_the_h1_not_the_site_name() -> None:
    page = parse_page(_page("<p>x</p>").encode())
    assert page.page.title == "交流の記録"
    bare = parse_page(
        "<html><head><title>記録｜どこか市</title></head><body><p>x</p></body></html>".encode()
    )
    assert bare.page.title == "記録"


def test_a_logo_h1_in_the_site_header_is_not_the_title() -> None:
    html = (
        "<html><head><title>記録｜どこか市</title></head><body>"
        '<header><h1 class="logo">どこか市</h1></header>'
        "<div><article><header><h1>交流記録</h1></header><h2>平成2年1月</h2><p>x</p></article>"
        "</div></body></html>"
    )
    assert parse_page(html.encode()).page.title == "交流記録"
    no_h1 = (
        '<html><head><title>記録｜どこか市</title></head><body><div id="header"><h1>どこか市</h1>'
        "</div>"
    )
    assert (
        parse_page((no_h1 + "<div><h2>平成2年1月</h2></div></body></html>").encode()).page.title
        == "記録"
    )


def test_ruby_readings_are_not_body_text() -> None:
    html = _page(
        "<h2>平成2年1月</h2><p><ruby>本渓<rp>(</rp><rt>ほんけい</rt><rp>)</rp></ruby>市</p>"
    )
    assert _parse(html) == [("平成2年1月", "1990-01", "1990-01", ("本渓市",), None)]


def test_inline_text_around_line_breaks_in_a_mixed_container() -> None:
    html = _page("<div>平成12年9月<br><span>協定を締結</span><p>詳細</p></div>")
    assert _parse(html) == [("平成12年9月", "2000-09", "2000-09", ("協定を締結", "詳細"), None)]


# --- seed selectors ---------------------------------------------------------------------------

RENEWAL = FIXTURES / "oyama/P-4103/v2-renewal.html"


@pytest.mark.parametrize(
    "mapping",
    [
        {"entry": "section.history-item", "date": "h3.history-date", "body": ".history-text p"},
        {"entry": "section.history-item"},
        {"date": "h3.history-date"},
        {"content": "article", "date": "h3", "body": ".history-text"},
    ],
)
def test_selectors_reproduce_the_golden(mapping: dict[str, str]) -> None:
    expected = json.loads(RENEWAL.with_suffix(".json").read_text(encoding="utf-8"))
    page = parse_page(RENEWAL.read_bytes(), selectors=Selectors.from_mapping(mapping))
    assert page.to_dict() == expected


def test_selectors_override_the_heuristics() -> None:
    html = _page(
        '<p class="stamp">2000年1月2日</p><p class="pid">番号 X-7</p>'
        '<div class="ev"><span class="d">平成2年3月</span><em>ある出来事</em></div>'
        "<h2>平成9年9月</h2><p>見出しの本文</p>"
    )
    selectors = Selectors.from_mapping(
        {"entry": "div.ev", "date": ".d", "title": "title", "updated": ".stamp", "page_id": ".pid"}
    )
    page = parse_page(html.encode(), selectors=selectors)
    assert [(e.date_text, e.body) for e in page.entries] == [("平成2年3月", ("ある出来事",))]
    assert (page.page.title, page.page.updated, page.page.id) == (
        "テスト｜どこか市",
        "2000-01-02",
        "番号 X-7",
    )


def test_selector_date_mode_on_a_table() -> None:
    data = (FIXTURES / "sakurano/ayumi.html").read_bytes()
    page = parse_page(data, selectors=Selectors.from_mapping({"date": "td.date"}))
    expected = json.loads((FIXTURES / "sakurano/ayumi.json").read_text(encoding="utf-8"))
    assert page.to_dict() == expected


def test_selector_dates_on_list_items_and_inside_headings() -> None:
    data = (FIXTURES / "minatogawa/koryu.html").read_bytes()
    page = parse_page(data, selectors=Selectors.from_mapping({"date": "ul.history li"}))
    expected = json.loads((FIXTURES / "minatogawa/koryu.json").read_text(encoding="utf-8"))
    assert page.to_dict() == expected
    html = _page(
        '<h3><span class="d">平成2年1月</span> 記念</h3><p>x</p><h3>平成3年1月</h3><p>y</p>'
    )
    page = parse_page(html.encode(), selectors=Selectors.from_mapping({"date": "h3 .d"}))
    assert [(e.date_text, e.body) for e in page.entries] == [
        ("平成2年1月", ("記念", "x", "平成3年1月", "y"))
    ]


def test_selectors_from_mapping_rejects_mistakes() -> None:
    with pytest.raises(SeedError, match="unknown selector 'entries'"):
        Selectors.from_mapping({"entries": "li"})
    with pytest.raises(SeedError, match="not valid CSS"):
        Selectors.from_mapping({"entry": "li[["})
    with pytest.raises(SeedError, match="needs 'entry' or 'date'"):
        Selectors.from_mapping({"body": "p"})
    with pytest.raises(SeedError, match="non-empty"):
        Selectors.from_mapping({"date": ""})
    assert Selectors.from_mapping({}) == Selectors()


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t"])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        parse_page(data)


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"<html>\x00\x01\x02</html>", b"%PDF-1.7\n"]
)
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="not an HTML page"):
        parse_page(data)


ALL_PAGES = sorted(FIXTURES.rglob("*.html"))


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_utf8_bytes_give_the_tree_their_text_gives(path: Path) -> None:
    """libxml2 reads a UTF-8 page's bytes (faster) rather than its decoded text: same tree,
    also with CRLF lines and under a wrong <meta charset> label."""
    data = path.read_bytes()
    if decode_html_as(data).encoding != "utf-8":
        return
    for variant in (
        data,
        data.replace(b"\n", b"\r\n"),
        re.sub(rb"charset=[\"']?[-\w]+", b"charset=shift_jis", data),
        b"  \r\n" + data + "\u3000\U0001f600\ufdd0 &#xfdd0;".encode(),
    ):
        decoded = decode_html_as(variant)
        if decoded.encoding != "utf-8":
            continue
        from_text = etree.tostring(_document(decoded.text), encoding="unicode")
        assert etree.tostring(_document(decoded.text, variant), encoding="unicode") == from_text


# --- label search -------------------------------------------------------------------------------

LABEL_PIECES = (
    *("最終更新日", "更新日時", "更新", "掲載日", "公開", "作成日", "最終", "日", "：", " ", "\n"),
    *("2019年6月10日", "令和2年4月1日", "2019/6/10", "に", "R2", "】", "公園", "作業", "本文"),
)
LABEL_TEXT = st.lists(st.sampled_from(LABEL_PIECES), max_size=20).map("".join)


ID_PIECES = (
    *(
        "【",
        "】",
        "ページ",
        "記事",
        "ID",
        "ＩＤ",
        "No",
        "Ｎｏ",
        ".",
        "番号",
        ":",
        "：",
        " ",
        "\u3000",
    ),
    *("\n", "\n", "P-4103", "１２３", "A", "-", "本文", "ﾍﾟｰｼﾞ", "ヘ", "\u309a", "ﾟ", "㌻", "︻"),
    *("Ⅰ", "Ⅾ", "①", "B", "\u0301", "\u0323", "가", "\u11a8"),  # NFKC reorders, composes
)


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(ID_PIECES), max_size=30).map("".join), st.integers(0, 40))
# A head cut anywhere but at a line end would split B+U+0301+U+0323, which NFKC reorders and
# composes into Ḅ+U+0301: the ID is "A", not "AB".
@example("【ID】AB\u0301\u0323\n", 7)
def test_page_id_from_the_head_is_the_whole_texts(text: str, head: int) -> None:
    """_page_id normalises and searches a head of the text first, line by line: the same ID
    as a search of the whole normalised text (when a label's word is in the text at all)."""
    words = ("ID", "番号", "ＩＤ", "Ｎｏ", "No")
    normal = unicodedata.normalize("NFKC", text)
    assert _nfkc(text) == normal
    found = _ID_RE.search(normal)
    expected = found.group(1) if found and any(w in text for w in words) else None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("pipeline.parse.page_info._ID_HEAD", head)
        assert _page_id(text) == expected


@settings(max_examples=500)
@given(LABEL_TEXT)
def test_label_search_finds_what_finditer_finds(text: str) -> None:
    starts = _label_starts(text)
    for pattern in (_UPDATED_RE, _LABEL_AFTER_DATE_RE):
        expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groups()) for m in _label_matches(pattern, text, starts)] == expected


@settings(max_examples=500)
@given(LABEL_TEXT)
def test_a_date_before_a_label_is_looked_for_only_where_one_can_end(text: str) -> None:
    for end in range(len(text) + 1):
        if not _date_may_end_at(text, end):
            assert _DATE_BEFORE_LABEL_RE.search(text, max(0, end - 24), end) is None


def test_a_block_is_cut_at_every_date_form_the_date_reader_knows() -> None:
    """慶應 (應 for 応) and U+F9A8 (a compatibility twin of 令) open entries inside a block of
    <br> lines too: the cheap filter before the date reader knows them."""
    html = (
        "<html><body><main><h1>記録</h1><p>慶應4年9月8日　改元<br>\uf9a8和3年5月4日　式典<br>"
        "平成2年4月1日　開始</p></main></body></html>"
    )
    entries = parse_page(html.encode()).entries
    assert [(e.start, e.body) for e in entries] == [
        ("1868-09-08", ("改元",)),
        ("2021-05-04", ("式典",)),
        ("1990-04-01", ("開始",)),
    ]


def test_a_note_mark_right_after_a_date_opens_the_body() -> None:
    """A date runs straight into text only in a sentence; ※ opens a note, never a sentence."""
    html = (
        "<html><body><main><h1>記録</h1><h3>令和2年4月1日※延期</h3><p>式典は中止。</p>"
        "<h3>令和2年5月1日から、式典を延期</h3><p>再開は未定。</p></main></body></html>"
    )
    parsed = parse_page(html.encode())
    assert [(e.start, e.body) for e in parsed.entries] == [
        ("2020-04-01", ("※延期", "式典は中止。")),
    ]
    # (An open range in a sentence is no date: that section is the page's own text.)
    assert parsed.page.text == ("令和2年5月1日から、式典を延期", "再開は未定。")


def test_an_english_page_is_cut_at_english_dates_in_a_block() -> None:
    """An English page (<html lang="en">) is read as content: its month-name dates open entries,
    also inside a block of <br> lines (the cheap filter before the date reader knows them)."""
    html = (
        '<html lang="en"><body><main><h1>History</h1><p>May 10, 1985 Agreement signed<br>'
        "Students stayed one week<br>november 1989 to March 1990 - Workshop series<br>"
        "Sept. 2019: Street renamed<br>Mayor Smith visited</p></main></body></html>"
    )
    entries = parse_page(html.encode()).entries
    assert [(e.date_text, e.start, e.end, e.body) for e in entries] == [
        (
            "May 10, 1985",
            "1985-05-10",
            "1985-05-10",
            ("Agreement signed", "Students stayed one week"),
        ),
        ("november 1989 to March 1990", "1989-11", "1990-03", ("Workshop series",)),
        ("Sept. 2019", "2019-09", "2019-09", ("Street renamed", "Mayor Smith visited")),
    ]


def test_an_english_translation_in_a_japanese_page_stays_page_text() -> None:
    """English dates in a block marked lang="en" inside a Japanese page are a translation of
    the entries: they start none."""
    html = _page(
        "<ul><li>平成元年5月　提携調印</li></ul>"
        '<div lang="en"><ul><li>May 1989 Agreement signed</li></ul></div>'
    )
    page = parse_page(html.encode())
    assert [(e.start, e.body) for e in page.entries] == [("1989-05", ("提携調印",))]
    assert "May 1989 Agreement signed" in page.page.text


def _english_page(updated_line: str) -> bytes:
    return (
        '<html lang="en"><head><title>History | Some City</title></head><body><main>'
        "<h1>History of Exchange</h1><p>Our exchange began in 1985.</p><ul>"
        "<li>May 10, 1985: Agreement signed</li><li>April 27-29, 2019: Delegation visited</li>"
        f"</ul><p>{updated_line}</p><p>Updated the list with new visits in 2019.</p>"
        "</main></body></html>"
    ).encode()


@pytest.mark.parametrize(
    "updated_line",
    [
        "Last updated: September 15, 2022",
        "Updated on 15 September 2022",
        "Last modified 2022-09-15",
        "Page updated: Sept. 15, 2022",
    ],
)
def test_an_english_update_line_is_the_page_date_not_its_text(updated_line: str) -> None:
    parsed = parse_page(_english_page(updated_line))
    assert parsed.page.updated == "2022-09-15"
    # A sentence that opens with "Updated" but gives no date is the page's text.
    assert parsed.page.text == (
        "Our exchange began in 1985.",
        "Updated the list with new visits in 2019.",
    )


def test_a_new_english_update_date_is_no_text_change() -> None:
    before = parse_page(_english_page("Last updated: September 15, 2022"))
    after = parse_page(_english_page("Last updated: October 1, 2022"))
    assert diff_page_info(before.page, after.page) == ("updated",)


def _english_body(body: str) -> bytes:
    return html_page(
        f"<main><h1>History of Exchange</h1>{body}</main>", "History | Some City", "en"
    )


def test_english_dates_after_a_weekday_open_entries() -> None:
    """A blog theme's post date (Saturday, April 27, 2019) and a list's weekday-led dates date
    their entries as the dates alone would."""
    posts = _english_body(
        '<article><div class="entry-meta"><span class="posted-on">Saturday, April 27, 2019'
        '</span></div><h2 class="entry-title">Spring Festival</h2><p>The delegation visited.</p>'
        '</article><article><div class="entry-meta"><span class="posted-on">Wednesday, May 1, '
        '2019</span></div><h2 class="entry-title">New era</h2><p>Greetings sent.</p></article>'
    )
    assert [(e.date_text, e.start, e.body) for e in parse_page(posts).entries] == [
        ("Saturday, April 27, 2019", "2019-04-27", ("Spring Festival", "The delegation visited.")),
        ("Wednesday, May 1, 2019", "2019-05-01", ("New era", "Greetings sent.")),
    ]
    listed = _english_body(
        "<ul><li>Sat. 27 April 2019: Spring Festival in Bellmont</li>"
        "<li>Wed 3 July 2019 - Students arrived</li>"
        "<li>Friday, November 20, 2021 – Online meeting</li></ul>"
    )
    assert [(e.date_text, e.start, e.body) for e in parse_page(listed).entries] == [
        ("Sat. 27 April 2019", "2019-04-27", ("Spring Festival in Bellmont",)),
        ("Wed 3 July 2019", "2019-07-03", ("Students arrived",)),
        ("Friday, November 20, 2021", "2021-11-20", ("Online meeting",)),
    ]
    # Lines of one <br> block: each weekday-led date opens an entry of its own, whatever the
    # weekday's initial (W and F are no era initials).
    lines = _english_body(
        "<p>Wednesday, May 1, 2019: Greetings sent<br>Friday, May 3, 2019: Parade<br>"
        "Thursday, May 9, 2019: Farewell</p>"
    )
    assert [(e.date_text, e.body) for e in parse_page(lines).entries] == [
        ("Wednesday, May 1, 2019", ("Greetings sent",)),
        ("Friday, May 3, 2019", ("Parade",)),
        ("Thursday, May 9, 2019", ("Farewell",)),
    ]


def test_explain_names_english_lines_that_look_like_dates_but_are_not_used() -> None:
    """An English line opening with a month's name, a day and a four-digit year that is not
    read is named, as a Japanese one is: a day or a range's end that does not exist, or a date
    running into text. Prose that only opens with a month's or a weekday's name is not."""
    data = _english_body(
        "<h2>May 10, 1985</h2><p>Agreement signed</p>"
        "<p>May 32, 2019 Spring Festival</p>"
        "<p>April 2019's festival drew 3,000 visitors.</p>"
        "<p>May 10, 1985 - June 31, 1985 Exhibition</p>"
        "<p>Saturday, Feb 30, 2020: Lantern night</p>"
        "<p>31 April 2019 Sports day</p>"
        "<p>Mayor Smith visited in 2019.</p><p>May we thank everyone, 2019</p>"
        "<p>March of the Penguins (2005) was shown.</p><p>Sunday School 2019</p>"
    )
    parsed, trace = explain_page(data)
    assert [e.date_text for e in parsed.entries] == ["May 10, 1985"]
    invalid = "looks like a date but is not a valid one"
    assert dict(trace.unused) == {
        "May 32, 2019 Spring Festival": invalid,
        "April 2019's festival drew 3,000 visitors.": (
            "the date runs straight into text (no separator after it)"
        ),
        "May 10, 1985 - June 31, 1985 Exhibition": invalid,
        "Saturday, Feb 30, 2020: Lantern night": invalid,
        "31 April 2019 Sports day": invalid,
    }


# --- where a page with no entries points --------------------------------------------------------

_BASE = "https://www.city.example.jp/kokusai/rekishi.html"


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            '<meta http-equiv="Refresh" content="0; URL=new/rekishi.html">',
            "<p>移転しました</p>",
            "the page redirects (meta refresh) to https://www.city.example.jp/kokusai/new/rekishi.html",
        ),
        (
            '<meta http-equiv="refresh" content="3;url=\'https://other.example.jp/h.html\'">',
            "",
            "the page redirects (meta refresh) to https://other.example.jp/h.html",
        ),
        (
            "",
            '<frameset cols="20%,*"><frame src="menu.html"><frame src="/k/main.html"></frameset>',
            "the page is a frameset; its frames: https://www.city.example.jp/kokusai/menu.html,"
            " https://www.city.example.jp/k/main.html",
        ),
        (
            "",
            '<iframe src="https://www.youtube.com/embed/x"></iframe>'
            '<iframe src="list.html"></iframe>',
            "the page shows another in an iframe: https://www.city.example.jp/kokusai/list.html",
        ),
        ('<meta http-equiv="refresh" content="300">', "<p>自動更新</p>", None),  # reloads itself
        ("", '<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>', None),
        ("", "<p>ただいまメンテナンス中です</p>", None),
    ],
)
def test_a_page_without_entries_says_where_it_points(
    head: str, body: str, expected: str | None
) -> None:
    data = f'<html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()
    assert elsewhere(data, url=_BASE) == expected


def test_where_a_page_points_is_told_as_written_without_a_url_of_its_own() -> None:
    data = b'<html><frameset><frame src="m[/x]\x1b.html"></frameset></html>'
    assert elsewhere(data) == "the page is a frameset; its frames: m[/x]\x1b.html"
    assert elsewhere(b"") is None  # not a page: nothing to say (parse_page says why)
    # An address urllib cannot split, in the page or as the page's own: nothing to say.
    assert elsewhere(b'<iframe src="http://[::1"></iframe>', url="https://a.example.jp/") is None
    assert elsewhere(b'<frameset><frame src="x.html"></frameset>', url="http://[::1") is None
