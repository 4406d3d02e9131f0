"""A note row closing a table (<tr><td colspan="3">※印は予定です。</td></tr>) is page text, as a
※ note under a list is, not the last dated row's body; a note row between dated rows, or a
remark beside an empty cell, stays the row entry's."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import parse_page

_HEAD = "<main><h1>沿革</h1><table><tr><th>年</th><th>月日</th><th>事項</th></tr>"
_ROWS = (
    "<tr><td>2019年</td><td>4月1日</td><td>会を設立</td></tr>"
    "<tr><td>2020年</td><td>5月3日</td><td>第1回総会</td></tr>"
    "<tr><td>2021年</td><td>6月5日</td><td>記念誌を発行※</td></tr>"
)


def _entries(rows: str) -> tuple[list[tuple[str, tuple[str, ...]]], tuple[str, ...]]:
    parsed = parse_page(html_page(f"{_HEAD}{rows}</table><p>以上</p></main>", "沿革"))
    return [(e.date_text, e.body) for e in parsed.entries], parsed.page.text


def test_note_rows_closing_a_table_are_page_text() -> None:
    entries, text = _entries(
        _ROWS + '<tr><td colspan="3">※印は予定です。</td></tr>'
        '<tr><td colspan="3">（注）年は西暦です。</td></tr>'
    )
    assert entries == [
        ("2019年4月1日", ("会を設立",)),
        ("2020年5月3日", ("第1回総会",)),
        ("2021年6月5日", ("記念誌を発行※",)),
    ]
    assert text == ("年 月日 事項", "※印は予定です。", "（注）年は西暦です。", "以上")


def test_a_note_row_before_a_dated_row_or_beside_an_empty_cell_stays_the_rows() -> None:
    entries, _ = _entries(
        _ROWS.replace(
            "<tr><td>2020年</td>",
            '<tr><td colspan="3">※会場は公民館</td></tr><tr><td>2020年</td>',
        )
        + "<tr><td></td><td></td><td>※雨天中止</td></tr>"
    )
    assert entries == [
        ("2019年4月1日", ("会を設立", "※会場は公民館")),
        ("2020年5月3日", ("第1回総会",)),
        ("2021年6月5日", ("記念誌を発行※", "※雨天中止")),
    ]
