"""Atom 1.0 feeds of entry changes, so a feed reader can follow a watched page.

One feed entry per change event of kind added, edited or removed. Moves are left out: they are
reorderings of records that did not change (seeds do not notify them by default either), and
page-metadata changes (update date, title) are mostly noise for a reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from keika.display import visible
from pipeline.domain.kinds import ChangeKind

ATOM = "http://www.w3.org/2005/Atom"
FEED_KINDS = (ChangeKind.ADDED, ChangeKind.EDITED, ChangeKind.REMOVED)
#: When a feed has no entries yet, its `updated` is this fixed instant rather than "now", so
#: the feed document only changes when a change is detected.
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)


# What XML 1.0 forbids in a document (C0 controls but tab and newlines, surrogates, U+FFFE/FFFF):
# one such character makes the whole feed ill-formed, and feed readers then drop all of it.
_NOT_XML_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with each character XML 1.0 forbids, and each control character or bidi override
    `visible` shows, written as an escape (\\x01), for the feed only: the stored record keeps
    it."""
    return _NOT_XML_RE.sub(_escape, visible(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str
    title: str
    updated: datetime
    link: str
    category: str
    content_html: str
    summary: str | None = None  # the changed entry's first line


def change_tag(change_id: int) -> str:
    """A change's permanent Atom id: the same change keeps it in every feed, forever."""
    return f"tag:keika,2026:change/{change_id}"


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    alternate_url: str,
    entries: Sequence[FeedEntry],
) -> bytes:
    """An Atom 1.0 document (UTF-8 bytes); `content_html` goes in escaped as type="html"."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        attrs = {name: xml_text(value) for name, value in attrs.items()}
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = xml_text(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", feed_id)
    sub(feed, "title", title)
    updated = max((e.updated for e in entries), default=EMPTY_FEED_UPDATED)
    sub(feed, "updated", _timestamp(updated))
    author = sub(feed, "author")
    sub(author, "name", "keika")
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    sub(feed, "generator", "keika")
    for entry in entries:
        item = sub(feed, "entry")
        sub(item, "id", entry.id)
        sub(item, "title", entry.title)
        sub(item, "updated", _timestamp(entry.updated))
        sub(item, "published", _timestamp(entry.updated))
        sub(item, "link", rel="alternate", type="text/html", href=entry.link)
        sub(item, "category", term=entry.category)
        if entry.summary:
            sub(item, "summary", entry.summary)
        sub(item, "content", entry.content_html, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
