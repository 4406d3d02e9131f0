"""How a table is read: a layout table's cells as blocks, a padding column dropped, and the
column holding the dates when the first never does."""

from __future__ import annotations

from lxml import etree

from pipeline.parse.hits import _ROW_NUMBER_RE
from pipeline.parse.items import _Item
from pipeline.parse.matching import _DATE_LINE_RE, _match, _same_year, _term_of_office


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


def _roster_row(cells: list[list[str]], column: int) -> bool:
    """Whether a row opens with a succession ordinal and its date cell is a term of office
    (`_term_of_office`): a 歴代会長 table's row."""
    found = _match(" ".join(cells[column]), None)
    return found is not None and _term_of_office(" ".join(cells[0]), found)


def _restated_before(cells: list[list[str]]) -> bool:
    """Whether a row's first cell is its second's year in the other calendar (1889 | 明治22)."""
    found = _match(" ".join(cells[1]), None)
    return found is not None and _same_year(found, " ".join(cells[0]))


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
