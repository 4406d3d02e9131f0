"""`_Grouper`: the item stream to entries (an item that is a date opens one, the items after it
are its body), every other line to metadata or the page's text; `Trace`, where each line went
(`explain_page`)."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from pipeline.dates import (
    ERA_NAMES,
    DateMatch,
    YearContext,
    carried_year,
    era_context,
    within_era,
    year_context,
)
from pipeline.domain.records import EntryRecord
from pipeline.parse.bare_years import _BARE_YEAR_FIRSTS, _may_open_with_bare_year
from pipeline.parse.cards import _is_label
from pipeline.parse.day_order import _PAGE_ORDER, _PAGE_ORDER_WHY, ORDER_WORDS
from pipeline.parse.hits import (
    _DATE_GOES_ON,
    _disagreeing_years,
    _figures_row,
    _Hit,
    _hit,
    _runs_on_in_row,
)
from pipeline.parse.items import _Item
from pipeline.parse.matching import (
    _BULLET_FIRSTS,
    _BULLET_RE,
    _DATE_LINE_RE,
    _DATE_START_RE,
    _OLD_ERAS,
    _RUNS_ON_FIRSTS,
    _TRAILING_OPENERS,
    _match,
    _own_year,
    _single_year,
    _strict_match,
    _term_of_office,
    _trailing_bracket,
    _trailing_date,
)
from pipeline.parse.noise import _EN_SEASONS
from pipeline.parse.text import _lines, _site_names
from pipeline.parse.tree import _common_ancestor, _inside
from pipeline.parse.year_marks import _mark_bare_years


def _trailing_unused(line: str, role: str, current: _Open | None) -> str | None:
    """--explain's reason for a line ending with a date in brackets that is no entry (or one
    whose bracket opens with a date but holds more), or None."""
    read = _trailing_date(line)
    if read is None:
        start = _trailing_bracket(line, any_end=True)
        found = _match(line[start + 1 : -1].strip(), None) if start >= 0 else None
        if found is None or not found.rest:
            return None
        return f"the bracket ending the line holds more than a date ({found.rest!r}): no date"
    if _term_of_office(*read):
        return "an office holder's term in brackets (初代, 第2代 …: a roster), no event"
    if role == "body" and current is not None:
        return f"ends with a date in brackets, inside the body of {current.hit.match.date_text!r}"
    return (
        "ends with a date in brackets, but is not in a run of like lines dated so (two or more,"
        " not all of one date, more than half of the lines from the first to the last, none"
        " opening with a date)"
    )


def _dated_runs(lines: list[str], context: YearContext | None) -> list[list[str]] | None:
    """The lines of one block cut before each line that opens with a date and a separator
    (a <p> holding "平成12年9月　…<br>平成13年4月　…"), or None when there is nothing to cut.
    A year alone on its line (昭和45年<br>4月　開所) dates the lines below it as a year
    heading does."""
    starts = []
    year = context  # a dated line with its own year gives it to the year-less lines below it
    era = era_context(context.era) if context is not None and context.era is not None else None
    for i, line in enumerate(lines):
        if not _DATE_LINE_RE.match(line):
            continue
        found = _strict_match(line, year)
        if found is not None:
            starts.append(i)
            if found.year_only and not found.rest:
                # 昭和45年 alone on its line, over 4月　開所: a year heading inside the block
                try:
                    year = year_context(found)
                except ValueError:
                    continue
                if era is not None and era.era is not None:
                    year = within_era(year, era.era)
                continue
            own = _own_year(found, era)
            if own is not None:
                year = carried_year(found, own) if own else context
                if era is not None and year is not None and era.era is not None:
                    year = within_era(year, era.era)  # under 平成 alone: 6年 stays in 平成
    if not starts or (len(starts) == 1 and starts[0] == 0):
        return None
    cuts = sorted({0, *starts, len(lines)})
    return [lines[a:b] for a, b in itertools.pairwise(cuts)]


# A frozen dataclass's __init__ sets each field through object.__setattr__; setting the slots
# directly builds the same record in half the time. Only for a class without __post_init__.
assert not hasattr(EntryRecord, "__post_init__")
_object_new = object.__new__
_set_record_date_text = EntryRecord.date_text.__set__  # type: ignore[attr-defined]
_set_record_start = EntryRecord.start.__set__  # type: ignore[attr-defined]
_set_record_end = EntryRecord.end.__set__  # type: ignore[attr-defined]
_set_record_body = EntryRecord.body.__set__  # type: ignore[attr-defined]
_set_record_note = EntryRecord.note.__set__  # type: ignore[attr-defined]


@dataclass(slots=True)
class _Open:
    """The entry being built."""

    hit: _Hit
    item: _Item
    body: list[str] = field(default_factory=list)
    card: etree._Element | None = None  # a card layout: the card's element bounds the body
    box: etree._Element | None = None  # the box a dated heading opens bounds the body too
    ruled: bool = False  # a rule (<hr>) stands right before the date: the next one ends it
    # A heading naming years, not a month (昭和30年代, 昭和55〜57年, 令和元年頃): lines under it
    # that carry their own date start entries, as under a year heading.
    period: bool = False
    # One of several dated lines of loose text in a box, cut apart (`_Grouper._split_runs`):
    # its element is the box, whose paragraphs after the lines are not its body.
    loose: bool = False

    def record(self) -> EntryRecord:
        match = self.hit.match
        span = match.span
        # EntryRecord(date_text, start, end, body, note), slots set directly (33x a page)
        record = _object_new(EntryRecord)
        _set_record_date_text(record, match.date_text)
        _set_record_start(record, span.start)
        _set_record_end(record, span.end)
        _set_record_body(record, tuple(self.body))
        _set_record_note(record, span.note or None)
        return record

    def takes(self, item: _Item, forced: bool) -> bool:
        """Whether a non-date item after this entry's anchor belongs to its body."""
        if forced:
            return True
        if self.item.kind == "term":  # a <dt>'s entry ends with its <dl>: a note after it is not
            dl = next(self.item.el.iterancestors("dl"), None)
            return dl is None or _inside(item.el, dl)
        if self.hit.standalone or self.item.kind == "heading":
            return True
        # Date + text in one row/list item/paragraph: only same-kind siblings continue it, and
        # what is nested inside the anchor's own element (a list under a list item). One of
        # several dated lines of loose text in a box (<td><font>…<br>7月　記念誌を発行</font>
        # <p>（文責：広報部）</p></td>: the anchor's element is the box) is continued by that
        # text's next lines only, not by a paragraph after them, as a <br> line of a <p> is not.
        if item.group is self.item.group and item.kind == self.item.kind:
            return not self.loose or item.el is self.item.el
        anchor = self.item.el
        return item.el is not anchor and any(a is anchor for a in item.el.iterancestors())


