"""The text of elements as lines: every <br> carries a BREAK, a block without nested blocks is
serialised once and split there; wide-character wraps and ranges broken after their mark are
mended."""

from __future__ import annotations

import re

from lxml import etree

from pipeline.dates import EN_OPEN_END_NOTE, NOTE_JOINER, OPEN_END_NOTE, match_date
from pipeline.parse.tree import BLOCK_TAGS, _has_block_descendant

_SPACE_RE = re.compile(r"[ \t\r\n\f]+")
# (A no-break space too: a page typed with &nbsp;&nbsp; between its date and text shows a gap.)
SEPARATORS = frozenset(" \t\u3000\xa0：:、,，")
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
            marks = marks or line[-1] in _BROKEN_LASTS
    return _join_broken_ranges(lines) if marks else lines


# A range broken after its mark (平成15年4月～<br>平成16年3月　本体工事): alone, its first line
# would read as a range with no end (平成15年4月～: 以降). The last characters of such a line.
_RANGE_MARK_LASTS = frozenset("～〜~ら")
# A dash ends a line so too before the present only (平成15年4月－<br>現在, May 2019 –<br>
# Present): before anything else, a dash after a date separates it from its text.
_DASH_LASTS = frozenset("-‐–—―－")  # (not ー: センター ends many lines)
_BROKEN_LASTS = _RANGE_MARK_LASTS | _DASH_LASTS
# The present opening the line after such a mark (現在, 今日, present, the present, today, now):
# the range's end, with its words (まで, に至る), as on one line (平成15年4月～現在: 以降).
_PRESENT_LINE_RE = re.compile(
    r"(?:現在|今日|(?i:the[ \u3000]+)?(?i:present|today|now)(?![0-9A-Za-z]))"
)
_PRESENT_FIRSTS = frozenset("現今PpTtNn")
_OPEN_NOTES = (OPEN_END_NOTE, EN_OPEN_END_NOTE)


def _join_broken_ranges(lines: list[str]) -> list[str]:
    """`lines` with each line that is a date and a range mark alone (平成15年4月～, 2013/2/21
    から) joined to the next when the two read as one range (平成15年4月～ 平成16年3月), or
    when the next opens with the present and the two read as a range to it (平成15年4月～<br>
    現在　市民交流を継続, also after a dash: May 2019 –<br>Present); else as they are."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and line[-1] in _BROKEN_LASTS:
            nxt = lines[i + 1]
            present = nxt[:1] in _PRESENT_FIRSTS and _PRESENT_LINE_RE.match(nxt) is not None
            # (before the present, the joined date must hold the whole line: no need to read
            # it alone, which a bare year or a dash's line does not: 1998–, May 2019 –)
            alone = match_date(line) if not present and line[-1] in _RANGE_MARK_LASTS else None
            if present or (alone is not None and not alone.rest):
                joined = f"{line} {nxt}"
                found = match_date(joined)
                if found is not None and len(found.date_text) > len(line):
                    notes = (found.span.note or "").split(NOTE_JOINER)
                    if present == any(note in _OPEN_NOTES for note in notes):
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
