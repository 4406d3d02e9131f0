"""`_Item`: one unit of the flattened content, as the flattener yields it and every later pass
reads it."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree


@dataclass(slots=True)
class _Item:
    """One unit of the flattened content: a heading, dt, table row or text block."""

    # "heading" | "term" | "row" | "block" | "rule" (<hr>) | "date" (a seed's) | "card" (the
    # date a card prints at its end, moved to open it: `_date_cards_at_end`; group: the card)
    # | "ended" (a line ending with its date in brackets, an entry alone: `_dates_at_line_end`)
    kind: str
    el: etree._Element
    lines: list[str]
    group: etree._Element | None = None  # the list/table/parent that sibling items share
    level: int = 0  # heading level; 7 for anything that is not a heading
    cells: list[list[str]] | None = None  # rows: the lines of each cell
    header_row: bool = False
    lead: str | None = None  # text of a leading <strong>/<b>/<em> (or of a seed's date element)
    links: bool = False  # an item of a list whose items are links only (`_is_link_list`)
    foreign: bool = False  # in another language than the page's: a translation (`_foreign`)
    # A term or row in a column of bare years (`_is_year_column`): "year", or "fiscal" under a
    # column headed 年度 (H30 is April 2018 to March 2019); "" for any other item.
    bare_year: str = ""
    # A row of a table whose 月 column, beside its 年 column, holds bare numbers (1998 | 4 | 設立)
    bare_month: bool = False
    # A row of a table whose rows are dated in their first cell, some with their text after the
    # date there (平成10年4月　開館 | 本館: `_date_and_text_rows`): the date opens such a row.
    date_and_text: bool = False
