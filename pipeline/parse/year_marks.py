"""Bare years and months marked in the item stream: a run of years in order, lone years among
dated items, a 月 column of bare numbers beside a 年 column."""

from __future__ import annotations

import unicodedata

from pipeline.dates import FISCAL_NOTE
from pipeline.parse.bare_years import (
    _BARE_YEAR_RE,
    _bare_year_lead,
    _column_year,
    _in_order,
    _is_year_column,
    _may_open_with_bare_year,
)
from pipeline.parse.hits import _BARE_MONTH_RE, _hit
from pipeline.parse.items import _Item
from pipeline.parse.matching import _match


def _mark_bare_years(items: list[_Item]) -> None:
    """Mark the headings, terms and blocks that are or open with bare years (`_is_year_column`)
    among their like: the same kind of item in the same element and class (every <dt>, every
    <div class="tl-year">, every <li> of a list)."""
    runs: dict[tuple[str, str, str | None, bool], list[tuple[_Item, str]]] = {}
    for item in items:
        lines = item.lines
        if (
            lines
            and _may_open_with_bare_year(lines[0])
            and item.kind in ("heading", "term", "block")
        ):
            read = _bare_year_lead(lines[0])
            if read is not None:
                el = item.el
                key = (item.kind, el.tag, el.get("class"), not read[1])
                runs.setdefault(key, []).append((item, read[0]))
    for run in runs.values():
        if _is_year_column([year for _, year in run]):
            for item, _ in run:
                item.bare_year = "year"
        elif len(run) == 1 and _among_dated_likes(items, run[0][0], run[0][1]):
            run[0][0].bare_year = "year"


def _among_dated_likes(items: list[_Item], lone: _Item, written: str) -> bool:
    """Whether a lone bare year (<h3>2021</h3>, <dt>2020</dt>) stands among two or more like
    items (the same kind, tag and class) that are dates, in order with their years: then it is
    a year as they are (March 2019, November 2019, 2021), not a line of the entry above."""
    year = _column_year(written)
    if year is None:
        return False
    el = lone.el
    tag, names = el.tag, el.get("class")
    years: list[int] = []
    dated = 0
    for item in items:
        if item is lone:
            years.append(year)
            continue
        if item.kind != lone.kind or item.el.tag != tag or item.el.get("class") != names:
            continue
        hit = _hit(item, None)
        if hit is None:
            continue
        dated += 1
        years.append(int(hit.match.span.start[:4]))
    if dated < 2:
        return False
    return _in_order(years)


def _mark_lone_bare_years(rows: list[_Item]) -> None:
    """A table whose first cells are dates in order but one that is a bare year (June 1, 1988
    | Aug 1990 | 2008 | October 2018, an English timeline writing a year alone where it has no
    month): that year is a date as the rows around it are, not a line of the row above.
    Only four digits (1000-2999: 1998, not R1, a room's name too), among two or more dated
    rows, or two or more such years among one or more dated rows (a Wikipedia timeline's
    1914 | 1940s | 1967 | 1999), all in order of their years."""
    lone: list[_Item] = []
    years: list[int] = []
    dated = 0
    for row in rows:
        first = " ".join(row.cells[0]) if row.cells else ""
        if not first:
            continue
        if _BARE_YEAR_RE.fullmatch(first):
            year = int(first)
            if not 1000 <= year <= 2999:
                return
            lone.append(row)
            years.append(year)
            continue
        found = _match(first, None)
        if found is None or found.rest:
            continue
        dated += 1
        years.append(int(found.span.start[:4]))
    if not lone or dated == 0 or (dated < 2 and len(lone) < 2):
        return
    if _in_order(years):
        for row in lone:
            row.bare_year = "year"


def _mark_bare_months(head: list[list[str]], rows: list[_Item]) -> None:
    """A 年 | 月 | 内容 table whose 月 column holds bare numbers (1998 | 4 | 会社設立): its rows
    read them as months (`_row_hit`), when every row's cell there is one (1-12) or empty."""
    column = head.index(["月"])
    before = " ".join(head[column - 1]) if column else ""
    if ("年" not in before and "暦" not in before) or FISCAL_NOTE in before:
        return  # (a 西暦 | 和暦 | 月 | 事項 table: the year's columns are 暦s)
    months = 0
    for row in rows:
        cells = row.cells or []
        text = " ".join(cells[column]) if len(cells) > column else ""
        if text:
            if (
                not _BARE_MONTH_RE.fullmatch(text)
                or not 1 <= int(unicodedata.normalize("NFKC", text)) <= 12
            ):
                return
            months += 1
    if months > 1:
        for row in rows:
            row.bare_month = True
