"""How a table is read: a layout table's cells as blocks, a padding column dropped, and the
column holding the dates when the first never does."""

from __future__ import annotations

from lxml import etree

from pipeline.dates import YearContext, year_context
from pipeline.parse.hits import (
    _ROW_NUMBER_RE,
    _date_and_text_hit,
    _figures_only,
    _row_hit,
    _row_start,
)
from pipeline.parse.items import _Item
from pipeline.parse.matching import (
    _DATE_LINE_RE,
    _WESTERN_YEAR_RE,
    _match,
    _same_year,
    _term_of_office,
)


def _drop_padding_column(rows: list[_Item]) -> None:
    """A first column empty in every row (a spreadsheet saved as a web page keeps its unused
    column A as a column of empty cells beside the data) is no column: without it, the rows
    read from their first written cell, as the sheet shows them."""
    written = [row for row in rows if row.lines]
    if len(written) < 2 or any(
        row.cells is None or len(row.cells) < 2 or row.cells[0] for row in written
    ):
        return
    for row in rows:
        if row.cells:
            row.cells = row.cells[1:]


def _date_column_first(rows: list[_Item], terms_as_text: bool = True) -> None:
    """事項 | 年月日: a table whose dates stand in a later column, every row's, and never in
    its first. The date cell is read first (it is the row's date), the others in their order
    are its body; the row's lines stay in page order."""
    data = [row for row in rows if row.cells and not row.header_row]
    if len(data) < 2:
        return
    for row in data:
        first = " ".join((row.cells or [[]])[0])
        if _DATE_LINE_RE.match(first) and (
            _ROW_NUMBER_RE.fullmatch(first) or _match(first, None) is not None
        ):
            return  # dated first cells (or a running number before the date): the usual table
    width = min(len(row.cells or ()) for row in data[1:])
    for column in range(1, width):
        dated = [row for row in data if _whole_date(row.cells or [], column)]
        # Every row, or every row but a first one of <td> headings (事項 | 年月日).
        if len(dated) == len(data) or (len(dated) == len(data) - 1 > 1 and dated[0] is data[1]):
            if column == 1 and all(_restated_before(row.cells or []) for row in dated):
                return  # 西暦 | 和暦 | 出来事: `_row_hit` reads the pair, in page order
            if terms_as_text and all(_roster_row(row.cells or [], column) for row in dated):
                return  # 初代 | 山田太郎 | 平成元年4月～平成5年3月: terms of office, as text
            for row in dated:
                cells = row.cells or []
                row.cells = [cells[column], *cells[:column], *cells[column + 1 :]]
            return


def _date_and_text_rows(rows: list[_Item]) -> None:
    """平成10年4月　開館 | 本館: a table whose first cells hold the date and then the event. A
    row is dated by a cell holding its date alone; a first cell holding its date and text
    dates its row too when the table's rows are dated so: most of its rows are dated in their
    first cell (alone, or opening it; a month under a row holding only a year: 平成10年, then
    4月　開館 | 本館), two or more, as a chronology's are. A lone such row (a table of one row,
    or among a statistics table's rows of figures, which are dated by no date) stays text.
    Marks the rows (`_Item.date_and_text`) for `_row_hit`."""
    data = [row for row in rows if row.cells and not row.header_row]
    if len(data) < 2:
        return
    leads = 0
    others: list[tuple[_Item, YearContext | None]] = []
    year: YearContext | None = None  # a year row's (平成10年), over rows giving a month
    for row in rows:
        if not row.cells:
            continue
        texts = [" ".join(cell) for cell in row.cells]
        first = _row_start(texts, None)[0]
        if _DATE_LINE_RE.match(texts[first]):  # (the cheap test first; `_match` is remembered)
            found = _match(texts[first], year)
            if found is not None and found.year_only and not found.rest and len(texts) == 1:
                try:
                    year = year_context(found)  # <th colspan="2">平成10年</th>: 4月　開館 below
                except ValueError:
                    year = None
            elif (
                not row.header_row
                and (found is None or found.rest)
                and _date_and_text_hit(texts, first, year)
            ):
                leads += 1
                continue
        if not row.header_row:
            others.append((row, year))
    if not leads:
        return
    dated = leads
    for row, context in others:  # dated by a cell holding the date alone, and no row of figures
        hit = _row_hit(row.cells or [], context, row.bare_year, row.bare_month)
        if hit is not None and not (hit.inline and _figures_only(hit.inline)):
            dated += 1
    if dated >= 2 and 2 * dated > len(data):
        for row in data:
            row.date_and_text = True


def _roster_row(cells: list[list[str]], column: int) -> bool:
    """Whether a row opens with a succession ordinal and its date cell is a term of office
    (`_term_of_office`): a 歴代会長 table's row."""
    found = _match(" ".join(cells[column]), None)
    return found is not None and _term_of_office(" ".join(cells[0]), found)


def _restated_before(cells: list[list[str]]) -> bool:
    """Whether a row's first cell is its second's year in the other calendar (1889 | 明治22),
    or a western year alone before an era date that it does not restate (1990 | 昭和30年):
    the 西暦 | 和暦 pair that `_row_hit` reads, or reads as no date."""
    found = _match(" ".join(cells[1]), None)
    if found is None:
        return False
    first = " ".join(cells[0])
    return _same_year(found, first) or (
        not found.rest
        and _WESTERN_YEAR_RE.fullmatch(first) is not None
        and not found.date_text[:1].isdigit()
    )


def _whole_date(cells: list[list[str]], column: int) -> bool:
    """Whether a row's cell holds a date and nothing else."""
    if column >= len(cells):
        return False
    text = " ".join(cells[column])
    found = _match(text, None) if _DATE_LINE_RE.match(text) else None
    return found is not None and not found.rest


def _is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout (old sites), not one of data: its cells hold headings or
    other tables (a page frame: menu cell, content cell), or no row has two cells (a box
    around lines of text)."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    if next(table.iterdescendants("h1", "h2", "h3", "h4", "h5", "h6", "table"), None) is not None:
        return True
    # (No nested table here: every row is this table's own.)
    return all(sum(1 for c in row if c.tag in ("td", "th")) <= 1 for row in table.iter("tr"))
