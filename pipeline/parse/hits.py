"""Whether an item is a date (`_hit`): a heading, a term, a table row's cells, a block led by
its date or by a bare year, a seed's date element; and what the date leaves in the item as its
body."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from pipeline.dates import DateMatch, YearContext, month_day_alone, within_era, year_context
from pipeline.parse.bare_years import _bare_year
from pipeline.parse.items import _Item
from pipeline.parse.matching import (
    _DATE_LINE_RE,
    _WESTERN_YEAR_RE,
    _match,
    _month_day_line,
    _same_year,
    _same_year_match,
    _strict_match,
    _trailing_date,
)
from pipeline.parse.text import _SEPARATOR_CHARS, _blank, _clean, _emphasis_lead


@dataclass(slots=True)  # not frozen: a frozen dataclass costs ~1 µs more to build
class _Hit:
    """An item that is a date: its match, any text after the date, and how it takes a body."""

    match: DateMatch
    inline: list[str]  # body lines inside the item itself
    standalone: bool  # the item holds only the date: the following items are its body
    row_year: YearContext | None = None  # a 年 | 月 | 内容 row: the year for the rows below


def _hit(item: _Item, context: YearContext | None) -> _Hit | None:
    kind = item.kind
    lines = item.lines
    if not lines and kind != "date":
        return None
    if kind in ("heading", "term"):
        text = " ".join(lines)
        found = _bare_year(text) if item.bare_year else _strict_match(text, context)
        if found is None:
            found = _text_lead_match(item.el, text, context)
            if found is None and len(item.el):
                found = _element_lead_match(item.el, text, context)
            if found is None:
                return None
        return _Hit(found, [found.rest] if found.rest else [], standalone=True)
    if kind == "row":
        hit = _row_hit(
            item.cells or [], context, item.bare_year, item.bare_month, item.date_and_text
        )
        if hit is not None and hit.inline and _figures_only(hit.inline):
            return None  # 令和2年 | 21,000 | 46,156: a statistics table's year and its figures
        return hit
    if kind == "block":
        if item.bare_year:
            found = _bare_year(lines[0])
            inline = ([found.rest] if found.rest else []) + lines[1:]
            return _Hit(found, inline, standalone=not inline)
        if item.lead:
            found = _match(item.lead, context)
            if (
                found is None
                and context is not None
                and (item.lead[:1].isdigit() or item.lead[:1] in _MONTH_NAME_INITIALS)
            ):
                found = _month_day_lead(item.el, lines[0], item.lead, context)
            if (
                found is not None
                and not found.rest
                and (not _lead_runs_on(lines[0], item.lead) or _lead_stands_apart(item.el))
            ):
                rest = _after_prefix(lines[0], item.lead)
                inline = ([rest] if rest else []) + lines[1:]
                return _Hit(found, inline, standalone=not inline)
        found = _strict_match(lines[0], context)
        if found is None:
            found = _text_lead_match(item.el, lines[0], context)
            if found is None:
                return None
        inline = ([found.rest] if found.rest else []) + lines[1:]
        return _Hit(found, inline, standalone=not inline)
    if kind == "date":
        return _forced_hit(item, context)
    if kind == "card":  # a card's date, read at its end (`_date_cards_at_end`)
        found = _match(lines[0], None)
        return _Hit(found, [], standalone=True) if found is not None else None
    if kind == "ended":  # a line ending with its date in brackets (`_dates_at_line_end`)
        read = _trailing_date(lines[0])
        if read is None:
            return None
        text, found = read
        match = DateMatch(found.date_text, found.span, text, found.year_only)
        return _Hit(match, [text, *lines[1:]], False)  # (a list item's next lines: details)
    return None


def _text_lead_match(
    el: etree._Element, line: str, context: YearContext | None
) -> DateMatch | None:
    """A date that is all of an element's own text before its first child element, the child
    right after it (<li>2024.05.20<a href>…</a></li>, <dt>2024年5月20日<span class="cat">訪問
    </span></dt>): the markup's boundary parts the date from the text the line runs on into,
    as a separator would, unless that text continues the date or a sentence (<span>度</span>,
    に…). Tried only when the line does not read as a date as it is."""
    text = el.text
    if not text or not len(el) or text[-1:] in _SEPARATOR_CHARS or text.isspace():
        return None
    lead = _clean(text)
    if not lead or not line.startswith(lead) or len(lead) == len(line):
        return None
    child = el[0]
    if not isinstance(child.tag, str) or child.tag == "br":
        return None
    found = _strict_match(lead, context)
    if found is None or found.rest or _lead_runs_on(line, lead):
        return None
    rest = line[len(lead) :].lstrip(_SEPARATOR_CHARS).strip()
    return DateMatch(found.date_text, found.span, rest, found.year_only)


def _month_day_lead(
    el: etree._Element, line: str, lead: str, context: YearContext
) -> DateMatch | None:
    """A month and day alone in a block's leading element (<span class="date">4.1</span>
    <span class="txt">電子申請を開始</span>, under <h3>2021年</h3>; <time>Apr 6</time> Spring
    festival, under <h2>2019</h2>): that day of the year
    above (`month_day_alone`), when the element ends where the next begins, or a space follows
    it, and the text after it opens with no figure's unit (4.1%, 4.1倍, 4.1万人)."""
    after = line[len(lead) : len(lead) + 1] if line.startswith(lead) else ""
    if not after or not (after in " \u3000" or _lead_stands_apart(el)):
        return None
    rest = line[len(lead) :].strip()
    if _UNIT_RE.match(rest):
        return None
    return month_day_alone(lead, rest[:1], context)


