"""Sections dated by a labelled line under their heading (日程：…, 会期：…, 【日時】…), or by a
date alone on the line right above it (<p class="date">…</p><h3>…</h3>)."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.dates import DateMatch
from pipeline.parse.items import _Item
from pipeline.parse.matching import _match, _strict_match
from pipeline.parse.text import _SEPARATOR_CHARS

# A section's date written under its heading with a label (日程：令和6年6月3日～6月21日,
# 会期：…, 実施日：…, 【日時】…): the label, then (after a colon, or in brackets) the date.
_DATE_LABEL_RE = re.compile(
    r"^(?P<label>[【［\[〔]?(?:(?:開催|実施|活動|訪問|派遣|受入れ?|来訪|調印|締結|視察|交流)"
    r"(?:日時?|期間|年月日)|日程|会期|期間|日時|期日|日付|年月日)"
    r"(?:[】］\]〕]|\s*[:：]))\s*(?P<value>.+)$"
)
_DATE_LABEL_FIRSTS = frozenset("【［[〔開実活訪派受来調締視交日会期年")
# What may follow a labelled date with no space: the time of day (日時：令和5年6月10日（土曜日）
# 午後2時～4時).
_TIME_AFTER_DATE_RE = re.compile(r"^(?:午前|午後|[0-9０-９]{1,2}(?:時|[:：][0-9０-９]{2}))")


def _labelled_date_sections(items: list[_Item]) -> list[_Item]:
    """Sections whose heading names an event and whose first line dates it with a label (a
    議会's <h2>令和6年第2回定例会</h2><p>日程：令和6年6月3日～6月21日</p>, a 年報's 会期：…, a
    report's 実施日：…) read as if the date headed the section: the heading is the first body
    line, the label is dropped as furniture, the time after a date (午後2時～4時) opens the
    body. Only in a run: two or more headings of one level so dated, and only when the
    heading is not a date itself and the label's value is a whole date with its year."""
    found: dict[int, tuple[DateMatch, str, str]] = {}
    levels: dict[int, int] = {}
    for i in range(len(items) - 1):
        item = items[i]
        if item.kind != "heading" or not item.lines:
            continue
        nxt = items[i + 1]
        if nxt.kind != "block" or not nxt.lines or nxt.lines[0][:1] not in _DATE_LABEL_FIRSTS:
            continue
        labelled = _DATE_LABEL_RE.match(nxt.lines[0])
        if labelled is None or _strict_match(item.lines[0], None) is not None:
            continue
        value = labelled.group("value")
        date = _match(value, None)
        if date is None:
            continue
        rest = value[len(date.date_text) :]
        if rest and not (
            rest[0] in _SEPARATOR_CHARS or _TIME_AFTER_DATE_RE.match(rest) is not None
        ):
            continue
        found[i] = (date, labelled.group("label"), rest.lstrip(_SEPARATOR_CHARS).strip())
        levels[item.level] = levels.get(item.level, 0) + 1
    if not found:
        return items
    found = {i: v for i, v in found.items() if levels[items[i].level] > 1}
    if not found:
        return items
    out: list[_Item] = []
    skip = -1
    for i, item in enumerate(items):
        if i == skip:
            continue
        hit = found.get(i)
        if hit is None:
            out.append(item)
            continue
        date, label, rest = hit
        nxt = items[i + 1]
        out.append(_Item("heading", item.el, [date.date_text], item.group, item.level))
        out.append(_Item("block", item.el, item.lines, item.group, 7))
        out.append(_Item("meta", nxt.el, [label], None, 7))
        lines = ([rest] if rest else []) + nxt.lines[1:]
        if lines:
            out.append(replace(nxt, lines=lines, lead=None))
        skip = i + 1
    return out


# What a date alone on a line may open with (a cheap test before reading it).
_LONE_DATE_FIRSTS = frozenset("0123456789０１２３４５６７８９明大昭平令")
_LONE_DATE_LONGEST = 40


def _may_be_lone_date(item: _Item) -> bool:
    """The cheap test: a one-line block that may be a date alone."""
    lines = item.lines
    return (
        item.kind == "block"
        and len(lines) == 1
        and lines[0][:1] in _LONE_DATE_FIRSTS
        and len(lines[0]) <= _LONE_DATE_LONGEST
    )


def _lone_date(item: _Item) -> DateMatch | None:
    """The date a one-line block is, all of it, or None."""
    if not _may_be_lone_date(item):
        return None
    date = _strict_match(item.lines[0], None)
    return date if date is not None and not date.rest else None


def _dates_beside_headings(items: list[_Item]) -> list[_Item]:
    """Sections whose heading names an event, with no box around each, dated by a date alone
    on its line right above the heading (<p class="date">2001年7月20日</p><h3>観察会</h3><p>…
    </p>) or as the section's last line (<h3>観察会</h3><p>…</p><p>2001年7月20日</p>, as a card
    is dated at its end): they read as if the date headed the section, the heading its first
    body line. Only in a run: two or more headings of one level so dated, more than half of
    that level's, dated one way only: above, its first heading among them and the last
    section not ending with a date alone; at the end, its first heading not right below one."""
    above: dict[int, list[int]] = {}
    below: dict[int, list[tuple[int, int]]] = {}  # level: (heading, its section's date)
    count: dict[int, int] = {}
    first: dict[int, int] = {}
    for i, item in enumerate(items):
        if item.kind != "heading":
            continue
        level = item.level
        count[level] = count.get(level, 0) + 1
        first.setdefault(level, i)
        if _strict_match(" ".join(item.lines), None) is not None:
            continue  # a dated heading: dated so already
        if i > 0 and _lone_date(items[i - 1]) is not None:
            above.setdefault(level, []).append(i)
        end = _section_last(items, i)
        if end is not None and _lone_date(items[end]) is not None:
            below.setdefault(level, []).append((i, end))
    moves: dict[int, int] = {}  # heading: the index of the date that heads it
    for level, heads in above.items():
        if (
            len(heads) > 1
            and 2 * len(heads) > count[level]
            and heads[0] == first[level]
            and not any(h == heads[-1] for h, _ in below.get(level, ()))
        ):
            moves.update((h, h - 1) for h in heads)
    for level, sections in below.items():
        if (
            len(sections) > 1
            and 2 * len(sections) > count[level]
            and first[level] not in above.get(level, ())
            and not any(h in moves for h, _ in sections)
        ):
            moves.update(sections)
    if not moves:
        return items
    dates = set(moves.values())
    out: list[_Item] = []
    for i, item in enumerate(items):
        if i in dates:
            continue  # the date: it becomes the heading it dates
        date_index = moves.get(i)
        if date_index is None:
            out.append(item)
            continue
        date_item = items[date_index]
        out.append(_Item("heading", date_item.el, date_item.lines, item.group, item.level))
        out.append(_Item("block", item.el, item.lines, item.group, 7))
    return out


def _section_last(items: list[_Item], i: int) -> int | None:
    """The index of the last item (not metadata) of heading i's section, up to the next
    heading at its level or above, or None when it is empty."""
    level = items[i].level
    last = None
    for j in range(i + 1, len(items)):
        item = items[j]
        if item.kind == "heading" and item.level <= level:
            break
        if item.kind != "meta":
            last = j
    return last
