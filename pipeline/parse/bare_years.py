"""A year written alone (1998, H30, a 年 column's cell, 1985 – before a line's text): no date
on its own, a year in a run of such years in order."""

from __future__ import annotations

import itertools
import re
import unicodedata

from pipeline.dates import (
    EN_OPEN_END_NOTE,
    FISCAL_NOTE,
    OPEN_END_NOTE,
    DateMatch,
    DateSpan,
    letter_era_year,
    match_date,
)

# A year written as four digits alone (1998), as a company's 沿革 lists them (<dt>, <h3>, a
# timeline's <div class="year">, a 年 column), or opening a line before a dash or a colon (an
# English timeline's 1985 – First delegation, 1992: Agreement signed), or as an era's Latin
# initial and its year alone (H30, R1: a 年度 | 事業 table, a <dt>): no date on its own (a
# count, a code, a road, a room), a year in a run of such years in order.
_BARE_YEAR_RE = re.compile(r"[0-9０-９]{4}")
_ERA_LETTERS = frozenset("MTSHRＭＴＳＨＲmtshrｍｔｓｈｒ")  # (what `letter_era_year` reads)
# What a line `_may_open_with_bare_year` opens with (a first-character test before it).
_BARE_YEAR_FIRSTS = frozenset("0123456789０１２３４５６７８９") | _ERA_LETTERS
_YEAR_LEAD_RE = re.compile(
    r"([0-9０-９]{4})(?:[ \t\u3000]*[:：][ \t\u3000]*|[ \t\u3000]+[–—―-][ \t\u3000]+)"
)
_YEAR_LEAD_FOLLOWERS = frozenset(" \t\u3000:：")  # what follows the four digits of such a line
# Two bare years as a range (2000–2010, 1996～2000, 2012 - 2015: …), alone or before a colon or
# a dash as a year is: in a run of bare years, the years from the first to the second (a later
# one), standing in the run's order by the first.
_YEAR_RANGE_RE = re.compile(
    r"([0-9０-９]{4})[ \t\u3000]*[–—―\-~～〜－][ \t\u3000]*([0-9０-９]{4})"
    r"(?:$|[ \t\u3000]*[:：][ \t\u3000]*|[ \t\u3000]+[–—―-][ \t\u3000]+)"
)
_RANGE_DASHES = frozenset("–—―-~～〜－")
# An era's Latin initial and its year before a colon or a dash, as a 事業の歩み list writes them
# (H30：モデル事業を開始, R1: 拡大, S50 – 設立): a year in a run of such lines, as H30 alone is.
_LETTER_YEAR_LEAD_RE = re.compile(
    r"([MTSHRＭＴＳＨＲmtshrｍｔｓｈｒ](?:[0-9０-９]{1,2}|元))"
    r"(?:[ \t\u3000]*[:：][ \t\u3000]*|[ \t\u3000]+[–—―-][ \t\u3000]+)"
)


def _may_open_with_bare_year(line: str) -> bool:
    """A cheap test before `_mark_bare_years`: four digits alone, or before a space or colon;
    or an era's Latin initial and its year (H30, R元), alone or before a colon or dash."""
    if line[:4].isdigit():
        follower = line[4:5]
        return (
            len(line) == 4
            or follower in _YEAR_LEAD_FOLLOWERS
            or (follower in _RANGE_DASHES and _YEAR_RANGE_RE.match(line) is not None)
        )
    return line[:1] in _ERA_LETTERS and (
        len(line) < 4 or _LETTER_YEAR_LEAD_RE.match(line) is not None
    )


def _bare_year_lead(line: str) -> tuple[str, str] | None:
    """The year a line is or opens with (`_BARE_YEAR_RE`, `_YEAR_LEAD_RE`), and the rest: four
    digits or a Latin era year (H30), alone or before a dash or colon."""
    if _BARE_YEAR_RE.fullmatch(line):
        return line, ""
    if line[:1] in _ERA_LETTERS:
        if letter_era_year(line) is not None:
            return line, ""
        lead = _LETTER_YEAR_LEAD_RE.match(line)
        if lead is None or letter_era_year(lead.group(1)) is None:
            return None
        return lead.group(1), line[lead.end() :].strip()
    span = _YEAR_RANGE_RE.match(line)
    if span is not None and _range_years(span) is not None:  # 2000–2010: …
        return line[: span.end(2)], line[span.end() :].strip()
    lead = _YEAR_LEAD_RE.match(line)
    return (lead.group(1), line[lead.end() :].strip()) if lead is not None else None


