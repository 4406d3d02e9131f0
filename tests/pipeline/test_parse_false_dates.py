"""Numbers and date-like text that are no chronology entries: a statistics table's years and
figures, a roster's terms of office, a news line titled by its fiscal year, a sentence dated
where it was written, a notice's dateline, an update stamp. A wrong date is worse than none:
each stays page text or metadata, and the chronology beside it reads as before (see
tests/fixtures/synthetic/jinko-tokei-nenpyo.html and rekidai-kaicho-ayumi.html for whole pages)."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.parse import explain_page, parse_page

_CHRONOLOGY = (
    "<ul><li>昭和59年5月　友好都市提携調印</li><li>昭和60年8月　第1回青少年派遣団を派遣</li></ul>"
)
_CHRONOLOGY_ENTRIES = [
    ("昭和59年5月", "1984-05", ("友好都市提携調印",)),
    ("昭和60年8月", "1985-08", ("第1回青少年派遣団を派遣",)),
]


def _doc(body: str, title: str = "交流のあゆみ｜みずなら市", h1: str = "交流のあゆみ") -> bytes:
    return html_page(f"<main><h1>{h1}</h1>{body}</main>", title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.body) for e in parse_page(data).entries]


# --- a statistics table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        # years out of order, counts with commas
        [("令和2年", "21,000", "46,156"), ("平成22年", "23,500", "32,954")],
        # fiscal years in order, amounts with a unit, a dash for none
        [("平成30年度", "58,000百万円", "－"), ("令和元年度", "59,500百万円", "1,200百万円")],
        # percentages, a decrease mark, full-width digits, 約 and a counter
        [("2019年", "△1.2％", "約１２０名"), ("2020年", "0.5%", "98件")],
    ],
    ids=["counts", "fiscal-amounts", "rates"],
)
def test_a_statistics_tables_years_and_figures_are_no_entries(rows):
    """The rows stay page text; a table of dated rows with words beside a count (派遣先 | 人数)
    is still a chronology."""
    dispatch = (
        "<table><tr><th>年月</th><th>派遣先</th><th>人数</th></tr>"
        "<tr><td>平成15年8月</td><td>本渓市</td><td>20名</td></tr></table>"
    )
    table = "<table><tr><th>年</th><th>人口</th><th>世帯数</th></tr>"
    table += "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rows)
    parsed, trace = explain_page(_doc(_CHRONOLOGY + "<h2>人口</h2>" + table + "</table>"))
    assert _entries(_doc(_CHRONOLOGY + table + "</table>" + dispatch)) == [
        *_CHRONOLOGY_ENTRIES,
        ("平成15年8月", "2003-08", ("本渓市", "20名")),
    ]
    assert " ".join(rows[0]) in parsed.page.text
    assert (
        rows[0][0],
        "a row of figures (a statistics table): the year of its numbers, no event",
    ) in (trace.unused)
