"""One chronology page (bytes) to a `ParsedPage`: page metadata plus dated entries in page order.

Zero configuration is the normal case, so entries are found by a general mechanism rather than
by knowing a site:

1. Decode the bytes (`pipeline.encoding`), parse them with lxml.
2. Read the page's own metadata from the whole document: ID (【ID】, ページID, ページ番号 …),
   the title from the content's `<h1>` (not the site name in `<title>`), the update date
   (更新日, 最終更新日, 掲載日, 公開日 …), with JSON-LD as a fallback.
3. Pick the content root: `main`, `[role=main]`, `#main`, `#content` (and a few CMS spellings),
   `article`; without any (or when it holds no entries), the deepest block holding 60% of
   the page's dated anchors, so a dated side list is not taken for the content, widened to
   the page's title when they share a container with no other dated line.
4. Flatten the content into a stream of items in page order (headings, dt terms, table rows,
   text blocks), skipping noise: nav/header/footer/aside, breadcrumbs, side bars, page-info
   and update lines, contact blocks, forms, scripts, and any section headed 新着情報,
   お問い合わせ, 関連リンク ….
5. Group the stream: an item that *is* a date starts an entry and the items after it are its
   body. Dates are: a heading (h2-h6), a dt, a table row's first cell (or a 年 | 月 | 内容
   pair of cells, also with bare months under 月: 1998 | 4, a 和暦 | 西暦 pair restating one
   year in either order, the cell after a
   running number, or the column holding a date in every row when the first never does; a
   month-only row takes the year of the dated row above it), a row or caption holding a
   year alone (the year of the rows below it), a paragraph or list item made of a date
   alone (<p><strong>平成12年</strong></p>) or of a date, a separator (full-width space,
   space, ：) and text; bullets (■・◆) and brackets (【…】) around a date are allowed, so is
   a remark in brackets after it (平成30年7月（第1回）: the remark opens the body), and a
   date in an inline element of its own opening the paragraph (<span class="date">平成元年
   5月12日</span>調印式). A date running straight into text ("令和8年11月29日午前6時から…")
   is not an entry, unless its year comes from above and its month or day ends it (5年10月増築
   under <h2>平成</h2>, 4月開館 under a year heading); 同年10月 takes the year of the dated
   line above it; and under a dated heading the lines are its body even when they start
   with numbers, up to the end of the box it opens, if any (<section><h4>平成27年4月1日</h4>
   <div>…</div></section>).
   A year (2018年度, 平成30年) whose section holds year-less dated lines (5月12日 …, 1月 …) is
   the year those lines take (fiscal: 1-3月 are the next year); it is an entry of its own
   only when plain lines come before the first dated one (they are its body); a year
   followed by plain text only is an entry. A paragraph holding several dated lines split by
   <br> gives one entry per line (the paragraph after it is not the last line's body). A
   card (an article, a list item, a div) whose header holds a date alone (<time>, <span>,
   <p>) beside a heading is one entry: the heading is the first body line, then the card's
   other text, a table row per line; so is a run of like cards each ending with a date
   alone (in the card's own <footer>, its last line: 掲載日：2023年5月10日, or its last box
   beside a category: <time>…</time><span class="cat">お知らせ</span>), read as if the date
   opened the card (`_date_cards_at_end`); a date alone ending a lone card takes no body from
   outside it. Lines that END with their date in brackets (<li>姉妹都市提携調印（昭和59年5月）
   </li>, <p> lines, <br> lines; (…), ［…］), two or more of a run of like blocks and more than
   half of its lines from the first to the last, none opening with a date, are an entry each:
   the bracketed date, the text before it as body, the run's undated lines page text
   (`_dates_at_line_end`; the brackets are no text, as 【】 around a date are not). A date
   alone in its own element with the text beside it, the two in a box of their own (<div
   class="row"><div class="date">…), is bounded by the box. A table whose cells hold
   headings or tables, or with one cell a row, is layout: its cells are read as blocks.
6. Nothing is dropped silently: every item lands in one place (`_Grouper`): an entry's date
   or body, metadata (the ID/update lines, even after a note in one block, the title
   again as a heading, caption or line, furniture such as an access counter or a print
   link, a menu of links outside every entry with its heading), a year giving its year to
   the lines below, or the page's own text (`page.text`: an intro, notes under the list).
   Entries set between rules (<hr>) end at the next rule; links side by side on a line
   (トップ｜観光) are a menu, and so is a list of links to places in the page (#fy2019).
   A block marked as another language than the page's (<div lang="en">: a translation)
   starts no entries: its lines are page text, or the body of the entry it sits in.
   `explain_page` returns the same with a `Trace` of where each line went.

Speed: BeautifulSoup (with lxml) builds its tree 20-30× slower than lxml alone, so all the
scanning runs on the lxml tree, and so do a seed's CSS `Selectors` where they can
(`pipeline.selectors`). See bench/bench_parse.py.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from pipeline.dates import (
    AS_OF_PARTICLES,
    ERA_NAMES,
    FISCAL_NOTE,
    NOTE_JOINER,
    OLD_ERA_HEADS,
    OLD_ERA_PATTERN,
    OPEN_END_NOTE,
    DateMatch,
    DateSpan,
    YearContext,
    carried_year,
    era_context,
    letter_era_year,
    match_date,
    within_era,
    year_context,
)
from pipeline.domain.errors import InputError
from pipeline.domain.records import EntryRecord, PageInfo, ParsedPage
from pipeline.encoding import XML_DECLARATION_RE, decode_html_as
from pipeline.selectors import SelectedElements, Selectors

_tostring = etree.tostring  # a global, not an attribute lookup, in the hot loops

# --- the public function ------------------------------------------------------------------------


def parse_page(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    selectors: Selectors | None = None,
) -> ParsedPage:
    """Parse one page's bytes into its metadata and dated entries (pure: no I/O)."""
    return _parse(data, url, content_type, selectors, None)


def explain_page(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    selectors: Selectors | None = None,
) -> tuple[ParsedPage, Trace]:
    """`parse_page`, plus where each content line went and which date-like lines were not
    used (for `keika parse --explain` and the no-line-lost tests)."""
    trace = Trace()
    return _parse(data, url, content_type, selectors, trace), trace


def _parse(
    data: bytes,
    url: str | None,
    content_type: str | None,
    selectors: Selectors | None,
    trace: Trace | None,
) -> ParsedPage:
    decoded = decode_html_as(data, content_type)
    text = decoded.text
    doc = _document(text, data if decoded.encoding == "utf-8" else None)
    picked = (
        SelectedElements.pick(text, doc, selectors) if selectors and selectors.any_set() else None
    )
    ld = _prepare(doc)  # after the selector twins are mapped
    try:
        return _read(doc, decoded.encoding, url, picked, ld, trace)
    except RecursionError:  # hundreds of levels of nesting: the walks recurse once a level
        if picked is not None or not _unnest(doc):
            raise InputError(
                f"the page nests its elements too deep to read ({_depth(doc)} levels)"
            ) from None
    if trace is not None:
        trace.rule, trace.roles, trace.unused = "", [], []  # what the first attempt noted
    return _read(doc, decoded.encoding, url, picked, ld, trace)


def _read(
    doc: etree._Element,
    encoding: str,
    url: str | None,
    picked: SelectedElements | None,
    ld: list[dict[str, Any]],
    trace: Trace | None,
) -> ParsedPage:
    """The page's metadata and entries from its prepared tree (`_parse`)."""
    root = picked.content if picked is not None and picked.content is not None else None
    if root is None:
        root = _content_root(doc)
    info = _page_info(doc, root, url, picked, ld)
    title = info.title
    if picked and picked.entries is not None:
        if trace is not None:
            trace.rule = "seed selector 'entry': each match is one entry"
        entries, page_text = _entries_from_entry_elements(picked, root, title, trace)
    elif picked and picked.dates is not None:
        if trace is not None:
            trace.rule = "seed selector 'date': each match starts an entry"
        bodies = frozenset(picked.bodies) if picked.bodies is not None else None
        entries, page_text = _Grouper(
            _Flattener(forced=picked).items(root),
            forced=True,
            bodies=bodies,
            title=title,
            root=root,
            trace=trace,
        ).run()
    else:
        entries, page_text = _heuristic_entries(doc, root, title, trace)
    if page_text:
        info = replace(info, text=tuple(page_text))
    return ParsedPage(page=info, entries=tuple(entries), encoding=encoding)


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


# --- text of elements ---------------------------------------------------------------------------

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
_DROPPED_TAGS = (
    *("script", "style", "noscript", "template", "iframe", "object", "embed", "svg"),
    *("canvas", "select", "button", "textarea", "rt", "rp"),  # ruby readings are not text
)
_SPACE_RE = re.compile(r"[ \t\r\n\f]+")
SEPARATORS = frozenset(" \t\u3000：:、,，")
_SEPARATOR_CHARS = "".join(sorted(SEPARATORS))  # for str.lstrip


# A line break in the source between two East Asian wide characters (kanji, kana, full-width
# forms; not Hangul, which spaces its words) is no space: the text was only wrapped there, and
# CSS Text 3 removes such a break. Kept as a space, a re-wrapped paragraph would read as edited.
_WIDE = "\u2e80-\u312f\u3190-\u9fff\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6"
_WIDE_BREAK_RE = re.compile(rf"(?<=[{_WIDE}])[ \t\r\f]*\n[ \t\r\n\f]*(?=[{_WIDE}])")


def _clean(text: str) -> str:
    """Collapse source whitespace as a browser would (a line break between wide characters
    is dropped); keep full-width spaces; trim."""
    text = text.strip()
    if "\n" in text or "\t" in text or "\r" in text or "  " in text or "\f" in text:
        if "\n" in text:
            text = _WIDE_BREAK_RE.sub("", text)
        text = _SPACE_RE.sub(" ", text)
    return text


# Line breaks: every <br> gets a mark in its tail once per parse (a noncharacter that never
# occurs in page text), so the lines of a block without nested blocks (the usual <p>, <h2>,
# <td>) are one C-level text serialisation split at the mark. Blocks nesting other blocks are
# walked in Python. (Marking every block boundary up front costs more than the lxml parse.)
BREAK = "\ufdd0"


def _prepare(doc: etree._Element) -> list[dict[str, Any]]:
    """Read the page's JSON-LD, put a BREAK inside every <br>, then drop scripts, styles and
    the like; returns the JSON-LD objects. The first two share one walk; a <br> marked inside
    an element dropped next changes nothing. (The BREAK, as the text of the empty <br>, is
    serialised where the <br> stands; setting it costs a third of rewriting the tail. This
    mutates our own freshly parsed tree.)"""
    objects: list[dict[str, Any]] = []
    for el in doc.iter("br", "script", "pre", "span", "time"):
        tag = el.tag
        if tag == "br":
            el.text = BREAK
        elif tag == "span" or tag == "time":
            if not el.tail and el.text:
                _part_apart(el)
        elif tag == "pre":
            _mark_pre_lines(el)
        else:
            _read_json_ld(el, objects)
    etree.strip_elements(doc, *_DROPPED_TAGS, with_tail=False)
    return objects


