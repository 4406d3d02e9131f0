"""Cards dated at their end (or in their header beside a heading): read as if the date opened
the card (`_date_cards_at_end`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from pipeline.parse.hits import _hit
from pipeline.parse.items import _Item
from pipeline.parse.matching import _match
from pipeline.parse.text import _EMPHASIS_TAGS, _blank, _text
from pipeline.parse.tree import _inside


@dataclass(frozen=True, slots=True)
class _CardEnd:
    """A date standing alone at the end of a card: its last block, or in its own <footer>."""

    card: etree._Element
    el: etree._Element  # the element holding the date
    date: str  # the date's text, without its label
    rest: list[str]  # its label, and the footer's other lines: metadata
    index: int  # the item that is the date's block, or -1 (a footer: no item)
    after: int  # the index of the item after the card's end
    labels: tuple[int, ...] = ()  # items after the date in its box (a category): metadata
    tail: bool = False  # the date is the last line of item `index`, the card read as one block


_CARD_TAGS = frozenset(["div", "article", "section", "li"])
# What a date, or the label before it, at a card's end can open with (a cheap test first).
_CARD_END_FIRSTS = frozenset(
    "0123456789０１２３４５６７８９明大昭平令西掲投公登作更最日【[［(（JFMASONDPUHRTjfmasondpu"
)
# The label before a card's date: 掲載日：, 投稿日:, 【公開日】, Posted on, Published:, Date:.
_CARD_DATE_LABEL_RE = re.compile(
    r"[【\[［(（]?\s*(?:最終更新日|掲載日|投稿日|公開日|登録日|作成日|更新日|日付|掲載|投稿|公開|更新)"
    r"時?\s*[】\]］)）]?\s*[:：]?\s*"
    r"|(?i:(?:posted|published|updated)(?:\s+on)?|date)\s*:?\s*"
)


# A time of day after a card's date (2023年9月24日 12:00, 2024/03/02 09:30:15): the post's.
_TIME_OF_DAY_RE = re.compile(r"[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?")


def _card_date(line: str) -> tuple[str, str] | None:
    """A date alone on a line (at any precision: 平成26年度 ends a card as 2023年5月10日 does),
    perhaps after a label, perhaps with its time of day: its text, and the label's (with the
    time, if any)."""
    label = _CARD_DATE_LABEL_RE.match(line)
    date = line[label.end() :] if label is not None else line
    found = _match(date, None) if date else None
    if found is None:
        return None
    head = line[: label.end()].strip() if label is not None else ""
    if found.rest:
        if not _TIME_OF_DAY_RE.fullmatch(found.rest):
            return None
        head = f"{head} {found.rest}".lstrip()  # 2023年9月24日 12:00: the time is metadata
    return found.date_text, head


# A label beside a card's date (お知らせ, イベント, 市政情報): a short line, no sentence.
_LABEL_LENGTH = 16


def _is_label(line: str) -> bool:
    return len(line) <= _LABEL_LENGTH and "。" not in line


def _dated_box(box: etree._Element) -> tuple[str, str] | None:
    """A box opening with a date alone in an element of its own, then labels in elements of
    their own and nothing else (<div class="meta"><time>2024-05-10</time><span class="cat">お知
    らせ</span></div>): the date, and the labels' text (metadata)."""
    if not _blank(box.text):
        return None
    children = [c for c in box if isinstance(c.tag, str)]
    if len(children) < 2 or children[0].tag not in _EMPHASIS_TAGS or not _blank(children[0].tail):
        return None
    date = _text(children[0])
    found = _match(date, None) if date else None
    if found is None or found.rest:
        return None
    labels = []
    for child in children[1:]:
        text = _text(child)
        if not _blank(child.tail) or (text and not _is_label(text)) or len(child) > 1:
            return None
        if text:
            labels.append(text)
    return (found.date_text, " ".join(labels)) if labels else None