def _year_titled_block(entry: _Open) -> bool:
    """An entry that is one paragraph holding a year (or fiscal year) and a title, not a
    sentence (<p>令和3年度 第3回 審議会資料</p>): the year names what the title is about, as a
    document's or a programme's name gives its year; no event on a day whose story goes on."""
    inline = entry.hit.inline
    return (
        entry.item.kind == "block"
        and not entry.hit.standalone
        and len(inline) == 1
        and "。" not in inline[0]
    )


# A sentence in the polite present, the page speaking to its reader (資料はPDF形式です。,
# ご連絡ください。, 掲載しています。), not a chronology's past (記念式典を開催しました。).
_PAGE_VOICE_ENDS = ("です。", "ます。", "ください。", "ません。")


def _page_voice(lines: list[str]) -> bool:
    """Whether every line is a sentence in the page's own voice (`_PAGE_VOICE_ENDS`)."""
    return bool(lines) and all(line.endswith(_PAGE_VOICE_ENDS) for line in lines)


# A note under a list (※…, 注：…, （注）…, 【注】…): `_Grouper._closing_notes`. Not an
# asterisk, which opens emphasis as often (*重要*).
_NOTE_FIRSTS = frozenset("※注（(【［")
_NOTE_RE = re.compile(r"※|注[:：記\s]|[（(【［]注[0-9０-９]*[）)】］]")

# How many one-line entries must come before the last for the undated paragraphs closing the
# content to read as notes (`_Grouper._notes_after_run`): after one alone, a paragraph is as
# likely the last entry's second line.
_NOTES_AFTER_RUN = 2


def _hanging(el: etree._Element) -> bool:
    """Whether a paragraph opens with two or more ideographic spaces: typed to stand under the
    text of the dated line above (平成17年　3月22日　合併し…, then 　　　　　　（旧町は閉町）, as an
    office document's export keeps its lines), its continuation, not a note (a paragraph's
    indent is one space)."""
    for text in el.itertext():
        if text.strip(" \t\r\n"):
            return text.lstrip(" \t\r\n").startswith("\u3000\u3000")
    return False


def _one_line(entry: _Open) -> bool:
    """An entry that is one block holding its date and its text (<p>平成5年4月1日　開園</p>),
    with nothing taken after it so far."""
    return (
        entry.item.kind == "block"
        and not entry.hit.standalone
        and len(entry.body) == len(entry.hit.inline)
    )


_HEADING_BOXES = frozenset(("section", "article", "div", "li", "details"))


def _section_end(items: list[_Item], index: int, forced: bool) -> int:
    """Where the section opened by a year item ends: at the next heading at its level or above;
    for a year that is not a heading (a dt, a paragraph), also at the next year of its kind,
    at any heading, and where its container (the dl, the list) ends."""
    anchor = items[index]
    container = anchor.group
    for j in range(index + 1, len(items)):
        item = items[j]
        if item.kind == "meta":
            continue
        if item.kind == "heading" and item.level <= anchor.level:
            return j
        if anchor.kind == "heading":
            continue
        if item.kind == "heading":
            return j
        if container is not None and not (
            item.el is container or any(a is container for a in item.el.iterancestors())
        ):
            return j
        if item.kind == anchor.kind:
            if item.lines and item.lines[0] in ERA_NAMES:
                return j  # the next era named alone (<dt>大正</dt> after <dt>明治</dt>)
            hit = _hit(item, None)
            if hit is not None and hit.match.year_only:
                return j
    return len(items)


@dataclass(slots=True)
class Trace:
    """Where each line of the content went, for `keika parse --explain` and the tests that
    check nothing is dropped. `content` holds every line the parser read as content, in order;
    `roles` the same lines with what became of them: "entry" (an entry's date line, with any
    text after the date), "body", "text" (page.text), "meta" (metadata and furniture read
    into `page` or dropped as such), "context" (a year heading that dates the lines below it,
    a decade's heading over dated lines, or an era named alone over its years).
    `unused` lists lines that looked like dates but start no entry, with the reason."""

    rule: str = ""
    # How the page's days and months in figures (04/12/2015) are read, and why ("": it writes
    # none, or is not scanned: `pipeline.parse.day_order`).
    order: str = ""
    roles: list[tuple[str, str]] = field(default_factory=list)
    unused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def content(self) -> list[str]:
        return [line for _, line in self.roles]

    def lines(self, role: str) -> list[str]:
        return [line for r, line in self.roles if r == role]

    def add(self, role: str, lines: Iterable[str]) -> None:
        self.roles.extend((role, line) for line in lines)