def _part_apart(el: etree._Element) -> None:
    """A space after a number in a <span> or <time> that the next one, of another class,
    continues with a number (<span class="year">2003</span><span class="month">8月</span>):
    the style sets them apart, and run together they would read as one number (20038月)."""
    text = el.text
    if not text[-1].isdigit() or len(el):
        return
    nxt = el.getnext()
    if (
        nxt is not None
        and (nxt.tag == "span" or nxt.tag == "time")
        and nxt.text
        and nxt.text[0].isdigit()
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


def _raw_text(el: etree._Element) -> str:
    """The text of an element with a BREAK at each <br> and block boundary inside it."""
    if not len(el):
        return el.text or ""
    if el.tag == "p" or not _has_block_descendant(el):
        return etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    parts: list[str] = []
    _collect_text(el, parts)
    return "".join(parts)


def _collect_text(el: etree._Element, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        block = child.tag in BLOCK_TAGS
        if block:
            parts.append(BREAK)
        _collect_text(child, parts)
        if block:
            parts.append(BREAK)
        if child.tail:
            parts.append(child.tail)


def _split_lines(raw: str) -> list[str]:
    if BREAK not in raw:
        line = _clean(raw)
        return [line] if line else []
    return [line for line in map(_clean, raw.split(BREAK)) if line]


def _lines(el: etree._Element) -> list[str]:
    """The text lines of an element: split at <br> and block boundaries, trimmed, no empties.
    (`_split_lines(_raw_text(el))`, inlined: it runs for every heading and paragraph.)"""
    if not len(el):
        raw = el.text
        if not raw:
            return []
    elif el.tag == "p" or not _has_block_descendant(el):
        raw = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    else:
        parts: list[str] = []
        _collect_text(el, parts)
        raw = "".join(parts)
    if BREAK not in raw:
        line = _clean(raw)
        return [line] if line else []
    return _break_lines(raw)


def _break_lines(raw: str) -> list[str]:
    """The non-empty lines of `raw` split at BREAK, each cleaned (`_clean`, inlined), a range
    broken after its mark joined again (`_join_broken_ranges`)."""
    lines = []
    marks = False
    for line in raw.split(BREAK):
        line = line.strip()
        if line:
            if "\n" in line or "\t" in line or "\r" in line or "  " in line or "\f" in line:
                if "\n" in line:
                    line = _WIDE_BREAK_RE.sub("", line)
                line = _SPACE_RE.sub(" ", line)
            lines.append(line)
            marks = marks or line[-1] in _RANGE_MARK_LASTS
    return _join_broken_ranges(lines) if marks else lines


# A range broken after its mark (平成15年4月～<br>平成16年3月　本体工事): alone, its first line
# would read as a range with no end (平成15年4月～: 以降). The last characters of such a line.
_RANGE_MARK_LASTS = frozenset("～〜~ら")


def _join_broken_ranges(lines: list[str]) -> list[str]:
    """`lines` with each line that is a date and a range mark alone (平成15年4月～, 2013/2/21
    から) joined to the next when the two read as one range (平成15年4月～ 平成16年3月); else
    as they are."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and line[-1] in _RANGE_MARK_LASTS:
            alone = match_date(line)
            if alone is not None and not alone.rest:
                joined = f"{line} {lines[i + 1]}"
                found = match_date(joined)
                if (
                    found is not None
                    and len(found.date_text) > len(line)
                    and OPEN_END_NOTE not in (found.span.note or "").split(NOTE_JOINER)
                ):
                    out.append(joined)
                    i += 2
                    continue
        out.append(line)
        i += 1
    return out


def _alt_lines(heading: etree._Element) -> list[str]:
    """The text of a heading written as images (<h2><img alt="平成15年4月"></h2>, an old site's
    way to set a font): their alt texts, what a screen reader reads. (h1 is the site's logo as
    often as the page's title: `_title` decides about it.)"""
    alts = [_clean(img.get("alt") or "") for img in heading.iter("img")]
    line = " ".join(alt for alt in alts if alt)
    return [line] if line else []


def _blank(text: str | None) -> bool:
    return not text or text.isspace() or not text.replace(BREAK, "").strip()


def _text(el: etree._Element) -> str:
    return " ".join(_lines(el))


# --- noise --------------------------------------------------------------------------------------

_NOISE_TAGS = frozenset(["nav", "aside", "form", "footer", "address"])  # address: contact
_NOISE_ROLES = frozenset(["navigation", "banner", "contentinfo", "complementary", "search", "form"])
# Class and id tokens of page furniture. A token is compared whole ("page-info" → pageinfo),
# and without a leading BEM/site prefix or a trailing box word ("c-breadcrumb", "box-contact",
# "side-area"), so "sub-title" or "history-update" are not mistaken for furniture.
_NOISE_NAMES = frozenset(
    [
        "nav",
        "navi",
        "gnav",
        "gnavi",
        "globalnav",
        "globalnavi",
        "localnav",
        "localnavi",
        "sidenav",
        "sidenavi",
        "menu",
        "globalmenu",
        "sidemenu",
        "localmenu",
        "breadcrumb",
        "breadcrumbs",
        "topicpath",
        "pankuzu",
        "pan",  # (パンくず, shortened)
        "side",
        "sidebar",
        "sidecolumn",
        "sub",
        "subcontents",
        "subcontent",
        "subcolumn",
        "aside",
        "footer",
        "contact",
        "inquiry",
        "toiawase",
        "otoiawase",
        "pageinfo",
        "pageid",
        "update",
        "updated",
        "lastupdate",
        "lastmodified",
        "modified",
        "access",
        "accesscount",
        "counter",
        "questionnaire",
        "enquete",
        "anketo",
        "share",
        "sns",
        "social",
        "skip",
        "skiplink",
        "news",
        "newslist",
        "shinchaku",
        "whatsnew",
        "pagetop",
        "pager",  # pagination: navigation between the pages of a list
        "pagination",
        "paging",
        "pagenavi",
        "pagenav",
        "banner",
        "banners",
        "ads",
        "advertisement",
        "related",
        "relatedlink",
        "relatedlinks",
        "kanren",
        "relation",
    ]
)
# A news box beside the content is furniture; a page that is a list of its news (お知らせ一覧,
# 新着情報) puts that list in the content under the same names and headings. So a page with no
# dated entries is read again with these as content (`_NEWS_AS_CONTENT`).
_NEWS_NAMES = frozenset(["news", "newslist", "shinchaku", "whatsnew"])
_HEADER_NAMES = frozenset(["header", "siteheader", "globalheader"])
_NOISE_PREFIXES = frozenset(
    ["c", "l", "p", "m", "u", "js", "mod", "tmp", "site", "global", "local", "box", "area", "block"]
)
_NOISE_SUFFIXES = frozenset(
    ["area", "box", "block", "wrap", "wrapper", "inner", "list", "section", "col", "column"]
)
_TOKEN_SPLIT_RE = re.compile(r"[-_]+")


@functools.lru_cache(maxsize=4096)
def _token_names(attr: str) -> frozenset[str]:
    """The names a class/id attribute value can stand for (see _NOISE_NAMES)."""
    names: set[str] = set()
    for token in attr.lower().split():
        if "-" not in token and "_" not in token:  # most tokens: one word, no prefix to strip
            names.add(token)
            continue
        parts = [p for p in _TOKEN_SPLIT_RE.split(token) if p]
        if not parts:
            continue
        names.add("".join(parts))
        core = parts[1:] if len(parts) > 1 and parts[0] in _NOISE_PREFIXES else parts
        names.add("".join(core))
        if len(core) > 1 and core[-1] in _NOISE_SUFFIXES:
            names.add("".join(core[:-1]))
    return frozenset(names)


_EN_UPDATED_LABEL = (
    r"(?i:(?:page\s+)?(?:last\s+)?(?:updated|modified)(?:\s+on)?|published(?:\s+on)?)"
)
# An English month name (May 1985, Apr. 27, 2019), in any case: dates.py reads those too.
_EN_MONTHS = "(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
# A weekday's name before an English date (Wednesday, May 1, 2019): as above.
_EN_WEEKDAYS = "(?i:mon|tue|wed|thu|fri|sat|sun)"
# A season before its year (Winter 1999-2000, Fall 2003), or a month's or a year's part (Early
# April 2019, Late 1985; Mid- opens as a Latin era initial does): as above.
_EN_SEASONS = "(?i:spring|summer|autumn|fall|winter|early|late)"
# A decade after "the" (the 1980s, the late 1960s); 1970s opens with a digit.
_EN_THE_DECADE = r"(?i:the)[ \u3000]+(?i:early|mid|late|[12][0-9]{2}0)"
_NEWS_HEADINGS = r"新着|更新情報|お知らせ一覧"
_OTHER_NOISE_HEADINGS = (
    r"問い?合わ?せ|関連リンク|関連情報|関連ページ|関連記事|アンケート"
    r"|このページ|ページの先頭|よくある質問|シェア"
)
_NOISE_HEADING_RE = re.compile(f"{_NEWS_HEADINGS}|{_OTHER_NOISE_HEADINGS}")


@dataclass(frozen=True, slots=True)
class _Noise:
    """What makes a block furniture: class/id names, and headings of sections to skip."""

    names: frozenset[str]
    headings: re.Pattern[str]
    # An office holder's term (初代 山田太郎（平成元年～平成5年）, `_term_of_office`) is text: a
    # roster beside a chronology repeats its events. On a page that is a roster alone, the
    # terms are its entries (`_ROSTER_AS_CONTENT`).
    terms_as_text: bool = True


_USUAL_NOISE = _Noise(_NOISE_NAMES, _NOISE_HEADING_RE)
# A page read as its news list (`_heuristic_entries`): news boxes and sections are content.
_NEWS_AS_CONTENT = _Noise(_NOISE_NAMES - _NEWS_NAMES, re.compile(_OTHER_NOISE_HEADINGS))
# A page that is a roster (歴代校長: 初代 | 山田太郎 | 昭和22年4月～昭和30年3月) and nothing else.
_ROSTER_AS_CONTENT = replace(_USUAL_NOISE, terms_as_text=False)
_META_LINE_RE = re.compile(
    r"^(?:[【\[［(（]?\s*(?:最終更新日?|更新日|掲載日|公開日|作成日|ページID|ページ番号|記事ID)"
    r"|【\s*ID\s*】"
    # An English page's "Last updated: September 15, 2022" (a label, then ':' or the date).
    rf"|{_EN_UPDATED_LABEL}\s*(?::|(?=[0-9]|{_EN_MONTHS})))"
)
# Page furniture written as plain lines (no class to tell it by): an access counter, a print
# link, a back-to-top link, a read-more link. Such lines are neither entries nor the page's text.
_FURNITURE_RE = re.compile(
    r"^[【\[［(（]?\s*(?:アクセス(?:数|カウンタ[ー]?)|閲覧数|訪問者数)\s*[】\]］)）]?\s*[:：]?\s*[0-9０-９,，]*"
    r"\s*(?:件|回|人)?$"
    r"|^(?:このページを)?印刷(?:する|用(?:ページ|画面)?(?:を表示)?)?$"
    r"|^(?:▲\s*)?(?:ページの?(?:先頭|トップ|上)へ(?:戻る)?|先頭へ戻る|前のページへ戻る|戻る"
    r"|(?:トップページ|トップ|ホーム|TOP|HOME)[へに](?:戻る|もどる)?|PAGE TOP|TOP)$"
    r"|^続きを読む(?:\s.*)?$",  # a post's "read more" link (with its hidden title)
    re.IGNORECASE,
)


# (A cheap test before the regex.)
_FURNITURE_FIRSTS = frozenset("【[［(（ア閲訪こ印▲ペ先前戻トホ続PpTtHh")
# The first characters a metadata line (_META_LINE_RE) or furniture line can open with.
_META_FIRSTS = _FURNITURE_FIRSTS | frozenset("最更掲公作記LlUu")


# Where a later line of a block may open as metadata does (`_has_meta_line`): a BREAK, then
# (after spaces and empty lines, which `_break_lines` drops) one of `_META_FIRSTS`.
_META_AFTER_BREAK_RE = re.compile(
    f"{BREAK}[\\s{BREAK}]*[{re.escape(''.join(sorted(_META_FIRSTS)))}]"
)


def _is_meta_line(line: str) -> bool:
    return line[:1] in _META_FIRSTS and (
        _META_LINE_RE.match(line) is not None or _FURNITURE_RE.match(line) is not None
    )


def _has_meta_line(lines: list[str]) -> bool:
    """Whether a later line of a block is metadata or furniture (a note, then 最終更新日 …
    after a <br>, in the same <font> or <p>): it is read as such, never as text."""
    return any(_is_meta_line(line) for line in lines[1:])


def _append_runs(
    out: list[_Item],
    el: etree._Element,
    lines: list[str],
    group: etree._Element | None,
    lead: str | None,
) -> None:
    """A block's lines as items: runs of text lines ("block") and metadata lines ("meta")."""
    run: list[str] = []
    meta: list[str] = []
    for line in lines:
        if _is_meta_line(line):
            if run:
                out.append(_Item("block", el, run, group, 7, None, False, lead))
                run, lead = [], None
            meta.append(line)
        else:
            if meta:
                out.append(_Item("meta", el, meta, None, 7))
                meta = []
            run.append(line)
    if run:
        out.append(_Item("block", el, run, group, 7, None, False, lead))
    if meta:
        out.append(_Item("meta", el, meta, None, 7))


# A line of a day and an update label after it alone (2023.4.1 更新, 令和5年4月1日掲載): the
# page's update stamp (`_updated` reads it), metadata as 更新日：… is, never an entry.
_STAMP_ENDS = frozenset(("更新", "掲載", "公開"))


def _stamp_after_date(line: str) -> bool:
    found = _match(line, None)
    return (
        found is not None
        and found.rest in ("更新", "最終更新", "掲載", "公開")
        and len(found.span.start) == 10
        and found.span.start == found.span.end
    )


def _is_furniture(lines: list[str]) -> bool:
    if len(lines) > 2 or lines[0][:1] not in _FURNITURE_FIRSTS:
        return False
    return all(_FURNITURE_RE.match(line) for line in lines)


# A heading that starts like a date is never taken for a furniture heading (お問い合わせ …).
# (A prefilter only: pipeline.dates decides. 西 for 西暦1998年; Latin era letters for H15年.)
# (The eras before Meiji by their whole names: 寛永, 天保 …)
# (grouped by first character: `OLD_ERA_PATTERN`, from 大化 to 慶応; 應 as dates.py reads it)
_OLD_ERAS = f"{OLD_ERA_PATTERN}|慶應"
# The dates opening with a word (an old era's name, an English month, weekday or season) behind
# one test of their first characters: a line opening otherwise is passed over at that test, not
# at one per name (the eras alone are 40 groups).
_WORD_DATES = (
    f"(?=[{''.join(sorted({head[0] for head in OLD_ERA_HEADS} | {'慶'}))}adefjlmnostwADEFJLMNOSTW])"
    f"(?:{_OLD_ERAS}|{_EN_MONTHS}|{_EN_WEEKDAYS}|{_EN_SEASONS}|{_EN_THE_DECADE})"
)
_DATE_START_RE = re.compile(
    rf"^(?:[0-9０-９〇一二三四五六七八九十明大昭平令\uf9a8㍾㍽㍼㍻㋿西MTSHRＭＴＳＨＲ]|{_WORD_DATES})"
)


def _is_noise(
    el: etree._Element, *, strict_header: bool, names: frozenset[str] = _NOISE_NAMES
) -> bool:
    """Whether an element is page furniture rather than content. `names`: the class and id
    names that make it so."""
    tag = el.tag
    if tag in SKIP_TAGS or tag in _NOISE_TAGS:
        return True
    if tag == "header" and strict_header:
        # An article's (a card's) own <header> holds its date and title: content.
        return next(el.iterancestors("article", "section"), None) is None
    # One C call for all the attributes (most elements have one or two), not a get() per name.
    for name, value in el.items():
        if name == "class" or name == "id":
            if value:
                tokens = _token_names(value)
                if not tokens.isdisjoint(names):
                    return True
                if strict_header and not tokens.isdisjoint(_HEADER_NAMES):
                    return True
        elif name == "role":
            if value and value.lower() in _NOISE_ROLES:
                return True
        elif (
            name == "hidden"
            or (name == "aria-hidden" and value.lower() == "true")
            or (name == "style" and "none" in value and _DISPLAY_NONE_RE.search(value))
        ) and not _is_tab_panel(el):
            return True
    return False


_DISPLAY_NONE_RE = re.compile(r"display\s*:\s*none")
# A tab panel's class (tab-panel, tabPane, tab_content, tabbox …): hidden until its tab is chosen.
_TAB_PANEL_CLASS_RE = re.compile(r"(?i)(?:^|[\s_-])tabs?[-_]?(?:panel|pane|content|body|box)s?\b")


def _is_tab_panel(el: etree._Element) -> bool:
    """Whether a hidden element is a tab panel (role="tabpanel", class="tab-panel" …): a page's
    other tabs are hidden only until chosen, and a 会社概要 page's 沿革 is often one of them;
    a browser shows it with one click, so it is content, not a hidden leftover."""
    role = el.get("role")
    if role is not None:
        return role.lower() == "tabpanel"
    cls = el.get("class")
    return cls is not None and _TAB_PANEL_CLASS_RE.search(cls) is not None


# --- the item stream ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    """One unit of the flattened content: a heading, dt, table row or text block."""

    # "heading" | "term" | "row" | "block" | "rule" (<hr>) | "date" (a seed's) | "card" (the
    # date a card prints at its end, moved to open it: `_date_cards_at_end`; group: the card)
    # | "ended" (a line ending with its date in brackets, an entry alone: `_dates_at_line_end`)
    kind: str
    el: etree._Element
    lines: list[str]
    group: etree._Element | None = None  # the list/table/parent that sibling items share
    level: int = 0  # heading level; 7 for anything that is not a heading
    cells: list[list[str]] | None = None  # rows: the lines of each cell
    header_row: bool = False
    lead: str | None = None  # text of a leading <strong>/<b>/<em> (or of a seed's date element)
    links: bool = False  # an item of a list whose items are links only (`_is_link_list`)
    foreign: bool = False  # in another language than the page's: a translation (`_foreign`)
    # A term or row in a column of bare years (`_is_year_column`): "year", or "fiscal" under a
    # column headed 年度 (H30 is April 2018 to March 2019); "" for any other item.
    bare_year: str = ""
    # A row of a table whose 月 column, beside its 年 column, holds bare numbers (1998 | 4 | 設立)
    bare_month: bool = False


class _Flattener:
    """Walks a content root in page order and yields `_Item`s, skipping noise."""

    def __init__(
        self,
        *,
        strict_header: bool = False,
        forced: SelectedElements | None = None,
        noise: _Noise = _USUAL_NOISE,
    ):
        self.strict_header = strict_header
        self.forced = forced
        self.noise = noise
        self.root: etree._Element | None = None
        self.lang: str | None = None  # the content's language, read when a lang= is met
        self.in_foreign = False
        self.ends: list[_CardEnd] = []  # dates standing alone at the end of a card

    def items(self, root: etree._Element) -> list[_Item]:
        self.root = root
        out: list[_Item] = []
        self._container(root, out)
        if self.ends:
            out = _date_cards_at_end(out, self.ends)
        if self.forced is None:
            # One pass of cheap tests for two rare layouts: a heading's first line that may be
            # a labelled date (`_labelled_date_sections`), a line that may end with a date in
            # brackets (`_ends_with_date`, inlined; a plain loop costs 30% less than any()).
            labelled = ended = False
            heading = False
            for item in out:
                if item.kind == "block":
                    lines = item.lines
                    if heading and lines and lines[0][:1] in _DATE_LABEL_FIRSTS:
                        labelled = True
                    if not ended:
                        for line in lines:
                            if line[-1] in _TRAILING_OPENERS and line[-2:-1] in _TRAILING_LAST:
                                ended = True
                                break
                    heading = False
                else:
                    heading = item.kind == "heading"
            if labelled:
                out = _labelled_date_sections(out)
            if ended:
                return _dates_at_line_end(out, self.noise.terms_as_text)
        return out

    def _container(self, el: etree._Element, out: list[_Item]) -> None:
        start = len(out)
        inline: list[etree._Element | str] = []
        skip_below: int | None = None  # skipping a noise section headed at this level
        strict_header = self.strict_header
        forced = self.forced
        append = out.append
        text = el.text
        if text and not text.isspace():  # a lone BREAK counts: it separates lines
            inline.append(text)
        for child in el:
            tag = child.tag
            if tag == "p" and skip_below is None and forced is None and not child.attrib:
                # The most common child by far (a chronology's body paragraphs): `_leaf`,
                # `_lines` and `_clean` inlined, the metadata regexes behind a first-character
                # test. Keep in step with them.
                if inline:
                    self._flush_inline(el, inline, out)
                ptext = child.text
                if len(child):
                    raw = _tostring(child, method="text", encoding="unicode", with_tail=False)
                    lead = _emphasis_lead(child) if not ptext or ptext.isspace() else None
                else:
                    raw = ptext or ""
                    lead = None
                if BREAK in raw:
                    lines = _break_lines(raw)
                else:
                    line = _clean(raw)
                    lines = [line] if line else []
                if lines:
                    if (
                        len(lines) <= 3
                        and lines[0][0] in _META_FIRSTS
                        and (_META_LINE_RE.match(lines[0]) or _is_furniture(lines))
                    ) or (
                        len(lines) == 1
                        and lines[0][-2:] in _STAMP_ENDS
                        and _stamp_after_date(lines[0])
                    ):
                        append(_Item("meta", child, lines, None, 7))
                    elif (
                        len(lines) > 1
                        and _META_AFTER_BREAK_RE.search(raw) is not None
                        and _has_meta_line(lines)
                    ):  # (one search of the raw text before the regexes: 25x a page)
                        _append_runs(out, child, lines, el, lead)
                    else:
                        links = (
                            lead is None
                            and len(child) > 1
                            and (not ptext or ptext.isspace())
                            and _is_link_block(child)
                        )
                        append(_Item("block", child, lines, el, 7, None, False, lead, links))
                tail = child.tail
                if tail and not tail.isspace():
                    inline.append(tail)
                continue
            if not isinstance(tag, str):
                tail = child.tail
                if tail and not tail.isspace():
                    inline.append(tail)
                continue
            is_block = tag in BLOCK_TAGS
            if skip_below is not None:
                level = HEADING_LEVELS.get(tag)
                if (level is not None and level <= skip_below) or (
                    level is None and is_block and _has_heading_at_most(child, skip_below)
                ):
                    skip_below = None
                else:
                    continue
            if is_block:
                if inline:
                    self._flush_inline(el, inline, out)
                level = HEADING_LEVELS.get(tag)
                if level is not None:
                    lines = _lines(child)
                    if not lines and level > 1 and len(child):
                        lines = _alt_lines(child)
                    heading = " ".join(lines)
                    if self.noise.headings.search(heading) and not _DATE_START_RE.match(heading):
                        skip_below = level
                        continue
                    if not child.attrib or not _is_noise(
                        child, strict_header=strict_header, names=self.noise.names
                    ):
                        if forced is None:  # `_heading`, inlined: 34x on a chronology page
                            append(_Item("heading", child, lines, el, level))
                        else:
                            self._heading(child, level, lines, out)
                elif not (child.attrib or tag in _NOISE_TAGS or tag == "header") or not _is_noise(
                    child, strict_header=strict_header, names=self.noise.names
                ):
                    if tag == "p" and forced is None:  # what `_block` does first
                        self._leaf(child, out, el)
                    else:
                        self._block(child, out)
                elif tag == "footer" and forced is None:  # (noise: the common case skips it)
                    self._card_footer(child, len(out))
            elif tag not in SKIP_TAGS:
                inline.append(child)
            tail = child.tail
            if tail and not tail.isspace():
                inline.append(tail)
        self._flush_inline(el, inline, out)
        if len(out) - start > 1 and forced is None and el is not self.root:
            last = out[-1]  # a date at a card's end? (a first-character test, then `_card_end`)
            if (
                last.kind == "meta"
                or (last.lines and last.lines[0][:1] in _CARD_END_FIRSTS)
                or (  # a label after the date, in a box of its own (a category)
                    last.el is not el
                    and len(last.lines) == 1
                    and el.tag in _CARD_TAGS
                    and _is_label(last.lines[0])
                )
            ):
                self._card_end(el, out, start)

    def _card_end(self, card: etree._Element, out: list[_Item], start: int) -> None:
        """The last block of a card (after its metadata, if any) holding a date alone, perhaps
        after a label (<p class="date">掲載日：2023年5月10日</p>): noted for
        `_date_cards_at_end`, which decides whether the card is dated by it."""
        if card.tag not in _CARD_TAGS:
            return
        labels: list[int] = []  # short lines after the date in its box: its category
        for k in range(len(out) - 1, start, -1):
            item = out[k]
            if len(item.lines) == 1 and not (item.links or item.foreign):
                read = _card_date(item.lines[0])
                if read is None and item.lead is not None and item.el is not card:
                    read = _dated_box(item.el)  # <div class="meta"><time>…</time><span>お知らせ
                if read is not None:
                    if labels and (
                        item.el is card
                        or not all(_in_box(out[j].el, item.el, card) for j in labels)
                    ):
                        return  # short lines of the card's own after a date: not its category
                    rest = [read[1]] if read[1] else []
                    end = _CardEnd(card, item.el, read[0], rest, k, k + 1, labels=tuple(labels))
                    self.ends.append(end)
                    return
                if item.kind != "meta" and item.el is not card and _is_label(item.lines[0]):
                    labels.append(k)
                    continue
            if item.kind != "meta":
                return

    def _card_footer(self, footer: etree._Element, after: int) -> None:
        """A card's own <footer> (inside an <article> or <section> of the content, not the
        page's footer) holding a date alone (<time>, or a line 投稿日：…): noted for
        `_date_cards_at_end`. The rest of the footer (category links, the author, share
        buttons) is metadata; without a date, the footer stays furniture."""
        card = next(footer.iterancestors("article", "section"), None)
        root = self.root
        if card is None or root is None or card is root or not _inside(card, root):
            return
        times = list(footer.iter("time"))
        published = [t for t in times if "publish" in (t.get("class") or "")]
        others = (el for el in footer.iter() if isinstance(el.tag, str) and el.tag != "time")
        for el in itertools.chain(published, times, others):
            line = _text(el)
            read = _card_date(line) if line else None
            if read is not None:
                break
        else:
            return
        date = read[0]
        rest, left = [], date
        for line in _lines(footer):
            if left and left in line:  # the date once; its label and the rest are metadata
                line, left = _clean(line.replace(left, "", 1)), ""
            if line:
                rest.append(line)
        self.ends.append(_CardEnd(card, el, date, rest, -1, after))

    def _flush_inline(
        self, parent: etree._Element, inline: list[etree._Element | str], out: list[_Item]
    ) -> None:
        """Loose text and inline elements between blocks: one text block."""
        if not inline:
            return
        lines = _split_lines(
            "".join(part if isinstance(part, str) else _raw_text(part) for part in inline)
        )
        links = lines and self.forced is None and _is_link_run(inline)
        inline.clear()
        if lines:
            if len(lines) <= 3 and (
                _is_furniture(lines)
                or (lines[0][:1] in _META_FIRSTS and _META_LINE_RE.match(lines[0]))
            ):  # as `_leaf` reads a block: 最終更新日：… in a <font> after an <hr>
                out.append(_Item("meta", parent, lines, parent, 7))
            elif len(lines) > 1 and _has_meta_line(lines):
                _append_runs(out, parent, lines, parent, None)
            else:
                out.append(_Item("block", parent, lines, parent, 7, links=bool(links)))

    def _heading(self, el: etree._Element, level: int, lines: list[str], out: list[_Item]) -> None:
        date = self._seed_date(el, lines, level) if self.forced is not None else None
        out.append(date or _Item("heading", el, lines, el.getparent(), level))

    def _seed_date(self, el: etree._Element, lines: list[str], level: int = 7) -> _Item | None:
        """With seed `date` selectors: the item for an element that is, or holds, a date."""
        forced = self.forced
        if forced is None:
            return None
        if el in forced.date_set:
            return _Item("date", el, lines, group=el.getparent(), level=level)
        inner = forced.date_inside(el)
        if inner is None:
            return None
        return _Item("date", el, lines, group=el.getparent(), level=level, lead=_text(inner))

    def _block(self, el: etree._Element, out: list[_Item]) -> None:
        tag = el.tag
        forced = self.forced
        if tag == "p" and forced is None:  # the most common block first
            self._leaf(el, out)
            return
        if self._foreign(el):
            self._translation(el, out, self._block)
            return
        if forced is not None and el in forced.date_set:
            out.append(_Item("date", el, _lines(el), group=el.getparent(), level=7))
            return
        level = HEADING_LEVELS.get(tag)
        if tag == "p":
            self._leaf(el, out)
        elif level is not None:
            lines = _lines(el)
            self._heading(el, level, lines or (_alt_lines(el) if level > 1 else lines), out)
        elif tag == "table":
            self._table(el, out)
        elif tag == "dl":
            self._definition_list(el, out)
        elif tag == "dt":
            out.append(_Item("term", el, _lines(el), group=el.getparent(), level=7))
        elif tag in ("ul", "ol", "menu"):
            start = len(out)
            for child in el:
                if isinstance(child.tag, str) and not _is_noise(
                    child, strict_header=False, names=self.noise.names
                ):
                    if child.tag == "li":
                        self._list_item(child, out)
                    elif child.tag in BLOCK_TAGS:
                        self._block(child, out)
            if len(out) - start > 1 and forced is None and _is_link_list(el):
                for item in out[start:]:
                    item.links = True
        elif tag == "li":
            self._list_item(el, out)
        elif tag == "hr":
            if forced is None:  # a rule between entries (`_Grouper._step`)
                out.append(_Item("rule", el, [], el.getparent(), 7))
        elif tag == "summary" and forced is None and not _has_block_descendant(el):
            # An accordion's label (<details><summary>平成元年〜平成10年</summary><ul>…) heads
            # its box as a heading does: years over the dated lines it opens on, or a date.
            parent = el.getparent()
            if parent is not None and parent.tag == "details":
                self._heading(el, _SUMMARY_LEVEL, _lines(el), out)
            else:
                self._leaf(el, out)
        elif _has_block_descendant(el):
            self._container(el, out)
        else:
            self._leaf(el, out)

    def _list_item(self, li: etree._Element, out: list[_Item]) -> None:
        """A list item is one unit, unless it nests a list or table (平成15年 → 5月10日 …):
        then its own text and the nested items are items of their own."""
        if self.forced is None and next(li.iterchildren(*_NESTING_TAGS), None) is not None:
            self._container(li, out)
        else:
            self._leaf(li, out)

    def _leaf(
        self, el: etree._Element, out: list[_Item], parent: etree._Element | None = None
    ) -> None:
        """A block treated as a unit (p, li, dd, a div of inline text). `parent`: its parent
        when the caller has it in hand."""
        if self._foreign(el):
            self._translation(el, out, lambda el, out: self._leaf(el, out, parent))
            return
        lines = _lines(el)
        if self.forced is not None:
            date = self._seed_date(el, lines)
            if date is not None:
                out.append(date)
                return
        if not lines:
            return
        if (
            len(el)
            and self.forced is None
            and next(el.iter("time"), None) is not None
            and self._post_meta(el, lines, out)
        ):
            return
        if len(lines) <= 3 and (_META_LINE_RE.match(lines[0]) or _is_furniture(lines)):
            out.append(_Item("meta", el, lines, None, 7))  # read into `page`, or furniture
            return
        if len(lines) == 1 and lines[0][-2:] in _STAMP_ENDS and _stamp_after_date(lines[0]):
            out.append(_Item("meta", el, lines, None, 7))  # 2023.4.1 更新: the update date
            return
        text = el.text
        lead = _emphasis_lead(el) if len(el) and (not text or text.isspace()) else None
        group = el.getparent() if parent is None else parent
        if len(lines) > 1 and _has_meta_line(lines):
            start = len(out)
            _append_runs(out, el, lines, group, lead)
            if el.tag in _CARD_TAGS and self.forced is None and len(out) - start > 1:
                self._card_end(el, out, start)  # <li>…<br>掲載日：2023年5月10日</li>
        else:
            links = len(el) > 1 and self.forced is None and _is_link_block(el)
            out.append(_Item("block", el, lines, group, 7, None, False, lead, links))
            if (
                len(lines) > 1
                and lines[-1][:1] in _CARD_END_FIRSTS
                and el.tag in _CARD_TAGS
                and self.forced is None
                and not links
            ):
                self._leaf_end(el, lines, len(out) - 1)

    def _leaf_end(self, card: etree._Element, lines: list[str], index: int) -> None:
        """A card read as one block (<li>タイトル<br>本文<br>2023年5月10日</li>, or its last box
        a date and a category: <div class="meta"><time>…</time><span>お知らせ</span></div>)
        whose last line is a date alone: noted for `_date_cards_at_end` as the block's last
        line (`_CardEnd.tail`), cut from it only when the run of cards is dated so."""
        read = _card_date(lines[-1])
        box = card
        if read is None:  # the last box, perhaps inside a link around the whole card
            for _ in range(3):
                box = next((c for c in reversed(box) if isinstance(c.tag, str)), card)
                if box is card or not _blank(box.tail):
                    return
                read = _dated_box(box)
                if read is not None:
                    break
            if read is None or not lines[-1].startswith(read[0]):
                return
        rest = [read[1]] if read[1] else []
        self.ends.append(_CardEnd(card, box, read[0], rest, index, index + 1, tail=True))

    def _foreign(self, el: etree._Element) -> bool:
        """Whether an element is marked as another language than the content's (<div
        lang="en"> in a page of lang="ja", or of no lang: keika's pages are Japanese). A
        Japanese block never is: a Japanese site's template often says lang="en"."""
        lang = el.get("lang")
        if not lang or self.in_foreign or self.forced is not None:
            return False
        if self.lang is None:
            root = self.root
            chain = (root, *root.iterancestors()) if root is not None else ()
            self.lang = _primary_lang(next((a.get("lang") for a in chain if a.get("lang")), "ja"))
        return _primary_lang(lang) not in (self.lang, "ja")

    def _translation(
        self,
        el: etree._Element,
        out: list[_Item],
        read: Callable[[etree._Element, list[_Item]], None],
    ) -> None:
        """A block in another language (the English version of the list below the Japanese
        one): read as usual, its items marked foreign. They start no entries (each event
        would be there twice, under two identities); they are page text, or an entry's body
        when inside one."""
        start = len(out)
        self.in_foreign = True
        try:
            read(el, out)
        finally:
            self.in_foreign = False
        for item in out[start:]:
            item.foreign = True

    def _post_meta(self, el: etree._Element, lines: list[str], out: list[_Item]) -> bool:
        """A post's meta line in a card (<article><header><h2>…</h2><div class="entry-meta">
        投稿日: <time>2024年2月18日</time> 投稿者: …</div>, as blogs print it): its <time>
        (the published one, if several) holding a date alone is the post's date, as a date
        alone in a card's header is; the rest of the line (labels, the author, an update
        time) is metadata. True when the line was read so."""
        article = next(el.iterancestors("article"), None)
        if article is None or (self.root is not None and _inside(self.root, article)):
            return False  # not in a card, or the card is the content itself
        in_header = any(
            a.tag == "header" or "meta" in (a.get("class") or "").lower()
            for a in itertools.takewhile(lambda a: a is not article, (el, *el.iterancestors()))
        )
        if not in_header:
            return False
        times = list(el.iter("time"))
        time = next((t for t in times if "publish" in (t.get("class") or "")), times[0])
        date_text = _text(time)
        found = _match(date_text, None) if date_text else None
        if found is None or found.rest:
            return False
        out.append(_Item("block", time, [date_text], el, 7))
        rest = []
        for line in lines:
            if date_text and date_text in line:
                line, date_text = line.replace(date_text, "", 1).strip(), ""
            if line:
                rest.append(line)
        if rest:
            out.append(_Item("meta", el, rest, None, 7))
        return True

    def _table(self, table: etree._Element, out: list[_Item]) -> None:
        if _is_layout_table(table):
            for cell in table.iter("td", "th"):
                if _nearest(cell, "table") is table and not _is_noise(
                    cell, strict_header=self.strict_header, names=self.noise.names
                ):
                    self._container(cell, out)
            return
        for caption in table.iterchildren("caption"):
            # The table's own title: page text, an entry's body, or (平成30年) the year of
            # the rows below it; the page's title again is metadata (`_Grouper._outside`).
            lines = _lines(caption)
            if lines:
                out.append(_Item("block", caption, lines, table, 7))
        first_row = len(out)
        for row in table.iter("tr"):
            if _nearest(row, "table") is not table:
                continue  # a nested table's row: part of its cell's text
            cells = [c for c in row if c.tag in ("td", "th")]
            if not cells:
                continue
            forced = self.forced
            inner = forced.date_inside(row) if forced is not None else None
            if forced is not None and (row in forced.date_set or inner is not None):
                inner = None if row in forced.date_set else inner
                out.append(
                    _Item(
                        "date",
                        row,
                        [line for c in cells for line in _lines(c)],
                        group=table,
                        level=7,
                        lead=_text(inner) if inner is not None else None,
                    )
                )
                continue
            cell_lines = [_lines(c) for c in cells]
            out.append(
                _Item(
                    "row",
                    row,
                    [line for lines in cell_lines for line in lines],
                    group=table,
                    level=7,
                    cells=cell_lines,
                    header_row=all(c.tag == "th" for c in cells),
                )
            )
        if self.forced is None and len(out) - first_row > 1:
            _date_column_first(out[first_row:], self.noise.terms_as_text)
            rows = [item for item in out[first_row:] if item.cells and not item.header_row]
            firsts = [" ".join(item.cells[0]) for item in rows if item.cells]
            head = next((item for item in out[first_row:] if item.header_row), None)
            if head is not None and head.cells and ["月"] in head.cells:
                _mark_bare_months(head.cells, rows)
                if firsts and firsts[0]:  # a year's later rows leave its cell empty
                    firsts = [first for first in firsts if first]
            if not _is_year_column(firsts):
                _mark_lone_bare_years(rows)
            else:
                # The column's heading: 年度 makes its years fiscal ones, as 平成30年度 is; and
                # letter years (H30) under a heading naming anything else (部屋: R1, R2) are text.
                label = " ".join(head.cells[0]) if head is not None and head.cells else ""
                if not label or "年" in label or _BARE_YEAR_RE.fullmatch(firsts[0]):
                    kind = "fiscal" if FISCAL_NOTE in label else "year"
                    for item in rows:
                        item.bare_year = kind

    def _definition_list(self, dl: etree._Element, out: list[_Item]) -> None:
        for child in dl:
            tag = child.tag
            if tag == "dt":
                self._block(child, out)
            elif tag == "dd":
                self._leaf(child, out) if not _has_block_descendant(child) else self._container(
                    child, out
                )
            elif tag == "div":  # HTML5 allows <div> around each dt/dd group
                self._definition_list(child, out)


# --- cards dated at their end -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CardEnd:
    """A date standing alone at the end of a card: its last block, or in its own <footer>."""

    card: etree._Element
    el: etree._Element  # the element holding the date
    date: str  # the date's text, without its label
    rest: list[str]  # its label, and the footer's other lines: metadata
    index: int  # the item that is the date's block, or -1 (a footer: no item)
    after: int  # the index of the item after the card's end
    labels: tuple[int, ...] = ()  # items after the date in its box (a category): metadata
    tail: bool = False  # the date is the last line of item `index`, the card read as one block


_CARD_TAGS = frozenset(["div", "article", "section", "li"])
# What a date, or the label before it, at a card's end can open with (a cheap test first).
_CARD_END_FIRSTS = frozenset(
    "0123456789０１２３４５６７８９明大昭平令西掲投公登作更最日【[［(（JFMASONDPUHRTjfmasondpu"
)
# The label before a card's date: 掲載日：, 投稿日:, 【公開日】, Posted on, Published:, Date:.
_CARD_DATE_LABEL_RE = re.compile(
    r"[【\[［(（]?\s*(?:最終更新日|掲載日|投稿日|公開日|登録日|作成日|更新日|日付|掲載|投稿|公開|更新)"
    r"時?\s*[】\]］)）]?\s*[:：]?\s*"
    r"|(?i:(?:posted|published|updated)(?:\s+on)?|date)\s*:?\s*"
)


def _card_date(line: str) -> tuple[str, str] | None:
    """A date alone on a line (at any precision: 平成26年度 ends a card as 2023年5月10日 does),
    perhaps after a label: its text, and the label's."""
    label = _CARD_DATE_LABEL_RE.match(line)
    date = line[label.end() :] if label is not None else line
    found = _match(date, None) if date else None
    if found is None or found.rest:
        return None
    return found.date_text, line[: label.end()].strip() if label is not None else ""


# A label beside a card's date (お知らせ, イベント, 市政情報): a short line, no sentence.
_LABEL_LENGTH = 16


def _is_label(line: str) -> bool:
    return len(line) <= _LABEL_LENGTH and "。" not in line


def _dated_box(box: etree._Element) -> tuple[str, str] | None:
    """A box opening with a date alone in an element of its own, then labels in elements of
    their own and nothing else (<div class="meta"><time>2024-05-10</time><span class="cat">お知
    らせ</span></div>): the date, and the labels' text (metadata)."""
    if not _blank(box.text):
        return None
    children = [c for c in box if isinstance(c.tag, str)]
    if len(children) < 2 or children[0].tag not in _EMPHASIS_TAGS or not _blank(children[0].tail):
        return None
    date = _text(children[0])
    found = _match(date, None) if date else None
    if found is None or found.rest:
        return None
    labels = []
    for child in children[1:]:
        text = _text(child)
        if not _blank(child.tail) or (text and not _is_label(text)) or len(child) > 1:
            return None
        if text:
            labels.append(text)
    return (found.date_text, " ".join(labels)) if labels else None


def _in_box(el: etree._Element, date_el: etree._Element, card: etree._Element) -> bool:
    """Whether `el` (a label) sits in the box of a card's date element: inside it, or beside
    it in a box of the card that is not the card itself."""
    if _inside(el, date_el):
        return True
    parent = date_el.getparent()
    return parent is not None and parent is not card and _inside(el, parent)


def _dates(item: _Item) -> bool:
    """Whether an item is a date (to the month or the day) that could start an entry. (A year
    alone, as a title's 令和元年度 通常総会, is a card's text: `_Grouper._step`.)"""
    if item.kind == "meta":
        return False
    hit = _hit(item, None)
    return hit is not None and not hit.match.year_only


def _card_run(card: etree._Element) -> list[etree._Element]:
    """The card and its like beside it: the same tag, and a class in common (or none)."""
    parent = card.getparent()
    if parent is None:
        return [card]
    classes = set((card.get("class") or "").split())
    run = []
    for other in parent.iterchildren(card.tag):
        names = set((other.get("class") or "").split())
        if other is card or (names & classes if classes else not names):
            run.append(other)
    return run


def _date_cards_at_end(items: list[_Item], ends: list[_CardEnd]) -> list[_Item]:
    """Cards that print their date at their end (a WordPress entry-footer's <time>, a list of
    reports closing each with 掲載日：…) read as cards whose date opens them: the date goes
    before the card's first item, as a "card" item whose entry the card bounds, and its label
    (and the footer's other lines) are metadata. Only in a run of like cards (`_card_run`)
    where two or more end so and none holds a date elsewhere (one opening it: read as
    before); a card of the run with no date keeps its lines (page text). Otherwise nothing
    changes: a footer stays furniture, a last line reads as it did."""
    by_card: dict[etree._Element, _CardEnd] = {}
    for end in ends:
        by_card.setdefault(end.card, end)
    firsts: dict[int, _CardEnd] = {}
    judged: set[etree._Element] = set()
    for card in by_card:
        if card in judged:
            continue
        run = _card_run(card)
        judged.update(run)
        inside: dict[etree._Element, list[int]] = {c: [] for c in run}
        parent = card.getparent()
        for k, item in enumerate(items):
            for a in (item.el, *item.el.iterancestors()):
                if a is parent:
                    break
                own = inside.get(a)
                if own is not None:
                    own.append(k)
                    break
        ended: dict[int, _CardEnd] = {}
        for c in run:
            end = by_card.get(c)
            own = [
                k
                for k in inside[c]
                if end is None or ((k != end.index or end.tail) and k not in end.labels)
            ]
            if any(_dates(items[k]) for k in own):
                break  # a card dated elsewhere (its header): not a run dated at the end
            if end is not None:
                first = next((k for k in own if items[k].kind != "meta"), None)
                if first is None:
                    break  # the card is its date alone: no card to bound
                ended[first] = end
        else:
            taken = {end.index for end in firsts.values() if end.index >= 0}
            if len(ended) > 1 and all(end.index not in taken for end in ended.values()):
                firsts.update(ended)  # (a date a run of inner boxes ended too: taken once)
    if not firsts:
        return items
    lasts = {end.index: end for end in firsts.values() if end.index >= 0}
    labels = {k for end in firsts.values() for k in end.labels}
    footers: dict[int, list[str]] = {}
    for end in firsts.values():
        if end.index < 0 and end.rest:
            footers[end.after] = end.rest
    out: list[_Item] = []
    for k, item in enumerate(items):
        if k in footers:
            out.append(_Item("meta", item.el, footers[k], None, 7))
        end = firsts.get(k)
        if end is not None:
            out.append(_Item("card", end.el, [end.date], end.card, 7))
        end = lasts.get(k)
        if end is None:
            out.append(_Item("meta", item.el, item.lines, None, 7) if k in labels else item)
            continue
        if end.tail and len(item.lines) > 1:  # the card's block without its last line
            out.append(replace(item, lines=item.lines[:-1]))
        if end.rest:
            out.append(_Item("meta", item.el, end.rest, None, 7))
    if len(items) in footers:
        out.append(_Item("meta", items[-1].el, footers[len(items)], None, 7))
    return out


# --- lines that end with their date -------------------------------------------------------------

# A list, a block of <br> lines or like paragraphs whose lines END with their date in brackets
# (姉妹都市提携調印（昭和59年5月）): `_dates_at_line_end`. The closing bracket, and what a date
# ends with before it (a digit, 年月日, 年度, 頃, 年代, 上旬): the cheap test on each line.
_TRAILING_OPENERS = {"）": "（(", ")": "（(", "］": "［[", "]": "［[", "】": "【", "〕": "〔"}
_TRAILING_CLOSERS = {"）": "）)", ")": "）)", "］": "］]", "]": "］]", "】": "】", "〕": "〕"}
_TRAILING_LAST = frozenset("0123456789０１２３４５６７８９年月日度頃代旬")
_TRAILING_SPAN = 40  # the longest bracket read as a date (a range with its years)
# An update stamp written so (更新日（令和5年4月1日）, ページ公開 (2023/4/1)): no event.
_STAMP_RE = re.compile(
    r"[【\[［(（]?\s*(?:最終|ページ)?(?:更新|掲載|公開|登録|作成|投稿)(?:日時?|日付)?\s*[】\]］)）]?"
    r"\s*[:：]?"
)


def _trailing_bracket(line: str, *, any_end: bool = False) -> int:
    """Where the bracket closing a line after what may end a date (a digit, 年, 月 …; with
    `any_end`, after anything) opens, or -1. A bracket inside it (1984年（昭和59年）5月) is
    passed over, either width."""
    openers = _TRAILING_OPENERS.get(line[-1:])
    if openers is None or (line[-2:-1] not in _TRAILING_LAST and not any_end):
        return -1
    closers = _TRAILING_CLOSERS[line[-1]]
    depth = 0
    for k in range(len(line) - 2, max(-1, len(line) - 2 - _TRAILING_SPAN), -1):
        c = line[k]
        if c in closers:
            depth += 1
        elif c in openers:
            if depth == 0:
                return k
            depth -= 1
    return -1


def _trailing_date(line: str) -> tuple[str, DateMatch] | None:
    """A line ending with a whole date in brackets, the bracket holding the date and nothing
    else (協会設立（平成2年4月1日）, half-width or ［…］ too, a space before it or none): the text
    before the bracket (without a bullet) and the date. Not a bracket holding more than a date
    (（昭和59年5月、本渓市にて）, （令和5年4月1日更新）), nor a date with no text before it, nor
    an update stamp (更新日（令和5年4月1日）)."""
    start = _trailing_bracket(line)
    if start < 0:
        return None
    inner = line[start + 1 : -1].strip()
    found = _match(inner, None) if inner else None
    if found is None or found.rest:
        return None
    text = line[:start].rstrip(_SEPARATOR_CHARS)
    if text[:1] in _BULLET_FIRSTS:
        bullet = _BULLET_RE.match(text)
        if bullet:
            text = text[bullet.end() :]
    if not text or _STAMP_RE.fullmatch(text) or "。" in text:
        return None  # (a sentence dated at its end: prose and the day it was written)
    return text, found


# An office holder's succession ordinal (初代, 第2代, 3代目): a roster's line or row (歴代会長:
# 初代 山田太郎（平成元年～平成5年）), whose span is the holder's term of office, no event. A
# single date beside it (第2代会長に就任（平成5年4月）) is the event of taking office.
_SUCCESSION_RE = re.compile(
    r"(?:初代|第[0-9０-９一二三四五六七八九十]{1,3}代目?|[0-9０-９一二三四五六七八九十]{1,3}代目?"
    r"(?=[ \u3000]|$))"
)
_SUCCESSION_FIRSTS = frozenset("初第0123456789０１２３４５６７８９一二三四五六七八九十")


def _term_of_office(holder: str, found: DateMatch) -> bool:
    """Whether a date beside a succession ordinal is a term (a span, or one open at its end)."""
    if holder[:1] not in _SUCCESSION_FIRSTS or not _SUCCESSION_RE.match(holder):
        return False
    span = found.span
    note = span.note or ""
    return OPEN_END_NOTE in note or (span.start != span.end and FISCAL_NOTE not in note)


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


def _trailing_unused(line: str, role: str, current: _Open | None) -> str | None:
    """--explain's reason for a line ending with a date in brackets that is no entry (or one
    whose bracket opens with a date but holds more), or None."""
    read = _trailing_date(line)
    if read is None:
        start = _trailing_bracket(line, any_end=True)
        found = _match(line[start + 1 : -1].strip(), None) if start >= 0 else None
        if found is None or not found.rest:
            return None
        return f"the bracket ending the line holds more than a date ({found.rest!r}): no date"
    if _term_of_office(*read):
        return "an office holder's term in brackets (初代, 第2代 …: a roster), no event"
    if role == "body" and current is not None:
        return f"ends with a date in brackets, inside the body of {current.hit.match.date_text!r}"
    return (
        "ends with a date in brackets, but is not in a run of like lines dated so (two or more,"
        " more than half of the lines from the first to the last, none opening with a date)"
    )


def _year_titled(line: str) -> bool:
    """A line opening with a year or fiscal year and ending with a finer date in brackets
    (令和5年度 交流事業の参加者を募集します（令和5年4月）): the year names what the line is
    about, the bracket dates it, so it does not make its list one dated at its start."""
    found = _match(line, None)
    if found is None or not found.year_only or not found.rest:
        return False
    read = _trailing_date(line)
    return read is not None and not read[1].year_only


def _read_line_ends(run: list[_Item], terms_as_text: bool = True) -> list[_Item] | None:
    """A run of like blocks as entries dated at their lines' ends (`_dates_at_line_end`), one
    item per line, or None when the run is not dated so: fewer than two lines end with a date,
    or as many undated lines as dated stand between the first and the last (prose; an intro
    before them and notes after them do not count)."""
    dated: list[bool] = []
    for item in run:
        if _hit(item, None) is not None and (
            len(item.lines) > 1 or not _year_titled(item.lines[0])
        ):
            return None  # a line opening with a date: a list dated at its start
        for n, line in enumerate(item.lines):
            if n and _strict_match(line, None) is not None:
                return None
            read = _trailing_date(line)
            dated.append(
                read is not None and not (terms_as_text and _term_of_office(read[0], read[1]))
            )
    count = dated.count(True)
    if count < 2:
        return None
    first, last = dated.index(True), len(dated) - 1 - dated[::-1].index(True)
    if 2 * count <= last - first + 1:
        return None
    out: list[_Item] = []
    k = 0
    for item in run:
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


# --- sections dated by a labelled line ----------------------------------------------------------

# A section's date written under its heading with a label (日程：令和6年6月3日～6月21日,
# 会期：…, 実施日：…, 【日時】…): the label, then (after a colon, or in brackets) the date.
_DATE_LABEL_RE = re.compile(
    r"^(?P<label>[【［\[〔]?(?:(?:開催|実施|活動|訪問|派遣|受入れ?|来訪|調印|締結|視察|交流)"
    r"(?:日時?|期間|年月日)|日程|会期|期間|日時|期日|日付|年月日)"
    r"(?:[】］\]〕]|\s*[:：]))\s*(?P<value>.+)$"
)
_DATE_LABEL_FIRSTS = frozenset("【［[〔開実活訪派受来調締視交日会期年")
# What may follow a labelled date with no space: the time of day (日時：令和5年6月10日（土曜日）
# 午後2時～4時).
_TIME_AFTER_DATE_RE = re.compile(r"^(?:午前|午後|[0-9０-９]{1,2}(?:時|[:：][0-9０-９]{2}))")


def _labelled_date_sections(items: list[_Item]) -> list[_Item]:
    """Sections whose heading names an event and whose first line dates it with a label (a
    議会's <h2>令和6年第2回定例会</h2><p>日程：令和6年6月3日～6月21日</p>, a 年報's 会期：…, a
    report's 実施日：…) read as if the date headed the section: the heading is the first body
    line, the label is dropped as furniture, the time after a date (午後2時～4時) opens the
    body. Only in a run: two or more headings of one level so dated, and only when the
    heading is not a date itself and the label's value is a whole date with its year."""
    found: dict[int, tuple[DateMatch, str, str]] = {}
    levels: dict[int, int] = {}
    for i in range(len(items) - 1):
        item = items[i]
        if item.kind != "heading" or not item.lines:
            continue
        nxt = items[i + 1]
        if nxt.kind != "block" or not nxt.lines or nxt.lines[0][:1] not in _DATE_LABEL_FIRSTS:
            continue
        labelled = _DATE_LABEL_RE.match(nxt.lines[0])
        if labelled is None or _strict_match(item.lines[0], None) is not None:
            continue
        value = labelled.group("value")
        date = _match(value, None)
        if date is None:
            continue
        rest = value[len(date.date_text) :]
        if rest and not (
            rest[0] in _SEPARATOR_CHARS or _TIME_AFTER_DATE_RE.match(rest) is not None
        ):
            continue
        found[i] = (date, labelled.group("label"), rest.lstrip(_SEPARATOR_CHARS).strip())
        levels[item.level] = levels.get(item.level, 0) + 1
    if not found:
        return items
    found = {i: v for i, v in found.items() if levels[items[i].level] > 1}
    if not found:
        return items
    out: list[_Item] = []
    skip = -1
    for i, item in enumerate(items):
        if i == skip:
            continue
        hit = found.get(i)
        if hit is None:
            out.append(item)
            continue
        date, label, rest = hit
        nxt = items[i + 1]
        out.append(_Item("heading", item.el, [date.date_text], item.group, item.level))
        out.append(_Item("block", item.el, item.lines, item.group, 7))
        out.append(_Item("meta", nxt.el, [label], None, 7))
        lines = ([rest] if rest else []) + nxt.lines[1:]
        if lines:
            out.append(replace(nxt, lines=lines, lead=None))
        skip = i + 1
    return out


# What may stand between the links of a menu written as a line (トップ｜村政情報｜観光).
_MENU_SEPARATORS = f" \t\r\n\u3000｜|/／・･[]［］{BREAK}"


def _primary_lang(lang: str) -> str:
    """The language of a lang= value without its region or script (ja-JP → ja)."""
    return lang.strip().lower().replace("_", "-").split("-")[0]


def _is_link_block(el: etree._Element) -> bool:
    """`_is_link_run` for a block's own content (<div>…<a>トップ</a>｜<a>観光</a></div>)."""
    text = el.text
    if text and text.strip(_MENU_SEPARATORS):
        return False
    parts: list[etree._Element | str] = []
    for child in el:
        parts.append(child)
        if child.tail:
            parts.append(child.tail)
    return _is_link_run(parts)


def _is_link_run(parts: list[etree._Element | str]) -> bool:
    """Whether loose inline content is links side by side (two or more) with only separators
    between them: a menu written as a line. A dated link to another page is not."""
    links = 0
    for part in parts:
        if isinstance(part, str):
            if part.strip(_MENU_SEPARATORS):
                return False
            continue
        text = _text(part)
        if not text:
            continue  # an image, an empty anchor
        href = part.get("href")
        if part.tag != "a" or not href:
            return False
        if not href.startswith("#") and _strict_match(text, None) is not None:
            return False
        links += 1
    return links > 1


def _date_column_first(rows: list[_Item], terms_as_text: bool = True) -> None:
    """事項 | 年月日: a table whose dates stand in a later column, every row's, and never in
    its first. The date cell is read first (it is the row's date), the others in their order
    are its body; the row's lines stay in page order."""
    data = [row for row in rows if row.cells and not row.header_row]
    if len(data) < 2:
        return
    for row in data:
        first = " ".join((row.cells or [[]])[0])
        if _DATE_LINE_RE.match(first) and (
            _ROW_NUMBER_RE.fullmatch(first) or _match(first, None) is not None
        ):
            return  # dated first cells (or a running number before the date): the usual table
    width = min(len(row.cells or ()) for row in data[1:])
    for column in range(1, width):
        dated = [row for row in data if _whole_date(row.cells or [], column)]
        # Every row, or every row but a first one of <td> headings (事項 | 年月日).
        if len(dated) == len(data) or (len(dated) == len(data) - 1 > 1 and dated[0] is data[1]):
            if column == 1 and all(_restated_before(row.cells or []) for row in dated):
                return  # 西暦 | 和暦 | 出来事: `_row_hit` reads the pair, in page order
            if terms_as_text and all(_roster_row(row.cells or [], column) for row in dated):
                return  # 初代 | 山田太郎 | 平成元年4月～平成5年3月: terms of office, as text
            for row in dated:
                cells = row.cells or []
                row.cells = [cells[column], *cells[:column], *cells[column + 1 :]]
            return


def _roster_row(cells: list[list[str]], column: int) -> bool:
    """Whether a row opens with a succession ordinal and its date cell is a term of office
    (`_term_of_office`): a 歴代会長 table's row."""
    found = _match(" ".join(cells[column]), None)
    return found is not None and _term_of_office(" ".join(cells[0]), found)


def _restated_before(cells: list[list[str]]) -> bool:
    """Whether a row's first cell is its second's year in the other calendar (1889 | 明治22)."""
    found = _match(" ".join(cells[1]), None)
    return found is not None and _same_year(found, " ".join(cells[0]))


def _whole_date(cells: list[list[str]], column: int) -> bool:
    """Whether a row's cell holds a date and nothing else."""
    if column >= len(cells):
        return False
    text = " ".join(cells[column])
    found = _match(text, None) if _DATE_LINE_RE.match(text) else None
    return found is not None and not found.rest


# A year written as four digits alone (1998), as a company's 沿革 lists them (<dt>, <h3>, a
# timeline's <div class="year">, a 年 column), or opening a line before a dash or a colon (an
# English timeline's 1985 – First delegation, 1992: Agreement signed), or as an era's Latin
# initial and its year alone (H30, R1: a 年度 | 事業 table, a <dt>): no date on its own (a
# count, a code, a road, a room), a year in a run of such years in order.
_BARE_YEAR_RE = re.compile(r"[0-9０-９]{4}")
_ERA_LETTERS = frozenset("MTSHRＭＴＳＨＲmtshrｍｔｓｈｒ")  # (what `letter_era_year` reads)
_YEAR_LEAD_RE = re.compile(
    r"([0-9０-９]{4})(?:[ \t\u3000]*[:：][ \t\u3000]*|[ \t\u3000]+[–—―-][ \t\u3000]+)"
)
_YEAR_LEAD_FOLLOWERS = frozenset(" \t\u3000:：")  # what follows the four digits of such a line
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
        return len(line) == 4 or line[4:5] in _YEAR_LEAD_FOLLOWERS
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
    lead = _YEAR_LEAD_RE.match(line)
    return (lead.group(1), line[lead.end() :].strip()) if lead is not None else None


def _mark_bare_years(items: list[_Item]) -> None:
    """Mark the headings, terms and blocks that are or open with bare years (`_is_year_column`)
    among their like: the same kind of item in the same element and class (every <dt>, every
    <div class="tl-year">, every <li> of a list)."""
    runs: dict[tuple[str, str, str | None, bool], list[tuple[_Item, str]]] = {}
    for item in items:
        lines = item.lines
        if (
            lines
            and _may_open_with_bare_year(lines[0])
            and item.kind in ("heading", "term", "block")
        ):
            read = _bare_year_lead(lines[0])
            if read is not None:
                el = item.el
                key = (item.kind, el.tag, el.get("class"), not read[1])
                runs.setdefault(key, []).append((item, read[0]))
    for run in runs.values():
        if _is_year_column([year for _, year in run]):
            for item, _ in run:
                item.bare_year = "year"
        elif len(run) == 1 and _among_dated_likes(items, run[0][0], run[0][1]):
            run[0][0].bare_year = "year"


def _among_dated_likes(items: list[_Item], lone: _Item, written: str) -> bool:
    """Whether a lone bare year (<h3>2021</h3>, <dt>2020</dt>) stands among two or more like
    items (the same kind, tag and class) that are dates, in order with their years: then it is
    a year as they are (March 2019, November 2019, 2021), not a line of the entry above."""
    year = _column_year(written)
    if year is None:
        return False
    el = lone.el
    tag, names = el.tag, el.get("class")
    years: list[int] = []
    dated = 0
    for item in items:
        if item is lone:
            years.append(year)
            continue
        if item.kind != lone.kind or item.el.tag != tag or item.el.get("class") != names:
            continue
        hit = _hit(item, None)
        if hit is None:
            continue
        dated += 1
        years.append(int(hit.match.span.start[:4]))
    if dated < 2:
        return False
    return _in_order(years)


def _mark_lone_bare_years(rows: list[_Item]) -> None:
    """A table whose first cells are dates in order but one that is a bare year (June 1, 1988
    | Aug 1990 | 2008 | October 2018, an English timeline writing a year alone where it has no
    month): that year is a date as the rows around it are, not a line of the row above.
    Only four digits (1000-2999: 1998, not R1, a room's name too), among two or more dated
    rows, all in order of their years."""
    lone: list[_Item] = []
    years: list[int] = []
    dated = 0
    for row in rows:
        first = " ".join(row.cells[0]) if row.cells else ""
        if not first:
            continue
        if _BARE_YEAR_RE.fullmatch(first):
            year = int(first)
            if not 1000 <= year <= 2999:
                return
            lone.append(row)
            years.append(year)
            continue
        found = _match(first, None)
        if found is None or found.rest:
            continue
        dated += 1
        years.append(int(found.span.start[:4]))
    if not lone or dated < 2 or len(lone) > dated:
        return
    if _in_order(years):
        for row in lone:
            row.bare_year = "year"


def _mark_bare_months(head: list[list[str]], rows: list[_Item]) -> None:
    """A 年 | 月 | 内容 table whose 月 column holds bare numbers (1998 | 4 | 会社設立): its rows
    read them as months (`_row_hit`), when every row's cell there is one (1-12) or empty."""
    column = head.index(["月"])
    before = " ".join(head[column - 1]) if column else ""
    if ("年" not in before and "暦" not in before) or FISCAL_NOTE in before:
        return  # (a 西暦 | 和暦 | 月 | 事項 table: the year's columns are 暦s)
    months = 0
    for row in rows:
        cells = row.cells or []
        text = " ".join(cells[column]) if len(cells) > column else ""
        if text:
            if (
                not _BARE_MONTH_RE.fullmatch(text)
                or not 1 <= int(unicodedata.normalize("NFKC", text)) <= 12
            ):
                return
            months += 1
    if months > 1:
        for row in rows:
            row.bare_month = True


def _column_year(text: str) -> int | None:
    """The year a bare year stands for: four digits (1000-2999), or an era's Latin initial
    with its year (H30: 2018, R元: 2019); None for any other text."""
    if _BARE_YEAR_RE.fullmatch(text):
        year = int(text)
        return year if 1000 <= year <= 2999 else None
    return letter_era_year(text) if text[:1] in _ERA_LETTERS else None


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
    year = _column_year(written) or 0  # (never 0: the run was read as years)
    if fiscal:
        span = DateSpan(f"{year:04d}-04", f"{year + 1:04d}-03", FISCAL_NOTE)
    else:
        span = DateSpan(f"{year:04d}", f"{year:04d}")
    return DateMatch(written, span, rest, True)


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


_NESTING_TAGS = ("ul", "ol", "dl", "table")
# A line that may open with a date: only such lines are tried when cutting a block into
# several entries (a cheap filter before the date parser).
_DATE_LINE_RE = re.compile(
    r"^(?:[■□●○◆◇▲△▼▽★☆・※◎◉▶▷►→＊*\-‐－]+[ \u3000]*)?[【［\[〔＜<≪《]?"
    rf"(?:[0-9０-９明大昭平令\uf9a8〇一二三四五六七八九十㍾㍽㍼㍻㋿西MTSHRＭＴＳＨＲ壱弐参(（NＮ第同閏]"
    r"|[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]"  # and a numbered line's (`_ENUMERATOR_RE`)
    rf"|{_WORD_DATES})"
)


def _dated_runs(lines: list[str], context: YearContext | None) -> list[list[str]] | None:
    """The lines of one block cut before each line that opens with a date and a separator
    (a <p> holding "平成12年9月　…<br>平成13年4月　…"), or None when there is nothing to cut."""
    starts = []
    year = context  # a dated line with its own year gives it to the year-less lines below it
    era = era_context(context.era) if context is not None and context.era is not None else None
    for i, line in enumerate(lines):
        if not _DATE_LINE_RE.match(line):
            continue
        found = _strict_match(line, year)
        if found is not None:
            starts.append(i)
            own = _own_year(found, era)
            if own is not None:
                year = carried_year(found, own) if own else context
                if era is not None and year is not None and era.era is not None:
                    year = within_era(year, era.era)  # under 平成 alone: 6年 stays in 平成
    if not starts or (len(starts) == 1 and starts[0] == 0):
        return None
    cuts = sorted({0, *starts, len(lines)})
    return [lines[a:b] for a, b in itertools.pairwise(cuts)]


def _own_year(found: DateMatch, era: YearContext | None = None) -> int | None:
    """The year a dated line writes itself (1951年3月, not 4月 read under a year above it),
    for the year-less lines after it in the same list; 0 when the date spans two years (no
    one year to give); None when it writes no year (or only a year: a year section's).
    `era`: the context of an era named alone above the line (5年10月 under 平成 writes 1993)."""
    span = found.span
    if found.year_only or (
        _match(found.date_text, None) is None
        and (era is None or _match(found.date_text, era) is None)
    ):
        return None
    year = span.start[:4]
    if not year.isdigit():
        return None
    return int(year) if span.end[:4] == year else 0


def _is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout (old sites), not one of data: its cells hold headings or
    other tables (a page frame: menu cell, content cell), or no row has two cells (a box
    around lines of text)."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    if next(table.iterdescendants("h1", "h2", "h3", "h4", "h5", "h6", "table"), None) is not None:
        return True
    # (No nested table here: every row is this table's own.)
    return all(sum(1 for c in row if c.tag in ("td", "th")) <= 1 for row in table.iter("tr"))


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


# The inline elements whose text, opening a block, may be its date: emphasis, and a date set
# in an element of its own (<span class="date">平成元年5月12日</span>調印式, spaced by CSS).
_EMPHASIS_TAGS = frozenset(("strong", "b", "em", "span", "time", "font"))


def _emphasis_lead(el: etree._Element) -> str | None:
    """Text of a <strong>/<b>/<em>/<span>/<time> that opens the block
    (<p><strong>平成12年</strong>…); it is the block's date only when it is a date alone."""
    if not _blank(el.text):
        return None
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _EMPHASIS_TAGS:
            text = _text(child)
            return text or None
        return None
    return None


# --- finding dates in items ---------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: a frozen dataclass costs ~1 µs more to build
class _Hit:
    """An item that is a date: its match, any text after the date, and how it takes a body."""

    match: DateMatch
    inline: list[str]  # body lines inside the item itself
    standalone: bool  # the item holds only the date: the following items are its body
    row_year: YearContext | None = None  # a 年 | 月 | 内容 row: the year for the rows below


@functools.lru_cache(maxsize=16384)
def _match(text: str, context: YearContext | None) -> DateMatch | None:
    """`match_date`, remembered: a watched page is re-parsed with mostly the same date lines,
    and the values are frozen, so sharing them is safe."""
    return match_date(text, context=context)


# Bullets written before a date (■平成12年9月, ・平成13年) and brackets around one
# (【平成12年9月】本文): the date is what is inside, the bullet or bracket is not part of it.
_BULLET_RE = re.compile(r"^[■□●○◯◆◇▲△▼▽★☆・※◎◉▶▷►→➤➢＊*\-‐－]+[ \u3000]*")
_BULLET_FIRSTS = frozenset("■□●○◯◆◇▲△▼▽★☆・※◎◉▶▷►→➤➢＊*-‐－")  # what _BULLET_RE can open with
_BRACKETS = {
    "【": "】",
    "［": "］",
    "[": "]",
    "〔": "〕",
    "＜": "＞",
    "<": ">",
    "≪": "≫",
    "《": "》",
}
# The number of a numbered chronology before its date (①昭和60年5月, 1. 平成3年, (1) 令和2年4月,
# No.1 …, 1　昭和60年): its place in the list, not part of the date, as a bullet is not. Tried
# only when the line does not read as it is (2019.4.1 and 2 0 0 3 年 are dates).
_ENUMERATOR_RE = re.compile(
    r"(?:[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]"  # ①-⑳, ㉑-㉟, ㊱-㊿
    r"|[0-9０-９]{1,3}[.．、)）]"
    r"|[(（][0-9０-９]{1,3}[)）]"
    r"|(?:No|NO|Ｎｏ)[.．]?[ \u3000]*[0-9０-９]{1,3}(?=[ \u3000])"
    r"|[0-9０-９]{1,3}(?=[ \u3000]+[明大昭平令])"  # 1　昭和60年5月: before an era's name only
    r"|〇(?=[ \u3000]))[ \u3000]*"  # 〇 typed as a bullet, with a space after it
)
_ENUMERATOR_FIRSTS = frozenset(
    "0123456789０１２３４５６７８９(（NＮ〇"
    + "".join(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)]))
)


