"""Choosing the content root: a main landmark, else the block holding most of the page's dated
anchors, widened to the page's title; the lines a converted document repeats on every sheet."""

from __future__ import annotations

from lxml import etree

from pipeline.parse.hits import _hit
from pipeline.parse.items import _Item
from pipeline.parse.tree import HEADING_LEVELS, _body, _common_ancestor, _inside
from pipeline.parse.year_marks import _mark_bare_years

# [role=main], else the first element with one of these ids (in document order). The values
# of every role (id) attribute come from one C-level XPath and are compared here: libxml2
# evaluates //*[@id='main' or @id='content' or …] at ~1 us an element (a copy of the value
# for each comparison), a quarter of a millisecond on a page without <main>.
_ROLES_XPATH = etree.XPath("//@role")  # compiled once: doc.xpath(text) compiles every call
_IDS_XPATH = etree.XPath("//@id")
_LANDMARK_IDS = frozenset(
    (
        *("main", "content", "contents", "main-contents", "main_contents", "maincontents"),
        *("main-content", "main_content", "tmp_contents", "honbun", "article"),
    )
)
_ANCHOR_SHARE = 0.6


def _content_root(doc: etree._Element) -> etree._Element:
    main = next(doc.iter("main"), None)  # //main, as a C-level walk
    if main is not None:
        return main
    for role in _ROLES_XPATH(doc):
        if role == "main":
            return role.getparent()  # an attribute's value knows its element
    for ident in _IDS_XPATH(doc):
        if ident in _LANDMARK_IDS:
            return ident.getparent()
    articles = list(doc.iter("article"))
    if len(articles) == 1:
        return articles[0]
    return _body(doc)


def _densest_block(items: list[_Item], body: etree._Element) -> etree._Element:
    """The deepest element holding most (60%) of the dated anchors: the content block."""
    _mark_bare_years(items)
    counts: dict[etree._Element, int] = {}
    depth: dict[etree._Element, int] = {}
    total = 0
    for item in items:
        if item.links or item.foreign or _hit(item, None) is None:
            continue
        total += 1
        chain = [item.el, *item.el.iterancestors()]
        for d, ancestor in enumerate(reversed(chain)):
            counts[ancestor] = counts.get(ancestor, 0) + 1
            depth[ancestor] = d
    if total == 0:
        return body
    best = body
    for element, count in counts.items():
        if count >= _ANCHOR_SHARE * total and depth[element] > depth.get(best, -1):
            best = element
    # An anchor's own element (a heading, a row) is not a block: climb to its container.
    if best.tag in HEADING_LEVELS or best.tag in ("tr", "li", "dt", "p"):
        parent = best.getparent()
        best = parent if parent is not None else best
    return _up_to_like_boxes(best, counts)


def _up_to_like_boxes(block: etree._Element, counts: dict[etree._Element, int]) -> etree._Element:
    """The block widened to its parent when a sibling box styled alike holds dated lines too:
    a document converted page by page (pdftohtml's `<div style="position:relative;…">` for
    each sheet of a PDF) splits one chronology over boxes of one kind, and the block holding
    most of it is only its longest page; the others are no side list."""
    parent = block.getparent()
    if parent is None or block.tag not in ("div", "section", "table"):
        return block
    style, cls = block.get("style"), block.get("class")
    if not style and not cls:
        return block
    for sibling in parent:
        if (
            sibling is not block
            and sibling.tag == block.tag
            and counts.get(sibling, 0) > 0
            and ((style and sibling.get("style") == style) or (cls and sibling.get("class") == cls))
        ):
            return parent
    return block


def _up_to_title(
    items: list[_Item], block: etree._Element, title: str
) -> tuple[etree._Element, int]:
    """The dated block widened to the page's title (<h1>村の沿革</h1>, or the <font><b> title
    of an old layout; when the page's title is nowhere in it, the heading right above the
    block) when the two share a container holding no other dated line: the intro
    above the list and the notes under it are the page's own text, not lost with the rest of
    the page's frame. With the index of the first item of the content: 0, or the title's
    when the two stand side by side in the <body> itself (`_body_from_title`)."""
    title_at = next((k for k, item in enumerate(items) if " ".join(item.lines) == title), None)
    if title_at is None:
        # The <title> is the site's name (an old page heads its content with an <h2>): the
        # heading right above the block, with nothing between them, is the content's.
        first = next((k for k, item in enumerate(items) if _inside(item.el, block)), 0)
        if first == 0 or items[first - 1].kind != "heading":
            return _up_to_container(items, block), 0
        title_at = first - 1
    title_item = items[title_at]
    if _inside(title_item.el, block):
        return block, 0
    region = _common_ancestor(block, title_item.el)
    if region is None or region.tag in ("body", "html"):
        # The title stands apart, in the page's header band (<div class="page-header"><h1>):
        # the box holding the block is still the content's (an intro above the list).
        box = _up_to_container(items, block)
        if box is block and region is not None and region.tag == "body":
            return _body_from_title(items, block, region, title_at)
        return box, 0
    beside = (
        item
        for item in items
        if item.kind != "meta" and _inside(item.el, region) and not _inside(item.el, block)
    )
    if any(_hit(item, None) is not None for item in beside):
        return block, 0  # a dated side list shares the container: keep to the block
    return region, 0


def _body_from_title(
    items: list[_Item], block: etree._Element, body: etree._Element, title_at: int
) -> tuple[etree._Element, int]:
    """A page with no box around its content (<body><h1>沿革</h1><ul>…</ul><p>注：…</p>): the
    body from the title on is the content, so the notes under the list are the page's text,
    not dropped with its frame; what stands above the title (a site's name, a banner) is the
    frame. Only when no dated line stands beside the list there (a dated side list: the block
    alone stays the content)."""
    beside = False
    for item in items[title_at + 1 :]:
        if item.kind == "meta" or _inside(item.el, block):
            continue
        if _hit(item, None) is not None:
            return block, 0
        beside = True
    return (body, title_at) if beside else (block, 0)


def _up_to_container(items: list[_Item], block: etree._Element) -> etree._Element:
    """The dated block (a table, a list) widened to the box holding it (an old layout's
    content cell, a `<div class="honbun">`) when the page names no title or heading there:
    its other lines (a heading set in `<font><b>`, an intro, notes under the table) are the
    page's own text, not lost with the frame. Only when they are plain text: no dated line
    and no menu of links shares the box."""
    box = block.getparent()
    if box is None or box.tag in ("body", "html"):
        return block
    beside = False
    for item in items:
        if item.kind == "meta" or not _inside(item.el, box) or _inside(item.el, block):
            continue
        if item.links or item.foreign or _hit(item, None) is not None:
            return block
        beside = True
    return box if beside else block


def _mark_running_lines(items: list[_Item], block: etree._Element) -> None:
    """A line that opens every box of a run styled alike, each after the first at least (the
    document's title printed atop every sheet of a PDF converted page by page), is the
    sheet's furniture: its first writing stays (page text, or the title's metadata), the
    repeats are metadata, not lines of the entry above. Only an undated opening line: cards
    may close alike by chance (記念品を贈呈), and a sheet's page number is furniture anyway."""
    kinds: dict[tuple[str, str | None, str | None], list[etree._Element]] = {}
    for child in block:
        if child.tag in ("div", "section") and (child.get("style") or child.get("class")):
            kinds.setdefault((child.tag, child.get("style"), child.get("class")), []).append(child)
    boxes = {box for like in kinds.values() if len(like) > 1 for box in like}
    if not boxes:
        return
    firsts: dict[etree._Element, _Item] = {}
    for item in items:
        el = item.el
        while el is not None and el.getparent() is not block:
            el = el.getparent()
        if el in boxes and el not in firsts:
            firsts[el] = item
    sheets = list(firsts.values())
    if len(sheets) < 2 or sheets[1].kind not in ("block", "heading"):
        return
    lines = sheets[1].lines
    if any(sheet.lines != lines for sheet in sheets[2:]) or _hit(sheets[1], None) is not None:
        return
    if len(sheets) == 2 and sheets[0].lines != lines:
        return  # two boxes opening differently (an intro, a note) share nothing
    for sheet in sheets[1:]:
        sheet.kind = "meta"
