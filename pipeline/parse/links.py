"""Menus: links side by side on a line (トップ｜観光), a list of links to places in the page
(#fy2019)."""

from __future__ import annotations

from lxml import etree

from pipeline.parse.matching import _strict_match, _year_titled
from pipeline.parse.text import BREAK, _text

# What may stand between the links of a menu written as a line (トップ｜村政情報｜観光).
_MENU_SEPARATORS = f" \t\r\n\u3000｜|/／・･[]［］{BREAK}"


def _is_link_block(el: etree._Element) -> bool:
    """`_is_link_run` for a block's own content (<div>…<a>トップ</a>｜<a>観光</a></div>)."""
    return _own_links(el) > 1


def _own_links(el: etree._Element) -> int:
    """How many links an element's own content is, with only separators between them; -1
    when it holds anything else."""
    text = el.text
    if text and text.strip(_MENU_SEPARATORS):
        return -1
    parts: list[etree._Element | str] = []
    for child in el:
        parts.append(child)
        if child.tail:
            parts.append(child.tail)
    return _links(parts)


def _is_link_run(parts: list[etree._Element | str]) -> bool:
    """Whether loose inline content is links side by side (two or more) with only separators
    between them: a menu written as a line, or as lines (<a>…</a><br><a>…</a>), also inside
    an inline wrapper (an old layout's <font size="2">, as its side column sets its menu). A
    dated link to another page is not."""
    return _links(parts) > 1


# The inline elements an old layout wraps its menu's links in
_LINK_WRAPPERS = frozenset(("font", "span", "small", "b", "strong", "nobr"))


def _links(parts: list[etree._Element | str]) -> int:
    links = 0
    for part in parts:
        if isinstance(part, str):
            if part.strip(_MENU_SEPARATORS):
                return -1
            continue
        text = _text(part)
        if not text:
            continue  # an image, an empty anchor
        if part.tag in _LINK_WRAPPERS:
            inner = _own_links(part)
            if inner < 0:
                return -1
            links += inner
            continue
        href = part.get("href")
        if part.tag != "a" or not href:
            return -1
        if not href.startswith("#") and _strict_match(text, None) is not None:
            return -1
        links += 1
    return links


def _is_link_list(el: etree._Element) -> bool:
    """Whether every item of a list is one link and nothing else, none of them dated: a menu
    (most lists stop at their first item, which holds no link). Links to places in the page
    itself (#fy2019) are its table of contents even when dated (2019年度): no entries."""
    for li in el:
        if li.tag != "li":
            continue
        link = next(li.iter("a"), None)
        href = link.get("href") if link is not None else None
        if not href:
            return False
        text = _text(li)
        if not text or text != _text(link):
            return False
        if (
            not href.startswith("#")
            and _strict_match(text, None) is not None
            and not _year_titled(text)  # (令和5年度 …を募集します（令和5年4月）: a link still)
        ):
            return False
    return True