def _enumerated_match(text: str, context: YearContext | None) -> DateMatch | None:
    """`_strict_match` of a line after its number (`_ENUMERATOR_RE`), if it opens with one."""
    enumerator = _ENUMERATOR_RE.match(text) if text[:1] in _ENUMERATOR_FIRSTS else None
    if enumerator is None:
        return None
    return _strict_match(text[enumerator.end() :], context, numbered=True)


# The ordinal of an event series before its date (第1回　平成15年8月3日　交流会): the date opens
# the entry, and the ordinal, which names the event (unlike a list's number), opens its body.
_ORDINAL_LABEL_RE = re.compile(r"第[0-9０-９一二三四五六七八九十百]{1,4}回[ \u3000]+")


def _labelled_match(text: str, context: YearContext | None) -> DateMatch | None:
    """`_strict_match` of a line after its ordinal (`_ORDINAL_LABEL_RE`), the ordinal put
    before the rest of the line."""
    label = _ORDINAL_LABEL_RE.match(text)
    found = _strict_match(text[label.end() :], context, numbered=True) if label else None
    if label is None or found is None:
        return None
    rest = label.group(0).rstrip(" \u3000") + (f" {found.rest}" if found.rest else "")
    return DateMatch(found.date_text, found.span, rest, found.year_only)