# The first letters of the English month names (Apr 6, Sept. 30): a lead `_month_day_lead` reads
_MONTH_NAME_INITIALS = frozenset("JFMASONDjfmasond")

# The units after a figure that could open a body as a kanji does (4.1倍に増加, 4.1万人);
# (`month_day_alone` turns away a digit, %, and 年, 月, 日 …)
_UNIT_RE = re.compile(r"[倍割億円個歳才枚秒]|[万千百十][人件円台世個本部冊回戸名]")


def _element_lead_match(
    el: etree._Element, line: str, context: YearContext | None
) -> DateMatch | None:
    """A date alone in the element opening a heading or term, the text after it running on
    with no separator (<h3><span class="date">2023.08.02</span>派遣団が出発</h3>, <time>):
    the element's boundary parts them, as it does opening a paragraph (`_Item.lead`), unless
    the text continues the date or a sentence (<span>2023年8月2日</span>に…)."""
    lead = _emphasis_lead(el)
    if not lead or len(lead) >= len(line) or not line.startswith(lead):
        return None
    found = _match(lead, context)
    if found is None or found.rest or (_lead_runs_on(line, lead) and not _lead_stands_apart(el)):
        return None
    return DateMatch(found.date_text, found.span, _after_prefix(line, lead), found.year_only)


def _lead_runs_on(line: str, lead: str) -> bool:
    """Whether the text after a block's leading element continues its date or its sentence:
    <span>平成30</span>年4月1日 (the date is longer than the element: read the line as a
    whole), <b>平成30年</b>度…, <span>平成元年5月12日</span>に提携した (a sentence)."""
    after = line[len(lead) : len(lead) + 1] if line.startswith(lead) else ""
    if not after:
        return False
    if after.isdigit():  # 令和元年5月 | 30周年 is two things; 平成3 | 0年 is one number
        return lead[-1].isdigit()
    return after in _DATE_GOES_ON or "\u3041" <= after <= "\u309f"


_DATE_GOES_ON = frozenset("年月日度.．/／-－‐～〜~")


def _lead_stands_apart(el: etree._Element) -> bool:
    """Whether a block's leading element ends where another element begins, with no text
    between (<span class="date">2024.08.15</span><span class="cat">お知らせ</span>): a
    boundary that the page's style shows as one, though the text runs on."""
    lead = next((child for child in el if isinstance(child.tag, str)), None)
    return lead is not None and _blank(lead.tail) and lead.getnext() is not None


_MONTH_DAY_FIRSTS = frozenset("0123456789０１２３４５６７８９")  # (`_month_day_line`)
_ROW_NUMBER_RE = re.compile(r"(?:No\.?|Ｎｏ．?)?\s*[0-9０-９]{1,3}\.?")


