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