def _range_years(span: re.Match[str]) -> tuple[int, int] | None:
    """The first and last years of a range of bare years (`_YEAR_RANGE_RE`): 1000-2999, the
    last after the first; else None."""
    first, last = (int(unicodedata.normalize("NFKC", span.group(n))) for n in (1, 2))
    return (first, last) if 1000 <= first < last <= 2999 else None


def _column_year(text: str) -> int | None:
    """The year a bare year stands for: four digits (1000-2999), or an era's Latin initial
    with its year (H30: 2018, R元: 2019), or the first of a range of bare years (2000–2010),
    or the start of a bare year to the present alone (2005–present, 1999～現在: a date of its
    own, `_to_present`); None for any other text."""
    if _BARE_YEAR_RE.fullmatch(text):
        year = int(text)
        return year if 1000 <= year <= 2999 else None
    if text[4:5] in _TO_PRESENT_MARKS and text[:4].isdigit():
        span = _YEAR_RANGE_RE.fullmatch(text)  # 2000–2010: its first year, for the order
        if span is not None:
            years = _range_years(span)
            return years[0] if years is not None else None
        found = _to_present(text)
        return int(found.span.start) if found is not None and not found.rest else None
    return letter_era_year(text) if text[:1] in _ERA_LETTERS else None


# What follows the four digits of a bare year to the present (2005–present, 2005 - Present,
# 1999～現在, 1999から現在まで), and what the rest after a bare year's dash opens with then.
_TO_PRESENT_MARKS = frozenset(" \t\u3000~～〜-‐–—―－ーか")
_PRESENT_FIRSTS = frozenset("PpTtNn現今")
_OPEN_END_NOTES = (OPEN_END_NOTE, EN_OPEN_END_NOTE)


def _to_present(text: str) -> DateMatch | None:
    """A bare year to the present opening `text` (`match_date` reads it alone: only the
    present ends such a span), or None."""
    found = match_date(text)
    if found is None or not found.span.start.isdigit() or found.span.note not in _OPEN_END_NOTES:
        return None
    return found


def _in_order(years: list[int]) -> bool:
    """Whether years stand in order, either way (a 年表 runs oldest or newest first)."""
    pairs = list(itertools.pairwise(years))
    return all(a <= b for a, b in pairs) or all(a >= b for a, b in pairs)


def _is_year_column(texts: list[str]) -> bool:
    """Whether terms or first cells are bare years (`_column_year`), two or more, in order of
    the years they stand for (either way)."""
    if len(texts) < 2:
        return False
    years = []
    for text in texts:  # (most first cells are no bare year: stop at the first)
        year = _column_year(text)
        if year is None:
            return False
        years.append(year)
    return _in_order(years)


def _bare_year(text: str, fiscal: bool = False) -> DateMatch:
    """A line of a run of bare years (`_is_year_column`) read as that year (`fiscal`: the
    fiscal year, April to March, note 年度), and any text after its dash or colon as the rest."""
    written, rest = _bare_year_lead(text) or (text, "")
    if rest[:1] in _PRESENT_FIRSTS and not fiscal:  # 2005 - Present: … in a run of 1998 – …
        found = _to_present(text)
        if found is not None:
            return found
    span = _YEAR_RANGE_RE.fullmatch(written) if written[4:5] else None
    years = _range_years(span) if span is not None else None
    if years is not None:  # 2000–2010: the years, no year heading (as 2000～2010年 is none)
        first, last = years
        if fiscal:
            return DateMatch(
                written, DateSpan(f"{first:04d}-04", f"{last + 1:04d}-03", FISCAL_NOTE), rest, False
            )
        return DateMatch(written, DateSpan(f"{first:04d}", f"{last:04d}"), rest, False)
    year = _column_year(written) or 0  # (never 0: the run was read as years)
    if fiscal:
        span = DateSpan(f"{year:04d}-04", f"{year + 1:04d}-03", FISCAL_NOTE)
    else:
        span = DateSpan(f"{year:04d}", f"{year:04d}")
    return DateMatch(written, span, rest, True)