def _row_start(texts: list[str], context: YearContext | None) -> tuple[int, str | None]:
    """Where a row's date cell is (past a running number, or the cells left empty under the
    year above), and the era cell before it (昭和 | 30年 | 内容), if any."""
    if len(texts) > 2 and (
        (not texts[0] and context is not None) or _ROW_NUMBER_RE.fullmatch(texts[0])
    ):
        first = 1  # an empty year cell under a rowspan, or a running number column
        while not texts[first] and context is not None and first < len(texts) - 2:
            first += 1  # the 和暦 | 西暦 pair of cells left empty under the year above
        return first, None
    if len(texts) > 2 and context is not None and texts[0] == context.era:
        return 1, texts[0]  # 昭和 | 30年 | 内容: the era's years (`_era_section`)
    return 0, None


def _row_hit(
    cells: list[list[str]],
    context: YearContext | None,
    bare_year: str = "",
    bare_month: bool = False,
    date_and_text: bool = False,
) -> _Hit | None:
    """A table row whose first cell is a date; or a 年 | 月 | 内容 row (平成15年 | 5月 | …),
    whose year then dates the rows below it that only give a month (rowspan or empty cell).
    `bare_year`: the row's first cell is in a column of bare years (`_Item.bare_year`);
    `date_and_text`: its table's rows may hold their text after the date in that cell
    (`_Item.date_and_text`). A 西暦 | 和暦 pair of cells that disagree is no date."""
    texts = [" ".join(cell) for cell in cells]
    first, era_cell = _row_start(texts, context)
    if first >= len(texts) or not texts[first]:
        return None
    found = _match(texts[first], context)
    if found is None and context is not None and texts[first][:1] in _MONTH_DAY_FIRSTS:
        found = _month_day_line(texts[first], context)  # 4/22(土) | PTA総会, under 令和5年度
    if found is not None and found.rest and len(cells[first]) > 1:
        found = _restated_in_cell(texts[first], found, context)
    if found is None and texts[first][:2] == "同年":
        found = _same_year_match(texts[first], context)  # 同年10月 | 増築
    if found is None and bare_month and first and context is not None and context.year:
        found = _bare_month(texts[first], context, texts[first])  # | 12 | 工場竣工
    if date_and_text and era_cell is None and (found is None or found.rest):
        lead = _date_and_text_hit(texts, first, context)  # 平成10年4月　開館 | 本館
        if lead is not None:
            return lead
    if era_cell is not None:
        if found is None or found.rest:
            return None
        found = DateMatch(f"{era_cell} {found.date_text}", found.span, "", found.year_only)
    elif found is None:
        # 西暦 | 和暦 | 出来事: a bare western year (no date on its own), then the era date
        # that restates it.
        era = (
            _match(texts[first + 1], None)
            if len(texts) >= first + 3 and _WESTERN_YEAR_RE.fullmatch(texts[first])
            else None
        )
        if era is not None and not era.rest and _same_year(era, texts[first]):
            found = DateMatch(f"{texts[first]} {era.date_text}", era.span, "", era.year_only)
            first += 1
        elif era is not None and not era.rest and _western_disagrees(era, texts[first]):
            return None  # 1990 | 昭和30年: one of the two is wrong, and which is not known
        elif bare_year and first == 0:
            found = _bare_year(texts[0], bare_year == "fiscal")  # 年 | 内容: 1998 | 会社設立
        else:
            return None
    elif found.rest:
        return None
    nxt = first + 1
    if len(texts) > nxt + 1 and _same_year(found, texts[nxt]):
        # 和暦 | 西暦 | 出来事: the next cell restates the year in the other calendar.
        found = DateMatch(f"{found.date_text} {texts[nxt]}", found.span, "", found.year_only)
        nxt += 1
    elif len(texts) > nxt + 1 and _western_disagrees(found, texts[nxt]):
        return None  # 昭和48年 | 1974 | 町民憲章を制定: no date rather than a wrong one
    if found.year_only and len(texts) > nxt + 1 and texts[nxt]:
        year = year_context(found)
        if context is not None and context.era is not None:
            year = within_era(year, context.era)  # 30年 | 4月 under 昭和: a year in its era
        inner = _match(texts[nxt], year)
        if inner is None and bare_month:
            joiner = " " if found.date_text[-1:].isdigit() else ""
            inner = _bare_month(texts[nxt], year, found.date_text + joiner + texts[nxt])
            if inner is not None:  # 1998 | 4 | 会社設立
                body = [line for cell in cells[nxt + 1 :] for line in cell]
                return _Hit(inner, body, standalone=False, row_year=year)
        if inner is not None and not inner.rest and not inner.year_only:
            inner, nxt = _with_day_cell(inner, texts, nxt + 1, year)
            joiner = " " if found.date_text[-1:].isdigit() else ""  # 1998 | 4月: "1998 4月"
            combined = DateMatch(found.date_text + joiner + inner.date_text, inner.span, "", False)
            body = [line for cell in cells[nxt:] for line in cell]
            return _Hit(combined, body, standalone=False, row_year=year)
    if not found.year_only:
        found, nxt = _with_day_cell(found, texts, nxt, context)
    body = [line for cell in cells[nxt:] for line in cell]
    # A row holding a year alone (<th colspan="2">平成8年</th>) heads the rows below it.
    return _Hit(found, body, standalone=not body and found.year_only)