class _Grouper:
    """Turns the item stream into entries and the page's own text (module docstring, step 5).

    Each item is, in page order, one of: an entry's anchor (a date), a line of the open entry's
    body, a year that only dates the lines below it, metadata, or the page's own text.
    `forced`: only items of kind "date" (a seed's date elements) start entries. `bodies`: a
    seed's body elements; when given, only their lines make up bodies.
    """

    def __init__(
        self,
        items: list[_Item],
        *,
        forced: bool = False,
        bodies: frozenset[etree._Element] | None = None,
        title: str | None = None,
        root: etree._Element | None = None,
        trace: Trace | None = None,
        terms_as_text: bool = True,
    ) -> None:
        self.items = list(items)  # dated runs of a block may be split into items of their own
        self.forced = forced
        self.bodies = bodies
        self.title = title
        self.root = root
        self.trace = trace
        self.terms_as_text = terms_as_text  # (`_Noise.terms_as_text`)
        self.entries: list[EntryRecord] = []
        self.text: list[str] = []
        self.current: _Open | None = None
        self.context: YearContext | None = None
        self.context_until = -1
        # An era named alone (<h2>平成</h2>) over its years (`_era_section`): the context again
        # after a year's section inside it ends, until its own section ends. While it holds,
        # no context runs past it (context_until <= era_until), so `_step` watches one index.
        self.era: YearContext | None = None
        self.era_until = -1
        self.last_text: tuple[int, int] | None = None  # (item index, len(text) before it)
        self.may_anchor = True  # whether the item in hand could have started an entry
        self.years_marked = forced  # `_mark_bare_years` done (never with a seed's dates)
        self.last_dated: DateMatch | None = None  # the last entry's date (for a 同年 below it)
        # Where the run of items sharing a group ends (`_run_end`): found once per run, not
        # once per dated row (a 4000-row 年表 was quadratic). Dropped when items are split.
        self.run_group: etree._Element | None = None
        self.run_end = -1
        # How many entries in a row were a paragraph each, date and text in one line and no
        # paragraph after it (`_notes_after_run`): the page's entries are one paragraph long.
        self.one_line_run = 0
        self.hung: _Open | None = None  # a one-line entry that took a line hanging under it
        self.loose_runs: set[int] = set()  # id() of the items cut from loose text (`_Open.loose`)

    def run(self) -> tuple[list[EntryRecord], list[str]]:
        i = 0
        while i < len(self.items):
            self._step(i)
            i += 1
        self._closing_notes()
        self._close()
        return self.entries, self.text

    # -- one item ---------------------------------------------------------------------------

    def _step(self, i: int) -> None:
        item = self.items[i]
        if i == self.context_until:
            self._contexts_end(i)
        kind = item.kind
        if kind == "meta":
            self._role("meta", item.lines)
            return
        current = self.current
        if kind == "rule":
            # Entries set between rules (<hr><b>平成14年3月</b><br>…<hr>): the next rule ends
            # one that a rule opened, so what follows the last is not its body.
            if current is not None and current.ruled:
                self._close()
            return
        forced = self.forced
        if (  # the common case first: a line under a dated (not year-only) heading is its body
            current is not None
            and kind != "heading"
            and not forced
            and self.trace is None
            and current.item.kind == "heading"
            and not current.hit.match.year_only
            and not current.period
            and (current.box is None or _inside(item.el, current.box))
        ):
            lines = item.lines
            if lines and lines[0][:1] in _BARE_YEAR_FIRSTS and not self.years_marked:
                self._mark_years(lines[0])  # (as the general path, which --explain takes)
            current.body.extend(lines if kind != "row" else _row_line(item))
            return
        if kind == "heading" and not forced and self.trace is None:
            # The other common case: a dated heading opens an entry (`_hit` and `_open`,
            # inlined). Year-only and undated headings take the general path below.
            lines = item.lines
            if lines and lines[0][:1] in _BARE_YEAR_FIRSTS and not self.years_marked:
                self._mark_years(lines[0])  # (as above)
            found = (
                _strict_match(lines[0] if len(lines) == 1 else " ".join(lines), self.context)
                if lines
                else None
            )
            if found is not None and not found.year_only and len(found.span.start) > 4:
                self.may_anchor = True
                if current is not None:
                    self.entries.append(current.record())
                self.one_line_run = 0  # (`_close`: a heading's entry is no one-line entry)
                rest = found.rest
                self.current = _Open(
                    _Hit(found, [rest] if rest else [], True), item, [rest] if rest else []
                )
                self.last_dated = found
                if item.el.getprevious() is None:  # `_heading_box`'s first test (cheapest)
                    self.current.box = self._heading_box(i, item.el)
                self.current.ruled = i > 0 and self.items[i - 1].kind == "rule"
                return
        if current is not None and current.box is not None and not _inside(item.el, current.box):
            self._close()  # out of the dated heading's box: the entry ends there
            current = None
        # Inside a dated heading's section only headings may start a new entry: the lines
        # under "平成4年9月" that begin "18日から19日、…" are its body, not new dates.
        may_anchor = (
            forced
            or current is None
            or current.item.kind != "heading"
            or item.kind == "heading"
            or current.hit.match.year_only
            or current.period
        )
        if forced and item.kind != "date":
            may_anchor = False
        elif may_anchor and current is not None and current.item.kind == "card":
            # In a card dated at its end, no line starts an entry (`_date_cards_at_end` saw
            # no date in it but years: 令和元年度 通常総会 is a title).
            may_anchor = current.card is None or not _inside(item.el, current.card)
        if may_anchor and not forced and item.kind == "block" and len(item.lines) > 1:
            item = self._split_runs(i, item)
        self.may_anchor = may_anchor
        if not self.years_marked and item.lines:
            self._mark_years(item.lines[0])  # (only on a page with such a line: it costs 1%)
        hit = _hit(item, self.context) if may_anchor and not (item.links or item.foreign) else None
        if (
            hit is None
            and item.lines
            and item.lines[0][:2] == "同年"
            and self.context is None
            and self.last_dated is not None
            and may_anchor
            and not (item.links or item.foreign)
        ):  # 同年10月 in the paragraph after 平成15年4月's: the year that entry wrote
            own = _own_year(self.last_dated, self.era) or _single_year(self.last_dated)
            hit = _hit(item, YearContext(own)) if own else None
        if (
            hit is None
            and item.lines
            and item.lines[0] in ERA_NAMES
            and may_anchor
            and not (forced or item.links or item.foreign)
            and self._era_section(i, item)
        ):
            hit = _hit(item, self.context) if item.kind == "row" else None
            if hit is None:  # (昭和 | 30年 | 内容: the row is dated in its era)
                if item.kind == "row":
                    self._role("context", item.lines)  # <th colspan="3">昭和</th>
                return
        if hit is not None and hit.standalone:
            if hit.match.year_only:
                if self._year_section(i, hit):
                    return
                if item.kind == "row":  # a year row over no dated rows: an entry like any row
                    hit.standalone = False
            elif (
                item.kind == "heading"
                and len(hit.match.span.start) == 4
                and self._year_section(i, hit)  # 昭和30年代 over dated lines
            ):
                return
        if (
            hit is not None
            and kind == "row"
            and hit.inline
            and hit.match.year_only
            and (  # (a month, perhaps after a bullet, opens the cell: a cheap test first)
                hit.inline[0][:1] in _RUNS_ON_FIRSTS or hit.inline[0][:1] in _BULLET_FIRSTS
            )
            and not forced
            and self._year_row_lines(i, hit)
        ):
            return
        if (
            hit is not None
            and current is None
            and not self.entries
            and item.kind == "block"
            and self._dateline(i, hit)
        ):
            self._outside(i, item, "a notice's dateline: its date and the site's name signing it")
        elif (
            hit is not None
            and item.kind != "heading"  # (dated headings take `_step`'s fast path)
            and hit.match.span.start != hit.match.span.end
            and self.terms_as_text
            and self._term_first(i, hit)
        ):
            self._close()
            self._outside(i, item, "an office holder's term (初代, 第2代 … after it: a roster)")
        elif hit is not None:
            self._open(i, item, hit)
        elif item.kind == "date":
            self._outside(i, item, "a seed's date element whose text is no date")
        elif current is not None and current.card is not None:
            if _inside(item.el, current.card):
                self._body(item)
            else:
                self._close()
                self._outside(i, item)
        elif item.kind == "heading" and not forced:
            if current is not None and (
                current.item.kind != "heading" or item.level <= current.item.level
            ):
                self._close()
                self._outside(i, item)
            elif current is not None:
                self._body(item)
            else:
                self._outside(i, item)
        elif kind == "row" and not forced and self._disagreeing_row(i, item):
            return
        elif (
            kind == "row"
            and item.lines
            and item.lines[0][:1] in _NOTE_FIRSTS  # (the cheap test first)
            and not forced
            and current is not None
            and current.item.kind == "row"
            and self._closing_note_rows(i, item)
        ):
            self._close()
            self._outside(i, item, "a note row closing its table: page text")
        elif (
            current is not None
            and not (item.kind == "row" and item.header_row and current.item.kind == "row")
            and current.takes(item, forced)
        ):
            if (
                (
                    self.one_line_run >= _NOTES_AFTER_RUN
                    and kind == "block"
                    and item.group is current.item.group  # a paragraph beside it, not inside it
                    and (_one_line(current) or current is self.hung)
                    and not forced
                    and self._notes_after_run(i)
                )
                or (  # remarks to the reader after a year's title (`_remarks_after_title`)
                    kind == "block"
                    and item.lines
                    and item.lines[-1][-1:] == "。"  # (a sentence: the cheap test first)
                    and current.hit.match.year_only
                    and not forced
                    and _year_titled_block(current)
                    and item.group is current.item.group
                    and self._remarks_after_title(i)
                )
            ):
                self._close()
                self._outside(i, item)
            else:
                self._body(item)
        else:
            self._outside(i, item)

    def _closing_note_rows(self, i: int, item: _Item) -> bool:
        """Whether row i and the rows after it to its table's end are notes, each one cell
        (<tr><td colspan="3">※印は予定です。</td></tr>) opening with ※ or 注 and undated: a
        note under the whole table, as under a list (`_closing_notes`), not the last dated
        row's body."""
        items = self.items
        j = i
        while j < len(items) and items[j].kind == "row" and items[j].group is item.group:
            row = items[j]
            cells = row.cells or [row.lines]  # (one cell: beside an empty one, a row's remark)
            if (
                len(cells) != 1
                or not cells[0]
                or _NOTE_RE.match(cells[0][0]) is None
                or _hit(row, self.context) is not None
            ):
                return False
            j += 1
        return True

    def _disagreeing_row(self, i: int, item: _Item) -> bool:
        """A row whose 西暦 and 和暦 cells disagree (1990 | 昭和30年 | 開館), which `_hit` reads
        as no date: a wrong date is worse than none, and the row is no line of the dated row
        above it either (an event of its own, its year unknown): page text, the row entry
        above it closed. So is a row of a table dated in its first cells whose date runs
        straight into its text there (平成11年4月開館 | 分館: `_date_and_text_rows`). Under a
        dated heading it stays that entry's body, as its table's other rows are. True when
        the row was put so."""
        current = self.current
        if current is not None and current.item.kind != "row" and current.takes(item, False):
            return False
        if item.date_and_text and _runs_on_in_row(item, self.context):
            why = "the date runs straight into text in its cell (no separator after it): no date"
        else:
            pair = _disagreeing_years(item, self.context)
            if pair is None:
                return False
            why = f"its 西暦 and 和暦 cells disagree ({pair[0]} is not {pair[1]}): no date"
        self._close()
        self._outside(i, item, why)
        return True

    def _closing_notes(self) -> None:
        """The last entry's body lines that are a note closing the content (※分館の開館時間は
        …, （注）…) and the undated paragraphs after it go back to the page's text: standing
        outside the entry's own element and box (beside its year or its dated heading, not in
        its item), the note is one under the whole list, as under a table. Done once, when
        the items are read (no cost per line)."""
        current = self.current
        if current is None or self.forced or not current.body:
            return
        items = self.items
        note = None
        k = len(items)
        while k > 0 and items[k - 1].kind in ("block", "meta"):
            k -= 1
            lines = items[k].lines
            if (
                items[k].kind == "block"
                and lines
                and lines[0][:1] in _NOTE_FIRSTS
                and _NOTE_RE.match(lines[0]) is not None
            ):
                note = k
        if note is None:
            return
        first = items[note]
        if _inside(first.el, current.item.el) or any(
            bound is not None and _inside(first.el, bound) for bound in (current.card, current.box)
        ):
            return
        taken = [item for item in items[note:] if item.kind == "block"]
        if any(_hit(item, self.context) is not None for item in taken):
            return
        lines = [line for item in taken for line in item.lines]
        if current.body[-len(lines) :] != lines:
            return  # (not all of them were its body)
        del current.body[-len(lines) :]
        self.text.extend(lines)
        if self.trace is not None:
            roles, left = self.trace.roles, len(lines)
            for n in range(len(roles) - 1, -1, -1):
                if left == 0:
                    break
                if roles[n][0] == "body":
                    roles[n] = ("text", roles[n][1])
                    left -= 1

    def _notes_after_run(self, i: int) -> bool:
        """Whether the undated paragraph i ends the content after the last of the page's
        one-line entries (<p>平成5年4月1日　開園</p>…<p>（注）…</p>): only undated paragraphs
        follow it, so they are notes under the list (page text), not the last entry's body, as
        no entry before it took a paragraph after its line. A heading or a dated line after
        it leaves it the entry's body (a remark closing a section), and so does an indent
        (`_hanging`) setting it under the text of the line above."""
        items = self.items
        if _hanging(items[i].el):
            self.hung = self.current  # still one line, for the notes after it
            return False
        for j in range(i + 1, len(items)):
            item = items[j]
            if item.kind == "meta":
                continue
            if item.kind != "block" or _hit(item, self.context) is not None:
                return False
        return True

    def _remarks_after_title(self, i: int) -> bool:
        """Whether paragraph i and the paragraphs beside it up to the next heading (or the
        content's end) are the page's remarks to its reader (`_page_voice`: 資料はPDF形式です。,
        …までご連絡ください。), and no dated line follows them anywhere below: notes on the list
        of titles above, not the last title's body. (Before a later dated line, a chronology's
        next section, they stay the entry's body.)"""
        items = self.items
        group = items[i].group
        remarks = True  # still among the paragraphs before the next heading
        for j in range(i, len(items)):
            item = items[j]
            kind = item.kind
            if kind == "meta":
                continue
            if _hit(item, self.context) is not None:
                return False
            if kind == "heading":
                remarks = False
            elif (
                remarks
                and kind == "block"
                and item.group is group
                and not item.links
                and not _page_voice(item.lines)
            ):
                return False
        return True

    def _dateline(self, i: int, hit: _Hit) -> bool:
        """Whether the page's first dated line is its last line too, a date and the site's
        name that signs it (2023年4月1日　みずなら市, みずなら市長 山田太郎): a notice's dateline
        (a maintenance or closure notice served in the page's place), no event."""
        signer = hit.inline
        for item in itertools.islice(self.items, i + 1, None):
            if item.kind != "meta":
                if signer or item.kind != "block":
                    return False
                signer = item.lines  # the name on a line of its own after the date
        if len(signer) != 1 or self.root is None:
            return False
        name = signer[0].split()[0]
        if name[-2:] == "役所":
            name = name[:-2]
        elif name[-1:] == "長":
            name = name[:-1]
        sites = _site_names(self.root.getroottree().getroot())
        return len(name) > 1 and any(site.startswith(name) for site in sites)

    def _term_first(self, i: int, hit: _Hit) -> bool:
        """Whether a span opens a roster's line, row or term: the text after it (on its line,
        or the item below a date alone) opens with a succession ordinal (昭和22年4月～昭和30年3月
        初代 山田太郎): the holder's term of office (`_term_of_office`), no event."""
        if hit.inline:
            return _term_of_office(hit.inline[0], hit.match)
        nxt = next(
            (it for it in itertools.islice(self.items, i + 1, None) if it.kind != "meta"), None
        )
        return (
            hit.standalone
            and nxt is not None
            and bool(nxt.lines)
            and nxt.kind in ("block", "row")
            and _term_of_office(nxt.lines[0], hit.match)
        )

    def _mark_years(self, line: str) -> None:
        """Mark the bare years among the items (`_mark_bare_years`) at the first line that may
        open with one, on whichever path `_step` takes it: the fast paths, which --explain does
        not take, too, so that a later look ahead (`_notes_after_run`, `_closing_notes`) reads
        the same lines as dated with or without a trace."""
        if _may_open_with_bare_year(line):
            _mark_bare_years(self.items)
            self.years_marked = True

    def _split_runs(self, i: int, item: _Item) -> _Item:
        """One block holding several dated lines: one item per dated run."""
        runs = _dated_runs(item.lines, self.context)
        if runs is None:
            return item
        # A dated run's entry ends with the block: the paragraph after one that packs its
        # entries line by line is not the last line's body. (An undated first run stays in
        # the parent's group: it may continue the entry before the block.)
        undated = _strict_match(runs[0][0], self.context) is None
        self.run_group = None  # the indices after i move
        self.items[i : i + 1] = cut = [
            _Item("block", item.el, run, item.group if n == 0 and undated else item.el, 7)
            for n, run in enumerate(runs)
        ]
        if item.el is item.group:  # loose text of its box (`_Flattener._flush_inline`)
            self.loose_runs.update(map(id, cut))
        if self.context_until > i:
            self.context_until += len(runs) - 1
        if self.era_until > i:
            self.era_until += len(runs) - 1
        return self.items[i]

    def _year_row_lines(self, i: int, hit: _Hit) -> bool:
        """A row whose year cell (平成30年度, 2018年) sits beside a cell of month lines (5月
        訪問団受入<br>10月　中学生派遣): the year dates them as a year heading dates the lines
        under it, each dated line an entry bounded by the row. True when the row was so read.
        Not under another year (a year heading's section): that year would be lost."""
        if self.context is not None and self.context is not self.era:
            return False
        try:
            year = year_context(hit.match)
        except ValueError:
            return False
        if self.era is not None and self.era.era is not None:
            year = within_era(year, self.era.era)
        if _strict_match(hit.inline[0], year) is None:
            return False
        runs = _dated_runs(hit.inline, year) or [hit.inline]  # (one dated run: no cut)
        self._close()
        self._role("context", [hit.match.date_text])
        row = self.items[i].el
        self.run_group = None  # the indices after i move
        self.items[i : i + 1] = [_Item("block", row, run, row, 7) for run in runs]
        if self.era_until > i:
            self.era_until += len(runs) - 1
        self.context, self.context_until = year, i + len(runs)
        self._step(i)
        return True

    def _year_section(self, i: int, hit: _Hit) -> bool:
        """A year heading (2018年度, 平成30年) whose section holds year-less dated lines gives
        them its year. Lines between it and the first dated line (オンライン交流会を開始した。)
        make it an entry of its own with those lines as body. True when the item was dealt
        with here (the year dates the section); False when its section holds no such lines.
        A heading naming several years (昭和30年代) heads its dated lines the same way, but
        gives them no year."""
        items = self.items
        end = _section_end(items, i, self.forced)
        year = year_context(hit.match) if hit.match.year_only else None
        if year is not None and self.era is not None and self.era.era is not None:
            year = within_era(year, self.era.era)  # 5年 under 平成: 6年 below it is 平成's too
        first_dated = None
        for j in range(i + 1, end):
            if self.forced and items[j].kind != "date":
                continue
            found = _hit(items[j], year)
            # (under a period, 昭和30年代, a year's own line or heading is dated too)
            if found is not None and (year is None or not found.match.year_only):
                first_dated = j
                break
        if first_dated is None:
            return False
        self._close()
        if self.era is not None:
            end = min(end, self.era_until)
            if year is None:
                year = self.era  # 昭和30年代 under 昭和: no year, but the era still holds
        self.context, self.context_until = year, end
        undated = any(
            items[j].kind == "block" or (items[j].kind == "row" and not items[j].header_row)
            for j in range(i + 1, first_dated)
        )  # a sub-heading or a table's header row alone does not make the year an entry
        if undated and not self.forced:
            self._open(i, items[i], hit)  # the year is an entry; the lines below, its body
            return True
        self._role("context", items[i].lines)
        return True

    # -- where lines go ---------------------------------------------------------------------

    def _open(self, i: int, item: _Item, hit: _Hit) -> None:
        self._close()
        bodies = self.bodies
        inline = hit.inline if bodies is None else _selected_lines(item, bodies, hit.inline)
        current = self.current = _Open(hit, item, list(inline))
        if self.loose_runs and id(item) in self.loose_runs:
            current.loose = True
        current.ruled = i > 0 and self.items[i - 1].kind == "rule"
        self._role("entry", item.lines)
        if hit.match.date_text[:2] != "同年":
            self.last_dated = hit.match
        if hit.row_year is not None:  # the year holds for the following rows of its table
            items = self.items
            end = i + 1
            while end < len(items) and items[end].group is item.group:
                end += 1
            self.context, self.context_until = hit.row_year, end
            if self.era is not None and self.era.era is not None:
                self.context = within_era(hit.row_year, self.era.era)
                self.context_until = min(end, self.era_until)
        elif item.kind == "row" or (
            item.kind == "block" and (item.group is item.el or item.el.tag == "li")
        ):
            self._carry_year(i, item, hit)
        if item.kind == "heading" and not hit.match.year_only and not self.forced:
            current.box = self._heading_box(i, item.el)
            current.period = len(hit.match.span.start) == 4
        elif item.kind == "block" and hit.standalone and not self.forced:
            self._card(i, current)
            if current.card is None:
                self._row_box(i, current)
            if current.card is None:
                self._box_end(i, current)
        elif item.kind == "card":
            current.card = item.group  # the card bounds its entry
        elif item.kind == "ended":
            self._close()  # the line is the whole entry: the run's undated lines are page text

    def _carry_year(self, i: int, item: _Item, hit: _Hit) -> None:
        """A date that writes its year, in a table row, a list item or a line of a block,
        gives that year to the rows (items, lines) after it that write only a month or a
        day: a 年月 | 事項 table or a 年表 writes the year on each year's first row only
        (1951年3月, then 4月)."""
        era = self.era
        own = _own_year(hit.match, era)
        if own is None:
            return
        end = self._run_end(i, item)
        context = self.context
        if context is not None and self.context_until > end and context.year is not None:
            return  # a year heading's section goes on after the list: its year holds
        if own:
            self.context, self.context_until = carried_year(hit.match, own), end
            if era is not None and era.era is not None:  # 5年4月 under 平成: 6年 is 平成's too
                self.context = within_era(self.context, era.era)
                self.context_until = min(end, self.era_until)
        elif context is not None:  # a span across two years: no one year to give
            self.context, self.context_until = era, self.era_until

    def _run_end(self, i: int, item: _Item) -> int:
        """The index after the run of items from i on that share item i's group."""
        group = item.group
        if group is not None and group is self.run_group and self.run_end > i:
            return self.run_end
        items = self.items
        end = i + 1
        while end < len(items) and items[end].group is group:
            end += 1
        self.run_group, self.run_end = group, end
        return end

    def _contexts_end(self, i: int) -> None:
        """Item i ends a year's section or an era's (`_era_section`): after a year inside an
        era (平成, then 5年), the era holds again; after the era, nothing does."""
        if i == self.era_until:
            self.era, self.era_until = None, -1
        self.context, self.context_until = self.era, self.era_until

    def _era_section(self, i: int, item: _Item) -> bool:
        """An era named alone (<h2>平成</h2>, <dt>明治</dt>, a row's first cell 昭和, a table's
        <caption>) over lines that write their years without it (元年4月, 5年10月, a next cell
        30年): it gives them its era, as a year heading gives its year, up to the next heading
        at its level (the next term or row naming an era, the end of the list or table). True
        when its section holds such a dated line (the row itself may).

        The era is never an entry of its own, even over undated lines (then page text): an
        era spans decades and shares its first and last years with the eras beside it (平成
        began on 1989-01-08), so it is no date the page gives an event. A heading over no
        dated line, or an era word in a sentence (平成の時代には…), is read as usual."""
        era = era_context(item.lines[0])
        if era is None:
            return False
        items = self.items
        if item.kind == "row":
            cells = item.cells or []
            if not cells or cells[0] != item.lines[:1]:
                return False  # the era is the first cell, and all of it
            start, end = i, i + 1
            while (
                end < len(items)
                and items[end].group is item.group
                and not (items[end].lines and items[end].lines[0] in ERA_NAMES)
            ):
                end += 1
        elif item.kind in ("heading", "term") and len(item.lines) == 1:
            start, end = i + 1, _section_end(items, i, False)
        elif item.kind == "block" and item.el.tag == "caption" and len(item.lines) == 1:
            start = end = i + 1  # <caption>令和</caption>: its table's rows
            while end < len(items) and items[end].group is item.group:
                end += 1
        else:
            return False
        if not any(
            not (items[j].links or items[j].foreign) and _hit(items[j], era) is not None
            for j in range(start, end)
        ):
            return False
        self._close()
        self.era, self.era_until = era, end
        self.context, self.context_until = era, end
        if item.kind != "row":
            self._role("context", item.lines)
        return True

    def _heading_box(self, i: int, heading: etree._Element) -> etree._Element | None:
        """The box a dated heading opens (<section><h4>平成27年4月1日</h4><div>…</div>
        </section>): the heading is its first element and the next item is inside it. The
        box bounds the entry: the notes after the last box are not its body. A card's header
        box (<div class="entry-header"><div class="date">…</div><h2>…</h2></div>, <header>)
        is not the whole card: the box is the card around it, as in `_card`."""
        box = heading.getparent()
        if box is None or box[0] is not heading:
            return None
        if box.tag not in _HEADING_BOXES or "head" in (box.get("class") or "").lower():
            while (
                box.tag in ("header", "hgroup") or "head" in (box.get("class") or "").lower()
            ) and box.getparent() is not None:
                box = box.getparent()
            if box.tag not in _HEADING_BOXES:
                return None
        items = self.items
        if i + 1 >= len(items) or not _inside(items[i + 1].el, box):
            return None
        if self.root is not None and _inside(self.root, box):
            return None  # the content itself, not a box in it
        return box

    def _card(self, i: int, current: _Open) -> None:
        """A date alone in a small element of a card's header, with the card's title in a
        heading beside it (before or after): the entry is the card, its body the title and
        the card's other text in order."""
        items = self.items
        date_el = current.item.el
        title_index = None
        before = self.last_text
        if before is not None and before[0] == i - 1 and items[i - 1].kind == "heading":
            title_index = i - 1
        elif i + 1 < len(items) and items[i + 1].kind == "heading":
            title_index = i + 1
        if title_index is None:
            return
        heading = items[title_index]
        if _strict_match(" ".join(heading.lines), None) is not None:
            return  # a dated heading: an entry of its own
        card = _common_ancestor(date_el, heading.el)
        if card is None or card.tag in ("body", "main", "html"):
            return
        while (
            card.tag in ("header", "hgroup") or "head" in (card.get("class") or "").lower()
        ) and card.getparent() is not None:
            card = card.getparent()
        if card.tag in ("body", "main", "html") or not self._lone_date(card, i):
            return
        current.card = card
        if title_index == i - 1 and before is not None:  # the title came first: take it back
            del self.text[before[1] :]
            if self.trace is not None:
                del self.trace.roles[-len(heading.lines) - len(current.item.lines) :]
                self.trace.add("body", heading.lines)
                self.trace.add("entry", current.item.lines)
            current.body[:0] = heading.lines
            self.last_text = None

    def _row_box(self, i: int, current: _Open) -> None:
        """A date alone in its own element, its text in the elements beside it, and the
        three in a box of their own (<div class="row"><div class="date">…</div><div
        class="txt">…</div></div>): the box bounds the entry, so the page's notes after the
        last box are not taken for its body."""
        items = self.items
        box = current.item.el.getparent()
        if box is None or box.tag in ("body", "main", "html"):
            return
        if self.root is not None and _inside(self.root, box):
            return  # the content itself, not a box in it
        if i + 1 >= len(items) or not _inside(items[i + 1].el, box):
            return  # the date's box holds nothing else: its body follows outside it
        if self._lone_date(box, i):
            current.card = box

    def _box_end(self, i: int, current: _Open) -> None:
        """A date alone that ends a box holding the text before it (a card's last line, not of
        a run of cards dated so: <div class="post"><h3>…</h3><p>…</p><p>2023年5月10日</p></div>)
        takes no body from outside the box: what follows is another card's text or the page's,
        and a date given to the wrong text is worse than a date with none. The box is the
        largest holding the date but not the next item; it ends a card when it stands in the
        content itself, or holds a title or text before the date (not a card's header box of a
        date and its category: <div class="head"><span>お知らせ</span><p>date</p></div>, whose
        card goes on after it)."""
        items = self.items
        if i == 0 or i + 1 >= len(items):
            return
        root = self.root
        after = items[i + 1].el
        box = None
        for a in (current.item.el, *current.item.el.iterancestors()):
            if a is root or a.tag in ("body", "main", "html") or _inside(after, a):
                break
            box = a
        if box is None:
            return
        j = i - 1
        substantial = False
        while j >= 0 and _inside(items[j].el, box):
            before = items[j]
            if before.kind == "heading" or (
                before.kind != "meta" and any(not _is_label(line) for line in before.lines)
            ):
                substantial = True
            j -= 1
        if j == i - 1:
            return  # nothing before the date in its box: the box opens with it
        if substantial or box.getparent() is root:
            current.card = box

    def _lone_date(self, card: etree._Element, i: int) -> bool:
        """Whether item i is the only date in `card` (else it is a list, not a card). A year
        alone before it in the card is its year, not another date (<div class="item"><div
        class="year">2015</div><div class="month">4月</div><div class="text">…</div></div>)."""
        items = self.items
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(items) and _inside(items[j].el, card):
                if items[j].kind != "meta":
                    hit = _hit(items[j], self.context)
                    if hit is not None and not (step < 0 and hit.match.year_only):
                        return False
                j += step
        return True

    def _body(self, item: _Item) -> None:
        current = self.current
        assert current is not None
        lines = _row_line(item)
        if self.bodies is not None:
            lines = _selected_lines(item, self.bodies, lines)
            if self.trace is not None and len(lines) < len(item.lines):
                unselected = [line for line in item.lines if line not in lines]
                self.trace.add("unselected", unselected)  # the seed's body selector left them
        current.body.extend(lines)
        if self.trace is not None:
            self.trace.add("body", lines)
            self._unused(item, "body")

    def _outside(self, i: int, item: _Item, why: str | None = None) -> None:
        """An item outside every entry: the page's own text (the title heading: metadata)."""
        lines = item.lines
        if self.title is not None and " ".join(lines) == self.title:
            self._role("meta", lines)  # the page's title again (a heading, a caption, a line)
            if item.kind == "heading" and self.context is None and self.era is None:
                year = _title_year(self.title)
                if year is not None:  # 市長の動き（令和6年5月）: its 5月1日 rows are 2024's
                    self.context, self.context_until = year, len(self.items)
            return
        if item.links:
            self._link_list(i, item)
            return
        lines = _row_line(item)
        self.last_text = (i, len(self.text))
        self.text.extend(lines)
        self._role("text", lines)
        if self.trace is not None and why is not None and lines:
            self.trace.unused.append((lines[0], why))
        elif self.trace is not None:
            self._unused(item, "text")

    def _link_list(self, i: int, item: _Item) -> None:
        """A list of links outside every entry (the site's menu inside the content: 会社概要,
        沿革, 拠点一覧 …) is navigation, with the heading right above it as its label. (Under
        an entry, links are its body: 報告書（PDF）.)"""
        before = self.last_text
        heading = self.items[i - 1] if i > 0 else None
        if (
            before is not None
            and before[0] == i - 1
            and heading is not None
            and heading.kind == "heading"
            and item.group is not None
            and item.group.getprevious() is heading.el
        ):
            del self.text[before[1] :]
            if self.trace is not None:
                del self.trace.roles[-len(heading.lines) :]
                self.trace.add("meta", heading.lines)
        self.last_text = None
        self._role("meta", item.lines)

    def _unused(self, item: _Item, role: str) -> None:
        """For --explain: the lines of a body/text item that look like dates, and why they
        start no entry."""
        assert self.trace is not None
        current = self.current
        for n, line in enumerate(item.lines):
            if not _DATE_LINE_RE.match(line):
                if line[-1:] in _TRAILING_OPENERS:
                    why = _trailing_unused(line, role, current)
                    if why is not None:
                        self.trace.unused.append((line, why))
                continue
            strict = _strict_match(line, self.context)
            loose = _match(_BULLET_RE.sub("", line.strip()), self.context)
            if strict is None and loose is None and line[-1:] in _TRAILING_OPENERS:
                why = _trailing_unused(line, role, current)  # (第2代 山田太郎（…～…）)
                if why is not None:
                    self.trace.unused.append((line, why))
                    continue
            if strict is None and loose is None:
                like = _DATE_LIKE_RE.match(line)
                if like is not None:
                    year = _match(_BULLET_RE.sub("", like.group(0)).lstrip("【［[〔"), None)
                    after = line[like.end() : like.end() + 1]
                    self.trace.unused.append(
                        (line, "the date runs straight into text (no separator after it)")
                        if year is not None and not after.isdigit()  # 1968年の創業以来…
                        else (line, "looks like a date but is not a valid one")
                    )
                elif _FIGURES_DAY_MONTH_RE.match(line):
                    self.trace.unused.append((line, _figures_unused()))
                elif _PARTIAL_DATE_RE.match(line):
                    where = (
                        f"read as part of the body of {current.hit.match.date_text!r}"
                        if role == "body" and current is not None
                        else "no year above it to complete it"
                    )
                    self.trace.unused.append((line, f"a month or day without a year: {where}"))
                continue
            if n > 0 and strict is not None:
                why = "a later line of a block whose first line is not a date"
            elif strict is None:
                why = "the date runs straight into text (no separator after it)"
            elif not self.may_anchor and current is not None and current.item.kind == "card":
                why = f"in the card dated {current.hit.match.date_text!r}: part of its body"
            elif not self.may_anchor and current is not None:
                why = f"under the dated heading {current.hit.match.date_text!r}: part of its body"
            elif item.kind == "heading":
                why = "a heading that is not only a date"
            elif role == "body":
                why = "inside an entry's own element: part of its body"
            elif item.kind == "row" and _hit(item, self.context) is None and n == 0:
                why = _row_unused(item, self.context)
            else:
                why = "date with text in a kind of line that starts no entry here"
            self.trace.unused.append((line, why))

    def _close(self) -> None:
        current = self.current
        if current is not None:
            self.entries.append(current.record())
            self.one_line_run = self.one_line_run + 1 if _one_line(current) else 0
            self.current = None

    def _role(self, role: str, lines: list[str]) -> None:
        if self.trace is not None:
            self.trace.add(role, lines)