def _in_box(el: etree._Element, date_el: etree._Element, card: etree._Element) -> bool:
    """Whether `el` (a label) sits in the box of a card's date element: inside it, or beside
    it in a box of the card that is not the card itself."""
    if _inside(el, date_el):
        return True
    parent = date_el.getparent()
    return parent is not None and parent is not card and _inside(el, parent)


def _dates(item: _Item) -> bool:
    """Whether an item is a date (to the month or the day) that could start an entry. (A year
    alone, as a title's 令和元年度 通常総会, is a card's text: `_Grouper._step`.)"""
    if item.kind == "meta":
        return False
    hit = _hit(item, None)
    return hit is not None and not hit.match.year_only


def _card_run(card: etree._Element) -> list[etree._Element]:
    """The card and its like beside it: the same tag, and a class in common (or none)."""
    parent = card.getparent()
    if parent is None:
        return [card]
    classes = set((card.get("class") or "").split())
    run = []
    for other in parent.iterchildren(card.tag):
        names = set((other.get("class") or "").split())
        if other is card or (names & classes if classes else not names):
            run.append(other)
    return run


def _date_cards_at_end(items: list[_Item], ends: list[_CardEnd]) -> list[_Item]:
    """Cards that print their date at their end (a WordPress entry-footer's <time>, a list of
    reports closing each with 掲載日：…) read as cards whose date opens them: the date goes
    before the card's first item, as a "card" item whose entry the card bounds, and its label
    (and the footer's other lines) are metadata. Only in a run of like cards (`_card_run`)
    where two or more end so and none holds a date elsewhere (one opening it: read as
    before); a card of the run with no date keeps its lines (page text). Otherwise nothing
    changes: a footer stays furniture, a last line reads as it did."""
    by_card: dict[etree._Element, _CardEnd] = {}
    for end in ends:
        by_card.setdefault(end.card, end)
    firsts: dict[int, _CardEnd] = {}
    judged: set[etree._Element] = set()
    for card in by_card:
        if card in judged:
            continue
        run = _card_run(card)
        judged.update(run)
        inside: dict[etree._Element, list[int]] = {c: [] for c in run}
        parent = card.getparent()
        for k, item in enumerate(items):
            for a in (item.el, *item.el.iterancestors()):
                if a is parent:
                    break
                own = inside.get(a)
                if own is not None:
                    own.append(k)
                    break
        ended: dict[int, _CardEnd] = {}
        for c in run:
            end = by_card.get(c)
            own = [
                k
                for k in inside[c]
                if end is None or ((k != end.index or end.tail) and k not in end.labels)
            ]
            if any(_dates(items[k]) for k in own):
                break  # a card dated elsewhere (its header): not a run dated at the end
            if end is not None:
                first = next((k for k in own if items[k].kind != "meta"), None)
                if first is None:
                    break  # the card is its date alone: no card to bound
                ended[first] = end
        else:
            taken = {end.index for end in firsts.values() if end.index >= 0}
            if len(ended) > 1 and all(end.index not in taken for end in ended.values()):
                firsts.update(ended)  # (a date a run of inner boxes ended too: taken once)
    if not firsts:
        return items
    lasts = {end.index: end for end in firsts.values() if end.index >= 0}
    labels = {k for end in firsts.values() for k in end.labels}
    footers: dict[int, list[str]] = {}
    for end in firsts.values():
        if end.index < 0 and end.rest:
            footers[end.after] = end.rest
    out: list[_Item] = []
    for k, item in enumerate(items):
        if k in footers:
            out.append(_Item("meta", item.el, footers[k], None, 7))
        end = firsts.get(k)
        if end is not None:
            out.append(_Item("card", end.el, [end.date], end.card, 7))
        end = lasts.get(k)
        if end is None:
            out.append(_Item("meta", item.el, item.lines, None, 7) if k in labels else item)
            continue
        if end.tail and len(item.lines) > 1:  # the card's block without its last line
            out.append(replace(item, lines=item.lines[:-1]))
        if end.rest:
            out.append(_Item("meta", item.el, end.rest, None, 7))
    if len(items) in footers:
        out.append(_Item("meta", items[-1].el, footers[len(items)], None, 7))
    return out
