"""Pages exported from office documents: a spreadsheet saved as a web page (its empty column
A), a PDF converted page by page (one box per sheet, the title and page number on each), a
document titled by its application and file name (see tests/fixtures/synthetic for whole
pages)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import parse_page


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- a spreadsheet's empty first column -------------------------------------------------------


def test_a_first_column_empty_in_every_row_is_no_column():
    """Excel's "Save as Web Page" keeps column A, unused, as an empty cell opening every row:
    the rows read from their first written cell (a year cell spanning rows, then its dates)."""
    pad = "<td></td>"
    data = html_page(
        "<table>"
        f"<tr>{pad}<td colspan=3>市町村合併の経緯</td></tr>"
        f"<tr>{pad}<td>年</td><td>月日</td><td>内容</td></tr>"
        f"<tr>{pad}<td rowspan=2>平成14年</td><td>7月1日</td><td>任意合併協議会設置</td></tr>"
        f"<tr>{pad}<td>12月20日</td><td>法定合併協議会設置</td></tr>"
        f"<tr>{pad}<td>平成16年</td><td>4月1日</td><td>新市誕生</td></tr>"
        "</table>",
        "",
    )
    assert _entries(data) == [
        ("平成14年7月1日", "2002-07-01", "2002-07-01", ("任意合併協議会設置",)),
        ("12月20日", "2002-12-20", "2002-12-20", ("法定合併協議会設置",)),
        ("平成16年4月1日", "2004-04-01", "2004-04-01", ("新市誕生",)),
    ]
    # A first column written in one row is a column: its empty cells are a rowspan's.
    data = html_page(
        "<table><tr><td>平成14年</td><td>7月1日</td><td>任意合併協議会設置</td></tr>"
        "<tr><td></td><td>12月20日</td><td>法定合併協議会設置</td></tr></table>",
        "",
    )
    assert [e.start for e in parse_page(data).entries] == ["2002-07-01", "2002-12-20"]


# --- a document's title --------------------------------------------------------------------


def test_a_title_naming_the_application_and_the_file_is_the_file_name():
    """`Microsoft Word - 議会のあゆみ.docx` (Word's export, or a PDF printed from it): the file's
    name without its extension titles the page."""
    body = "<p>昭和22年4月30日　第1回市議会議員一般選挙</p><p>平成24年4月　議会基本条例施行</p>"
    for title, expected in [
        ("Microsoft Word - 議会のあゆみ.docx", "議会のあゆみ"),
        ("Microsoft Excel - 合併の経緯.xls", "合併の経緯"),
        ("学校沿革.jtd", "学校沿革"),
        ("議会のあゆみ｜つばさ市", "議会のあゆみ"),
        ("Ver.2", "Ver.2"),
    ]:
        assert parse_page(html_page(body, title)).page.title == expected