# An English date's head as --explain judges it: a month's name (as a word) with a day and a
# four-digit year or the year alone, perhaps after a weekday (May 32, 2019; Sat. 31 April 2019;
# April 2019's festival), and a range's end up to its year (May 10, 1985 - June 31, 1985), so
# that a head that reads with an end that does not is no date, not a date running into text;
# or a season or a month's or year's part and its year (Summer 1985th anniversary, Early April
# 2019's), or a year, a month and a day (1985 April 31 Festival; not 2019 may be…).
# (Without a four-digit year an English line is prose: May we…, March 5th Street.)
_EN_LIKE_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?(?![a-z])"
)
_EN_LIKE_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
_EN_DATE_LIKE = (
    rf"(?i:(?:{_EN_SEASONS}|mid)(?:\s+of)?(?:-|,?\s+)(?:{_EN_LIKE_MONTH},?\s+)?[0-9]{{4}}"
    rf"|[0-9]{{4}},?\s+{_EN_LIKE_MONTH}\s+{_EN_LIKE_DAY}|"
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?(?![a-z])(?:\s*,\s*|\s+))?"
    rf"(?:{_EN_LIKE_MONTH}(?:\s+{_EN_LIKE_DAY})?|{_EN_LIKE_DAY}\s+{_EN_LIKE_MONTH}),?\s*[0-9]{{4}}"
    r"(?:\s*(?:[-~‐‑‒–—―−～]|(?:to|through|until|till)(?![a-z]))\s*[^\n]{0,24}?[0-9]{4})?)"
)
# A line opening like a date (an era or a 4-digit year, then 年, or an English date's head):
# judged for --explain only. (A Japanese line fails the English form at its first character.)
_DATE_LIKE_RE = re.compile(
    r"^(?:[■□●○◆◇▲△▼▽★☆・※◎◉▶▷►→＊*\-‐－]+[ \u3000]*)?[【［\[〔]?"
    rf"(?:(?:明治|大正|昭和|平成|令和|{_OLD_ERAS}|[0-9０-９]{{4}})\s*[元0-9０-９〇一二三四五六七八九十]{{0,3}}\s*年"
    rf"|{_EN_DATE_LIKE})"
)