def _strict_match(
    line: str, context: YearContext | None, *, numbered: bool = False
) -> DateMatch | None:
    """A date that opens `line` and is followed by the end or a separator (not direct text).
    `numbered`: the line's number is read already (`_enumerated_match`)."""
    text = line.strip()
    if text[:1] in _BULLET_FIRSTS:
        bullet = _BULLET_RE.match(text)
        if bullet:
            text = text[bullet.end() :]
    close = _BRACKETS.get(text[:1])
    if close is not None:
        end = text.find(close, 1, 40)
        found = _match(text[1:end], context) if end > 1 else None
        if found is None or found.rest:
            return None
        rest = text[end + 1 :].lstrip(_SEPARATOR_CHARS).strip()
        return DateMatch(found.date_text, found.span, rest, found.year_only)
    found = _match(text, context)
    if found is None:
        if context is not None and text[:1] in _RUNS_ON_FIRSTS:
            found = _runs_on(text, context)
            if found is not None:
                return found
        if text[:2] == "同年" and not numbered:
            return _same_year_match(text, context)
        head = text[:_FOOTNOTE_REACH]
        if "*" in head or "＊" in head or "注" in head:
            found = _footnoted_match(text, head, context)
            if found is not None:
                return found
        if numbered:
            return None
        if text[:1] in _ENUMERATOR_FIRSTS:
            return _enumerated_match(text, context)
        return _labelled_match(text, context) if text[:1] == "第" else None
    after = text[len(found.date_text) :]
    if (
        after
        and after[0] not in SEPARATORS
        and after[0] != "※"
        and not found.date_text.endswith(AS_OF_PARTICLES)  # 平成3年4月1日付で提携
        and not (after[0] in "…‥・.．" and _LEADER_RE.match(after) is not None)
        and not _bracketed_remark(after)
    ):  # (※ opens a note, never a sentence: 令和2年4月1日※延期; leader dots: 4月……開館)
        return None
    return found


