"""Menus: links side by side on a line (トップ｜観光), a list of links to places in the page
(#fy2019); such links labelled with a year open their panels as headings (tabs)."""

from __future__ import annotations

from lxml import etree

from pipeline.parse.items import _Item
from pipeline.parse.matching import _match, _strict_match, _year_titled
from pipeline.parse.text import BREAK, _text
from pipeline.parse.tree import _SUMMARY_LEVEL, _inside

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


def _dated_targets(menu: etree._Element) -> dict[str, str]:
    """A menu's links to places in the page labelled with a date alone (a tab list: <li><a
    href="#y2023" role="tab">2023年</a></li>, or aria-controls="y2023"): the place's id and
    the label."""
    found: dict[str, str] = {}
    for link in menu.iter("a", "button"):
        href = link.get("href") or ""
        target = link.get("aria-controls") or (href[1:] if href[:1] == "#" else "")
        if not target:
            continue
        label = _text(link)
        read = _match(label, None) if label else None
        if read is not None and not read.rest:
            found[target] = label
    return found


def _tab_headings(items: list[_Item], root: etree._Element, labels: dict[str, str]) -> list[_Item]:
    """Tab panels (<div id="y2023" role="tabpanel">) whose tab is labelled with a year or a
    date (`_dated_targets`): the label heads the panel as an accordion's <summary> heads its
    box, so the panel's year-less lines (4月15日　…) take its year. The tabs stand together
    before the panels, away from what they label. Only a panel opening with no heading of its
    own (a table of contents' link to <h2 id="fy2019">2019年度</h2> is its heading's already);
    the label stays in its menu too."""
    inserts: list[tuple[int, _Item]] = []
    for target, label in labels.items():
        panel = next(iter(root.xpath(".//*[@id=$i]", i=target)), None)
        if panel is None:
            continue
        k = next(
            (k for k, item in enumerate(items) if item.el is panel or _inside(item.el, panel)),
            None,
        )
        if k is None or items[k].kind == "heading" or items[k].links:
            continue
        group = panel.getparent()
        inserts.append((k, _Item("heading", panel, [label], group, _SUMMARY_LEVEL)))
    if not inserts:
        return items
    out = list(items)
    for k, item in sorted(inserts, key=lambda pair: pair[0], reverse=True):
        out.insert(k, item)
    return out