_PARTIAL_DATE_RE = re.compile(r"^[0-9０-９]{1,2}\s*[月日]")
# 04/12/2015, 12.04.2015, 4-12-2015: the order of day and month is the writer's custom, never
# read (a wrong date is worse than none); --explain says why.
_FIGURES_DAY_MONTH_RE = re.compile(r"^[0-9]{1,2}([/.\-])[0-9]{1,2}\1[0-9]{4}(?![0-9])")


def _figures_unused() -> str:
    """--explain's reason for a line opening with a day and a month in figures before the year
    that reads as no date: the page's order of the two leaves it unread (and why), or it is no
    date in that order (13/04/2015 read the month first), or text runs into it."""
    head = (
        "a day and a month in figures before the year (04/12/2015: April 12 in the US,"
        " 4 December in the UK)"
    )
    order = _PAGE_ORDER.get()
    if order is None:
        return f"{head}: {why}" if (why := _PAGE_ORDER_WHY.get()) else f"{head}: not read"
    return f"{head}: no date read {ORDER_WORDS[order]}, as this page writes them"


def _row_unused(item: _Item, context: YearContext | None) -> str:
    """--explain's reason for a table row whose first line reads as a date but that `_hit`
    reads as no dated row: a statistics row (its year, then figures only, as `_figures_only`
    decides), a date's cell holding more than the date, a date after an empty cell, or another
    shape: each named as it is, not all as figures."""
    if _figures_row(item, context):
        return "a row of figures (a statistics table): the year of its numbers, no event"
    cells = item.cells or []
    at = next((k for k, cell in enumerate(cells) if cell), 0)
    found = _match(" ".join(cells[at]), context) if cells else None
    if found is not None and found.rest:
        return (
            f"the date's cell holds more than the date ({found.rest!r}): a row is dated by a"
            " cell holding its date alone, or opening it when most of its table's rows, two or"
            " more, are dated in their first cell"
        )
    if at:
        return "the date is not in the row's first cell (an empty cell before it): no dated row"
    return "a row whose cells fit no dated row's layout (a date cell, then its text)"