# A footnote marker right after a date (昭和61年10月*1　来訪, 平成7年（注2）　式典; ※1 and [1]
# `pipeline.dates` leaves after the date already): it refers to a note under the list, and
# opens the body as ※ does. Looked for only in a line's first characters.
_FOOTNOTE_RE = re.compile(r"[*＊][0-9０-９]{1,2}|[（(]注[0-9０-９]{0,2}[）)]")
_FOOTNOTE_REACH = 20


def _footnoted_match(text: str, head: str, context: YearContext | None) -> DateMatch | None:
    """`_strict_match` of a line whose date is followed by a footnote marker
    (`_FOOTNOTE_RE`) and then the end or a separator: the date, the marker opening the rest."""
    marker = _FOOTNOTE_RE.search(head)
    if marker is None or marker.start() == 0:
        return None
    after = text[marker.end() : marker.end() + 1]
    if after and after not in SEPARATORS:
        return None
    found = _match(text[: marker.start()].rstrip(), context)
    if found is None or found.rest:
        return None
    return DateMatch(found.date_text, found.span, text[marker.start() :], found.year_only)


# Leader dots between a date and its text (as `pipeline.dates` reads them: 平成3年4月……開館).
_LEADER_RE = re.compile(r"(?:[…‥]+|・{2,}|[.．]{3,})[ \t\u3000]*[^ \t\u3000.．…‥・]")


def _single_year(found: DateMatch) -> int | None:
    """The year a year-only date is (平成15年), or None (a fiscal year, a decade)."""
    span = found.span
    if not found.year_only or span.start != span.end or not span.start.isdigit():
        return None
    return int(span.start)


def _same_year_match(text: str, context: YearContext | None) -> DateMatch | None:
    """A line dated 同年10月 (the same year as the dated line above it, or the year heading over
    it): the month of the year that `context` carries. Without one, or under a fiscal year or an
    era alone (no one year to be the same as), the line is text."""
    if context is None or context.year is None or context.fiscal:
        return None
    found = _strict_match(text[2:], context, numbered=True)
    if found is None or found.year_only or not found.span.start.startswith(f"{context.year:04d}"):
        return None
    return DateMatch("同年" + found.date_text, found.span, found.rest, False)


# A line may run its date straight into its text when the year comes from above: an era year
# under an era named alone (<h2>平成</h2>, then 5年10月増築, 12年3月1日閉館), or a month under a
# year heading (<h3>平成15年</h3>, then 4月開館), as a 年表 is often typed. The date must end with
# its month or day, and the text open as a body does (a kanji or katakana that is no unit or
# qualifier of the date): a year alone (5年間続いた) or a particle (4月に) leaves the line text.
_RUNS_ON_RE = re.compile(
    r"((?:元|[0-9０-９]{1,2})年)?[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?"
    r"(?=[\u30a1-\u30fa\u4e00-\u9fff])"
)
_RUNS_ON_FIRSTS = frozenset("元0123456789０１２３４５６７８９")
# (units, qualifiers, and what may go on with the date: 晦日, 朔日, a day in kanji numerals)
_NOT_A_BODY_OPENING = frozenset(
    "年月日旬頃度末間目分時期上中下初半号代第元朔晦〇零一二三四五六七八九十百千壱弐参拾廿卅"
)


def _runs_on(text: str, context: YearContext) -> DateMatch | None:
    """A date whose year `context` gives (an era's year, or a year heading's month) running
    straight into its text (`_RUNS_ON_RE`): the date, and the text as the rest."""
    m = _RUNS_ON_RE.match(text)
    if m is None or text[m.end()] in _NOT_A_BODY_OPENING:
        return None
    if (context.era is None) if m.group(1) else (context.year is None):
        return None  # an era year needs its era above; a month, its year
    found = _match(m.group(0), context)
    if found is None or found.rest or found.year_only:
        return None
    return DateMatch(found.date_text, found.span, text[m.end() :].strip(), False)


_REMARK_BRACKETS = {"（": "）", "(": ")", "【": "】", "［": "］", "[": "]", "〔": "〕"}


def _bracketed_remark(after: str) -> bool:
    """Whether the text after a date opens with a remark in brackets that ends at the line's
    end or a separator (平成30年7月（第1回）, …7月29日（土）【第3回】): the date ends there. A
    sentence running on after the brackets (令和2年（第1回）の大会は…) is not such a line."""
    close = _REMARK_BRACKETS.get(after[0])
    if close is None:
        return False
    end = after.find(close, 1)
    return end > 1 and (end + 1 == len(after) or after[end + 1] in SEPARATORS)


def _hit(item: _Item, context: YearContext | None) -> _Hit | None:
    kind = item.kind
    lines = item.lines
    if not lines and kind != "date":
        return None
    if kind in ("heading", "term"):
        text = " ".join(lines)
        found = _bare_year(text) if item.bare_year else _strict_match(text, context)
        if found is None:
            found = _text_lead_match(item.el, text, context)
            if found is None:
                return None
        return _Hit(found, [found.rest] if found.rest else [], standalone=True)
    if kind == "row":
        hit = _row_hit(item.cells or [], context, item.bare_year, item.bare_month)
        if hit is not None and hit.inline and _figures_only(hit.inline):
            return None  # 令和2年 | 21,000 | 46,156: a statistics table's year and its figures
        return hit
    if kind == "block":
        if item.bare_year:
            found = _bare_year(lines[0])
            inline = ([found.rest] if found.rest else []) + lines[1:]
            return _Hit(found, inline, standalone=not inline)
        if item.lead:
            found = _match(item.lead, context)
            if (
                found is not None
                and not found.rest
                and (not _lead_runs_on(lines[0], item.lead) or _lead_stands_apart(item.el))
            ):
                rest = _after_prefix(lines[0], item.lead)
                inline = ([rest] if rest else []) + lines[1:]
                return _Hit(found, inline, standalone=not inline)
        found = _strict_match(lines[0], context)
        if found is None:
            found = _text_lead_match(item.el, lines[0], context)
            if found is None:
                return None
        inline = ([found.rest] if found.rest else []) + lines[1:]
        return _Hit(found, inline, standalone=not inline)
    if kind == "date":
        return _forced_hit(item, context)
    if kind == "card":  # a card's date, read at its end (`_date_cards_at_end`)
        found = _match(lines[0], None)
        return _Hit(found, [], standalone=True) if found is not None else None
    if kind == "ended":  # a line ending with its date in brackets (`_dates_at_line_end`)
        read = _trailing_date(lines[0])
        if read is None:
            return None
        text, found = read
        return _Hit(DateMatch(found.date_text, found.span, text, found.year_only), [text], False)
    return None


def _text_lead_match(
    el: etree._Element, line: str, context: YearContext | None
) -> DateMatch | None:
    """A date that is all of an element's own text before its first child element, the child
    right after it (<li>2024.05.20<a href>…</a></li>, <dt>2024年5月20日<span class="cat">訪問
    </span></dt>): the markup's boundary parts the date from the text the line runs on into,
    as a separator would, unless that text continues the date or a sentence (<span>度</span>,
    に…). Tried only when the line does not read as a date as it is."""
    text = el.text
    if not text or not len(el) or text[-1:] in _SEPARATOR_CHARS or text.isspace():
        return None
    lead = _clean(text)
    if not lead or not line.startswith(lead) or len(lead) == len(line):
        return None
    child = el[0]
    if not isinstance(child.tag, str) or child.tag == "br":
        return None
    found = _strict_match(lead, context)
    if found is None or found.rest or _lead_runs_on(line, lead):
        return None
    rest = line[len(lead) :].lstrip(_SEPARATOR_CHARS).strip()
    return DateMatch(found.date_text, found.span, rest, found.year_only)


def _lead_runs_on(line: str, lead: str) -> bool:
    """Whether the text after a block's leading element continues its date or its sentence:
    <span>平成30</span>年4月1日 (the date is longer than the element: read the line as a
    whole), <b>平成30年</b>度…, <span>平成元年5月12日</span>に提携した (a sentence)."""
    after = line[len(lead) : len(lead) + 1] if line.startswith(lead) else ""
    if not after:
        return False
    if after.isdigit():  # 令和元年5月 | 30周年 is two things; 平成3 | 0年 is one number
        return lead[-1].isdigit()
    return after in _DATE_GOES_ON or "\u3041" <= after <= "\u309f"


_DATE_GOES_ON = frozenset("年月日度.．/／-－‐～〜~")


def _lead_stands_apart(el: etree._Element) -> bool:
    """Whether a block's leading element ends where another element begins, with no text
    between (<span class="date">2024.08.15</span><span class="cat">お知らせ</span>): a
    boundary that the page's style shows as one, though the text runs on."""
    lead = next((child for child in el if isinstance(child.tag, str)), None)
    return lead is not None and _blank(lead.tail) and lead.getnext() is not None


_ROW_NUMBER_RE = re.compile(r"(?:No\.?|Ｎｏ．?)?\s*[0-9０-９]{1,3}\.?")


def _row_hit(
    cells: list[list[str]],
    context: YearContext | None,
    bare_year: str = "",
    bare_month: bool = False,
) -> _Hit | None:
    """A table row whose first cell is a date; or a 年 | 月 | 内容 row (平成15年 | 5月 | …),
    whose year then dates the rows below it that only give a month (rowspan or empty cell).
    `bare_year`: the row's first cell is in a column of bare years (`_Item.bare_year`)."""
    texts = [" ".join(cell) for cell in cells]
    first = 0
    era_cell = None
    if len(texts) > 2 and (
        (not texts[0] and context is not None) or _ROW_NUMBER_RE.fullmatch(texts[0])
    ):
        first = 1  # an empty year cell under a rowspan, or a running number column
        while not texts[first] and context is not None and first < len(texts) - 2:
            first += 1  # the 和暦 | 西暦 pair of cells left empty under the year above
    elif len(texts) > 2 and context is not None and texts[0] == context.era:
        first, era_cell = 1, texts[0]  # 昭和 | 30年 | 内容: the era's years (`_era_section`)
    if first >= len(texts) or not texts[first]:
        return None
    found = _match(texts[first], context)
    if found is None and texts[first][:2] == "同年":
        found = _same_year_match(texts[first], context)  # 同年10月 | 増築
    if found is None and bare_month and first and context is not None and context.year:
        found = _bare_month(texts[first], context, texts[first])  # | 12 | 工場竣工
    if era_cell is not None:
        if found is None or found.rest:
            return None
        found = DateMatch(f"{era_cell} {found.date_text}", found.span, "", found.year_only)
    elif found is None:
        # 西暦 | 和暦 | 出来事: a bare western year (no date on its own), then the era date
        # that restates it.
        era = (
            _match(texts[first + 1], None)
            if len(texts) >= first + 3 and _WESTERN_YEAR_RE.fullmatch(texts[first])
            else None
        )
        if era is not None and not era.rest and _same_year(era, texts[first]):
            found = DateMatch(f"{texts[first]} {era.date_text}", era.span, "", era.year_only)
            first += 1
        elif bare_year and first == 0:
            found = _bare_year(texts[0], bare_year == "fiscal")  # 年 | 内容: 1998 | 会社設立
        else:
            return None
    elif found.rest:
        return None
    nxt = first + 1
    if len(texts) > nxt + 1 and _same_year(found, texts[nxt]):
        # 和暦 | 西暦 | 出来事: the next cell restates the year in the other calendar.
        found = DateMatch(f"{found.date_text} {texts[nxt]}", found.span, "", found.year_only)
        nxt += 1
    if found.year_only and len(texts) > nxt + 1 and texts[nxt]:
        year = year_context(found)
        if context is not None and context.era is not None:
            year = within_era(year, context.era)  # 30年 | 4月 under 昭和: a year in its era
        inner = _match(texts[nxt], year)
        if inner is None and bare_month:
            joiner = " " if found.date_text[-1:].isdigit() else ""
            inner = _bare_month(texts[nxt], year, found.date_text + joiner + texts[nxt])
            if inner is not None:  # 1998 | 4 | 会社設立
                body = [line for cell in cells[nxt + 1 :] for line in cell]
                return _Hit(inner, body, standalone=False, row_year=year)
        if inner is not None and not inner.rest and not inner.year_only:
            inner, nxt = _with_day_cell(inner, texts, nxt + 1, year)
            joiner = " " if found.date_text[-1:].isdigit() else ""  # 1998 | 4月: "1998 4月"
            combined = DateMatch(found.date_text + joiner + inner.date_text, inner.span, "", False)
            body = [line for cell in cells[nxt:] for line in cell]
            return _Hit(combined, body, standalone=False, row_year=year)
    if not found.year_only:
        found, nxt = _with_day_cell(found, texts, nxt, context)
    body = [line for cell in cells[nxt:] for line in cell]
    # A row holding a year alone (<th colspan="2">平成8年</th>) heads the rows below it.
    return _Hit(found, body, standalone=not body and found.year_only)


# A cell of figures: a statistics table's 160,150, 2.1%, △1.2, 58,000百万円, 約120名, or a dash
# for none. A row whose first cell is a year and whose other cells are all figures (人口の推移:
# 令和2年 | 167,656 | 70,120) gives that year's numbers, no event: it stays text, as a table
# whose columns are years (区分 | 平成12年 | 平成17年) does. (A unit is no date: not 年, 月, 日.)
_FIGURE_RE = re.compile(
    r"(?:約|[△▲▼+＋\-−－¥￥])?[0-9０-９][0-9０-９,，.．]*"
    r"[ \u3000]*(?:[%％]|[^\s0-9０-９年月日]{1,3})?"
    r"|[-－―—‐…]"
)


def _figures_only(lines: list[str]) -> bool:
    """Whether a dated row's other cells are figures only (`_FIGURE_RE`), one a number."""
    return all(_FIGURE_RE.fullmatch(line) for line in lines) and any(
        line[:1] not in "-－―—‐…" for line in lines
    )


_BARE_MONTH_RE = re.compile(r"[0-9０-９]{1,2}")


def _bare_month(cell: str, year: YearContext, written: str) -> DateMatch | None:
    """A 月 column's bare number (4) as that month of `year`, its date text `written`."""
    if not _BARE_MONTH_RE.fullmatch(cell):
        return None
    found = _match(f"{int(unicodedata.normalize('NFKC', cell))}月", year)
    if found is None or found.rest or found.year_only:
        return None
    return DateMatch(written, found.span, "", False)


_DAY_CELL_RE = re.compile(r"[0-9０-９]{1,2}[ \u3000]*日")


def _with_day_cell(
    found: DateMatch, texts: list[str], at: int, context: YearContext | None
) -> tuple[DateMatch, int]:
    """A 年 | 月 | 日 | 事項 table's month, with the day of the cell at `at` when it holds one:
    the date, and the index of the first cell after it."""
    if len(found.span.start) != 7 or len(texts) <= at + 1 or not _DAY_CELL_RE.fullmatch(texts[at]):
        return found, at
    day = _match(found.date_text + texts[at], context)
    if (
        day is None
        or day.rest
        or len(day.span.start) != 10
        or day.span.start[:7] != found.span.start
    ):
        return found, at
    return DateMatch(found.date_text + texts[at], day.span, "", False), at + 1


# A western year written alone in a cell of its own: 1889, 1889年, (1889), （1889年）.
_WESTERN_YEAR_RE = re.compile(r"[(（]?([0-9０-９]{4})年?[)）]?")


def _same_year(found: DateMatch, cell: str) -> bool:
    """Whether `cell` only restates the year `found` starts in, in the other calendar: the
    西暦 column beside a 和暦 one (1889, 1889年) or the 和暦 beside a 西暦 (明治22年)."""
    if not cell:
        return False
    western = _WESTERN_YEAR_RE.fullmatch(cell)
    if western is not None:
        return int(western.group(1)) == int(found.span.start[:4])
    if not found.year_only:
        return False
    other = _match(cell, None)
    return other is not None and other.year_only and not other.rest and other.span == found.span


def _after_prefix(line: str, prefix: str) -> str:
    """The text of `line` after its date `prefix` and the separator after it (a space, a colon,
    a dash between spaces: <strong>May 1985</strong> – First delegation)."""
    if line.startswith(prefix):
        rest = line[len(prefix) :].lstrip(_SEPARATOR_CHARS)
        dash = _DASH_LEAD_RE.match(rest)
        return (rest[dash.end() :] if dash else rest).strip()
    return line


_DASH_LEAD_RE = re.compile(r"[–—―-][ \t\u3000]+")


# --- grouping items into entries ---------------------------------------------------------------


# A frozen dataclass's __init__ sets each field through object.__setattr__; setting the slots
# directly builds the same record in half the time. Only for a class without __post_init__.
assert not hasattr(EntryRecord, "__post_init__")
_object_new = object.__new__
_set_record_date_text = EntryRecord.date_text.__set__  # type: ignore[attr-defined]
_set_record_start = EntryRecord.start.__set__  # type: ignore[attr-defined]
_set_record_end = EntryRecord.end.__set__  # type: ignore[attr-defined]
_set_record_body = EntryRecord.body.__set__  # type: ignore[attr-defined]
_set_record_note = EntryRecord.note.__set__  # type: ignore[attr-defined]


@dataclass(slots=True)
class _Open:
    """The entry being built."""

    hit: _Hit
    item: _Item
    body: list[str] = field(default_factory=list)
    card: etree._Element | None = None  # a card layout: the card's element bounds the body
    box: etree._Element | None = None  # the box a dated heading opens bounds the body too
    ruled: bool = False  # a rule (<hr>) stands right before the date: the next one ends it
    # A heading naming years, not a month (昭和30年代, 昭和55〜57年, 令和元年頃): lines under it
    # that carry their own date start entries, as under a year heading.
    period: bool = False

    def record(self) -> EntryRecord:
        match = self.hit.match
        span = match.span
        # EntryRecord(date_text, start, end, body, note), slots set directly (33x a page)
        record = _object_new(EntryRecord)
        _set_record_date_text(record, match.date_text)
        _set_record_start(record, span.start)
        _set_record_end(record, span.end)
        _set_record_body(record, tuple(self.body))
        _set_record_note(record, span.note or None)
        return record

    def takes(self, item: _Item, forced: bool) -> bool:
        """Whether a non-date item after this entry's anchor belongs to its body."""
        if forced:
            return True
        if self.item.kind == "term":  # a <dt>'s entry ends with its <dl>: a note after it is not
            dl = next(self.item.el.iterancestors("dl"), None)
            return dl is None or _inside(item.el, dl)
        if self.hit.standalone or self.item.kind == "heading":
            return True
        # Date + text in one row/list item/paragraph: only same-kind siblings continue it, and
        # what is nested inside the anchor's own element (a list under a list item).
        if item.group is self.item.group and item.kind == self.item.kind:
            return True
        anchor = self.item.el
        return item.el is not anchor and any(a is anchor for a in item.el.iterancestors())


# How many one-line entries must come before the last for the undated paragraphs closing the
# content to read as notes (`_Grouper._notes_after_run`): after one alone, a paragraph is as
# likely the last entry's second line.
_NOTES_AFTER_RUN = 2


def _one_line(entry: _Open) -> bool:
    """An entry that is one block holding its date and its text (<p>平成5年4月1日　開園</p>),
    with nothing taken after it so far."""
    return (
        entry.item.kind == "block"
        and not entry.hit.standalone
        and len(entry.body) == len(entry.hit.inline)
    )


_HEADING_BOXES = frozenset(("section", "article", "div", "li", "details"))


def _section_end(items: list[_Item], index: int, forced: bool) -> int:
    """Where the section opened by a year item ends: at the next heading at its level or above;
    for a year that is not a heading (a dt, a paragraph), also at the next year of its kind,
    at any heading, and where its container (the dl, the list) ends."""
    anchor = items[index]
    container = anchor.group
    for j in range(index + 1, len(items)):
        item = items[j]
        if item.kind == "meta":
            continue
        if item.kind == "heading" and item.level <= anchor.level:
            return j
        if anchor.kind == "heading":
            continue
        if item.kind == "heading":
            return j
        if container is not None and not (
            item.el is container or any(a is container for a in item.el.iterancestors())
        ):
            return j
        if item.kind == anchor.kind:
            if item.lines and item.lines[0] in ERA_NAMES:
                return j  # the next era named alone (<dt>大正</dt> after <dt>明治</dt>)
            hit = _hit(item, None)
            if hit is not None and hit.match.year_only:
                return j
    return len(items)


@dataclass(slots=True)
class Trace:
    """Where each line of the content went, for `keika parse --explain` and the tests that
    check nothing is dropped. `content` holds every line the parser read as content, in order;
    `roles` the same lines with what became of them: "entry" (an entry's date line, with any
    text after the date), "body", "text" (page.text), "meta" (metadata and furniture read
    into `page` or dropped as such), "context" (a year heading that dates the lines below it,
    a decade's heading over dated lines, or an era named alone over its years).
    `unused` lists lines that looked like dates but start no entry, with the reason."""

    rule: str = ""
    roles: list[tuple[str, str]] = field(default_factory=list)
    unused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def content(self) -> list[str]:
        return [line for _, line in self.roles]

    def lines(self, role: str) -> list[str]:
        return [line for r, line in self.roles if r == role]

    def add(self, role: str, lines: Iterable[str]) -> None:
        self.roles.extend((role, line) for line in lines)


