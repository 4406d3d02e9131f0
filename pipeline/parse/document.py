"""A page's decoded text to the lxml tree the parser walks: stray content adopted, deep nesting
unwrapped, <br> marked, scripts and styles dropped, their JSON-LD kept."""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from lxml import etree

from pipeline.domain.errors import InputError
from pipeline.encoding import XML_DECLARATION_RE
from pipeline.parse.text import BREAK
from pipeline.parse.tree import BLOCK_TAGS

# What `_unnest` keeps: the elements whose boxes say something to the parser (headings,
# tables, lists, landmarks); the nesting an unclosed <font>, <b>, <center> or <div> on every
# line builds is made of others (and of paragraphs, which never nest but do inside a <font>).
_NESTING_KEPT = frozenset(
    (
        *("h1", "h2", "h3", "h4", "h5", "h6", "html", "body", "head", "br", "pre", "hr", "img"),
        *("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "time"),
        *("ul", "ol", "li", "dl", "dt", "dd", "main", "article", "section", "nav", "header"),
        *("footer", "aside", "form"),
    )
)
_DEEP = 64  # levels of nesting no page's own structure needs
_UNWRAP = "keika-unwrap"  # (no HTML element is named so)


def _unnest(doc: etree._Element) -> bool:
    """Unwrap the elements deeper than `_DEEP` levels but those in `_NESTING_KEPT`, keeping
    their text and children in place (a block's lines stay apart: a BREAK around it): what an
    old page that never closes its <font>s shows, in a depth the walks can follow. Whether
    the tree is then shallow enough (a page nesting its tables that deep stays unread)."""
    depth = 0
    unwrapped = False
    for event, el in etree.iterwalk(doc, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        tag = el.tag
        if depth > _DEEP and isinstance(tag, str) and tag not in _NESTING_KEPT:
            if tag in BLOCK_TAGS:
                el.text = BREAK + (el.text or "")
                el.tail = BREAK + (el.tail or "")
            el.tag, unwrapped = _UNWRAP, True
    if unwrapped:
        etree.strip_tags(doc, _UNWRAP)
    return _depth(doc) <= 4 * _DEEP


def _depth(doc: etree._Element) -> int:
    """How many levels of elements the tree nests."""
    deepest = depth = 0
    for event, _ in etree.iterwalk(doc, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _document(text: str, utf8: bytes | None = None) -> etree._Element:
    """The page's lxml tree. `utf8`: the page's bytes, when `text` is their UTF-8 decoding:
    libxml2 reads them as they are, ~10% faster than a str (which reaches it as UTF-16 and
    is converted back), into the same tree (a test compares both on every fixture)."""
    # lxml refuses str input that carries an XML encoding declaration; the text is decoded.
    # (A match, not a sub: the pattern is anchored, and sub tries every position of the page.)
    declaration = XML_DECLARATION_RE.match(text)
    if declaration is not None:
        text = text[declaration.end() :]
        utf8 = None  # the bytes would keep the declaration: parse the text without it
    if not text or text.isspace():  # `not text.strip()`, without copying the page
        raise InputError("empty page: no text to parse")
    if utf8 is not None and utf8.startswith(codecs.BOM_UTF8):
        utf8 = None  # the decoded text has no byte-order mark; keep to what it holds
    parser = _UTF8_HTML_PARSER if utf8 is not None else _HTML_PARSER
    try:
        doc = etree.fromstring(utf8 if utf8 is not None else text, parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"not parseable as HTML: {exc}") from None
    last = parser.error_log.last_error  # (this thread's; libxml2 stops at a resource limit)
    if last is not None and last.type_name == "ERR_RESOURCE_LIMIT":
        # Read in part, the entries after the cut would be reported as removed.
        limit = last.message.split(", use XML_PARSE_HUGE")[0].strip()  # (it is in use)
        raise InputError(f"not read whole: libxml2 stopped at a limit ({limit})")
    if doc is None:
        raise InputError("not parseable as HTML: no elements")
    if doc.getnext() is not None:
        _adopt_strays(doc)
    return doc


def _adopt_strays(doc: etree._Element) -> None:
    """Content after a stray </html> (a broken CMS template, or one closing the page twice):
    libxml2 closes every element there and puts the rest in further <html> elements beside the
    root, where no walk of the document would see it. A browser ignores the stray tag and goes
    on in the elements still open, so the rest is moved to the end of the innermost last
    container (main, article, section, div) of the body, text and elements in order: it is
    read as content, never lost."""
    target = next(doc.iterchildren("body"), None)
    if target is None:
        target = etree.SubElement(doc, "body")
    while len(target) and target[-1].tag in _STRAY_CONTAINERS:
        target = target[-1]
    for stray in list(doc.itersiblings()):
        if not isinstance(stray.tag, str):
            continue
        if stray.text:
            if len(target):
                target[-1].tail = (target[-1].tail or "") + stray.text
            else:
                target.text = (target.text or "") + stray.text
        for child in list(stray):
            target.append(child)  # its tail goes with it


_STRAY_CONTAINERS = frozenset(["main", "article", "section", "div"])


# Plain etree elements (not lxml.html's classes): the walk creates fewer, cheaper proxies.
# No table of id attributes (nothing here calls XPath's id()): 4% off the parse. huge_tree:
# libxml2 otherwise stops at 256 levels of nesting and drops the rest of the page without a
# word, and an old page that opens a <font> on every line and never closes one gets there
# (the page's size is bounded by the fetch's max_size; the limit is then 2048 levels).
_HTML_PARSER = etree.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=True
)
# For bytes already known to be UTF-8: the encoding is given, so a <meta charset> naming
# another one (a UTF-8 page under an old Shift_JIS template's label) is not followed.
_UTF8_HTML_PARSER = etree.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8", huge_tree=True
)

_DROPPED_TAGS = (
    *("script", "style", "noscript", "template", "iframe", "object", "embed", "svg"),
    *("canvas", "select", "button", "textarea", "rt", "rp"),  # ruby readings are not text
)


def _prepare(doc: etree._Element) -> list[dict[str, Any]]:
    """Read the page's JSON-LD, put a BREAK inside every <br>, then drop scripts, styles and
    the like; returns the JSON-LD objects. The first two share one walk; a <br> marked inside
    an element dropped next changes nothing. (The BREAK, as the text of the empty <br>, is
    serialised where the <br> stands; setting it costs a third of rewriting the tail. This
    mutates our own freshly parsed tree.)"""
    objects: list[dict[str, Any]] = []
    for el in doc.iter("br", "script", "pre", "span", "time", "relative-time", "local-time"):
        tag = el.tag
        if tag == "br":
            el.text = BREAK
        elif tag == "span" or tag == "time":
            if tag == "time" and el.text and not len(el) and el.get("datetime"):
                _complete_time(el)
            if not el.tail and el.text:
                _part_apart(el)
        elif tag == "pre":
            _mark_pre_lines(el)
        elif tag == "script":
            _read_json_ld(el, objects)
        elif el.text and not len(el) and el.get("datetime"):
            _complete_time(el)  # <relative-time>, <local-time>: a web component's <time>
    etree.strip_elements(doc, *_DROPPED_TAGS, with_tail=False)
    return objects


# A <time>'s machine-readable day (2023-04-01, 2023-04-01T09:00:00+09:00), and what in its
# text says its year (four digits, an era: R5.4.1, 令和5年) or that it is relative (3 days ago).
_TIME_DAY_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?![\d])")
_TIME_YEAR_RE = re.compile(r"\d{4}|[明大昭平令]|(?<![A-Za-z])[MTSHR]\.?\s?\d|['’]\d\d")
_TIME_RELATIVE_RE = re.compile(r"\bago\b|\b(?:yester|to)day\b|前|昨日|今日", re.IGNORECASE)
_TIME_NUMBERS_RE = re.compile(r"\d+")