def _restated_in_cell(text: str, found: DateMatch, context: YearContext | None) -> DateMatch:
    """A date cell whose next line restates its date in another language (2001年4月<br>Apr.
    2001, a bilingual 沿革): the cell is the date, written both ways, and none of it is the
    event's text. A next line with another date, or more, stays the cell's rest."""
    again = _match(found.rest, context)
    if (
        again is None
        or again.rest
        or (again.span.start, again.span.end) != (found.span.start, found.span.end)
    ):
        return found
    return DateMatch(text, found.span, "", found.year_only)


def _date_and_text_hit(texts: list[str], first: int, context: YearContext | None) -> _Hit | None:
    """A row whose first cell holds its date and its text (平成10年4月　開館 | 本館), in a table
    whose rows are dated in their first cell (`_date_and_text_rows`): the date that opens the
    cell as it opens a line (a separator after it), and one body line, the rest of the cell
    and the other cells' text joined by a space, as a row's line is (`_row_line`). A row of
    figures after it (令和2年 速報値 | 21,000) is a statistics row's, no event."""
    found = _strict_match(texts[first], context)
    if found is None or not found.rest:
        return None
    other = [text for text in texts[first + 1 :] if text]
    if other and _figures_only(other):
        return None
    line = " ".join((found.rest, *other))
    return _Hit(DateMatch(found.date_text, found.span, "", found.year_only), [line], False)


# The first characters of a western year written alone in a cell (`_WESTERN_YEAR_RE`).
_WESTERN_FIRSTS = frozenset("0123456789０１２３４５６７８９(（")


def _western_disagrees(found: DateMatch, cell: str) -> bool:
    """Whether `cell` is a western year alone (1974, 1974年, (1974)) beside an era date
    (昭和48年, H30) whose years it is not: a 西暦 | 和暦 pair of cells that disagree, as
    `_same_year` reads one that agrees. A bare number a century or more away from the date
    is no year written beside it (昭和30年 | 1200: a count)."""
    if cell[:1] not in _WESTERN_FIRSTS or found.date_text[:1] in _WESTERN_FIRSTS:
        return False
    western = _WESTERN_YEAR_RE.fullmatch(cell)
    if western is None:
        return False
    span = found.span
    if not (span.start[:4].isdigit() and span.end[:4].isdigit()):
        return False
    year = int(western.group(1))
    start, end = int(span.start[:4]), int(span.end[:4])
    if start <= year <= end:
        return False
    return cell != western.group(1) or abs(year - start) < 100


def _disagreeing_years(item: _Item, context: YearContext | None) -> tuple[str, str] | None:
    """A row's 西暦 and 和暦 cells that disagree (1990 | 昭和30年 | 開館, 昭和48年 | 1974 | …),
    which `_row_hit` reads as no date: the western year and the era date as written."""
    cells = item.cells
    if item.kind != "row" or cells is None or len(cells) < 3:
        return None
    texts = [" ".join(cell) for cell in cells]
    first, era_cell = _row_start(texts, context)
    if era_cell is not None or len(texts) < first + 3:
        return None
    cell, beside = texts[first], texts[first + 1]
    rest = [text for text in texts[first + 2 :] if text]
    if rest and _figures_only(rest):
        return None  # a statistics row (`_figures_row`): --explain names it so
    found = _match(cell, context) if cell else None
    if found is None:
        era = _match(beside, None) if _WESTERN_YEAR_RE.fullmatch(cell) else None
        if era is not None and not era.rest and _western_disagrees(era, cell):
            return cell, beside
        return None
    if not found.rest and _western_disagrees(found, beside):
        return beside, found.date_text
    return None


