"""A seed's site profile: CSS selectors that override the parser's heuristics, and their
resolution to elements of the lxml tree the parser reads.

A selector means what soupsieve, BeautifulSoup's CSS engine, makes of it (full CSS level 4; a
seed is validated with it). Resolving one through a second, BeautifulSoup parse of the page
costs 20-30x an lxml parse, so most selectors are translated once to XPath by cssselect and
evaluated on the parser's own tree, where the two engines are known to agree (`_css_xpath`,
an allow-list of constructs, and `_xpath_fits`, a check of the page); the others go through a
BeautifulSoup twin of the page (`SelectedElements.pick_with_soup`), as all of them once did.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from lxml import etree

from pipeline.domain.errors import SeedError
from pipeline.encoding import XML_DECLARATION_RE


@dataclass(frozen=True, slots=True)
class Selectors:
    """A site profile from a seed: CSS selectors that override the heuristics.

    How they combine:

    * ``content`` — the content root (first match). Entries are looked for only inside it.
      If it matches nothing (the site's template changed), the heuristic root is used.
    * ``entry`` — each match is one entry. Its date is the first ``date`` match inside it
      (or, without ``date``, its first line, which must start with a date); its body is the
      text of the ``body`` matches inside it (or, without ``body``, all its other lines).
    * ``date`` without ``entry`` — each match starts an entry; everything after it up to the
      next match is its body (only the ``body`` matches, when ``body`` is given). A year-only
      date followed by year-less dates gives them its year, as in the heuristics.
    * ``body`` needs ``entry`` or ``date``.
    * ``title``, ``updated``, ``page_id`` — the text of the first match (for ``updated``, a
      ``datetime``/``content`` attribute is preferred) replaces what the heuristics find.

    Selectors mean what soupsieve, BeautifulSoup's CSS engine, makes of them (full CSS level 4
    support): most are translated to XPath by cssselect and evaluated on keika's own tree, with
    the same results (`_css_xpath`); the others are evaluated by soupsieve on a BeautifulSoup
    parse of the page.
    """

    content: str | None = None
    entry: str | None = None
    date: str | None = None
    body: str | None = None
    title: str | None = None
    updated: str | None = None
    page_id: str | None = None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> Selectors:
        """Selectors from a seed's ``selectors`` table; `SeedError` on any mistake."""
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(mapping) - set(known))
        if unknown:
            raise SeedError(
                f"unknown selector {', '.join(map(repr, unknown))} (known: {', '.join(known)})"
            )
        values: dict[str, str] = {}
        for name, value in mapping.items():
            if not isinstance(value, str) or not value.strip():
                raise SeedError(f"selector {name!r} must be a non-empty CSS selector string")
            _check_css(name, value)
            values[name] = value.strip()
        if "body" in values and "entry" not in values and "date" not in values:
            raise SeedError("selector 'body' needs 'entry' or 'date' beside it")
        return cls(**values)

    def any_set(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def _check_css(name: str, css: str) -> None:
    import soupsieve

    try:
        soupsieve.compile(css)
    except Exception as exc:  # soupsieve raises SelectorSyntaxError and a few ValueErrors
        message = str(exc).splitlines()[0]
        raise SeedError(f"selector {name!r} is not valid CSS ({css!r}): {message}") from None


@dataclass(frozen=True, slots=True)
class PickedMeta:
    """What the first match of ``title``, ``updated`` or ``page_id`` gives: its text, as
    BeautifulSoup's ``get_text(" ")`` reads it, and its ``datetime``/``content`` attributes."""

    text: str
    attrs: dict[str, str]


@dataclass(slots=True)
class SelectedElements:
    """A seed's selectors resolved to elements of the lxml tree. Each selector means what
    soupsieve (BeautifulSoup's CSS engine, which `_check_css` validates with) makes of it:
    translated once to XPath by cssselect and evaluated on the tree itself where the two engines
    agree (`_css_xpath`), else through a BeautifulSoup twin of the page (`pick_with_soup`)."""

    selectors: Selectors
    content: etree._Element | None = None
    entries: list[etree._Element] | None = None
    dates: list[etree._Element] | None = None
    bodies: list[etree._Element] | None = None
    meta: dict[str, PickedMeta] = field(default_factory=dict)
    date_set: frozenset[etree._Element] = frozenset()
    _date_owner: dict[etree._Element, etree._Element] = field(default_factory=dict)

    @classmethod
    def pick(cls, text: str, doc: etree._Element, selectors: Selectors) -> SelectedElements:
        """The elements `selectors` pick in `doc`, the tree of `text` (before `_prepare`
        edits it: its marks and removals would change what a selector or a text reads)."""
        compiled = _compiled_selectors(selectors)
        if compiled is None or not _xpath_fits(doc, compiled.values()):
            return cls.pick_with_soup(text, doc, selectors)
        return cls.pick_with_xpath(text, doc, selectors, compiled)

    @classmethod
    def pick_with_xpath(
        cls,
        text: str,
        doc: etree._Element,
        selectors: Selectors,
        compiled: Mapping[str, _CssXPath],
    ) -> SelectedElements:
        picked = cls(selectors)
        scope: etree._Element | None = None
        if selectors.content:
            found = compiled["content"].xpath(doc)
            if found:
                picked.content = scope = found[0]  # select_one: the first in document order

        def select(key: str) -> list[etree._Element]:
            found = compiled[key].xpath(doc)
            if scope is None:
                return found
            # soupsieve's scope.select: a match anywhere in the page that lies inside scope
            return [el for el in found if any(a is scope for a in el.iterancestors())]

        if selectors.entry:
            picked.entries = select("entry")
        if selectors.date:
            picked._set_dates(select("date"))
        if selectors.body:
            picked.bodies = select("body")
        tree: etree._Element | None = None
        for key in ("title", "updated", "page_id"):
            if getattr(selectors, key):
                if tree is None:
                    tree = _tree_with_comments(text, doc)
                found = compiled[key].xpath(tree)
                if found:
                    el = found[0]
                    attrs = {a: v for a in ("datetime", "content") if (v := el.get(a)) is not None}
                    picked.meta[key] = PickedMeta(_soup_text(el), attrs)
        return picked

    @classmethod
    def pick_with_soup(
        cls, text: str, doc: etree._Element, selectors: Selectors
    ) -> SelectedElements:
        """Selectors evaluated by soupsieve on a BeautifulSoup parse of the page, its tags
        mapped back to `doc` (`_twins`): for what `_css_xpath` does not translate."""
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(XML_DECLARATION_RE.sub("", text, count=1), "lxml")
        order = {id(tag): i for i, tag in enumerate(soup.find_all(True))}
        picked = cls(selectors)
        scope = soup
        if selectors.content:
            found = soup.select_one(selectors.content)
            if found is not None:
                twins = _twins([found], doc, order)
                picked.content = twins[0] if twins else None
                scope = found
        if selectors.entry:
            picked.entries = _twins(scope.select(selectors.entry), doc, order)
        if selectors.date:
            picked._set_dates(_twins(scope.select(selectors.date), doc, order))
        if selectors.body:
            picked.bodies = _twins(scope.select(selectors.body), doc, order)
        for key in ("title", "updated", "page_id"):
            css = getattr(selectors, key)
            if css:
                tag = soup.select_one(css)
                if tag is not None:
                    attrs = {a: v for a in ("datetime", "content") if (v := tag.get(a)) is not None}
                    picked.meta[key] = PickedMeta(tag.get_text(" "), attrs)
        return picked

    def _set_dates(self, dates: list[etree._Element]) -> None:
        self.dates = dates
        self.date_set = frozenset(dates)
        for date in dates:
            for ancestor in date.iterancestors():
                self._date_owner.setdefault(ancestor, date)

    def date_inside(self, el: etree._Element) -> etree._Element | None:
        return self._date_owner.get(el)


def _twins(tags: Iterable[Any], doc: etree._Element, order: dict[int, int]) -> list[etree._Element]:
    """The lxml elements at the same places as BeautifulSoup tags. Both trees come from the
    same libxml2 parse of the same text, so the n-th element in document order is the same
    element in both (checked by tag name; a mismatch is dropped, never guessed)."""
    elements = [el for el in doc.iter() if isinstance(el.tag, str)]
    out = []
    for tag in tags:
        index = order.get(id(tag))
        if index is not None and index < len(elements) and elements[index].tag == tag.name:
            out.append(elements[index])
    return out


@dataclass(frozen=True, slots=True)
class _CssXPath:
    xpath: etree.XPath
    reads_class: bool  # matches on the class attribute: see `_xpath_fits`


@functools.lru_cache(maxsize=256)
def _compiled_selectors(selectors: Selectors) -> dict[str, _CssXPath] | None:
    """Every selector of the profile as XPath, or None when one of them is not translated:
    then the whole profile goes through the BeautifulSoup twin, so that the content scope
    and the selects inside it come from one engine."""
    compiled = {}
    for f in fields(selectors):
        css = getattr(selectors, f.name)
        if css:
            xpath = _css_xpath(css)
            if xpath is None:
                return None
            compiled[f.name] = xpath
    return compiled


@functools.lru_cache(maxsize=512)
def _css_xpath(css: str) -> _CssXPath | None:
    """`css` as an XPath that picks, on keika's lxml tree, the elements soupsieve picks on a
    BeautifulSoup tree of the same page; None when it is not so translated.

    Only an allow-list of constructs is translated (`_soup_agrees`): type, class, id and
    attribute selectors, the four combinators, selector lists, the structural pseudo-classes
    (:first-child … :nth-last-of-type(an+b)) and :not() :is() :where() :has() around them.
    Left to soupsieve: whatever cssselect cannot translate (:-soup-contains, :nth-child(… of S),
    attribute flags, pseudo-elements), and where the two differ: :contains (its text),
    :empty (whitespace), :root, :scope, :lang, :checked and the other UI states, namespaces,
    non-ASCII names (cssselect lowercases them beyond ASCII), attributes soupsieve matches
    case-insensitively in HTML (type, lang, …), attributes BeautifulSoup splits into lists
    other than class (rel, headers, …), `!=`, and `~=` on anything but class (soupsieve
    also splits at a form feed)."""
    from cssselect import parse

    try:
        parsed = parse(css)
        if not all(s.pseudo_element is None and _soup_agrees(s.parsed_tree) for s in parsed):
            return None
        expression = _translator().css_to_xpath(css)
        return _CssXPath(etree.XPath(expression), "@class" in expression)
    except Exception:  # SelectorError, ExpressionError, XPathError…: the twin path is always right
        return None


_XPATH_PSEUDO_CLASSES = frozenset(
    ["first-child", "last-child", "only-child", "first-of-type", "last-of-type", "only-of-type"]
)
_XPATH_FUNCTIONS = frozenset(["nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type"])
# soupsieve matches these attributes' values case-insensitively on HTML elements (the HTML
# standard's list, its css_parser.HTML_CASE_INSENSITIVE_ATTRIBUTES; a test keeps this a
# superset of it) and BeautifulSoup keeps those lists as lists (its builder's
# DEFAULT_CDATA_LIST_ATTRIBUTES; soupsieve matches them joined by single spaces).
_SOUP_ONLY_ATTRIBUTES = frozenset(
    [
        "accept",
        "accept-charset",
        "align",
        "alink",
        "axis",
        "bgcolor",
        "charset",
        "checked",
        "clear",
        "codetype",
        "color",
        "compact",
        "declare",
        "defer",
        "dir",
        "direction",
        "disabled",
        "enctype",
        "face",
        "frame",
        "hreflang",
        "http-equiv",
        "lang",
        "language",
        "link",
        "media",
        "method",
        "multiple",
        "nohref",
        "noresize",
        "noshade",
        "nowrap",
        "readonly",
        "rel",
        "rev",
        "rules",
        "scope",
        "scrolling",
        "selected",
        "shape",
        "target",
        "text",
        "type",
        "valign",
        "valuetype",
        "vlink",
        "accesskey",
        "dropzone",
        "headers",
        "archive",
        "sizes",
        "sandbox",
        "for",
    ]
)
_CSS_SPACE_RE = re.compile(r"[ \t\r\n\f]")


def _soup_agrees(tree: Any) -> bool:
    """Whether every construct of a parsed cssselect selector is one `_css_xpath` translates
    with soupsieve's meaning."""
    from cssselect import parser as p

    if isinstance(tree, p.Element):
        return tree.namespace is None and (tree.element is None or tree.element.isascii())
    if isinstance(tree, p.CombinedSelector):
        return (
            tree.combinator in (" ", ">", "+", "~")
            and _soup_agrees(tree.selector)
            and _soup_agrees(tree.subselector)
        )
    if isinstance(tree, p.Class | p.Hash):
        return _soup_agrees(tree.selector)
    if isinstance(tree, p.Attrib):
        name = tree.attrib.lower()
        return (
            tree.namespace is None
            and getattr(tree, "flag", None) is None  # cssselect 1.6: [a=b i]
            and tree.attrib.isascii()
            and (tree.operator == "exists" or name not in _SOUP_ONLY_ATTRIBUTES)
            and tree.operator in ("exists", "=", "^=", "$=", "*=", "|=", "~=")
            and (tree.operator != "~=" or name == "class")
            and _soup_agrees(tree.selector)
        )
    if isinstance(tree, p.Pseudo):
        return tree.ident.lower() in _XPATH_PSEUDO_CLASSES and _soup_agrees(tree.selector)
    if isinstance(tree, p.Function):
        return tree.name.lower() in _XPATH_FUNCTIONS and _soup_agrees(tree.selector)
    if isinstance(tree, p.Negation):
        return _soup_agrees(tree.selector) and _soup_agrees(tree.subselector)
    if isinstance(tree, p.Matching | p.SpecificityAdjustment):
        return _soup_agrees(tree.selector) and all(map(_soup_agrees, tree.selector_list))
    if isinstance(tree, p.Relation):
        return _soup_agrees(tree.selector) and all(
            s.pseudo_element is None and _soup_agrees(s.parsed_tree) for _, s in tree.arguments
        )
    return False


@functools.cache
def _translator() -> Any:
    """cssselect's HTML translator, with attribute selectors on class matched against the
    classes joined by single spaces, as soupsieve matches BeautifulSoup's class lists
    (`_xpath_fits` makes sure no class holds a space XPath does not split at). Built on first
    use: keika imports cssselect only for a seed's selectors."""
    from cssselect import HTMLTranslator
    from cssselect.xpath import XPathExpr

    class SoupLikeTranslator(HTMLTranslator):
        def xpath_attrib(self, selector: Any) -> XPathExpr:
            if selector.attrib.lower() != "class" or selector.value is None:
                return super().xpath_attrib(selector)
            value = selector.value.value
            literal = self.xpath_literal(value)
            joined = "normalize-space(@class)"
            if selector.operator == "=":
                condition = f"{joined} = {literal}"
            elif selector.operator == "|=":
                dashed = self.xpath_literal(value + "-")
                condition = f"({joined} = {literal} or starts-with({joined}, {dashed}))"
            elif not value:  # ^= $= *= ~= with nothing to find match nothing
                condition = "0"
            elif selector.operator == "^=":
                condition = f"starts-with({joined}, {literal})"
            elif selector.operator == "$=":
                start = f"string-length({joined}) - {len(value) - 1}"
                condition = f"substring({joined}, {start}) = {literal}"
            elif selector.operator == "*=":
                condition = f"contains({joined}, {literal})"
            elif selector.operator == "~=" and not _CSS_SPACE_RE.search(value):
                condition = (
                    f"contains(concat(' ', {joined}, ' '), {self.xpath_literal(f' {value} ')})"
                )
            else:
                condition = "0"
            return self.xpath(selector.selector).add_condition(f"@class and {condition}")

    return SoupLikeTranslator()


# Characters Python's str.split() (so BeautifulSoup, splitting class lists) takes for spaces and
# XPath's normalize-space() does not: U+3000 and NBSP in a class="a　b" make it two classes.
_ODD_SPACE_RE = re.compile(r"[^\S \t\n\r]")
_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
_HAS_TEMPLATE = etree.XPath("boolean(//template)")


def _xpath_fits(doc: etree._Element, compiled: Iterable[_CssXPath]) -> bool:
    """Whether XPath on `doc` picks what soupsieve picks on the page's BeautifulSoup tree: not
    when stray content after </html> has been moved (`_adopt_strays`: the trees differ), when
    the page has a <template> (soupsieve neither enters one nor looks out of it), or when a
    class attribute holds a space only BeautifulSoup splits at."""
    if doc.getnext() is not None or doc.getprevious() is not None or _HAS_TEMPLATE(doc):
        return False
    if any(c.reads_class for c in compiled):
        values = _CLASS_VALUES(doc)
        if values and _ODD_SPACE_RE.search(" ".join(values)):
            return False
    return True


# A parse that keeps comments and processing instructions, for the text of a title/updated/
# page_id match: BeautifulSoup's get_text(" ") sets a space where one stood (a<!-- x -->b reads
# "a b"), and keika's own parse drops them, joining the text around (ab).
_COMMENT_PARSER = etree.HTMLParser(collect_ids=False)
_COMMENT_OR_PI_RE = re.compile(r"<(?:\?|!(?!doctype))", re.IGNORECASE)


def _tree_with_comments(text: str, doc: etree._Element) -> etree._Element:
    """The page's tree with its comments: `doc` itself when the page has none."""
    body = XML_DECLARATION_RE.sub("", text, count=1)
    if not _COMMENT_OR_PI_RE.search(body):
        return doc
    return etree.fromstring(body, _COMMENT_PARSER)


# BeautifulSoup's HTML builder files the text inside these elements as their own kinds of
# string, which get_text() of any other element leaves out (<ruby>漢<rt>かん</rt></ruby> reads 漢).
_SOUP_STRING_CONTAINERS = frozenset(["rt", "rp", "style", "script", "template"])
_SOUP_KEEP_SPACE = frozenset(["pre", "textarea"])
_SOUP_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"


def _soup_text(el: etree._Element) -> str:
    """BeautifulSoup's ``get_text(" ")`` of the tag at `el`'s place in its own parse of the
    page: its strings (each text node) of the kind `el` collects, joined by spaces, a string
    of ASCII spaces only (outside <pre>, <textarea>) made one space or one line break."""
    container = None
    keep = False
    for ancestor in el.iterancestors():
        if container is None and ancestor.tag in _SOUP_STRING_CONTAINERS:
            container = ancestor.tag
        keep = keep or ancestor.tag in _SOUP_KEEP_SPACE
    wanted = el.tag if el.tag in _SOUP_STRING_CONTAINERS else None
    strings: list[str] = []
    _soup_strings(el, container, keep, wanted, strings)
    return " ".join(strings)


def _soup_strings(
    el: etree._Element, container: str | None, keep: bool, wanted: str | None, out: list[str]
) -> None:
    if el.tag in _SOUP_STRING_CONTAINERS:
        container = el.tag
    keep = keep or el.tag in _SOUP_KEEP_SPACE
    collect = container == wanted
    if el.text and collect:
        out.append(_soup_string(el.text, keep))
    for child in el:
        if isinstance(child.tag, str):
            _soup_strings(child, container, keep, wanted, out)
        if child.tail and collect:
            out.append(_soup_string(child.tail, keep))


def _soup_string(text: str, keep: bool) -> str:
    if keep or text.strip(_SOUP_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "
