"""The page's own metadata (ID, title, update date; JSON-LD as a fallback; a seed's picks), and
`elsewhere`: where a page with no entries points."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from pipeline.domain.errors import InputError
from pipeline.domain.records import PageInfo
from pipeline.encoding import decode_html_as
from pipeline.parse.document import _document
from pipeline.parse.matching import _match, _strict_match
from pipeline.parse.noise import _EN_UPDATED_LABEL, _NOISE_HEADING_RE, _is_noise
from pipeline.parse.text import _TITLE_SPLIT_RE, BREAK, _clean, _site_names, _text
from pipeline.parse.tree import _body, _inside
from pipeline.selectors import SelectedElements

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
    posts: frozenset[etree._Element] | None = None  # read when an h1 with a class needs it
    for scope in (root, doc):
        for h1 in scope.iter("h1"):
            seen_h1 = True
            if h1.get("class"):
                if posts is None:
                    posts = _posts_titles(root)
                if h1 in posts:
                    continue
            # The cheap tests first; the walk up the ancestors (a noise test each) only for
            # the h1 that would be the title.
            text = _text(h1)
            if not text:
                continue
            if site is None:
                site = _site_names(doc)
            if text in site or any(_is_site_furniture(a) for a in h1.iterancestors()):
                continue
            if not site and text == _title_from_title_tag(doc) and _is_site_name(doc, text):
                # A logo <h1> outside the header, as all of <title> (with no site suffix: one
                # repeating the h1 was read above) names the site.
                site = [text]
                continue
            return text
    if not seen_h1:
        # No <h1>: the content's first heading names the page when <title> only names the site
        # (else <title>, read later, is the better title).
        name = _title_from_title_tag(doc)
        if name is None or not _is_site_name(doc, name):
            return None
        return _first_heading(root, [name])
    return _first_heading(root, _site_names(doc) if site is None else site, posts or frozenset())


def _posts_titles(root: etree._Element) -> frozenset[etree._Element]:
    """The content's <h1>s that title its posts, not the page: two or more of one class (<h1
    class="entry-title"> in each card of a blog's archive)."""
    found: dict[str, list[etree._Element]] = {}
    for h1 in root.iter("h1"):
        name = h1.get("class")
        if name:
            found.setdefault(name, []).append(h1)
    return frozenset(h1 for group in found.values() if len(group) > 1 for h1 in group)


def _is_site_name(doc: etree._Element, name: str) -> bool:
    """Whether `name`, the first part of <title>, is the site's name: all of <title> after it
    repeats it, og:site_name says so, or the site header's logo (an image's alt, a link's
    text) reads the same. Asked only when no <h1> names the page otherwise."""
    site = _site_names(doc)
    if site:  # a <title> with a suffix: its first part is the page's own, unless repeated
        return all(part == name for part in site)
    for meta in doc.iter("meta"):
        if meta.get("property") == "og:site_name" and _clean(meta.get("content") or "") == name:
            return True
    for el in doc.iter("img", "a"):
        text = el.get("alt") if el.tag == "img" else _text(el)
        if text and _clean(text) == name and _in_site_header(el):
            return True
    return False


def _in_site_header(el: etree._Element) -> bool:
    """Whether `el` sits in the site's header or logo, outside the content (an article's own
    header links its title, which is no site name)."""
    in_header = False
    for a in el.iterancestors():
        if a.tag in ("main", "article"):
            return False
        names = f"{a.get('class') or ''} {a.get('id') or ''}".lower()
        if a.tag == "header" or "header" in names or "logo" in names:
            in_header = True
    return in_header


def _first_heading(
    root: etree._Element, site: list[str], posts: frozenset[etree._Element] = frozenset()
) -> str | None:
    """The content's first heading that is neither a date, furniture, the site's name, nor a
    post's title (`_posts_titles`)."""
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if heading in posts:
            continue
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
    if "." in text[-6:] or text[:9] == "Microsoft":
        text = _DOCUMENT_NAME_RE.sub("", text)
    return _TITLE_SPLIT_RE.split(text)[0] or None


# A document exported or printed to a web page or a PDF (then converted) is titled by the
# application and its file's name, `Microsoft Word - 学校沿革.docx`, `議会のあゆみ.jtd`: the
# name without its extension is the title.
_DOCUMENT_NAME_RE = re.compile(
    r"^Microsoft\s+(?:Office\s+)?(?:Word|Excel|PowerPoint)\s+-\s+"
    r"|\.(?:docx?|xlsx?|xlsm|pptx?|jtdc?|jaw|od[tsp]|rtf|pdf|txt)$",
    re.IGNORECASE,
)


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