class _Grouper:
    """Turns the item stream into entries and the page's own text (module docstring, step 5).

    Each item is, in page order, one of: an entry's anchor (a date), a line of the open entry's
    body, a year that only dates the lines below it, metadata, or the page's own text.
    `forced`: only items of kind "date" (a seed's date elements) start entries. `bodies`: a
    seed's body elements; when given, only their lines make up bodies.
    """

    def __init__(
        self,
        items: list[_Item],
        *,
        forced: bool = False,
        bodies: frozenset[etree._Element] | None = None,
        title: str | None = None,
        root: etree._Element | None = None,
        trace: Trace | None = None,
        terms_as_text: bool = True,
    ) -> None:
        self.items = list(items)  # dated runs of a block may be split into items of their own
        self.forced = forced
        self.bodies = bodies
        self.title = title
        self.root = root
        self.trace = trace
        self.terms_as_text = terms_as_text  # (`_Noise.terms_as_text`)
        self.entries: list[EntryRecord] = []
        self.text: list[str] = []
        self.current: _Open | None = None
        self.context: YearContext | None = None
        self.context_until = -1
        # An era named alone (<h2>平成</h2>) over its years (`_era_section`): the context again
        # after a year's section inside it ends, until its own section ends. While it holds,
        # no context runs past it (context_until <= era_until), so `_step` watches one index.
        self.era: YearContext | None = None
        self.era_until = -1
        self.last_text: tuple[int, int] | None = None  # (item index, len(text) before it)
        self.may_anchor = True  # whether the item in hand could have started an entry
        self.years_marked = forced  # `_mark_bare_years` done (never with a seed's dates)
        self.last_dated: DateMatch | None = None  # the last entry's date (for a 同年 below it)
        # Where the run of items sharing a group ends (`_run_end`): found once per run, not
        # once per dated row (a 4000-row 年表 was quadratic). Dropped when items are split.
        self.run_group: etree._Element | None = None
        self.run_end = -1
        # How many entries in a row were a paragraph each, date and text in one line and no
        # paragraph after it (`_notes_after_run`): the page's entries are one paragraph long.
        self.one_line_run = 0

    def run(self) -> tuple[list[EntryRecord], list[str]]:
        i = 0
        while i < len(self.items):
            self._step(i)
            i += 1
        self._close()
        return self.entries, self.text

    # -- one item ---------------------------------------------------------------------------

    def _step(self, i: int) -> None:
        item = self.items[i]
        if i == self.context_until:
            self._contexts_end(i)
        kind = item.kind
        if kind == "meta":
            self._role("meta", item.lines)
            return
        current = self.current
        if kind == "rule":
            # Entries set between rules (<hr><b>平成14年3月</b><br>…<hr>): the next rule ends
            # one that a rule opened, so what follows the last is not its body.
            if current is not None and current.ruled:
                self._close()
            return
        forced = self.forced
        if (  # the common case first: a line under a dated (not year-only) heading is its body
            current is not None
            and kind != "heading"
            and not forced
            and self.trace is None
            and current.item.kind == "heading"
            and not current.hit.match.year_only
            and not current.period
            and (current.box is None or _inside(item.el, current.box))
        ):
            current.body.extend(item.lines if kind != "row" else _row_line(item))
            return
        if kind == "heading" and not forced and self.trace is None:
            # The other common case: a dated heading opens an entry (`_hit` and `_open`,
            # inlined). Year-only and undated headings take the general path below.
            lines = item.lines
            found = (
                _strict_match(lines[0] if len(lines) == 1 else " ".join(lines), self.context)
                if lines
                else None
            )
            if found is not None and not found.year_only and len(found.span.start) > 4:
                self.may_anchor = True
                if current is not None:
                    self.entries.append(current.record())
                self.one_line_run = 0  # (`_close`: a heading's entry is no one-line entry)
                rest = found.rest
                self.current = _Open(
                    _Hit(found, [rest] if rest else [], True), item, [rest] if rest else []
                )
                self.last_dated = found
                if item.el.getprevious() is None:  # `_heading_box`'s first test (cheapest)
                    self.current.box = self._heading_box(i, item.el)
                self.current.ruled = i > 0 and self.items[i - 1].kind == "rule"
                return
        if current is not None and current.box is not None and not _inside(item.el, current.box):
            self._close()  # out of the dated heading's box: the entry ends there
            current = None
        # Inside a dated heading's section only headings may start a new entry: the lines
        # under "平成4年9月" that begin "18日から19日、…" are its body, not new dates.
        may_anchor = (
            forced
            or current is None
            or current.item.kind != "heading"
            or item.kind == "heading"
            or current.hit.match.year_only
            or current.period
        )
        if forced and item.kind != "date":
            may_anchor = False
        elif may_anchor and current is not None and current.item.kind == "card":
            # In a card dated at its end, no line starts an entry (`_date_cards_at_end` saw
            # no date in it but years: 令和元年度 通常総会 is a title).
            may_anchor = current.card is None or not _inside(item.el, current.card)
        if may_anchor and not forced and item.kind == "block" and len(item.lines) > 1:
            item = self._split_runs(i, item)
        self.may_anchor = may_anchor
        if not self.years_marked and item.lines and _may_open_with_bare_year(item.lines[0]):
            _mark_bare_years(self.items)  # (only on a page with such a line: it costs 1%)
            self.years_marked = True
        hit = _hit(item, self.context) if may_anchor and not (item.links or item.foreign) else None
        if (
            hit is None
            and item.lines
            and item.lines[0][:2] == "同年"
            and self.context is None
            and self.last_dated is not None
            and may_anchor
            and not (item.links or item.foreign)
        ):  # 同年10月 in the paragraph after 平成15年4月's: the year that entry wrote
            own = _own_year(self.last_dated, self.era) or _single_year(self.last_dated)
            hit = _hit(item, YearContext(own)) if own else None
        if (
            hit is None
            and item.lines
            and item.lines[0] in ERA_NAMES
            and may_anchor
            and not (forced or item.links or item.foreign)
            and self._era_section(i, item)
        ):
            hit = _hit(item, self.context) if item.kind == "row" else None
            if hit is None:  # (昭和 | 30年 | 内容: the row is dated in its era)
                if item.kind == "row":
                    self._role("context", item.lines)  # <th colspan="3">昭和</th>
                return
        if hit is not None and hit.standalone:
            if hit.match.year_only:
                if self._year_section(i, hit):
                    return
                if item.kind == "row":  # a year row over no dated rows: an entry like any row
                    hit.standalone = False
            elif (
                item.kind == "heading"
                and len(hit.match.span.start) == 4
                and self._year_section(i, hit)  # 昭和30年代 over dated lines
            ):
                return
        if (
            hit is not None
            and kind == "row"
            and hit.inline
            and hit.match.year_only
            and (  # (a month, perhaps after a bullet, opens the cell: a cheap test first)
                hit.inline[0][:1] in _RUNS_ON_FIRSTS or hit.inline[0][:1] in _BULLET_FIRSTS
            )
            and not forced
            and self._year_row_lines(i, hit)
        ):
            return
        if (
            hit is not None
            and current is None
            and not self.entries
            and item.kind == "block"
            and self._dateline(i, hit)
        ):
            self._outside(i, item, "a notice's dateline: its date and the site's name signing it")
        elif (
            hit is not None
            and item.kind != "heading"  # (dated headings take `_step`'s fast path)
            and hit.match.span.start != hit.match.span.end
            and self.terms_as_text
            and self._term_first(i, hit)
        ):
            self._close()
            self._outside(i, item, "an office holder's term (初代, 第2代 … after it: a roster)")
        elif hit is not None:
            self._open(i, item, hit)
        elif item.kind == "date":
            self._outside(i, item, "a seed's date element whose text is no date")
        elif current is not None and current.card is not None:
            if _inside(item.el, current.card):
                self._body(item)
            else:
                self._close()
                self._outside(i, item)
        elif item.kind == "heading" and not forced:
            if current is not None and (
                current.item.kind != "heading" or item.level <= current.item.level
            ):
                self._close()
                self._outside(i, item)
            elif current is not None:
                self._body(item)
            else:
                self._outside(i, item)
        elif (
            current is not None
            and not (item.kind == "row" and item.header_row and current.item.kind == "row")
            and current.takes(item, forced)
        ):
            if (
                self.one_line_run >= _NOTES_AFTER_RUN
                and kind == "block"
                and item.group is current.item.group  # a paragraph beside it, not inside it
                and _one_line(current)
                and not forced
                and self._notes_after_run(i)
            ):
                self._close()
                self._outside(i, item)
            else:
                self._body(item)
        else:
            self._outside(i, item)

    def _notes_after_run(self, i: int) -> bool:
        """Whether the undated paragraph i ends the content after the last of the page's
        one-line entries (<p>平成5年4月1日　開園</p>…<p>（注）…</p>): only undated paragraphs
        follow it, so they are notes under the list (page text), not the last entry's body, as
        no entry before it took a paragraph after its line. A heading or a dated line after
        it leaves it the entry's body (a remark closing a section)."""
        items = self.items
        for j in range(i + 1, len(items)):
            item = items[j]
            if item.kind == "meta":
                continue
            if item.kind != "block" or _hit(item, self.context) is not None:
                return False
        return True

    def _dateline(self, i: int, hit: _Hit) -> bool:
        """Whether the page's first dated line is its last line too, a date and the site's
        name that signs it (2023年4月1日　みずなら市, みずなら市長 山田太郎): a notice's dateline
        (a maintenance or closure notice served in the page's place), no event."""
        signer = hit.inline
        for item in itertools.islice(self.items, i + 1, None):
            if item.kind != "meta":
                if signer or item.kind != "block":
                    return False
                signer = item.lines  # the name on a line of its own after the date
        if len(signer) != 1 or self.root is None:
            return False
        name = signer[0].split()[0]
        if name[-2:] == "役所":
            name = name[:-2]
        elif name[-1:] == "長":
            name = name[:-1]
        sites = _site_names(self.root.getroottree().getroot())
        return len(name) > 1 and any(site.startswith(name) for site in sites)

    def _term_first(self, i: int, hit: _Hit) -> bool:
        """Whether a span opens a roster's line, row or term: the text after it (on its line,
        or the item below a date alone) opens with a succession ordinal (昭和22年4月～昭和30年3月
        初代 山田太郎): the holder's term of office (`_term_of_office`), no event."""
        if hit.inline:
            return _term_of_office(hit.inline[0], hit.match)
        nxt = next(
            (it for it in itertools.islice(self.items, i + 1, None) if it.kind != "meta"), None
        )
        return (
            hit.standalone
            and nxt is not None
            and bool(nxt.lines)
            and nxt.kind in ("block", "row")
            and _term_of_office(nxt.lines[0], hit.match)
        )

    def _split_runs(self, i: int, item: _Item) -> _Item:
        """One block holding several dated lines: one item per dated run."""
        runs = _dated_runs(item.lines, self.context)
        if runs is None:
            return item
        # A dated run's entry ends with the block: the paragraph after one that packs its
        # entries line by line is not the last line's body. (An undated first run stays in
        # the parent's group: it may continue the entry before the block.)
        undated = _strict_match(runs[0][0], self.context) is None
        self.run_group = None  # the indices after i move
        self.items[i : i + 1] = [
            _Item("block", item.el, run, item.group if n == 0 and undated else item.el, 7)
            for n, run in enumerate(runs)
        ]
        if self.context_until > i:
            self.context_until += len(runs) - 1
        if self.era_until > i:
            self.era_until += len(runs) - 1
        return self.items[i]

    def _year_row_lines(self, i: int, hit: _Hit) -> bool:
        """A row whose year cell (平成30年度, 2018年) sits beside a cell of month lines (5月
        訪問団受入<br>10月　中学生派遣): the year dates them as a year heading dates the lines
        under it, each dated line an entry bounded by the row. True when the row was so read.
        Not under another year (a year heading's section): that year would be lost."""
        if self.context is not None and self.context is not self.era:
            return False
        try:
            year = year_context(hit.match)
        except ValueError:
            return False
        if self.era is not None and self.era.era is not None:
            year = within_era(year, self.era.era)
        if _strict_match(hit.inline[0], year) is None:
            return False
        runs = _dated_runs(hit.inline, year) or [hit.inline]  # (one dated run: no cut)
        self._close()
        self._role("context", [hit.match.date_text])
        row = self.items[i].el
        self.run_group = None  # the indices after i move
        self.items[i : i + 1] = [_Item("block", row, run, row, 7) for run in runs]
        if self.era_until > i:
            self.era_until += len(runs) - 1
        self.context, self.context_until = year, i + len(runs)
        self._step(i)
        return True

    def _year_section(self, i: int, hit: _Hit) -> bool:
        """A year heading (2018年度, 平成30年) whose section holds year-less dated lines gives
        them its year. Lines between it and the first dated line (オンライン交流会を開始した。)
        make it an entry of its own with those lines as body. True when the item was dealt
        with here (the year dates the section); False when its section holds no such lines.
        A heading naming several years (昭和30年代) heads its dated lines the same way, but
        gives them no year."""
        items = self.items
        end = _section_end(items, i, self.forced)
        year = year_context(hit.match) if hit.match.year_only else None
        if year is not None and self.era is not None and self.era.era is not None:
            year = within_era(year, self.era.era)  # 5年 under 平成: 6年 below it is 平成's too
        first_dated = None
        for j in range(i + 1, end):
            if self.forced and items[j].kind != "date":
                continue
            found = _hit(items[j], year)
            if found is not None and not found.match.year_only:
                first_dated = j
                break
        if first_dated is None:
            return False
        self._close()
        if self.era is not None:
            end = min(end, self.era_until)
            if year is None:
                year = self.era  # 昭和30年代 under 昭和: no year, but the era still holds
        self.context, self.context_until = year, end
        undated = any(
            items[j].kind == "block" or (items[j].kind == "row" and not items[j].header_row)
            for j in range(i + 1, first_dated)
        )  # a sub-heading or a table's header row alone does not make the year an entry
        if undated and not self.forced:
            self._open(i, items[i], hit)  # the year is an entry; the lines below, its body
            return True
        self._role("context", items[i].lines)
        return True

    # -- where lines go ---------------------------------------------------------------------

    def _open(self, i: int, item: _Item, hit: _Hit) -> None:
        self._close()
        bodies = self.bodies
        inline = hit.inline if bodies is None else _selected_lines(item, bodies, hit.inline)
        current = self.current = _Open(hit, item, list(inline))
        current.ruled = i > 0 and self.items[i - 1].kind == "rule"
        self._role("entry", item.lines)
        if hit.match.date_text[:2] != "同年":
            self.last_dated = hit.match
        if hit.row_year is not None:  # the year holds for the following rows of its table
            items = self.items
            end = i + 1
            while end < len(items) and items[end].group is item.group:
                end += 1
            self.context, self.context_until = hit.row_year, end
            if self.era is not None and self.era.era is not None:
                self.context = within_era(hit.row_year, self.era.era)
                self.context_until = min(end, self.era_until)
        elif item.kind == "row" or (
            item.kind == "block" and (item.group is item.el or item.el.tag == "li")
        ):
            self._carry_year(i, item, hit)
        if item.kind == "heading" and not hit.match.year_only and not self.forced:
            current.box = self._heading_box(i, item.el)
            current.period = len(hit.match.span.start) == 4
        elif item.kind == "block" and hit.standalone and not self.forced:
            self._card(i, current)
            if current.card is None:
                self._row_box(i, current)
            if current.card is None:
                self._box_end(i, current)
        elif item.kind == "card":
            current.card = item.group  # the card bounds its entry
        elif item.kind == "ended":
            self._close()  # the line is the whole entry: the run's undated lines are page text

    def _carry_year(self, i: int, item: _Item, hit: _Hit) -> None:
        """A date that writes its year, in a table row, a list item or a line of a block,
        gives that year to the rows (items, lines) after it that write only a month or a
        day: a 年月 | 事項 table or a 年表 writes the year on each year's first row only
        (1951年3月, then 4月)."""
        era = self.era
        own = _own_year(hit.match, era)
        if own is None:
            return
        end = self._run_end(i, item)
        context = self.context
        if context is not None and self.context_until > end and context.year is not None:
            return  # a year heading's section goes on after the list: its year holds
        if own:
            self.context, self.context_until = carried_year(hit.match, own), end
            if era is not None and era.era is not None:  # 5年4月 under 平成: 6年 is 平成's too
                self.context = within_era(self.context, era.era)
                self.context_until = min(end, self.era_until)
        elif context is not None:  # a span across two years: no one year to give
            self.context, self.context_until = era, self.era_until

    def _run_end(self, i: int, item: _Item) -> int:
        """The index after the run of items from i on that share item i's group."""
        group = item.group
        if group is not None and group is self.run_group and self.run_end > i:
            return self.run_end
        items = self.items
        end = i + 1
        while end < len(items) and items[end].group is group:
            end += 1
        self.run_group, self.run_end = group, end
        return end

    def _contexts_end(self, i: int) -> None:
        """Item i ends a year's section or an era's (`_era_section`): after a year inside an
        era (平成, then 5年), the era holds again; after the era, nothing does."""
        if i == self.era_until:
            self.era, self.era_until = None, -1
        self.context, self.context_until = self.era, self.era_until

    def _era_section(self, i: int, item: _Item) -> bool:
        """An era named alone (<h2>平成</h2>, <dt>明治</dt>, a row's first cell 昭和) over lines
        that write their years without it (元年4月, 5年10月, a next cell 30年): it gives them
        its era, as a year heading gives its year, up to the next heading at its level (the
        next term or row naming an era, the end of the list or table). True when its section
        holds such a dated line (the row itself may).

        The era is never an entry of its own, even over undated lines (then page text): an
        era spans decades and shares its first and last years with the eras beside it (平成
        began on 1989-01-08), so it is no date the page gives an event. A heading over no
        dated line, or an era word in a sentence (平成の時代には…), is read as usual."""
        era = era_context(item.lines[0])
        if era is None:
            return False
        items = self.items
        if item.kind == "row":
            cells = item.cells or []
            if not cells or cells[0] != item.lines[:1]:
                return False  # the era is the first cell, and all of it
            start, end = i, i + 1
            while (
                end < len(items)
                and items[end].group is item.group
                and not (items[end].lines and items[end].lines[0] in ERA_NAMES)
            ):
                end += 1
        elif item.kind in ("heading", "term") and len(item.lines) == 1:
            start, end = i + 1, _section_end(items, i, False)
        else:
            return False
        if not any(
            not (items[j].links or items[j].foreign) and _hit(items[j], era) is not None
            for j in range(start, end)
        ):
            return False
        self._close()
        self.era, self.era_until = era, end
        self.context, self.context_until = era, end
        if item.kind != "row":
            self._role("context", item.lines)
        return True

    def _heading_box(self, i: int, heading: etree._Element) -> etree._Element | None:
        """The box a dated heading opens (<section><h4>平成27年4月1日</h4><div>…</div>
        </section>): the heading is its first element and the next item is inside it. The
        box bounds the entry: the notes after the last box are not its body."""
        box = heading.getparent()
        if box is None or box.tag not in _HEADING_BOXES or box[0] is not heading:
            return None
        items = self.items
        if i + 1 >= len(items) or not _inside(items[i + 1].el, box):
            return None
        if self.root is not None and _inside(self.root, box):
            return None  # the content itself, not a box in it
        return box

    def _card(self, i: int, current: _Open) -> None:
        """A date alone in a small element of a card's header, with the card's title in a
        heading beside it (before or after): the entry is the card, its body the title and
        the card's other text in order."""
        items = self.items
        date_el = current.item.el
        title_index = None
        before = self.last_text
        if before is not None and before[0] == i - 1 and items[i - 1].kind == "heading":
            title_index = i - 1
        elif i + 1 < len(items) and items[i + 1].kind == "heading":
            title_index = i + 1
        if title_index is None:
            return
        heading = items[title_index]
        if _strict_match(" ".join(heading.lines), None) is not None:
            return  # a dated heading: an entry of its own
        card = _common_ancestor(date_el, heading.el)
        if card is None or card.tag in ("body", "main", "html"):
            return
        while (
            card.tag in ("header", "hgroup") or "head" in (card.get("class") or "").lower()
        ) and card.getparent() is not None:
            card = card.getparent()
        if card.tag in ("body", "main", "html") or not self._lone_date(card, i):
            return
        current.card = card
        if title_index == i - 1 and before is not None:  # the title came first: take it back
            del self.text[before[1] :]
            if self.trace is not None:
                del self.trace.roles[-len(heading.lines) - len(current.item.lines) :]
                self.trace.add("body", heading.lines)
                self.trace.add("entry", current.item.lines)
            current.body[:0] = heading.lines
            self.last_text = None

    def _row_box(self, i: int, current: _Open) -> None:
        """A date alone in its own element, its text in the elements beside it, and the
        three in a box of their own (<div class="row"><div class="date">…</div><div
        class="txt">…</div></div>): the box bounds the entry, so the page's notes after the
        last box are not taken for its body."""
        items = self.items
        box = current.item.el.getparent()
        if box is None or box.tag in ("body", "main", "html"):
            return
        if self.root is not None and _inside(self.root, box):
            return  # the content itself, not a box in it
        if i + 1 >= len(items) or not _inside(items[i + 1].el, box):
            return  # the date's box holds nothing else: its body follows outside it
        if self._lone_date(box, i):
            current.card = box

    def _box_end(self, i: int, current: _Open) -> None:
        """A date alone that ends a box holding the text before it (a card's last line, not of
        a run of cards dated so: <div class="post"><h3>…</h3><p>…</p><p>2023年5月10日</p></div>)
        takes no body from outside the box: what follows is another card's text or the page's,
        and a date given to the wrong text is worse than a date with none. The box is the
        largest holding the date but not the next item; it ends a card when it stands in the
        content itself, or holds a title or text before the date (not a card's header box of a
        date and its category: <div class="head"><span>お知らせ</span><p>date</p></div>, whose
        card goes on after it)."""
        items = self.items
        if i == 0 or i + 1 >= len(items):
            return
        root = self.root
        after = items[i + 1].el
        box = None
        for a in (current.item.el, *current.item.el.iterancestors()):
            if a is root or a.tag in ("body", "main", "html") or _inside(after, a):
                break
            box = a
        if box is None:
            return
        j = i - 1
        substantial = False
        while j >= 0 and _inside(items[j].el, box):
            before = items[j]
            if before.kind == "heading" or (
                before.kind != "meta" and any(not _is_label(line) for line in before.lines)
            ):
                substantial = True
            j -= 1
        if j == i - 1:
            return  # nothing before the date in its box: the box opens with it
        if substantial or box.getparent() is root:
            current.card = box

    def _lone_date(self, card: etree._Element, i: int) -> bool:
        """Whether item i is the only date in `card` (else it is a list, not a card)."""
        items = self.items
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(items) and _inside(items[j].el, card):
                if items[j].kind != "meta" and _hit(items[j], self.context) is not None:
                    return False
                j += step
        return True

    def _body(self, item: _Item) -> None:
        current = self.current
        assert current is not None
        lines = _row_line(item)
        if self.bodies is not None:
            lines = _selected_lines(item, self.bodies, lines)
            if self.trace is not None and len(lines) < len(item.lines):
                unselected = [line for line in item.lines if line not in lines]
                self.trace.add("unselected", unselected)  # the seed's body selector left them
        current.body.extend(lines)
        if self.trace is not None:
            self.trace.add("body", lines)
            self._unused(item, "body")

    def _outside(self, i: int, item: _Item, why: str | None = None) -> None:
        """An item outside every entry: the page's own text (the title heading: metadata)."""
        lines = item.lines
        if self.title is not None and " ".join(lines) == self.title:
            self._role("meta", lines)  # the page's title again (a heading, a caption, a line)
            if item.kind == "heading" and self.context is None and self.era is None:
                year = _title_year(self.title)
                if year is not None:  # 市長の動き（令和6年5月）: its 5月1日 rows are 2024's
                    self.context, self.context_until = year, len(self.items)
            return
        if item.links:
            self._link_list(i, item)
            return
        lines = _row_line(item)
        self.last_text = (i, len(self.text))
        self.text.extend(lines)
        self._role("text", lines)
        if self.trace is not None and why is not None and lines:
            self.trace.unused.append((lines[0], why))
        elif self.trace is not None:
            self._unused(item, "text")

    def _link_list(self, i: int, item: _Item) -> None:
        """A list of links outside every entry (the site's menu inside the content: 会社概要,
        沿革, 拠点一覧 …) is navigation, with the heading right above it as its label. (Under
        an entry, links are its body: 報告書（PDF）.)"""
        before = self.last_text
        heading = self.items[i - 1] if i > 0 else None
        if (
            before is not None
            and before[0] == i - 1
            and heading is not None
            and heading.kind == "heading"
            and item.group is not None
            and item.group.getprevious() is heading.el
        ):
            del self.text[before[1] :]
            if self.trace is not None:
                del self.trace.roles[-len(heading.lines) :]
                self.trace.add("meta", heading.lines)
        self.last_text = None
        self._role("meta", item.lines)

    def _unused(self, item: _Item, role: str) -> None:
        """For --explain: the lines of a body/text item that look like dates, and why they
        start no entry."""
        assert self.trace is not None
        current = self.current
        for n, line in enumerate(item.lines):
            if not _DATE_LINE_RE.match(line):
                if line[-1:] in _TRAILING_OPENERS:
                    why = _trailing_unused(line, role, current)
                    if why is not None:
                        self.trace.unused.append((line, why))
                continue
            strict = _strict_match(line, self.context)
            loose = _match(_BULLET_RE.sub("", line.strip()), self.context)
            if strict is None and loose is None and line[-1:] in _TRAILING_OPENERS:
                why = _trailing_unused(line, role, current)  # (第2代 山田太郎（…～…）)
                if why is not None:
                    self.trace.unused.append((line, why))
                    continue
            if strict is None and loose is None:
                like = _DATE_LIKE_RE.match(line)
                if like is not None:
                    year = _match(_BULLET_RE.sub("", like.group(0)).lstrip("【［[〔"), None)
                    after = line[like.end() : like.end() + 1]
                    self.trace.unused.append(
                        (line, "the date runs straight into text (no separator after it)")
                        if year is not None and not after.isdigit()  # 1968年の創業以来…
                        else (line, "looks like a date but is not a valid one")
                    )
                elif _PARTIAL_DATE_RE.match(line):
                    where = (
                        f"read as part of the body of {current.hit.match.date_text!r}"
                        if role == "body" and current is not None
                        else "no year above it to complete it"
                    )
                    self.trace.unused.append((line, f"a month or day without a year: {where}"))
                continue
            if n > 0 and strict is not None:
                why = "a later line of a block whose first line is not a date"
            elif strict is None:
                why = "the date runs straight into text (no separator after it)"
            elif not self.may_anchor and current is not None and current.item.kind == "card":
                why = f"in the card dated {current.hit.match.date_text!r}: part of its body"
            elif not self.may_anchor and current is not None:
                why = f"under the dated heading {current.hit.match.date_text!r}: part of its body"
            elif item.kind == "heading":
                why = "a heading that is not only a date"
            elif role == "body":
                why = "inside an entry's own element: part of its body"
            elif item.kind == "row" and _hit(item, self.context) is None and n == 0:
                why = "a row of figures (a statistics table): the year of its numbers, no event"
            else:
                why = "date with text in a kind of line that starts no entry here"
            self.trace.unused.append((line, why))

    def _close(self) -> None:
        current = self.current
        if current is not None:
            self.entries.append(current.record())
            self.one_line_run = self.one_line_run + 1 if _one_line(current) else 0
            self.current = None

    def _role(self, role: str, lines: list[str]) -> None:
        if self.trace is not None:
            self.trace.add(role, lines)


# An English date's head as --explain judges it: a month's name (as a word) with a day and a
# four-digit year or the year alone, perhaps after a weekday (May 32, 2019; Sat. 31 April 2019;
# April 2019's festival), and a range's end up to its year (May 10, 1985 - June 31, 1985), so
# that a head that reads with an end that does not is no date, not a date running into text;
# or a season or a month's or year's part and its year (Summer 1985th anniversary, Early April
# 2019's), or a year, a month and a day (1985 April 31 Festival; not 2019 may be…).
# (Without a four-digit year an English line is prose: May we…, March 5th Street.)
_EN_LIKE_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?(?![a-z])"
)
_EN_LIKE_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
_EN_DATE_LIKE = (
    rf"(?i:(?:{_EN_SEASONS}|mid)(?:\s+of)?(?:-|,?\s+)(?:{_EN_LIKE_MONTH},?\s+)?[0-9]{{4}}"
    rf"|[0-9]{{4}},?\s+{_EN_LIKE_MONTH}\s+{_EN_LIKE_DAY}|"
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?(?![a-z])(?:\s*,\s*|\s+))?"
    rf"(?:{_EN_LIKE_MONTH}(?:\s+{_EN_LIKE_DAY})?|{_EN_LIKE_DAY}\s+{_EN_LIKE_MONTH}),?\s*[0-9]{{4}}"
    r"(?:\s*(?:[-~‐‑‒–—―−～]|(?:to|through|until|till)(?![a-z]))\s*[^\n]{0,24}?[0-9]{4})?)"
)
# A line opening like a date (an era or a 4-digit year, then 年, or an English date's head):
# judged for --explain only. (A Japanese line fails the English form at its first character.)
_DATE_LIKE_RE = re.compile(
    r"^(?:[■□●○◆◇▲△▼▽★☆・※◎◉▶▷►→＊*\-‐－]+[ \u3000]*)?[【［\[〔]?"
    rf"(?:(?:明治|大正|昭和|平成|令和|{_OLD_ERAS}|[0-9０-９]{{4}})\s*[元0-9０-９〇一二三四五六七八九十]{{0,3}}\s*年"
    rf"|{_EN_DATE_LIKE})"
)


_PARTIAL_DATE_RE = re.compile(r"^[0-9０-９]{1,2}\s*[月日]")


def _row_line(item: _Item) -> list[str]:
    """A table row as one line, its cells joined by a space (other items: their lines)."""
    if item.kind != "row" or item.cells is None or len(item.cells) < 2:
        return item.lines
    line = " ".join(" ".join(cell) for cell in item.cells if cell)
    return [line] if line else []


def _inside(el: etree._Element, container: etree._Element) -> bool:
    return el is container or any(a is container for a in el.iterancestors())


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element | None:
    chain = [a, *a.iterancestors()]  # held, so each element keeps its one proxy
    for x in (b, *b.iterancestors()):
        if any(x is y for y in chain):
            return x
    return None


def _selected_lines(item: _Item, bodies: frozenset[etree._Element], own: list[str]) -> list[str]:
    """The lines of an item that a seed's body selector covers: all of `own` when the item
    sits inside a body element, else the lines of the body elements inside it."""
    el = item.el
    if el in bodies or any(a in bodies for a in el.iterancestors()):
        return own
    lines: list[str] = []
    for inner in el.iterdescendants():
        if inner in bodies and not any(
            a in bodies for a in inner.iterancestors() if a is not el and el in a.iterancestors()
        ):
            lines.extend(_lines(inner))
    return lines


# --- choosing the content root ------------------------------------------------------------------

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


def _body(doc: etree._Element) -> etree._Element:
    return next(doc.iterchildren("body"), doc)  # doc.find("body"), without ElementPath


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
    return best


# What after a date in a title makes it another thing than one year: a decade (年代), a
# range, a part of the year, a time before or after it, more digits.
_TITLE_DATE_GOES_ON = _DATE_GOES_ON | frozenset(
    "代頃以末初前後上中下春夏秋冬から0123456789０１２３４５６７８９"
)


