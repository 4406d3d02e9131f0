"""The tag sets the parser reads a page by, and questions about an element's place in the tree:
inside another, its nearest ancestor of a tag, holding blocks or headings."""

from __future__ import annotations

from lxml import etree

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "legend",
        "menu",
    ]
)
HEADING_LEVELS = {f"h{n}": n for n in range(1, 7)}
_SUMMARY_LEVEL = 6  # a <details> box's <summary>: the lowest heading, inside any h2-h6
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "map",
        "head",
        "title",
        "meta",
        "link",
    ]
)


def _nearest(el: etree._Element, tag: str) -> etree._Element | None:
    for ancestor in el.iterancestors(tag):
        return ancestor
    return None


def _has_block_descendant(el: etree._Element) -> bool:
    for child in el:  # most containers show a block among their children: stop there
        if child.tag in BLOCK_TAGS:
            return True
    return any(d.tag in BLOCK_TAGS for d in el.iterdescendants())


def _has_heading_at_most(el: etree._Element, level: int) -> bool:
    return next(el.iterdescendants(*[f"h{n}" for n in range(1, level + 1)]), None) is not None


def _inside(el: etree._Element, container: etree._Element) -> bool:
    return el is container or any(a is container for a in el.iterancestors())


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element | None:
    chain = [a, *a.iterancestors()]  # held, so each element keeps its one proxy
    for x in (b, *b.iterancestors()):
        if any(x is y for y in chain):
            return x
    return None


def _body(doc: etree._Element) -> etree._Element:
    return next(doc.iterchildren("body"), doc)  # doc.find("body"), without ElementPath
