"""The order in which a page writes a day and a month in figures before the year (04/12/2015:
April 12 in the US, 4 December in the UK and most of Europe), decided once for the page.

`pipeline.dates` reads such a date only in an order it is given. The page gives it: its
dates that can be read one way only (13/04/2015: the day first; 04/13/2015: the month first),
when all agree; else its language when it says so plainly (lang="en-US": the month first;
en-GB, de, fr …: the day first; plain "en" says nothing). Dates that disagree, or none that
decide and no telling language, leave such dates unread: a wrong date is worse than none.

The order holds for one parse (`_PAGE_ORDER`, a context variable, set by `pipeline.parse.read`
around the page's reading and read by `_match`): the same for `parse_page` and `explain_page`,
and for each thread its own.

Cost: a page in Japanese, Chinese or Korean writes its year first (2015/04/12, 2015年4月12日);
it is known by its lang= or, when that says another language or nothing (a Japanese site's
template often says lang="en"), by a 年 in its text, and its text is never scanned.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass

from lxml import etree

from pipeline.dates import DayOrder, figures_order
from pipeline.parse.tree import _body

# The page's order for the parse under way (None: such dates are not read).
_PAGE_ORDER: ContextVar[DayOrder | None] = ContextVar("keika_page_day_order", default=None)
# And why, for --explain's unused lines (set only while explaining: `DayOrderDecision.why`).
_PAGE_ORDER_WHY: ContextVar[str] = ContextVar("keika_page_day_order_why", default="")

# Languages whose pages write the year first: never scanned.
_YEAR_FIRST_LANGS = frozenset(("ja", "zh", "ko"))
_YEAR_FIRST_PREFIXES = frozenset(("ja", "JA", "Ja", "zh", "ZH", "ko", "KO"))
# Languages whose writers put the month first (lang= with its region).
_MONTH_FIRST_LANGS = frozenset(("en-us",))
# English regions writing the day first, and languages whose writers put it first wherever
# they live (de, fr, es, it, nl … , de-AT, fr-CA: the day first too).
_DAY_FIRST_ENGLISH = frozenset(
    ("en-gb", "en-au", "en-nz", "en-ie", "en-in", "en-za", "en-sg", "en-mt", "en-hk")
)
_DAY_FIRST_LANGS = frozenset(
    (
        *("de", "fr", "es", "it", "nl", "pt", "ca", "gl", "eu", "ga", "cy", "gd", "br", "lb"),
        *("da", "nb", "nn", "no", "sv", "fi", "is", "et", "pl", "cs", "sk", "sl", "hr", "bs"),
        *("sr", "ro", "bg", "mk", "sq", "el", "tr", "ru", "uk", "be", "mt", "rm", "fy"),
    )
)
# A day and a month in figures before a four-digit year anywhere in the text (as
# `pipeline.dates` reads them at a line's start: its _FIGURES_RE, not inside a longer number).
_FIGURES_IN_TEXT_RE = re.compile(
    r"(?<![0-9./\-])([0-9]{1,2})([/.\-])([0-9]{1,2})\2[12][0-9]{3}(?![0-9])"
)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class DayOrderDecision:
    """The page's order (None: such dates stay unread) and why, for --explain ("" when the
    page writes no such date, or was not scanned)."""

    order: DayOrder | None
    why: str


_NONE = DayOrderDecision(None, "")


def _page_lang(doc: etree._Element) -> str:
    """The page's lang= (of <html>, or xml:lang), as written."""
    return (doc.get("lang") or doc.get("xml:lang") or doc.get(_XML_LANG) or "").strip()


def _lang_order(written: str) -> DayOrder | None:
    """The order a lang= value says plainly (en-US, en-GB, de …), or None (en, ja, none)."""
    lang = written.lower().replace("_", "-")
    if lang in _MONTH_FIRST_LANGS:
        return "mdy"
    primary = lang.split("-")[0]
    if lang in _DAY_FIRST_ENGLISH or primary in _DAY_FIRST_LANGS:
        return "dmy"
    return None


ORDER_WORDS: dict[DayOrder, str] = {"dmy": "the day first", "mdy": "the month first"}


def _page_day_order(doc: etree._Element, text: str) -> DayOrderDecision:
    """The order of `doc`'s figures dates (module docstring), from its body's text; `text`:
    the page's decoded text, for the cheap test that passes over a Japanese page."""
    lang = doc.get("lang") or ""
    if lang[:2] in _YEAR_FIRST_PREFIXES or "年" in text:
        return _NONE  # (lang="ja", ja-JP, JA: passed over at once)
    lang = _page_lang(doc)
    if lang.lower().replace("_", "-").split("-")[0] in _YEAR_FIRST_LANGS:
        return _NONE
    # (each text node on a line of its own: a date is no part of the text after it)
    found = _FIGURES_IN_TEXT_RE.findall("\n".join(_body(doc).itertext()))
    if not found:
        return _NONE
    seen: dict[DayOrder, str] = {}
    for first, sep, second in found:
        order = figures_order(int(first), int(second))
        if order is not None and order not in seen:
            seen[order] = f"{first}{sep}{second}"
    by_lang = _lang_order(lang)
    said = f'lang="{lang}"' if lang else "no lang="
    if len(seen) == 1:
        ((order, example),) = seen.items()
        return DayOrderDecision(
            order,
            f"{ORDER_WORDS[order]}: the page writes dates that can only be read so"
            f" ({example}/…), and none the other way",
        )
    if seen:  # both ways: whichever order is taken reads some of them wrong, whatever lang= says
        return DayOrderDecision(
            None,
            f"not read: the page writes dates read the day first ({seen['dmy']}/…) and others"
            f" the month first ({seen['mdy']}/…)",
        )
    if by_lang is not None:
        why = "none of its dates can be read one way only"
        return DayOrderDecision(by_lang, f"{ORDER_WORDS[by_lang]}: the page's {said} ({why})")
    return DayOrderDecision(
        None,
        "not read: none of the page's dates can be read one way only (a number past 12), and"
        f" its language ({said}) does not say which comes first",
    )
