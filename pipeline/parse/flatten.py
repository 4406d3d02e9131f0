"""`_Flattener`: walks a content root in page order into `_Item`s, skipping noise, and runs the
passes over cards, line ends, labelled sections and bare years."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from lxml import etree

from pipeline.dates import FISCAL_NOTE
from pipeline.parse.bare_years import _BARE_YEAR_RE, _is_year_column
from pipeline.parse.cards import (
    _CARD_END_FIRSTS,
    _CARD_TAGS,
    _card_date,
    _CardEnd,
    _date_cards_at_end,
    _dated_box,
    _in_box,
    _is_label,
)
from pipeline.parse.items import _Item
from pipeline.parse.labelled_dates import (
    _DATE_LABEL_FIRSTS,
    _LONE_DATE_FIRSTS,
    _dates_beside_headings,
    _labelled_date_sections,
    _may_be_lone_date,
)
from pipeline.parse.line_ends import (
    _SEPARATOR_BEFORE_DATE,
    _SEPARATOR_CHAR_RE,
    _dates_at_line_end,
    _headings_dated_at_end,
)
from pipeline.parse.links import (
    _dated_targets,
    _is_link_block,
    _is_link_list,
    _is_link_run,
    _tab_headings,
)
from pipeline.parse.matching import (
    _DATE_START_RE,
    _STAMP_ENDS,
    _TRAILING_LAST,
    _TRAILING_OPENERS,
    _match,
    _stamp_after_date,
)
from pipeline.parse.noise import (
    _META_AFTER_BREAK_RE,
    _META_FIRSTS,
    _META_LINE_RE,
    _NOISE_TAGS,
    _USUAL_NOISE,
    _append_runs,
    _has_meta_line,
    _is_box_title,
    _is_furniture,
    _is_noise,
    _Noise,
)
from pipeline.parse.tables import (
    _date_and_text_rows,
    _date_column_first,
    _drop_padding_column,
    _is_layout_table,
)
from pipeline.parse.text import (
    BREAK,
    _alt_lines,
    _blank,
    _break_lines,
    _clean,
    _emphasis_lead,
    _lines,
    _raw_text,
    _split_lines,
    _text,
)
from pipeline.parse.tree import (
    _SUMMARY_LEVEL,
    BLOCK_TAGS,
    HEADING_LEVELS,
    SKIP_TAGS,
    _has_block_descendant,
    _has_heading_at_most,
    _inside,
    _nearest,
)
from pipeline.parse.year_marks import _mark_bare_months, _mark_lone_bare_years
from pipeline.selectors import SelectedElements

_tostring = etree.tostring  # a global, not an attribute lookup, in the hot loops


# The elements a box's title line may stand in (`_Flattener._titles_box`)
_BOX_TITLE_TAGS = frozenset(("p", "div", "dt"))


class _Flattener:
    """Walks a content root in page order and yields `_Item`s, skipping noise."""

    def __init__(
        self,
        *,
        strict_header: bool = False,
        forced: SelectedElements | None = None,
        noise: _Noise = _USUAL_NOISE,
    ):
        self.strict_header = strict_header
        self.forced = forced
        self.noise = noise
        self.root: etree._Element | None = None
        self.lang: str | None = None  # the content's language, read when a lang= is met
        self.in_foreign = False
        self.ends: list[_CardEnd] = []  # dates standing alone at the end of a card
        self.tabs: dict[str, str] = {}  # in-page links labelled with a date: target id, label

    def items(self, root: etree._Element) -> list[_Item]:
        self.root = root
        out: list[_Item] = []
        self._container(root, out)
        if self.tabs:
            out = _tab_headings(out, root, self.tabs)
        if self.ends:
            out = _date_cards_at_end(out, self.ends)
        if self.forced is None:
            # One pass of cheap tests for four rare layouts: a heading's first line that may
            # be a labelled date (`_labelled_date_sections`), a line that may end with a date
            # in brackets (`_ends_with_date`, inlined; a plain loop costs 30% less than any()),
            # two or more headings that may (`_headings_dated_at_end`), or dates alone that
            # may stand above headings or end their sections (`_dates_beside_headings`).
            labelled = ended = False
            heading = False
            ended_headings = lone_dates = 0
            block: _Item | None = None  # the item before, when it is a block
            for item in out:
                if item.kind == "block":
                    lines = item.lines
                    if heading and lines and lines[0][:1] in _DATE_LABEL_FIRSTS:
                        labelled = True
                    if not ended:
                        for line in lines:
                            if line[-1] in _TRAILING_OPENERS and line[-2:-1] in _TRAILING_LAST:
                                ended = True
                                break
                    heading = False
                    block = item
                else:
                    heading = item.kind == "heading"
                    if heading and item.lines:
                        line = item.lines[-1]
                        if line[-1] in _TRAILING_OPENERS and line[-2:-1] in _TRAILING_LAST:
                            ended_headings += 1
                        elif (
                            line[-1] in _TRAILING_LAST
                            and _SEPARATOR_CHAR_RE.search(line) is not None
                            and _SEPARATOR_BEFORE_DATE.search(line) is not None
                        ):  # (v3.1 — December 1, 2021; a class first: 0.2 us, not 1.3)
                            ended_headings += 1
                        if (
                            block is not None
                            and block.lines
                            and block.lines[0][:1] in _LONE_DATE_FIRSTS
                            and _may_be_lone_date(block)
                        ):
                            lone_dates += 1
                    block = None
            if labelled:
                out = _labelled_date_sections(out)
            if out and _may_be_lone_date(out[-1]):
                lone_dates += 1  # (a section's last line: `_dates_beside_headings`)
            if lone_dates > 1:
                out = _dates_beside_headings(out)
            if ended_headings > 1:
                out = _headings_dated_at_end(out, self.noise.terms_as_text)
            if ended:
                return _dates_at_line_end(out, self.noise.terms_as_text)
        return out

    def _container(self, el: etree._Element, out: list[_Item]) -> None:
        start = len(out)
        inline: list[etree._Element | str] = []
        skip_below: int | None = None  # skipping a noise section headed at this level
        strict_header = self.strict_header
        forced = self.forced
        append = out.append
        text = el.text
        if text and not text.isspace():  # a lone BREAK counts: it separates lines
            inline.append(text)
        for child in el:
            tag = child.tag
            if tag == "p" and skip_below is None and forced is None and not child.attrib:
                # The most common child by far (a chronology's body paragraphs): `_leaf`,
                # `_lines` and `_clean` inlined, the metadata regexes behind a first-character
                # test. Keep in step with them.
                if inline:
                    self._flush_inline(el, inline, out)
                ptext = child.text
                if len(child):
                    raw = _tostring(child, method="text", encoding="unicode", with_tail=False)
                    lead = _emphasis_lead(child) if not ptext or ptext.isspace() else None
                else:
                    raw = ptext or ""
                    lead = None
                if BREAK in raw:
                    lines = _break_lines(raw)
                else:
                    line = _clean(raw)
                    lines = [line] if line else []
                if lines:
                    if len(out) == start and len(lines) == 1 and self._titles_box(el, lines[0]):
                        break  # a contact box titled by its first line: skip it all
                    if (
                        len(lines) <= 3
                        and lines[0][0] in _META_FIRSTS
                        and (_META_LINE_RE.match(lines[0]) or _is_furniture(lines))
                    ) or (
                        len(lines) == 1
                        and lines[0][-2:] in _STAMP_ENDS
                        and _stamp_after_date(lines[0])
                    ):
                        append(_Item("meta", child, lines, None, 7))
                    elif (
                        len(lines) > 1
                        and _META_AFTER_BREAK_RE.search(raw) is not None
                        and _has_meta_line(lines)
                    ):  # (one search of the raw text before the regexes: 25x a page)
                        _append_runs(out, child, lines, el, lead)
                    else:
                        links = (
                            lead is None
                            and len(child) > 1
                            and (not ptext or ptext.isspace())
                            and _is_link_block(child)
                        )
                        append(_Item("block", child, lines, el, 7, None, False, lead, links))
                tail = child.tail
                if tail and not tail.isspace():
                    inline.append(tail)
                continue
            if not isinstance(tag, str):
                tail = child.tail
                if tail and not tail.isspace():
                    inline.append(tail)
                continue
            is_block = tag in BLOCK_TAGS
            if skip_below is not None:
                level = HEADING_LEVELS.get(tag)
                if (level is not None and level <= skip_below) or (
                    level is None and is_block and _has_heading_at_most(child, skip_below)
                ):
                    skip_below = None
                else:
                    continue
            if is_block:
                if inline:
                    self._flush_inline(el, inline, out)
                level = HEADING_LEVELS.get(tag)
                if level is not None:
                    lines = _lines(child)
                    if not lines and level > 1 and len(child):
                        lines = _alt_lines(child)
                    heading = " ".join(lines)
                    if self.noise.headings.search(heading) and not _DATE_START_RE.match(heading):
                        skip_below = level
                        continue
                    if not child.attrib or not _is_noise(
                        child, strict_header=strict_header, names=self.noise.names
                    ):
                        if forced is None:  # `_heading`, inlined: 34x on a chronology page
                            append(_Item("heading", child, lines, el, level))
                        else:
                            self._heading(child, level, lines, out)
                elif not (child.attrib or tag in _NOISE_TAGS or tag == "header") or not _is_noise(
                    child, strict_header=strict_header, names=self.noise.names
                ):
                    if (
                        len(out) == start
                        and len(child) <= 1
                        and tag in _BOX_TITLE_TAGS
                        and self._titles_box(el, _text(child))
                    ):
                        break  # (as on the fast path above)
                    if tag == "p" and forced is None:  # what `_block` does first
                        self._leaf(child, out, el)
                    else:
                        self._block(child, out)
                elif tag == "footer" and forced is None:  # (noise: the common case skips it)
                    self._card_footer(child, len(out))
            elif tag not in SKIP_TAGS:
                inline.append(child)
            tail = child.tail
            if tail and not tail.isspace():
                inline.append(tail)
        self._flush_inline(el, inline, out)
        if len(out) - start > 1 and forced is None and el is not self.root:
            last = out[-1]  # a date at a card's end? (a first-character test, then `_card_end`)
            if (
                last.kind == "meta"
                or (last.lines and last.lines[0][:1] in _CARD_END_FIRSTS)
                or (  # a label after the date, in a box of its own (a category)
                    last.el is not el
                    and len(last.lines) == 1
                    and el.tag in _CARD_TAGS
                    and _is_label(last.lines[0])
                )
            ):
                self._card_end(el, out, start)

    def _titles_box(self, box: etree._Element, line: str) -> bool:
        """Whether `line`, the first of a box below the content's root, titles the box as a
        contact or related-links box (`_is_box_title`): skipped, as under such a heading."""
        return box is not self.root and self.forced is None and _is_box_title(line)

    def _card_end(self, card: etree._Element, out: list[_Item], start: int) -> None:
        """The last block of a card (after its metadata, if any) holding a date alone, perhaps
        after a label (<p class="date">掲載日：2023年5月10日</p>): noted for
        `_date_cards_at_end`, which decides whether the card is dated by it."""
        if card.tag not in _CARD_TAGS:
            return
        labels: list[int] = []  # short lines after the date in its box: its category
        for k in range(len(out) - 1, start, -1):
            item = out[k]
            if len(item.lines) == 1 and not (item.links or item.foreign):
                read = _card_date(item.lines[0])
                if read is None and item.lead is not None and item.el is not card:
                    read = _dated_box(item.el)  # <div class="meta"><time>…</time><span>お知らせ
                if read is not None:
                    if labels and (
                        item.el is card
                        or not all(_in_box(out[j].el, item.el, card) for j in labels)
                    ):
                        return  # short lines of the card's own after a date: not its category
                    rest = [read[1]] if read[1] else []
                    end = _CardEnd(card, item.el, read[0], rest, k, k + 1, labels=tuple(labels))
                    self.ends.append(end)
                    return
                if item.kind != "meta" and item.el is not card and _is_label(item.lines[0]):
                    labels.append(k)
                    continue
            if item.kind != "meta":
                return

    def _card_footer(self, footer: etree._Element, after: int) -> None:
        """A card's own <footer> (inside an <article> or <section> of the content, not the
        page's footer) holding a date alone (<time>, or a line 投稿日：…): noted for
        `_date_cards_at_end`. The rest of the footer (category links, the author, share
        buttons) is metadata; without a date, the footer stays furniture."""
        card = next(footer.iterancestors("article", "section"), None)
        root = self.root
        if card is None or root is None or card is root or not _inside(card, root):
            return
        times = list(footer.iter("time"))
        published = [t for t in times if "publish" in (t.get("class") or "")]
        others = (el for el in footer.iter() if isinstance(el.tag, str) and el.tag != "time")
        for el in itertools.chain(published, times, others):
            line = _text(el)
            read = _card_date(line) if line else None
            if read is not None:
                break
        else:
            return
        date = read[0]
        rest, left = [], date
        for line in _lines(footer):
            if left and left in line:  # the date once; its label and the rest are metadata
                line, left = _clean(line.replace(left, "", 1)), ""
            if line:
                rest.append(line)
        self.ends.append(_CardEnd(card, el, date, rest, -1, after))

    def _flush_inline(
        self, parent: etree._Element, inline: list[etree._Element | str], out: list[_Item]
    ) -> None:
        """Loose text and inline elements between blocks: one text block."""
        if not inline:
            return
        lines = _split_lines(
            "".join(part if isinstance(part, str) else _raw_text(part) for part in inline)
        )
        links = lines and self.forced is None and _is_link_run(inline)
        inline.clear()
        if lines:
            if len(lines) <= 3 and (
                _is_furniture(lines)
                or (lines[0][:1] in _META_FIRSTS and _META_LINE_RE.match(lines[0]))
            ):  # as `_leaf` reads a block: 最終更新日：… in a <font> after an <hr>
                out.append(_Item("meta", parent, lines, parent, 7))
            elif len(lines) > 1 and _has_meta_line(lines):
                _append_runs(out, parent, lines, parent, None)
            else:
                out.append(_Item("block", parent, lines, parent, 7, links=bool(links)))

    def _heading(self, el: etree._Element, level: int, lines: list[str], out: list[_Item]) -> None:
        date = self._seed_date(el, lines, level) if self.forced is not None else None
        out.append(date or _Item("heading", el, lines, el.getparent(), level))

    def _seed_date(self, el: etree._Element, lines: list[str], level: int = 7) -> _Item | None:
        """With seed `date` selectors: the item for an element that is, or holds, a date."""
        forced = self.forced
        if forced is None:
            return None
        if el in forced.date_set:
            return _Item("date", el, lines, group=el.getparent(), level=level)
        inner = forced.date_inside(el)
        if inner is None:
            return None
        return _Item("date", el, lines, group=el.getparent(), level=level, lead=_text(inner))

    def _block(self, el: etree._Element, out: list[_Item]) -> None:
        tag = el.tag
        forced = self.forced
        if tag == "p" and forced is None:  # the most common block first
            self._leaf(el, out)
            return
        if self._foreign(el):
            self._translation(el, out, self._block)
            return
        if forced is not None and el in forced.date_set:
            out.append(_Item("date", el, _lines(el), group=el.getparent(), level=7))
            return
        level = HEADING_LEVELS.get(tag)
        if tag == "p":
            self._leaf(el, out)
        elif level is not None:
            lines = _lines(el)
            self._heading(el, level, lines or (_alt_lines(el) if level > 1 else lines), out)
        elif tag == "table":
            self._table(el, out)
        elif tag == "dl":
            self._definition_list(el, out)
        elif tag == "dt":
            out.append(_Item("term", el, _lines(el), group=el.getparent(), level=7))
        elif tag in ("ul", "ol", "menu"):
            start = len(out)
            for child in el:
                if isinstance(child.tag, str) and not _is_noise(
                    child, strict_header=False, names=self.noise.names
                ):
                    if child.tag == "li":
                        self._list_item(child, out)
                    elif child.tag in BLOCK_TAGS:
                        self._block(child, out)
            if len(out) - start > 1 and forced is None and _is_link_list(el):
                for item in out[start:]:
                    item.links = True
                self.tabs.update(_dated_targets(el))  # (tabs: their panels' years)
        elif tag == "li":
            self._list_item(el, out)
        elif tag == "hr":
            if forced is None:  # a rule between entries (`_Grouper._step`)
                out.append(_Item("rule", el, [], el.getparent(), 7))
        elif tag == "summary" and forced is None and not _has_block_descendant(el):
            # An accordion's label (<details><summary>平成元年〜平成10年</summary><ul>…) heads
            # its box as a heading does: years over the dated lines it opens on, or a date.
            parent = el.getparent()
            if parent is not None and parent.tag == "details":
                self._heading(el, _SUMMARY_LEVEL, _lines(el), out)
            else:
                self._leaf(el, out)
        elif _has_block_descendant(el):
            self._container(el, out)
        else:
            self._leaf(el, out)

    def _list_item(self, li: etree._Element, out: list[_Item]) -> None:
        """A list item is one unit, unless it nests a list or table (平成15年 → 5月10日 …):
        then its own text and the nested items are items of their own."""
        if self.forced is None and next(li.iterchildren(*_NESTING_TAGS), None) is not None:
            self._container(li, out)
        else:
            self._leaf(li, out)

    def _leaf(
        self, el: etree._Element, out: list[_Item], parent: etree._Element | None = None
    ) -> None:
        """A block treated as a unit (p, li, dd, a div of inline text). `parent`: its parent
        when the caller has it in hand."""
        if self._foreign(el):
            self._translation(el, out, lambda el, out: self._leaf(el, out, parent))
            return
        lines = _lines(el)
        if self.forced is not None:
            date = self._seed_date(el, lines)
            if date is not None:
                out.append(date)
                return
        if not lines:
            return
        if (
            len(el)
            and self.forced is None
            and next(el.iter("time"), None) is not None
            and self._post_meta(el, lines, out)
        ):
            return
        if len(lines) <= 3 and (_META_LINE_RE.match(lines[0]) or _is_furniture(lines)):
            out.append(_Item("meta", el, lines, None, 7))  # read into `page`, or furniture
            return
        if len(lines) == 1 and lines[0][-2:] in _STAMP_ENDS and _stamp_after_date(lines[0]):
            out.append(_Item("meta", el, lines, None, 7))  # 2023.4.1 更新: the update date
            return
        text = el.text
        lead = _emphasis_lead(el) if len(el) and (not text or text.isspace()) else None
        group = el.getparent() if parent is None else parent
        if len(lines) > 1 and _has_meta_line(lines):
            start = len(out)
            _append_runs(out, el, lines, group, lead)
            if el.tag in _CARD_TAGS and self.forced is None and len(out) - start > 1:
                self._card_end(el, out, start)  # <li>…<br>掲載日：2023年5月10日</li>
        else:
            links = len(el) > 1 and self.forced is None and _is_link_block(el)
            out.append(_Item("block", el, lines, group, 7, None, False, lead, links))
            if (
                len(lines) > 1
                and lines[-1][:1] in _CARD_END_FIRSTS
                and el.tag in _CARD_TAGS
                and self.forced is None
                and not links
            ):
                self._leaf_end(el, lines, len(out) - 1)

    def _leaf_end(self, card: etree._Element, lines: list[str], index: int) -> None:
        """A card read as one block (<li>タイトル<br>本文<br>2023年5月10日</li>, or its last box
        a date and a category: <div class="meta"><time>…</time><span>お知らせ</span></div>)
        whose last line is a date alone: noted for `_date_cards_at_end` as the block's last
        line (`_CardEnd.tail`), cut from it only when the run of cards is dated so."""
        read = _card_date(lines[-1])
        box = card
        if read is None:  # the last box, perhaps inside a link around the whole card
            for _ in range(3):
                box = next((c for c in reversed(box) if isinstance(c.tag, str)), card)
                if box is card or not _blank(box.tail):
                    return
                read = _dated_box(box)
                if read is not None:
                    break
            if read is None or not lines[-1].startswith(read[0]):
                return
        rest = [read[1]] if read[1] else []
        self.ends.append(_CardEnd(card, box, read[0], rest, index, index + 1, tail=True))

    def _foreign(self, el: etree._Element) -> bool:
        """Whether an element is marked as another language than the content's (<div
        lang="en"> in a page of lang="ja", or of no lang: keika's pages are Japanese). A
        Japanese block never is: a Japanese site's template often says lang="en"."""
        lang = el.get("lang")
        if not lang or self.in_foreign or self.forced is not None:
            return False
        if self.lang is None:
            root = self.root
            chain = (root, *root.iterancestors()) if root is not None else ()
            self.lang = _primary_lang(next((a.get("lang") for a in chain if a.get("lang")), "ja"))
        return _primary_lang(lang) not in (self.lang, "ja")

    def _translation(
        self,
        el: etree._Element,
        out: list[_Item],
        read: Callable[[etree._Element, list[_Item]], None],
    ) -> None:
        """A block in another language (the English version of the list below the Japanese
        one): read as usual, its items marked foreign. They start no entries (each event
        would be there twice, under two identities); they are page text, or an entry's body
        when inside one."""
        start = len(out)
        self.in_foreign = True
        try:
            read(el, out)
        finally:
            self.in_foreign = False
        for item in out[start:]:
            item.foreign = True

    def _post_meta(self, el: etree._Element, lines: list[str], out: list[_Item]) -> bool:
        """A post's meta line in a card (<article><header><h2>…</h2><div class="entry-meta">
        投稿日: <time>2024年2月18日</time> 投稿者: …</div>, as blogs print it): its <time>
        (the published one, if several) holding a date alone is the post's date, as a date
        alone in a card's header is; the rest of the line (labels, the author, an update
        time) is metadata. True when the line was read so."""
        article = next(el.iterancestors("article"), None)
        if article is None or (self.root is not None and _inside(self.root, article)):
            return False  # not in a card, or the card is the content itself
        in_header = any(
            a.tag == "header" or "meta" in (a.get("class") or "").lower()
            for a in itertools.takewhile(lambda a: a is not article, (el, *el.iterancestors()))
        )
        if not in_header:
            return False
        times = list(el.iter("time"))
        time = next((t for t in times if "publish" in (t.get("class") or "")), times[0])
        date_text = _text(time)
        found = _match(date_text, None) if date_text else None
        if found is None or found.rest:
            return False
        out.append(_Item("block", time, [date_text], el, 7))
        rest = []
        for line in lines:
            if date_text and date_text in line:
                line, date_text = line.replace(date_text, "", 1).strip(), ""
            if line:
                rest.append(line)
        if rest:
            out.append(_Item("meta", el, rest, None, 7))
        return True

    def _table(self, table: etree._Element, out: list[_Item]) -> None:
        if _is_layout_table(table):
            for cell in table.iter("td", "th"):
                if _nearest(cell, "table") is table and not _is_noise(
                    cell, strict_header=self.strict_header, names=self.noise.names
                ):
                    self._container(cell, out)
            return
        for caption in table.iterchildren("caption"):
            # The table's own title: page text, an entry's body, or (平成30年) the year of
            # the rows below it; the page's title again is metadata (`_Grouper._outside`).
            lines = _lines(caption)
            if lines:
                out.append(_Item("block", caption, lines, table, 7))
        first_row = len(out)
        for row in table.iter("tr"):
            if _nearest(row, "table") is not table:
                continue  # a nested table's row: part of its cell's text
            cells = [c for c in row if c.tag in ("td", "th")]
            if not cells:
                continue
            forced = self.forced
            inner = forced.date_inside(row) if forced is not None else None
            if forced is not None and (row in forced.date_set or inner is not None):
                inner = None if row in forced.date_set else inner
                out.append(
                    _Item(
                        "date",
                        row,
                        [line for c in cells for line in _lines(c)],
                        group=table,
                        level=7,
                        lead=_text(inner) if inner is not None else None,
                    )
                )
                continue
            cell_lines = [_lines(c) for c in cells]
            out.append(
                _Item(
                    "row",
                    row,
                    [line for lines in cell_lines for line in lines],
                    group=table,
                    level=7,
                    cells=cell_lines,
                    header_row=all(c.tag == "th" for c in cells),
                )
            )
        if self.forced is None and len(out) - first_row > 1:
            _drop_padding_column(out[first_row:])
            _date_column_first(out[first_row:], self.noise.terms_as_text)
            rows = [item for item in out[first_row:] if item.cells and not item.header_row]
            column = rows
            width = max((len(item.cells or ()) for item in rows), default=0)
            if any(len(item.cells or ()) < width for item in rows):
                # A row with fewer cells is under a cell spanning rows (H15 | H15.5.1 | 協定締結,
                # then H15.10.28 | 来訪): its first cell is the next column's.
                column = [item for item in rows if len(item.cells or ()) == width]
            firsts = [" ".join(item.cells[0]) for item in column if item.cells]
            head = next((item for item in out[first_row:] if item.header_row), None)
            label = " ".join(head.cells[0]) if head is not None and head.cells else ""
            if head is not None and head.cells and ["月"] in head.cells:
                _mark_bare_months(head.cells, rows)
                if firsts and firsts[0]:  # a year's later rows leave its cell empty
                    firsts = [first for first in firsts if first]
            elif (
                head is None
                and len(firsts) > 2
                and "年" in firsts[0]
                and _is_year_column(firsts[1:])
            ):
                # A heading row of <td>s (a spreadsheet's: 年度 | 年月日 | 内容) over the years.
                label, firsts, column = firsts[0], firsts[1:], column[1:]
            if not _is_year_column(firsts):
                _mark_lone_bare_years(rows)
            # The column's heading: 年度 makes its years fiscal ones, as 平成30年度 is; and
            # letter years (H30) under a heading naming anything else (部屋: R1, R2) are text.
            elif not label or "年" in label or _BARE_YEAR_RE.fullmatch(firsts[0]):
                kind = "fiscal" if FISCAL_NOTE in label else "year"
                for item in column:
                    item.bare_year = kind
            _date_and_text_rows(out[first_row:])

    def _definition_list(self, dl: etree._Element, out: list[_Item]) -> None:
        for child in dl:
            tag = child.tag
            if tag == "dt":
                self._block(child, out)
            elif tag == "dd":
                self._leaf(child, out) if not _has_block_descendant(child) else self._container(
                    child, out
                )
            elif tag == "div":  # HTML5 allows <div> around each dt/dd group
                self._definition_list(child, out)


def _primary_lang(lang: str) -> str:
    """The language of a lang= value without its region or script (ja-JP → ja)."""
    return lang.strip().lower().replace("_", "-").split("-")[0]


_NESTING_TAGS = ("ul", "ol", "dl", "table")
