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


def test_letter_fiscal_years_under_a_heading_of_cells_beside_a_cell_spanning_rows():
    """年度 | 年月日 | 内容 written in <td>s, as a spreadsheet writes its heading, over H15 in
    a cell spanning two rows: the years are the column's (the row under the span opens with
    its date, the next column's), and each row is dated by its own date."""
    data = html_page(
        "<table><tr><td colspan=3>交流実績</td></tr>"
        "<tr><td>年度</td><td>年月日</td><td>内容</td></tr>"
        "<tr><td rowspan=2>H15</td><td>H15.5.1</td><td>協定締結</td></tr>"
        "<tr><td>H15.10.28</td><td>来訪</td></tr>"
        "<tr><td>H16</td><td>H16.8.2</td><td>中学生派遣</td></tr>"
        "<tr><td>R1</td><td>R1.5.4</td><td>訪問団派遣</td></tr></table>",
        "",
    )
    assert _entries(data) == [
        ("H15 H15.5.1", "2003-05-01", "2003-05-01", ("協定締結",)),
        ("H15.10.28", "2003-10-28", "2003-10-28", ("来訪",)),
        ("H16 H16.8.2", "2004-08-02", "2004-08-02", ("中学生派遣",)),
        ("R1 R1.5.4", "2019-05-04", "2019-05-04", ("訪問団派遣",)),
    ]


# --- a PDF converted page by page ------------------------------------------------------------


def _sheet(number: int, lines: list[tuple[str, str]]) -> str:
    box = '<div style="position:absolute;top:{top};left:{left}"><span>{text}</span></div>'
    out = [f'<a name="{number}"></a><div style="position:relative;width:892;height:1263;">']
    out.append(box.format(top=80, left=300, text="ひかり小学校　沿革"))
    for k, (date, text) in enumerate(lines):
        top = 140 + 25 * k
        if date:
            out.append(box.format(top=top, left=95, text=date))
        out.append(box.format(top=top, left=260, text=text))
    out.append(box.format(top=1180, left=430, text=f"- {number} -"))
    return "".join(out) + "</div>"


def test_a_pdf_converted_page_by_page_reads_as_one_chronology():
    """pdftohtml sets each sheet in a box of its own, styled alike: the chronology runs over
    all of them (the longest is not the content alone), the title each sheet repeats and its
    page number are no lines of the entries they fall in."""
    data = html_page(
        _sheet(
            1, [("昭和22年4月1日", "開校"), ("昭和52年10月", "校舎完成"), ("", "（旧校舎は解体）")]
        )
        + _sheet(2, [("平成18年4月1日", "統合"), ("令和4年4月", "コミュニティ・スクール導入")]),
        "学校沿革",
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("昭和22年4月1日", ("開校",)),
        ("昭和52年10月", ("校舎完成", "（旧校舎は解体）")),
        ("平成18年4月1日", ("統合",)),
        ("令和4年4月", ("コミュニティ・スクール導入",)),
    ]
    assert parsed.page.text == ("ひかり小学校　沿革",)
    # Cards styled alike that close alike are no sheets with a footer, and boxes opening
    # differently (an intro, a note) share no line: they keep their lines.
    card = '<div class="card"><h3>{date}</h3><p>{text}</p><p>記念品を贈呈</p></div>'
    data = html_page(
        card.format(date="平成9年5月", text="10周年式典")
        + card.format(date="平成19年5月", text="20周年式典"),
        "",
    )
    assert [e.body for e in parse_page(data).entries] == [
        ("10周年式典", "記念品を贈呈"),
        ("20周年式典", "記念品を贈呈"),
    ]
    data = html_page(
        '<div><h1>村の沿革</h1><div class="w"><p>村の主なできごとです。</p></div>'
        "<ul><li>昭和31年9月30日　合併</li><li>平成元年12月　新庁舎完成</li></ul>"
        '<div class="w"><p>※詳しくは村史をご覧ください。</p></div></div>',
        "村の沿革",
    )
    assert parse_page(data).page.text == ("村の主なできごとです。", "※詳しくは村史をご覧ください。")


def test_a_page_number_between_dashes_is_furniture():
    data = html_page(
        "<div><p>平成9年11月3日　創立50周年記念式典</p><p>－１－</p>"
        "<p>平成29年11月3日　創立70周年記念式典</p><p>- 2 -</p>"
        "<p>令和4年4月　コミュニティ・スクール導入<br>-&nbsp;3&nbsp;-</p></div>",
        "",
    )
    parsed = parse_page(data)
    assert [e.body for e in parsed.entries] == [
        ("創立50周年記念式典",),
        ("創立70周年記念式典",),
        ("コミュニティ・スクール導入",),
    ]
    assert parsed.page.text == ()


# --- a word processor's lines -----------------------------------------------------------


def test_a_line_hanging_under_the_last_entry_is_its_body_and_the_notes_after_it_page_text():
    """平成17年　3月22日　合併し…, then a paragraph typed with ideographic spaces to stand
    under its text (an export keeps a document's lines as paragraphs): the last entry's second
    line, not a note under the list; the note after it stays page text, and LibreOffice's page
    footer (<div type="footer"> holding the page number) is furniture."""
    data = html_page(
        "<p>明治22年　4月　1日　村が誕生</p><p>昭和30年　1月　1日　町となる</p>"
        "<p>平成17年　3月22日　市と合併</p><p>　　　　　　　　（旧町は閉町）</p>"
        "<p>　※詳しくは町史をご覧ください。</p>"
        '<div type="footer"><p align="center">1</p></div>',
        "",
    )
    parsed = parse_page(data)
    assert [e.body for e in parsed.entries] == [
        ("村が誕生",),
        ("町となる",),
        ("市と合併", "（旧町は閉町）"),
    ]
    assert parsed.page.text == ("※詳しくは町史をご覧ください。",)


def test_no_break_spaces_part_a_date_from_its_bullet_and_its_text():
    """A word processor's list pads its bullet and its tab stop with no-break spaces
    (・&nbsp;&nbsp;&nbsp; 昭和23年4月1日&nbsp;&nbsp; 開校): a gap, as a space is; before, the
    date ran straight into text and the line was no entry."""
    data = html_page(
        "<p>・&nbsp;&nbsp;&nbsp;&nbsp; 昭和23年4月1日&nbsp;&nbsp; 開校</p>"
        "<p>・&nbsp;&nbsp;&nbsp;&nbsp; 昭和25年10月&nbsp;&nbsp;&nbsp;&nbsp; 校歌制定</p>"
        "<p>平成10年11月3日&nbsp;&nbsp;創立50周年記念式典</p>",
        "",
    )
    assert _entries(data) == [
        ("昭和23年4月1日", "1948-04-01", "1948-04-01", ("開校",)),
        ("昭和25年10月", "1950-10", "1950-10", ("校歌制定",)),
        ("平成10年11月3日", "1998-11-03", "1998-11-03", ("創立50周年記念式典",)),
    ]


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