def _row_line(item: _Item) -> list[str]:
    """A table row as one line, its cells joined by a space (other items: their lines)."""
    if item.kind != "row" or item.cells is None or len(item.cells) < 2:
        return item.lines
    line = " ".join(" ".join(cell) for cell in item.cells if cell)
    return [line] if line else []


def _selected_lines(item: _Item, bodies: frozenset[etree._Element], own: list[str]) -> list[str]:
    """The lines of an item that a seed's body selector covers: all of `own` when the item
    sits inside a body element, else the lines of the body elements inside it."""
    el = item.el
    if el in bodies or any(a in bodies for a in el.iterancestors()):
        return own
    lines: list[str] = []
    for inner in el.iterdescendants():
        if inner in bodies and not any(
            a in bodies for a in inner.iterancestors() if a is not el and el in a.iterancestors()
        ):
            lines.extend(_lines(inner))
    return lines


# What after a date in a title makes it another thing than one year: a decade (年代), a
# range, a part of the year, a time before or after it, more digits.
_TITLE_DATE_GOES_ON = _DATE_GOES_ON | frozenset(
    "代頃以末初前後上中下春夏秋冬から0123456789０１２３４５６７８９"
)


@functools.lru_cache(maxsize=256)
def _title_year(title: str) -> YearContext | None:
    """The one year a page's title names beside its words (市長の動き（令和6年5月）, 令和5年度
    図書館年報, 2024年の主な出来事): the year of the page's year-less dates (5月1日 rows), as a
    year heading's. None when the title names no year, more than one date, a span of years
    (1974年～2024年) or is a date alone (a heading that is an entry)."""
    found: DateMatch | None = None
    k = 0
    n = len(title)
    while k < n:
        if (k == 0 or not title[k - 1].isdigit()) and _DATE_START_RE.match(title[k:]):
            # The longest date written from here that ends in 年, 月, 日 or 度 (the words
            # after it need no separator in a title: 2024年の主な出来事).
            for j in range(n, k + 1, -1):
                if title[j - 1] in "年月日度":
                    date = _match(title[k:j], None)
                    if date is not None and not date.rest:
                        break
            else:
                date = None
            if date is not None:
                if found is not None or (j < n and title[j] in _TITLE_DATE_GOES_ON):
                    return None  # two dates, a span (1974年～2024年), a decade (昭和30年代)
                found = date
                k = j
                continue
        k += 1
    if found is None or found.date_text == title:
        return None
    if found.year_only:
        try:
            return year_context(found)
        except ValueError:
            return None
    own = _own_year(found)
    return carried_year(found, own) if own else None
