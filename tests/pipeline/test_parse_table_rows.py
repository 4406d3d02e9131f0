"""Table rows a person reads as dated that keika read otherwise: a first cell holding the date
and the event (平成10年4月　開館 | 本館), and a 西暦 | 和暦 pair of cells that disagree, which is
no date. (Whole pages: tests/fixtures/synthetic/toshokan-ayumi-date-text-cells.html and
nenpyo-seireki-wareki-disagree.html.)"""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _doc(body: str) -> bytes:
    return html_page(f"<main><h1>図書館のあゆみ</h1>{body}</main>", "図書館のあゆみ｜みずなら市")


def _table(rows: str, head: str = "") -> bytes:
    return _doc(f"<table>{head}{''.join(rows)}</table>")


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- a first cell holding the date and its text ---------------------------------------------


def test_first_cells_holding_date_and_text_date_their_rows():
    """The rest of the cell, then the other cells' text: one body line, joined by a space."""
    data = _table(
        [
            "<tr><td>平成10年4月　開館</td><td>本館</td></tr>",
            "<tr><td>平成10年4月 図書館開館</td><td>（写真）</td></tr>",
            "<tr><td>平成12年7月　移動図書館運行開始</td><td></td></tr>",
            "<tr><td>令和2年3月～5月　臨時休館</td><td>感染症対策</td></tr>",
        ],
        head="<tr><th>年月・できごと</th><th>備考</th></tr>",
    )
    assert _entries(data) == [
        ("平成10年4月", "1998-04", "1998-04", ("開館 本館",)),
        ("平成10年4月", "1998-04", "1998-04", ("図書館開館 （写真）",)),
        ("平成12年7月", "2000-07", "2000-07", ("移動図書館運行開始",)),
        ("令和2年3月～5月", "2020-03", "2020-05", ("臨時休館 感染症対策",)),
    ]
    assert parse_page(data).page.text == ("年月・できごと 備考",)


def test_a_date_and_text_row_among_rows_dated_by_a_cell_is_an_entry_of_its_own():
    """Not a body line of the dated row above it."""
    data = _table(
        [
            "<tr><td>平成10年4月</td><td>開館</td></tr>",
            "<tr><td>平成12年7月　移動図書館運行開始</td><td></td></tr>",
            "<tr><td>1 </td><td>平成15年10月　開館5周年</td><td>記念講演会</td></tr>",
            "<tr><td>平成20年4月</td><td>分館開館</td></tr>",
        ]
    )
    assert _entries(data) == [
        ("平成10年4月", "1998-04", "1998-04", ("開館",)),
        ("平成12年7月", "2000-07", "2000-07", ("移動図書館運行開始",)),
        ("平成15年10月", "2003-10", "2003-10", ("開館5周年 記念講演会",)),
        ("平成20年4月", "2008-04", "2008-04", ("分館開館",)),
    ]


def test_a_date_running_into_its_text_in_such_a_table_is_page_text_not_the_row_aboves_body():
    """平成11年4月開館: no separator after the date, so no date (as a line's is not); nor is it a
    line of the event above it."""
    data = _table(
        [
            "<tr><td>平成10年4月　開館</td><td>本館</td></tr>",
            "<tr><td>平成11年4月開館</td><td>分館</td></tr>",
            "<tr><td>平成12年7月　移動図書館運行開始</td><td></td></tr>",
        ]
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("平成10年4月", "1998-04", "1998-04", ("開館 本館",)),
        ("平成12年7月", "2000-07", "2000-07", ("移動図書館運行開始",)),
    ]
    assert parsed.page.text == ("平成11年4月開館 分館",)
    assert trace.unused == [
        (
            "平成11年4月開館 分館",
            "the date runs straight into text in its cell (no separator after it): no date",
        )
    ]


def test_month_and_text_cells_under_a_year_row_take_its_year():
    """<th colspan="2">平成10年</th> over 4月　開館 | 本館: the year dates the months below it, as
    over rows dated by a cell holding the month alone."""
    data = _table(
        [
            '<tr><th colspan="2">平成10年</th></tr>',
            "<tr><td>4月　開館</td><td>本館</td></tr>",
            "<tr><td>7月　移動図書館運行開始</td><td></td></tr>",
            '<tr><th colspan="2">平成11年</th></tr>',
            "<tr><td>5月1日　分館開館</td><td>東分館</td></tr>",
        ]
    )
    assert _entries(data) == [
        ("4月", "1998-04", "1998-04", ("開館 本館",)),
        ("7月", "1998-07", "1998-07", ("移動図書館運行開始",)),
        ("5月1日", "1999-05-01", "1999-05-01", ("分館開館 東分館",)),
    ]
    assert parse_page(data).page.text == ()


_CHRONOLOGY = (
    "<table><tr><td>平成10年4月　開館</td><td>本館</td></tr>"
    "<tr><td>平成12年7月　移動図書館運行開始</td><td></td></tr></table>"
)
_CHRONOLOGY_ENTRIES = [
    ("平成10年4月", "1998-04", "1998-04", ("開館 本館",)),
    ("平成12年7月", "2000-07", "2000-07", ("移動図書館運行開始",)),
]