def _runs_on_in_row(item: _Item, context: YearContext | None) -> bool:
    """Whether a row's date cell opens with a date that runs straight into its text
    (平成11年4月開館), which `_row_hit` reads as no date even where a date may open the cell."""
    texts = [" ".join(cell) for cell in item.cells or ()]
    if not texts:
        return False
    text = texts[_row_start(texts, context)[0]]
    if not _DATE_LINE_RE.match(text):
        return False
    found = _match(text, context)
    return found is not None and bool(found.rest) and _strict_match(text, context) is None


# A cell of figures: a statistics table's 160,150, 2.1%, △1.2, 58,000百万円, 約120名, or a dash
# for none. A row whose first cell is a year and whose other cells are all figures (人口の推移:
# 令和2年 | 167,656 | 70,120) gives that year's numbers, no event: it stays text, as a table
# whose columns are years (区分 | 平成12年 | 平成17年) does. (A unit is no date: not 年, 月, 日.)
_FIGURE_RE = re.compile(
    r"(?:約|[△▲▼+＋\-−－¥￥])?[0-9０-９][0-9０-９,，.．]*"
    r"[ \u3000]*(?:[%％]|[^\s0-9０-９年月日]{1,3})?"
    r"|[-－―—‐…]"
)


def _figures_only(lines: list[str]) -> bool:
    """Whether a dated row's other cells are figures only (`_FIGURE_RE`), one a number."""
    return all(_FIGURE_RE.fullmatch(line) for line in lines) and any(
        line[:1] not in "-－―—‐…" for line in lines
    )


def _figures_row(item: _Item, context: YearContext | None) -> bool:
    """Whether a table row is dated by its first cells and holds figures only after them (the
    statistics row that `_hit` reads as no date), for --explain's reason."""
    if item.kind != "row":
        return False
    hit = _row_hit(item.cells or [], context, item.bare_year, item.bare_month, item.date_and_text)
    return hit is not None and bool(hit.inline) and _figures_only(hit.inline)


_BARE_MONTH_RE = re.compile(r"[0-9０-９]{1,2}")


def _bare_month(cell: str, year: YearContext, written: str) -> DateMatch | None:
    """A 月 column's bare number (4) as that month of `year`, its date text `written`."""
    if not _BARE_MONTH_RE.fullmatch(cell):
        return None
    found = _match(f"{int(unicodedata.normalize('NFKC', cell))}月", year)
    if found is None or found.rest or found.year_only:
        return None
    return DateMatch(written, found.span, "", False)


_DAY_CELL_RE = re.compile(r"[0-9０-９]{1,2}[ \u3000]*日")


def _with_day_cell(
    found: DateMatch, texts: list[str], at: int, context: YearContext | None
) -> tuple[DateMatch, int]:
    """A 年 | 月 | 日 | 事項 table's month, with the day of the cell at `at` when it holds one:
    the date, and the index of the first cell after it."""
    if len(found.span.start) != 7 or len(texts) <= at + 1 or not _DAY_CELL_RE.fullmatch(texts[at]):
        return found, at
    day = _match(found.date_text + texts[at], context)
    if (
        day is None
        or day.rest
        or len(day.span.start) != 10
        or day.span.start[:7] != found.span.start
    ):
        return found, at
    return DateMatch(found.date_text + texts[at], day.span, "", False), at + 1


def _after_prefix(line: str, prefix: str) -> str:
    """The text of `line` after its date `prefix` and the separator after it (a space, a colon,
    a dash between spaces: <strong>May 1985</strong> – First delegation)."""
    if line.startswith(prefix):
        rest = line[len(prefix) :].lstrip(_SEPARATOR_CHARS)
        dash = _DASH_LEAD_RE.match(rest)
        return (rest[dash.end() :] if dash else rest).strip()
    return line


_DASH_LEAD_RE = re.compile(r"[–—―-][ \t\u3000]+")


def _forced_hit(item: _Item, context: YearContext | None) -> _Hit | None:
    """A seed's date element: the date is its whole text (or its lead element's text)."""
    date_text = item.lead if item.lead is not None else " ".join(item.lines)
    found = _match(date_text, context) if date_text else None
    if found is None:
        return None
    inline = []
    if item.lead is not None and item.lines:
        rest = _after_prefix(item.lines[0], item.lead)
        inline = ([rest] if rest else []) + item.lines[1:]
    elif found.rest:
        inline = [found.rest]
    return _Hit(found, inline, standalone=True)
