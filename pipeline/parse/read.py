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
7. A day and a month in figures before the year (04/12/2015: April 12 in the US, 4 December
   in the UK) are read in the order the page writes them, decided once for the page before
   all the above (`pipeline.parse.day_order`): by its dates that read one way only (13/04/2015,
   04/13/2015) when all agree, else by its lang= when it says plainly (en-US; en-GB, de …);
   else they stay unread, and --explain says why (`Trace.order`). A page in Japanese (its
   lang=, or a 年 in it) is not scanned.

Speed: BeautifulSoup (with lxml) builds its tree 20-30× slower than lxml alone, so all the
scanning runs on the lxml tree, and so do a seed's CSS `Selectors` where they can
(`pipeline.selectors`). See bench/bench_parse.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lxml import etree

from pipeline.domain.errors import InputError
from pipeline.domain.records import EntryRecord, ParsedPage
from pipeline.encoding import decode_html_as
from pipeline.parse.content import (
    _content_root,
    _densest_block,
    _mark_running_lines,
    _up_to_title,
)
from pipeline.parse.day_order import _PAGE_ORDER, _PAGE_ORDER_WHY, _page_day_order
from pipeline.parse.document import _depth, _document, _prepare, _unnest
from pipeline.parse.entry_elements import _entries_from_entry_elements
from pipeline.parse.flatten import _Flattener
from pipeline.parse.group import Trace, _Grouper
from pipeline.parse.noise import _NEWS_AS_CONTENT, _ROSTER_AS_CONTENT, _USUAL_NOISE, _Noise
from pipeline.parse.page_info import _page_info
from pipeline.parse.tree import _body
from pipeline.selectors import SelectedElements, Selectors


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
    order = _page_day_order(doc, text)
    reset = _PAGE_ORDER.set(order.order)
    if trace is not None:
        trace.order = order.why
        reset_why = _PAGE_ORDER_WHY.set(order.why)
    try:
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
    finally:
        _PAGE_ORDER.reset(reset)
        if trace is not None:
            _PAGE_ORDER_WHY.reset(reset_why)


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
    landmark_text: list[str] | None = None
    landmark_trace: Trace | None = None
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
        landmark_text, landmark_trace = text, attempt
    # No landmark (or an empty one): flatten the whole body with strict noise rules, then keep
    # the block that holds most of the dated anchors (a dated side list is not it).
    items = _Flattener(strict_header=True, noise=noise).items(body)
    block = _densest_block(items, body)
    first = 0
    if block is not body and title is not None:
        block, first = _up_to_title(items, block, title)
        del items[:first]  # (widened to the body from its title: the page's frame above it)
    if block is not body:
        items = [item for item in items if item.el is block or block in item.el.iterancestors()]
    _mark_running_lines(items, block)
    if trace is not None:
        where = (
            f"<{block.tag}{_describe(block)}>"
            if block is not body
            else "the <body> from its title on"
            if first
            else "the whole <body>"
        )
        landmark = "no content landmark" if root is body else "an empty content landmark"
        trace.rule = f"{landmark}: the block holding most dated lines, {where}, layout heuristics"
    entries, text = _Grouper(
        items, title=title, root=block, trace=trace, terms_as_text=noise.terms_as_text
    ).run()
    if not entries and landmark_text is not None:
        # Nothing dated anywhere: the landmark's lines are the page's text, not the whole
        # body's (a skip link, a banner outside <main>).
        if trace is not None and landmark_trace is not None:
            trace.rule = f"content landmark <{root.tag}{_describe(root)}>, no dated entries"
            trace.roles, trace.unused = landmark_trace.roles, landmark_trace.unused
        return entries, landmark_text
    return entries, text


def _describe(el: etree._Element) -> str:
    ident, cls = el.get("id"), el.get("class")
    return (f' id="{ident}"' if ident else "") + (f' class="{cls}"' if cls else "")
