"""A run of like lines that END with their date in brackets (姉妹都市提携調印（昭和59年5月）):
an entry each (`_dates_at_line_end`); headings so dated head their sections
(`_headings_dated_at_end`)."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.dates import DateMatch
from pipeline.parse.hits import _hit
from pipeline.parse.items import _Item
from pipeline.parse.matching import (
    _TRAILING_LAST,
    _TRAILING_OPENERS,
    _match,
    _strict_match,
    _term_of_office,
    _trailing_date,
    _year_titled,
)


def _ends_with_date(item: _Item) -> bool:
    """The cheap test: whether a block has a line that may end with a date in brackets."""
    return item.kind == "block" and any(
        line[-1:] in _TRAILING_OPENERS and line[-2:-1] in _TRAILING_LAST for line in item.lines
    )


def _like_block(item: _Item, first: _Item) -> bool:
    """Whether `item` continues a run of like blocks opened by `first`: the same list or block
    (the same group) and element, none of them links or a translation; beside a list's items
    (<li class="odd">, <li class="even">), a class in common, or none, as `_card_run` asks."""
    if (
        item.kind != "block"
        or item.group is not first.group
        or item.links
        or item.foreign
        or item.el.tag != first.el.tag
    ):
        return False
    if item.el.tag == "li" or item.el is first.el:
        return True
    ours, theirs = item.el.get("class"), first.el.get("class")
    if not ours or not theirs:
        return not ours and not theirs
    return not set(ours.split()).isdisjoint(theirs.split())


def _dates_at_line_end(items: list[_Item], terms_as_text: bool = True) -> list[_Item]:
    """Lines that END with their date in brackets (<li>姉妹都市提携調印（昭和59年5月）</li>), in a
    run of like blocks (the items of one list, the lines of one <br> block, like paragraphs side
    by side): each such line is an entry of its own (kind "ended", `_hit`): the date is the
    bracketed one, the body the text before it. Only where two or more lines of the run end so,
    not all with the same date (a notice's lines stamped with the day it was issued:
    窓口の受付時間を変更します（令和5年4月1日）, 郵送請求を開始します（令和5年4月1日）, a
    publication date, not a history), more than half of the lines from the first of them to the
    last, and none opens with a date
    (a list dated at its start is read as before, whatever its lines end with); the run's other
    lines are page text (`_Grouper._open` closes such an entry at once), as a card without a
    date is in a run of cards dated at their end. A lone line ending so, or one among prose,
    stays as it was. The brackets are not text, as 【】 around a date are not: the entry's date
    is the date as written inside them."""
    out: list[_Item] | None = None
    k, n = 0, len(items)
    while k < n:
        first = items[k]
        if first.kind != "block" or first.links or first.foreign:
            if out is not None:
                out.append(first)
            k += 1
            continue
        end = k + 1
        while end < n and _like_block(items[end], first):
            end += 1
        run = items[k:end]
        if any(_ends_with_date(item) for item in run):
            read = _read_line_ends(run, terms_as_text)
            if read is not None:
                if out is None:
                    out = items[:k]
                out.extend(read)
                k = end
                continue
        if out is not None:
            out.extend(run)
        k = end
    return items if out is None else out


def _read_line_ends(run: list[_Item], terms_as_text: bool = True) -> list[_Item] | None:
    """A run of like blocks as entries dated at their lines' ends (`_dates_at_line_end`), one
    item per line, or None when the run is not dated so: fewer than two lines end with a date,
    all of them the same date (a stamp), or as many undated lines as dated stand between the
    first and the last (prose; an intro before them and notes after them do not count). In a
    run of several blocks (a list's items), one whose first line alone ends with a date
    (第1回協議会（平成16年5月20日）<br>規約について協議) is one entry, its other lines the body:
    they are the event's details, as a dated line's next lines in its list item are."""
    dated: list[bool] = []  # per line, or per block read whole
    whole: list[bool] = []  # per block: read as one entry dated at its first line's end
    spans: set[tuple[str, str]] = set()  # the dates read: one alone is a stamp
    several = len(run) > 1
    for item in run:
        if _hit(item, None) is not None and (
            len(item.lines) > 1 or not _year_titled(item.lines[0])
        ):
            return None  # a line opening with a date: a list dated at its start
        flags = []
        for n, line in enumerate(item.lines):
            if n and _strict_match(line, None) is not None:
                return None
            read = _trailing_date(line)
            if read is None or (terms_as_text and _term_of_office(read[0], read[1])):
                flags.append(False)
                continue
            flags.append(True)
            spans.add((read[1].span.start, read[1].span.end))
        one = several and len(flags) > 1 and flags[0] and not any(flags[1:])
        whole.append(one)
        dated.extend([True] if one else flags)
    count = dated.count(True)
    if count < 2 or len(spans) < 2:
        return None
    first, last = dated.index(True), len(dated) - 1 - dated[::-1].index(True)
    if 2 * count <= last - first + 1:
        return None
    out: list[_Item] = []
    k = 0
    for item, one in zip(run, whole, strict=True):
        if one:
            out.append(replace(item, kind="ended"))
            k += 1
            continue
        flags = dated[k : k + len(item.lines)]
        k += len(flags)
        if not any(flags):
            out.append(item)
        elif len(flags) == 1:
            out.append(replace(item, kind="ended"))
        else:  # a <br> block: one item per line
            for n, (line, flag) in enumerate(zip(item.lines, flags, strict=True)):
                kind = "ended" if flag else "block"
                out.append(replace(item, kind=kind, lines=[line], lead=None if n else item.lead))
    return out


def _headings_dated_at_end(items: list[_Item], terms_as_text: bool = True) -> list[_Item]:
    """Sections whose heading names an event and ends with its date in brackets (<h3>第1回
    青少年交流団派遣（平成11年8月）</h3><p>…</p>) read as if the date headed the section: the
    heading's text is the first body line, as a labelled date's heading is
    (`_labelled_date_sections`). Only in a run: two or more headings of one level so dated,
    more than half of that level's headings, none over lines dated themselves (a period's
    title: 創成期（昭和30年～昭和45年）, stays as it was). A heading opening with its date
    (平成12年1月10日（成人の日）) is dated so already. A date set apart by a dash, a slash or a
    bar instead of brackets ends such a heading too: a release's version and its day
    (<h2>[2.1.0] - 2023-04-01</h2>, v3.1 — December 1, 2021), see `_separated_date`."""
    found: dict[int, tuple[str, DateMatch]] = {}
    dated: dict[int, int] = {}
    count: dict[int, int] = {}
    for i, item in enumerate(items):
        if item.kind != "heading" or not item.lines:
            continue
        count[item.level] = count.get(item.level, 0) + 1
        line = item.lines[-1]
        if line[-1] in _TRAILING_OPENERS and line[-2:-1] in _TRAILING_LAST:
            read = _trailing_date(text := " ".join(item.lines))
        elif line[-1] in _TRAILING_LAST and _SEPARATOR_BEFORE_DATE.search(line):
            read = _separated_date(text := " ".join(item.lines))
        else:
            continue  # (the cheap tests first)
        if (
            read is None
            or (terms_as_text and _term_of_office(read[0], read[1]))
            or _strict_match(text, None) is not None
            or _heads_dated_lines(items, i)  # 創成期（昭和30年～昭和45年） over dated lines
        ):
            continue
        found[i] = read
        dated[item.level] = dated.get(item.level, 0) + 1
    found = {
        i: read
        for i, read in found.items()
        if dated[(level := items[i].level)] > 1 and 2 * dated[level] > count[level]
    }
    if not found:
        return items
    out: list[_Item] = []
    for i, item in enumerate(items):
        read = found.get(i)
        if read is None:
            out.append(item)
            continue
        text, date = read
        out.append(_Item("heading", item.el, [date.date_text], item.group, item.level))
        out.append(_Item("block", item.el, [text], item.group, 7))
    return out


def _heads_dated_lines(items: list[_Item], i: int) -> bool:
    """Whether a line of heading i's section (up to the next heading at its level or above)
    carries a date of its own."""
    level = items[i].level
    for item in items[i + 1 :]:
        if item.kind == "heading" and item.level <= level:
            return False
        if item.kind != "meta" and _hit(item, None) is not None:
            return True
    return False


# A heading's last part set apart by a dash, a slash or a bar (spaced, or a long dash alone):
# where a date ending it may start (`_separated_date`).
_SEPARATOR_BEFORE_DATE = re.compile(r"\s+[-‐－–—/／|｜]\s+|\s*[—–]\s*")
# Any of its separators: a search of a class alone, a fifth of the cost of the one above (its
# optional spaces before a dash make every position a start), as a first test on every heading.
_SEPARATOR_CHAR_RE = re.compile(r"[-‐－–—/／|｜]")


def _separated_date(text: str) -> tuple[str, DateMatch] | None:
    """A heading ending with a whole date after a separator ([2.1.0] - 2023-04-01, Version 3.2
    — March 3, 2022, 3.0.0 / 2021-10-05): the text before it and the date, the longest such
    (a range after the first separator: Exhibition — April 1 – May 3, 2021). Not when the text
    before it ends with a date itself (1990 - 2000: a range, not a title and its day), nor
    with no text before it. A version number is no date, so it stays the text."""
    for sep in _SEPARATOR_BEFORE_DATE.finditer(text):
        before, tail = text[: sep.start()].strip(), text[sep.end() :].strip()
        if not before or not tail:
            continue
        found = _match(tail, None)
        if found is None or found.rest:
            continue
        last = before.split()[-1]
        ends_dated = _match(last, None)
        if ends_dated is not None and not ends_dated.rest:
            return None
        return before, found
    return None
