"""A seed's entry selector: one record per selected element."""

from __future__ import annotations

from lxml import etree

from pipeline.dates import match_date
from pipeline.domain.records import EntryRecord
from pipeline.parse.day_order import _PAGE_ORDER
from pipeline.parse.flatten import _Flattener
from pipeline.parse.group import Trace
from pipeline.parse.hits import _after_prefix
from pipeline.parse.text import _lines, _text
from pipeline.parse.tree import _inside
from pipeline.selectors import SelectedElements


def _entries_from_entry_elements(
    picked: SelectedElements, root: etree._Element, title: str | None, trace: Trace | None
) -> tuple[list[EntryRecord], list[str]]:
    """Seed mode `entry`: each selected element is one entry; the content's lines outside
    every entry element are the page's text."""
    entries = _entry_elements_records(picked)
    chosen = picked.entries or []
    text: list[str] = []
    for item in _Flattener().items(root):
        inside = any(_inside(item.el, el) or _inside(el, item.el) for el in chosen)
        if item.kind == "meta" or (
            item.kind == "heading" and title is not None and " ".join(item.lines) == title
        ):
            role = "meta"
        elif inside:
            role = "entry"
        else:
            role = "text"
            text.extend(item.lines)
        if trace is not None:
            trace.add(role, item.lines)
    return entries, text


def _entry_elements_records(picked: SelectedElements) -> list[EntryRecord]:
    entries: list[EntryRecord] = []
    dates = picked.date_set
    bodies = picked.bodies
    for element in picked.entries or ():
        date_el = next((d for d in element.iter() if d in dates), None) if dates else None
        if date_el is not None:
            found = match_date(_text(date_el), order=_PAGE_ORDER.get())
            lines = _without(_lines(element), _lines(date_el))
            rest = [found.rest] if found and found.rest else []
        else:
            all_lines = _lines(element)
            if not all_lines:
                continue
            found = match_date(all_lines[0], order=_PAGE_ORDER.get())
            lines = all_lines[1:]
            rest = [found.rest] if found and found.rest else []
        if found is None:
            continue
        if bodies is not None:
            lines = [
                line
                for body in bodies
                if body is element or element in body.iterancestors()
                for line in _lines(body)
            ]
            rest = []
        span = found.span
        entries.append(
            EntryRecord(
                date_text=found.date_text,
                start=span.start,
                end=span.end,
                body=tuple(rest + lines),
                note=span.note or None,
            )
        )
    return entries


def _without(lines: list[str], drop: list[str]) -> list[str]:
    """`lines` with the first run equal to `drop` taken out (a date element's own lines)."""
    n = len(drop)
    for i in range(len(lines) - n + 1):
        if lines[i : i + n] == drop:
            return lines[:i] + lines[i + n :]
    if n == 1:  # an inline date element: the line it opens keeps its text after the date
        for i, line in enumerate(lines):
            if line.startswith(drop[0]):
                rest = _after_prefix(line, drop[0])
                return [*lines[:i], *([rest] if rest else []), *lines[i + 1 :]]
    return lines
