"""A run of like lines that END with their date in brackets (姉妹都市提携調印（昭和59年5月）):
an entry each (`_dates_at_line_end`)."""

from __future__ import annotations

from dataclasses import replace

from pipeline.parse.hits import _hit
from pipeline.parse.items import _Item
from pipeline.parse.matching import (
    _TRAILING_LAST,
    _TRAILING_OPENERS,
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
    more than half of the lines from the first of them to the last, and none opens with a date
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
    or as many undated lines as dated stand between the first and the last (prose; an intro
    before them and notes after them do not count). In a run of several blocks (a list's
    items), one whose first line alone ends with a date (第1回協議会（平成16年5月20日）<br>規約
    について協議) is one entry, its other lines the body: they are the event's details, as a
    dated line's next lines in its list item are."""
    dated: list[bool] = []  # per line, or per block read whole
    whole: list[bool] = []  # per block: read as one entry dated at its first line's end
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
            flags.append(
                read is not None and not (terms_as_text and _term_of_office(read[0], read[1]))
            )
        one = several and len(flags) > 1 and flags[0] and not any(flags[1:])
        whole.append(one)
        dated.extend([True] if one else flags)
    count = dated.count(True)
    if count < 2:
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