@pytest.mark.parametrize(
    "rows",
    [
        # one such row in a table of figures, and a year qualified by a word before figures
        [
            "<tr><td>令和3年度</td><td>412,350</td><td>18,204</td></tr>",
            "<tr><td>令和4年度</td><td>428,911</td><td>18,530</td></tr>",
            "<tr><td>令和5年度　見込み</td><td>430,000</td><td>18,600</td></tr>",
            "<tr><td>平成10年4月　新館開館</td><td>記念式典</td><td>-</td></tr>",
        ],
        # one such row in a table of names and values
        [
            "<tr><td>所在地</td><td>みずなら市本町2丁目5番1号</td></tr>",
            "<tr><td>延床面積</td><td>3,250平方メートル</td></tr>",
            "<tr><td>平成10年4月　新館開館</td><td>鉄筋コンクリート造</td></tr>",
        ],
        # the date running into its text: a sentence, in every row
        [
            "<tr><td>平成10年4月に開館</td><td>本館</td></tr>",
            "<tr><td>平成12年7月に移動図書館の運行を開始</td><td></td></tr>",
        ],
        # a table of one row
        ["<tr><td>平成10年4月　新館開館</td><td>本館</td></tr>"],
    ],
    ids=["figures", "names-and-values", "sentences", "one-row"],
)
def test_rows_of_a_table_not_dated_so_stay_page_text(rows):
    """Beside a chronology table that is read so, another table's lone (or run-on) date and
    text rows are page text, each one line."""
    data = _doc(_CHRONOLOGY + "<h2>概要</h2><table>" + "".join(rows) + "</table>")
    parsed = parse_page(data)
    assert _entries(data) == _CHRONOLOGY_ENTRIES
    assert len(parsed.page.text) == 1 + len(rows)


# --- a 西暦 | 和暦 pair of cells that disagree ------------------------------------------------


def test_a_seireki_wareki_row_that_disagrees_is_page_text_between_the_entries():
    """1990 is 平成2年, not 昭和30年: one of the two is wrong and which one is not known. The
    row is its own event, not a line of the row above it; the others read in page order."""
    data = _table(
        [
            "<tr><td>1955</td><td>昭和30年</td><td>町制施行</td></tr>",
            "<tr><td>1990</td><td>昭和30年</td><td>開館</td></tr>",
            "<tr><td>1964</td><td>昭和39年</td><td>新庁舎が完成</td></tr>",
        ],
        head="<tr><th>西暦</th><th>和暦</th><th>できごと</th></tr>",
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("1955 昭和30年", "1955", "1955", ("町制施行",)),
        ("1964 昭和39年", "1964", "1964", ("新庁舎が完成",)),
    ]
    assert parsed.page.text == ("西暦 和暦 できごと", "1990 昭和30年 開館")
    assert trace.unused == [
        (
            "1990 昭和30年 開館",
            "its 西暦 and 和暦 cells disagree (1990 is not 昭和30年): no date",
        )
    ]


def test_a_wareki_seireki_row_that_disagrees_is_no_date():
    data = _table(
        [
            "<tr><td>昭和59年</td><td>1984年</td><td>姉妹都市提携</td></tr>",
            "<tr><td>昭和60年4月</td><td>(1986)</td><td>使節団を派遣</td></tr>",
            "<tr><td>平成元年</td><td>1989</td><td>記念植樹</td></tr>",
        ]
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("昭和59年 1984年", "1984", "1984", ("姉妹都市提携",)),
        ("平成元年 1989", "1989", "1989", ("記念植樹",)),
    ]
    assert parsed.page.text == ("昭和60年4月 (1986) 使節団を派遣",)
    assert [why for _, why in trace.unused] == [
        "its 西暦 and 和暦 cells disagree ((1986) is not 昭和60年4月): no date"
    ]


def test_a_disagreeing_row_under_a_dated_heading_stays_its_body_and_a_count_no_year():
    """A table in a dated heading's section gives that entry one body line per row; a number
    no year restates (a century or more from the date beside it: 1200) is body, not a year."""
    data = _doc(
        "<h2>平成2年4月</h2><p>資料館を開館</p><table>"
        "<tr><td>1955</td><td>昭和30年</td><td>町制施行</td></tr>"
        "<tr><td>1990</td><td>昭和30年</td><td>開館</td></tr></table>"
        "<h2>沿革</h2><table>"
        "<tr><td>昭和30年</td><td>1200</td><td>来場者数</td></tr>"
        "<tr><td>1990</td><td>昭和30年</td><td>開館</td></tr>"
        "<tr><td>昭和39年</td><td>1964</td><td>新庁舎が完成</td></tr></table>"
    )
    assert _entries(data) == [
        (
            "平成2年4月",
            "1990-04",
            "1990-04",
            ("資料館を開館", "1955 昭和30年 町制施行", "1990 昭和30年 開館"),
        ),
        ("昭和30年", "1955", "1955", ("1200", "来場者数")),
        ("昭和39年 1964", "1964", "1964", ("新庁舎が完成",)),
    ]
    assert parse_page(data).page.text == ("沿革", "1990 昭和30年 開館")