@functools.lru_cache(maxsize=256)
def _title_year(title: str) -> YearContext | None:
    """The one year a page's title names beside its words (市長の動き（令和6年5月）, 令和5年度
    図書館年報, 2024年の主な出来事): the year of the page's year-less dates (5月1日 rows), as a
    year heading's. None when the title names no year, more than one date, a span of years
    (1974年～2024年) or is a date alone (a heading that is an entry)."""
    found: DateMatch | None = None
    k = 0
    n = len(title)
    while k < n:
        if (k == 0 or not title[k - 1].isdigit()) and _DATE_START_RE.match(title[k:]):
            # The longest date written from here that ends in 年, 月, 日 or 度 (the words
            # after it need no separator in a title: 2024年の主な出来事).
            for j in range(n, k + 1, -1):
                if title[j - 1] in "年月日度":
                    date = _match(title[k:j], None)
                    if date is not None and not date.rest:
                        break
            else:
                date = None
            if date is not None:
                if found is not None or (j < n and title[j] in _TITLE_DATE_GOES_ON):
                    return None  # two dates, a span (1974年～2024年), a decade (昭和30年代)
                found = date
                k = j
                continue
        k += 1
    if found is None or found.date_text == title:
        return None
    if found.year_only:
        try:
            return year_context(found)
        except ValueError:
            return None
    own = _own_year(found)
    return carried_year(found, own) if own else None


def _up_to_title(items: list[_Item], block: etree._Element, title: str) -> etree._Element:
    """The dated block widened to the page's title (<h1>村の沿革</h1>, or the <font><b> title
    of an old layout; when the page's title is nowhere in it, the heading right above the
    block) when the two share a container holding no other dated line: the intro
    above the list and the notes under it are the page's own text, not lost with the rest of
    the page's frame."""
    title_item = next((item for item in items if " ".join(item.lines) == title), None)
    if title_item is None:
        # The <title> is the site's name (an old page heads its content with an <h2>): the
        # heading right above the block, with nothing between them, is the content's.
        first = next((k for k, item in enumerate(items) if _inside(item.el, block)), 0)
        if first == 0 or items[first - 1].kind != "heading":
            return _up_to_container(items, block)
        title_item = items[first - 1]
    if _inside(title_item.el, block):
        return block
    region = _common_ancestor(block, title_item.el)
    if region is None or region.tag in ("body", "html"):
        return block
    beside = (
        item
        for item in items
        if item.kind != "meta" and _inside(item.el, region) and not _inside(item.el, block)
    )
    if any(_hit(item, None) is not None for item in beside):
        return block  # a dated side list shares the container: keep to the block
    return region


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


def _heuristic_entries(
    doc: etree._Element, root: etree._Element, title: str | None, trace: Trace | None
) -> tuple[list[EntryRecord], list[str]]:
    entries, text = _heuristic_pass(doc, root, title, trace, _USUAL_NOISE)
    if entries:
        return entries, text
    # No dated entries: perhaps the page is its news list (`_NEWS_AS_CONTENT`). Taken only when
    # that reads entries; else the first reading stands, and the page is as empty as it was.
    attempt = Trace() if trace is not None else None
    for noise, why in (
        (_NEWS_AS_CONTENT, "a news list read as the content"),
        (_ROSTER_AS_CONTENT, "a roster read as the content, its terms as entries"),
    ):
        other = _heuristic_pass(doc, root, title, attempt, noise)
        if other[0]:
            if trace is not None and attempt is not None:
                trace.rule = f"{attempt.rule}; {why}"
                trace.roles, trace.unused = attempt.roles, attempt.unused
            return other
        if attempt is not None:
            attempt = Trace()
    return entries, text


def _heuristic_pass(
    doc: etree._Element,
    root: etree._Element,
    title: str | None,
    trace: Trace | None,
    noise: _Noise,
) -> tuple[list[EntryRecord], list[str]]:
    body = _body(doc)
    if root is not body:
        attempt = Trace() if trace is not None else None
        entries, text = _Grouper(
            _Flattener(noise=noise).items(root),
            title=title,
            root=root,
            trace=attempt,
            terms_as_text=noise.terms_as_text,
        ).run()
        if entries:
            if trace is not None and attempt is not None:
                trace.rule = f"content landmark <{root.tag}{_describe(root)}>, layout heuristics"
                trace.roles, trace.unused = attempt.roles, attempt.unused
            return entries, text
    # No landmark (or an empty one): flatten the whole body with strict noise rules, then keep
    # the block that holds most of the dated anchors (a dated side list is not it).
    items = _Flattener(strict_header=True, noise=noise).items(body)
    block = _densest_block(items, body)
    if block is not body and title is not None:
        block = _up_to_title(items, block, title)
    if block is not body:
        items = [item for item in items if item.el is block or block in item.el.iterancestors()]
    if trace is not None:
        where = "the whole <body>" if block is body else f"<{block.tag}{_describe(block)}>"
        landmark = "no content landmark" if root is body else "an empty content landmark"
        trace.rule = f"{landmark}: the block holding most dated lines, {where}, layout heuristics"
    return _Grouper(
        items, title=title, root=block, trace=trace, terms_as_text=noise.terms_as_text
    ).run()


def _describe(el: etree._Element) -> str:
    ident, cls = el.get("id"), el.get("class")
    return (f' id="{ident}"' if ident else "") + (f' class="{cls}"' if cls else "")


# --- page metadata ------------------------------------------------------------------------------

_ID_RE = re.compile(
    r"(?:【\s*(?:ページ|記事)?\s*ID\s*】|(?:ページ|記事)\s*ID|ページ番号|記事番号|ページ\s*No\.?)"
    r"\s*[:：]?\s*([A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９_\-－‐]*)"
)
_UPDATED_LABELS = ("最終更新日", "更新日", "更新", "掲載日", "公開日", "作成日")
_UPDATED_RE = re.compile(
    r"(最終更新日|更新日時?|掲載日|公開日|作成日|更新)\s*[】\]］)）]?\s*[:：]?\s*"
    r"(?=([^\s　]{0,3}?[0-9０-９元一二三四五六七八九十明大昭平令RrHh][^\n]{0,40}))"
)  # the date is looked ahead at, so a label right after it is still found
# "2019年6月10日更新" / "令和2年4月1日掲載": the date written before its label. Looked for only
# in the few characters before each label (a scan of the whole page text costs more).
_LABEL_AFTER_DATE_RE = re.compile(r"(最終更新|更新|掲載|公開)")
_DATE_BEFORE_LABEL_RE = re.compile(
    r"((?:明治|大正|昭和|平成|令和)\s*[元0-9０-９]{1,2}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日"
    r"|[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日"
    r"|[0-9]{4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2})\s*(?:に)?$"
)


def _label_starts(text: str) -> list[int]:
    """Where a label of `_UPDATED_RE` or `_LABEL_AFTER_DATE_RE` can start, in order: each 更,
    掲, 公 and 作, and the 最 of each 最終更. One str.find pass per character, shared by both
    patterns: on a page's text that runs ~3x faster than the regex engine trying each position.
    (最 is found from its 更: a find for U+6700, whose low byte is 0, cannot use memchr and costs
    three times a find for 更; and 最 starts a label only as 最終更新.)"""
    starts = []
    for char in "更掲公作":
        at = text.find(char)
        while at >= 0:
            starts.append(at)
            if char == "更" and at >= 2 and text.startswith("最終", at - 2):
                starts.append(at - 2)
            at = text.find(char, at + 1)
    starts.sort()
    return starts


def _label_matches(
    pattern: re.Pattern[str], text: str, starts: list[int]
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that can only match (non-empty) at one of the
    positions `starts` (`_label_starts`): it is tried only there."""
    end = 0
    for start in starts:
        if start < end:
            continue  # inside the previous match, as finditer skips it
        found = pattern.match(text, start)
        if found is not None:
            end = found.end()
            yield found


_DATE_BEFORE_LABEL_LASTS = frozenset("日に0123456789")


def _date_may_end_at(text: str, end: int) -> bool:
    """Whether `_DATE_BEFORE_LABEL_RE.search(text, …, end)` can match: its last character
    (before `$`, or before the newline `$` allows) is 日, に, a digit or a space. Most labels
    follow a bracket ("【更新日】"), and this test spares the regex search there."""
    before = text[end - 1 : end] if end else ""
    return before in _DATE_BEFORE_LABEL_LASTS or before.isspace()


_AFTER_DATE_LABELS = {"最終更新": "最終更新日", "更新": "更新", "掲載": "掲載日", "公開": "公開日"}


# --- where a page with no entries points ----------------------------------------------------

# <meta http-equiv="refresh" content="0; URL=new/history.html">: the URL after the delay (a
# delay alone reloads the page itself).
_REFRESH_URL_RE = re.compile(r"""^\s*[0-9.]*\s*[;,]\s*(?:url\s*=\s*)?['"]?([^'"\s]+)""", re.I)


def elsewhere(
    data: bytes, *, url: str | None = None, content_type: str | None = None
) -> str | None:
    """Where a page that has no dated entries sends its reader: the frames of a frameset, a
    meta refresh, or an <iframe> of the same site, in one line ("the page redirects (meta
    refresh) to …"); None when it points nowhere. For `keika parse` and a suspect crawl's
    reason: the chronology may have moved there."""
    try:
        doc = _document(decode_html_as(data, content_type).text)
        return _pointer(doc, url or "")
    except (InputError, ValueError):  # ValueError: a URL urllib cannot split (http://[::1)
        return None


def _pointer(doc: etree._Element, base: str) -> str | None:
    """`elsewhere` on the parsed page, its addresses resolved against `base`."""

    def where(src: str) -> str:
        return urljoin(base, src.strip())

    for meta in doc.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == "refresh":
            found = _REFRESH_URL_RE.match(meta.get("content") or "")
            if found is not None:
                return f"the page redirects (meta refresh) to {where(found.group(1))}"
    frames = [where(f.get("src") or "") for f in doc.iter("frame") if (f.get("src") or "").strip()]
    if frames:
        return f"the page is a frameset; its frames: {', '.join(frames)}"
    host = urlsplit(base).hostname
    inner = [
        where(f.get("src") or "")
        for f in doc.iter("iframe")
        if (f.get("src") or "").strip()
        and (urlsplit(where(f.get("src") or "")).hostname in (None, host))
    ]
    if inner:
        return f"the page shows another in an iframe: {', '.join(inner[:3])}"
    return None


def _page_info(
    doc: etree._Element,
    root: etree._Element,
    url: str | None,
    picked: SelectedElements | None,
    ld: list[dict[str, Any]],
) -> PageInfo:
    text = etree.tostring(_body(doc), method="text", encoding="unicode").replace(BREAK, "\n")
    title = _picked_text(picked, "title") or _title(doc, root) or _ld_text(ld, "headline", "name")
    title = title or _title_from_title_tag(doc)
    page_id = _picked_id(picked) or _page_id(text) or _ld_text(ld, "identifier")
    updated = _picked_updated(picked) or _updated(text) or _time_datetime(doc, root) or _ld_date(ld)
    return PageInfo(id=page_id, title=title, updated=updated, url=url)


def _title(doc: etree._Element, root: etree._Element) -> str | None:
    """The page's own heading: the first <h1> of the content (else of the page) that is not
    in the site's furniture (a logo in the site header is often an <h1> too). When every <h1>
    is the site's name (an image-only logo, a banner, the site suffix of <title>), the
    content's own first heading."""
    site: list[str] | None = None  # read from <title> only when an h1 needs it
    seen_h1 = False
    for scope in (root, doc):
        for h1 in scope.iter("h1"):
            seen_h1 = True
            # The cheap tests first; the walk up the ancestors (a noise test each) only for
            # the h1 that would be the title.
            text = _text(h1)
            if not text:
                continue
            if site is None:
                site = _site_names(doc)
            if text in site or any(_is_site_furniture(a) for a in h1.iterancestors()):
                continue
            return text
    if not seen_h1:
        return None
    return _first_heading(root, _site_names(doc) if site is None else site)


def _site_names(doc: etree._Element) -> list[str]:
    """The parts of <title> after the page's own ("交流 - 公式サイト | しらかば村"). (An empty
    part is kept: it is never equal to a heading's text, which is not empty.)"""
    found = next(doc.iter("title"), None)  # a C-level walk, not ElementPath
    if found is None:
        return []
    # A <title> holds only text (libxml2 reads it as RCDATA): its .text, without itertext.
    raw = "".join(found.itertext()) if len(found) else found.text or ""
    return _TITLE_SPLIT_RE.split(_clean(raw))[1:]


_TITLE_SPLIT_RE = re.compile(r"\s*[｜|]\s*|\s+[-/／]\s+")


def _first_heading(root: etree._Element, site: list[str]) -> str | None:
    """The content's first heading that is neither a date, furniture, nor the site's name."""
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if _is_noise(heading, strict_header=True) or any(
            _is_site_furniture(a) for a in heading.iterancestors()
        ):
            continue
        text = _text(heading)
        if not text or text in site or _NOISE_HEADING_RE.search(text):
            continue
        if _strict_match(text, None) is not None:
            continue
        return text
    return None


def _is_site_furniture(el: etree._Element) -> bool:
    if not _is_noise(el, strict_header=True):
        return False
    # An article's own <header> holds its title; only the site's header is furniture.
    return not (
        el.tag == "header"
        and any(a.tag in ("article", "main", "section") for a in el.iterancestors())
    )


def _title_from_title_tag(doc: etree._Element) -> str | None:
    found = doc.find(".//title")
    if found is None:
        return None
    text = _clean("".join(found.itertext()))
    return _TITLE_SPLIT_RE.split(text)[0] or None


_ID_HEAD = 1024  # characters normalised first: an ID label usually stands near the top


def _page_id(text: str) -> str | None:
    """The first `_ID_RE` match in the NFKC form of `text` (ＩＤ, ：, full-width digits)."""
    if not ("ID" in text or "番号" in text or "ＩＤ" in text or "Ｎｏ" in text or "No" in text):
        return None
    # The head first, cut at a line end: NFKC joins nothing across "\n", so the head's normal
    # form starts the whole text's. A match in it that ends before it does is the whole
    # text's first one: an earlier try that failed in the head could only have run past the
    # match's first character (【, ペ or 記) as "【 ページ…ID】", and that fails where the
    # match has no 】, inside the head. (Hypothesis-tested against the whole-text search.)
    cut = text.find("\n", _ID_HEAD)
    if cut > 0:
        normal = _nfkc(text[:cut])
        found = _ID_RE.search(normal)
        if found is not None and found.end() < len(normal):
            return found.group(1)
        normal += _nfkc(text[cut:])
    else:
        normal = _nfkc(text)
    found = _ID_RE.search(normal)
    return found.group(1) if found else None


def _nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, line by line when the text is not in normal
    form already: one full-width colon sends a whole text down CPython's slow path (~70 ns a
    character: 0.3 ms for a page's text), while a line in normal form costs a quick check.
    NFKC composes and reorders nothing across "\n", so the result is the same."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    return "\n".join([unicodedata.normalize("NFKC", line) for line in text.split("\n")])


def _updated(text: str) -> str | None:
    """The page's update date from a labelled line; 更新日 outranks 掲載日 and 公開日."""
    best: tuple[int, str] | None = None
    starts = _label_starts(text)
    for found in _label_matches(_UPDATED_RE, text, starts):
        iso = _date_prefix(found.group(2))
        if iso is None:
            continue
        rank = _UPDATED_LABELS.index(found.group(1).rstrip("時"))
        if best is None or rank < best[0]:
            best = (rank, iso)
    for label_match in _label_matches(_LABEL_AFTER_DATE_RE, text, starts):
        start = label_match.start()
        if not _date_may_end_at(text, start):
            continue
        found = _DATE_BEFORE_LABEL_RE.search(text, max(0, start - 24), start)
        iso = _date_prefix(found.group(1)) if found else None
        rank = _UPDATED_LABELS.index(_AFTER_DATE_LABELS[label_match.group(1)])
        if iso is not None and (best is None or rank < best[0]):
            best = (rank, iso)
    if best is None and ("pdated" in text or "odified" in text or "ublished" in text):
        # An English page's label: Last updated: September 15, 2022 (the first that reads).
        for found in _EN_UPDATED_RE.finditer(text):
            iso = _date_prefix(found.group(1))
            if iso is not None:
                return iso
    return best[1] if best else None


_EN_UPDATED_RE = re.compile(
    rf"{_EN_UPDATED_LABEL}\s*:?\s*"  # (no \b: the page's text runs lines together)
    r"([A-Za-z]{3,9}\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4}"  # September 15, 2022
    r"|[0-9]{1,2}\s+[A-Za-z]{3,9}\.?,?\s+[0-9]{4}"  # 15 September 2022
    r"|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2})"  # 2022-09-15
)


def _time_datetime(doc: etree._Element, root: etree._Element) -> str | None:
    """A <time datetime> as the update date. Inside the content it must say so (a label in
    its line, or itemprop/class naming a modification): there a <time> is usually an entry's
    date (a card's header), not the page's."""
    for time_el in doc.iter("time"):
        iso = _iso_day(time_el.get("datetime") or "")
        if not iso:
            continue
        if _inside(time_el, root):
            names = f"{time_el.get('itemprop') or ''} {time_el.get('class') or ''}".lower()
            parent = time_el.getparent()
            line = _text(parent) if parent is not None else ""
            if not ("modif" in names or "update" in names or _LABEL_AFTER_DATE_RE.search(line)):
                continue
        return iso
    return None


def _date_prefix(text: str) -> str | None:
    """The ISO date at the start of `text` ("2021年11月1日", "令和3年4月1日", "2021/11/01")."""
    iso = _iso_day(text)
    if iso:
        return iso
    found = _match(text.strip(), None)
    if found is None:
        # "2019年6月10日更新": the date runs straight into a word match_date does not split.
        cut = _UP_TO_DAY_RE.match(text)
        found = _match(cut.group(0), None) if cut else None
    if found is None or len(found.span.start) != 10:
        return None
    return found.span.start


_UP_TO_DAY_RE = re.compile(r"[^日]{1,20}日")
_ISO_DAY_RE = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def _iso_day(text: str) -> str | None:
    found = _ISO_DAY_RE.match(text)
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


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


def _ld_text(objects: list[dict[str, Any]], *keys: str) -> str | None:
    for key in keys:
        for obj in objects:
            value = obj.get(key)
            if isinstance(value, dict):
                value = value.get("value") or value.get("@value")
            if isinstance(value, str | int) and str(value).strip():
                return _clean(str(value))
    return None


def _ld_date(objects: list[dict[str, Any]]) -> str | None:
    for key in ("dateModified", "datePublished"):
        value = _ld_text(objects, key)
        if value:
            iso = _iso_day(value)
            if iso:
                return iso
    return None


def _picked_text(picked: SelectedElements | None, key: str) -> str | None:
    if picked is None or key not in picked.meta:
        return None
    return _clean(picked.meta[key].text) or None


def _picked_id(picked: SelectedElements | None) -> str | None:
    text = _picked_text(picked, "page_id")
    if text is None:
        return None
    normal = unicodedata.normalize("NFKC", text)
    found = _ID_RE.search(normal)
    return found.group(1) if found else normal


def _picked_updated(picked: SelectedElements | None) -> str | None:
    if picked is None or "updated" not in picked.meta:
        return None
    meta = picked.meta["updated"]
    for attr in ("datetime", "content"):
        value = meta.attrs.get(attr)
        if value and _iso_day(value):
            return _iso_day(value)
    text = _clean(meta.text)
    for found in _UPDATED_RE.finditer(text):
        iso = _date_prefix(found.group(2))
        if iso:
            return iso
    return _date_prefix(text)


def _forced_hit(item: _Item, context: YearContext | None) -> _Hit | None:
    """A seed's date element: the date is its whole text (or its lead element's text)."""
    date_text = item.lead if item.lead is not None else " ".join(item.lines)
    found = _match(date_text, context) if date_text else None
    if found is None:
        return None
    inline = []
    if item.lead is not None and item.lines:
        rest = _after_prefix(item.lines[0], item.lead)
        inline = ([rest] if rest else []) + item.lines[1:]
    elif found.rest:
        inline = [found.rest]
    return _Hit(found, inline, standalone=True)


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
            found = match_date(_text(date_el))
            lines = _without(_lines(element), _lines(date_el))
            rest = [found.rest] if found and found.rest else []
        else:
            all_lines = _lines(element)
            if not all_lines:
                continue
            found = match_date(all_lines[0])
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
