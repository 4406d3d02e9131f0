"""What is not content: navigation, side bars, news and contact boxes (by tag, role, class or
id token, heading), hidden tab panels, and metadata or furniture lines."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from lxml import etree

from pipeline.parse.items import _Item
from pipeline.parse.text import BREAK
from pipeline.parse.tree import SKIP_TAGS

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
# A year about which (c. 1890, ca. 1890, circa 1890): as above.
_EN_CIRCA = r"(?i:circa|ca?\.)[ \u3000]*[0-9]{4}"
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
    r"^(?:[【\[［(（]?\s*(?:ページID|ページ番号|記事ID"
    # A date's label then its date (更新日：2023年5月10日, 【公開日】, 掲載日 2023年…, 更新日 alone
    # on its line, the date in the next), or a blog post's own stamp (投稿日：…): a sentence
    # opening with the word (更新日が変わった理由は…, 投稿日は…) is text.
    r"|(?:最終更新日?|更新日時?|掲載日|公開日|作成日|投稿日時?)"
    r"(?=\s*(?:[】\]］)）:：]|[(（]?\s*[0-9０-９元明大昭平令西RHSrhs]|$)))"
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
    r"|^続きを読む(?:\s.*)?$"  # a post's "read more" link (with its hidden title)
    # A printed page's number between dashes (- 1 -, －２－): a document converted page by
    # page (pdftohtml, a word processor's export) keeps its footer on every sheet.
    r"|^[-－−‐―—][ \u3000\xa0]*[0-9０-９]{1,3}[ \u3000\xa0]*[-－−‐―—]$"
    # The site's copyright line (Copyright(C) 1999-2018 …, © 2024 …), where an old layout with
    # no footer element sets it under the content.
    r"|^(?:copyright|©|\(c\)|（c）).{0,100}?(?:[0-9]{4}|rights reserved)",
    re.IGNORECASE,
)


# A box's first line naming it as a contact or related-links box when no heading element does
# (<div id="inform"><p>このページに関するお問い合わせ先</p><p>総務課…</p></div>, <div
# class="ttl">関連リンク</div>): the box is furniture, as a section under such a heading is. The
# whole line must be the title (お問い合わせ窓口を開設 is an event's text).
_BOX_TITLE_RE = re.compile(
    r"[■□●◆◇▼【\[［]?\s*(?:"
    r"(?:この(?:ページ|記事|情報)(?:の内容)?に(?:関する|ついての))?お?問い?合わ?せ(?:先|窓口)?"
    r"|関連(?:リンク|情報|ページ|記事)"
    r")\s*[】\]］]?"
)
_BOX_TITLE_LONGEST = 26


def _is_box_title(line: str) -> bool:
    return len(line) <= _BOX_TITLE_LONGEST and _BOX_TITLE_RE.fullmatch(line) is not None


# (A cheap test before the regex.)
_FURNITURE_FIRSTS = frozenset("【[［(（ア閲訪こ印▲ペ先前戻トホ続PpTtHhCc©-－−‐―—")
# The first characters a metadata line (_META_LINE_RE) or furniture line can open with.
_META_FIRSTS = _FURNITURE_FIRSTS | frozenset("最更掲公投作記LlUu")


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


def _is_furniture(lines: list[str]) -> bool:
    if len(lines) > 2 or lines[0][:1] not in _FURNITURE_FIRSTS:
        return False
    return all(_FURNITURE_RE.match(line) for line in lines)


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
        elif name == "type":
            # An office document's page header or footer as LibreOffice exports it (<div
            # type="footer"> around the page number): the sheet's furniture.
            if tag == "div" and value.lower() in ("header", "footer"):
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