def _complete_time(el: etree._Element) -> None:
    """A <time datetime="2023-04-01"> (or a web component's <relative-time>) whose text
    leaves the year out (Apr 1, 11月10日, 4/1) or is relative (3 days ago, 昨日): its text
    becomes the day its datetime says, written ISO, the year being what the reader cannot know
    from the text (a news list groups by year in a heading, or in nothing at all). Only when
    the text's numbers are that day's month and day (the day among them), or it is relative,
    and the <time> stands apart (ending its block, or opening it: not inside a sentence); a
    text with a year of its own stays as written."""
    text = el.text.strip()
    if not text or len(text) > 24 or _TIME_YEAR_RE.search(text):
        return
    if el.tail and not el.tail.isspace():  # text after it: only a <time> opening its block
        parent = el.getparent()
        if parent is None or el.getprevious() is not None or not _blank_text(parent.text):
            return  # in a sentence (…は<time>2月25日</time>に報告): the text as written
    found = _TIME_DAY_RE.match(el.get("datetime"))
    if found is None:
        return
    month, day = int(found[2]), int(found[3])
    numbers = {int(n) for n in _TIME_NUMBERS_RE.findall(text)}
    if _TIME_RELATIVE_RE.search(text) or (day in numbers and numbers <= {month, day}):
        el.text = f"{found[1]}-{found[2]}-{found[3]}"


def _blank_text(text: str | None) -> bool:
    return not text or text.isspace()


def _part_apart(el: etree._Element) -> None:
    """A space after a number in a <span> or <time> that the next one, of another class,
    continues with a number (<span class="year">2003</span><span class="month">8月</span>):
    the style sets them apart, and run together they would read as one number (20038月); so
    does a year before a month's name (<span class="year">2009</span><span class="month">April
    </span>: 2009 April, not 2009April)."""
    text = el.text
    if not text[-1].isdigit() or len(el):
        return
    nxt = el.getnext()
    if (
        nxt is not None
        and (nxt.tag == "span" or nxt.tag == "time")
        and nxt.text
        and (nxt.text[0].isdigit() or ("A" <= nxt.text[0] <= "Z" and text[-4:].isdigit()))
        and nxt.get("class") != el.get("class")
    ):
        el.tail = " "


def _mark_pre_lines(pre: etree._Element) -> None:
    """A <pre> keeps its source lines (a 年表 typed as text, one date a line): each line end
    inside it is a BREAK, as a <br> would be, so the lines are not run together."""
    for node in pre.iter():
        if node.text and "\n" in node.text:
            node.text = node.text.replace("\n", BREAK)
        if node is not pre and node.tail and "\n" in node.tail:
            node.tail = node.tail.replace("\n", BREAK)


def _read_json_ld(script: etree._Element, objects: list[dict[str, Any]]) -> None:
    """Add the objects of a <script type="application/ld+json"> to `objects`."""
    if script.get("type") != "application/ld+json":
        return
    try:
        data = json.loads(script.text or "")
    except ValueError:
        return
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            objects.append(value)
            if isinstance(value.get("@graph"), list):
                stack.extend(reversed(value["@graph"]))
