"""The words of a notification: one digest per page per crawl, and the alerts that are not changes.

Pure functions from records to `Message`s (subject, plain text, HTML), so what a user receives can
be tested without a database or a mail server. Every string that came from a scraped page is
escaped in the HTML body: a page containing `<script>` reaches the reader as text.

A message has to arrive whole wherever it goes, so its size is keika's to bound, never left to a
receiver that cuts silently (Slack at 40,000 characters, Gmail's clipping of HTML over 102 kB):
a subject is one line of at most `SUBJECT_MAX_BYTES`, a digest shows whole changes up to
`SHOWN_CHARS` and lines up to `LINE_MAX_CHARS`, and says in words what it left out.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from pipeline.diff import LineChange, diff_lines
from pipeline.domain.kinds import ENTRY_CHANGE_KINDS, ChangeKind, MessageKind
from pipeline.domain.records import EntryRecord, PageInfo, RecordDiff

PREFIX = "[keika]"
# How each line of an entry's before/after view is marked in the plain-text body.
TEXT_MARKS = {"equal": " ", "delete": "-", "insert": "+"}
HTML_STYLES = {
    "equal": "color:#444",
    "delete": "color:#a00;background:#fee;text-decoration:line-through",
    "insert": "color:#060;background:#efe",
}
# Apprise's email writes the Subject as one unfolded encoded word (up to 12 bytes a character),
# and an SMTP server refuses a line over 998 bytes: 300 UTF-8 bytes stay under it.
SUBJECT_MAX_BYTES = 300
# How much of the changes one digest shows (characters of text, bytes of HTML), and of one line.
SHOWN_CHARS = 20_000
SHOWN_HTML_BYTES = 80_000
LINE_MAX_CHARS = 1_000
ELLIPSIS = "…"
# Line breaks and other control characters: a subject is one line.
_CONTROL_RE = re.compile(r"\s*[\x00-\x1f\x7f\x85\u2028\u2029]+\s*")


@dataclass(frozen=True, slots=True)
class PageRef:
    """The page a message is about, as a reader should see it."""

    key: str
    url: str
    title: str


@dataclass(frozen=True, slots=True)
class ChangeItem:
    """One change event as the digest reports it.

    `position` is the entry's new place (0-based) for `moved`; `page_fields` holds
    (field, before, after) for a `page` event.
    """

    kind: str
    date_text: str | None = None
    before: EntryRecord | None = None
    after: EntryRecord | None = None
    fields: tuple[str, ...] = ()
    position: int | None = None
    page_fields: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    """What one notification says; `digest_id` is its idempotency key."""

    digest_id: str
    kind: str
    subject: str
    body_text: str
    body_html: str


def digest_id_for(page_key: str, crawl_id: int | None, kind: str) -> str:
    """A stable key for one page's message of one kind in one crawl (same inputs, same key)."""
    return hashlib.sha256(f"{page_key}\x1f{crawl_id}\x1f{kind}".encode()).hexdigest()


def page_title(info: Mapping[str, Any] | None, name: str | None, key: str) -> str:
    """The page's own title, else the seed's name, else its key."""
    title = (info or {}).get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return name or key


def reported_changes(
    changes: Sequence[ChangeItem], *, include_moved: bool = False, include_page: bool = False
) -> list[ChangeItem]:
    """The changes a digest reports: entry changes, plus moves / page info when the seed asks."""
    wanted = {ChangeKind.ADDED, ChangeKind.EDITED, ChangeKind.REMOVED}
    if include_moved:
        wanted.add(ChangeKind.MOVED)
    if include_page:
        wanted.add(ChangeKind.PAGE)
    return [c for c in changes if c.kind in wanted]


def count_phrase(changes: Sequence[ChangeItem]) -> str:
    """`1 added, 2 edited` — entry kinds in a fixed order, then page info."""
    counts = Counter(c.kind for c in changes)
    parts = [f"{counts[k]} {k}" for k in ENTRY_CHANGE_KINDS if counts[k]]
    if counts[ChangeKind.PAGE]:
        parts.append("page info changed")
    return ", ".join(parts)


def build_digest(
    page: PageRef,
    crawl_id: int | None,
    changes: Sequence[ChangeItem],
    *,
    include_moved: bool = False,
    include_page: bool = False,
) -> Message | None:
    """One message for all of a page's changes in one crawl, or None when nothing is reported."""
    shown = reported_changes(changes, include_moved=include_moved, include_page=include_page)
    if not shown:
        return None
    digest_id = digest_id_for(page.key, crawl_id, MessageKind.DIGEST)
    summary = count_phrase(shown)
    subject = _subject(page.title, summary)

    text = [f"{page.title}: {summary}", page.url, ""]
    html = [
        f"<h2>{escape(page.title)}</h2>",
        f"<p>{escape(summary)} &mdash; {_link(page.url)}</p>",
    ]
    room = [SHOWN_CHARS, SHOWN_HTML_BYTES]
    for index, change in enumerate(shown):
        heading = _change_heading(change)
        lines = [(mark, _clip_line(content)) for mark, content in _change_lines(change)]
        if index and not _fits(_size(heading, lines), room):
            notice = (
                f"{ELLIPSIS} {_more(len(shown) - index, 'change')} not shown here "
                f"({len(shown):,} in all); `keika changes --page {page.key} --all` lists them."
            )
            text.extend((notice, ""))
            html.append(f"<p><strong>{escape(notice)}</strong></p>")
            break
        lines = _lines_that_fit(heading, lines, room)
        room = [left - used for left, used in zip(room, _size(heading, lines), strict=True)]
        text.append(heading)
        html.append(f'<h3 style="margin:1em 0 .3em">{escape(heading)}</h3>')
        text.extend(f"  {mark} {content}" for mark, content in lines)
        html.append(_html_lines(lines))
        text.append("")
    text.append(_footer_text(page, crawl_id, digest_id))
    html.append(_footer_html(page, crawl_id, digest_id))
    return Message(
        digest_id, MessageKind.DIGEST, subject, "\n".join(text), _document(subject, html)
    )


def build_failing_alert(
    page: PageRef, crawl_id: int | None, failures: int, error: str | None
) -> Message:
    """The page has failed `failures` crawls in a row: one alert until it recovers."""
    digest_id = digest_id_for(page.key, crawl_id, MessageKind.FAILING)
    subject = _subject(page.title, f"failing ({failures} crawls in a row)")
    reason = error or "unknown error"
    text = [
        f"{page.title} could not be crawled {failures} times in a row.",
        f"Last error: {reason}",
        page.url,
        "",
        "No changes are recorded while it fails. You will get one notice when it recovers.",
        "",
        _footer_text(page, crawl_id, digest_id),
    ]
    html = [
        f"<h2>{escape(page.title)}</h2>",
        f"<p>Could not be crawled {failures} times in a row.</p>",
        f"<p>Last error: <code>{escape(reason)}</code></p>",
        f"<p>{_link(page.url)}</p>",
        "<p>No changes are recorded while it fails. You will get one notice when it recovers.</p>",
        _footer_html(page, crawl_id, digest_id),
    ]
    return Message(
        digest_id, MessageKind.FAILING, subject, "\n".join(text), _document(subject, html)
    )


def build_recovered_notice(page: PageRef, crawl_id: int | None, outcome: str) -> Message:
    """The first good crawl after a failing alert."""
    digest_id = digest_id_for(page.key, crawl_id, MessageKind.RECOVERED)
    subject = _subject(page.title, "recovered")
    text = [
        f"{page.title} was crawled again ({outcome}) after failing.",
        page.url,
        "",
        _footer_text(page, crawl_id, digest_id),
    ]
    html = [
        f"<h2>{escape(page.title)}</h2>",
        f"<p>Crawled again ({escape(outcome)}) after failing.</p>",
        f"<p>{_link(page.url)}</p>",
        _footer_html(page, crawl_id, digest_id),
    ]
    return Message(
        digest_id, MessageKind.RECOVERED, subject, "\n".join(text), _document(subject, html)
    )


def build_suspect_alert(page: PageRef, crawl_id: int | None, reason: str | None) -> Message:
    """A parse that does not look like the page (layout change, maintenance notice, ...)."""
    digest_id = digest_id_for(page.key, crawl_id, MessageKind.SUSPECT)
    why = reason or "the parse does not look like the page"
    subject = _subject(page.title, f"suspect parse ({_clip_bytes(_one_line(why), 120)})")
    text = [
        f"The latest crawl of {page.title} does not look like the page: {why}.",
        page.url,
        "",
        "Nothing was recorded from it; changes are compared with the last good crawl.",
        f"If the page really changed: keika accept {page.key}",
        "",
        _footer_text(page, crawl_id, digest_id),
    ]
    html = [
        f"<h2>{escape(page.title)}</h2>",
        f"<p>The latest crawl does not look like the page: <code>{escape(why)}</code></p>",
        f"<p>{_link(page.url)}</p>",
        "<p>Nothing was recorded from it; changes are compared with the last good crawl.</p>",
        f"<p>If the page really changed: <code>keika accept {escape(page.key)}</code></p>",
        _footer_html(page, crawl_id, digest_id),
    ]
    return Message(
        digest_id, MessageKind.SUSPECT, subject, "\n".join(text), _document(subject, html)
    )


def build_test_message(stamp: str) -> Message:
    """What `keika notify --test URL` sends: proof that a target is reachable."""
    digest_id = hashlib.sha256(f"test\x1f{stamp}".encode()).hexdigest()
    subject = f"{PREFIX} test notification"
    text = f"This is a test notification from keika ({stamp}).\n\nkeika message {digest_id}"
    html = [
        f"<p>This is a test notification from keika ({escape(stamp)}).</p>",
        f'<p style="color:#888;font-size:small">keika message {digest_id}</p>',
    ]
    return Message(digest_id, MessageKind.TEST, subject, text, _document(subject, html))


def _one_line(text: str) -> str:
    """Line breaks and control characters become one space: a subject is one header line."""
    return _CONTROL_RE.sub(" ", text).strip()


def _clip_bytes(text: str, limit: int) -> str:
    """`text`, or its longest head that fits `limit` UTF-8 bytes with an ellipsis after it."""
    if len(text.encode()) <= limit:
        return text
    room = limit - len(ELLIPSIS.encode())
    head = text.encode()[: max(room, 0)].decode(errors="ignore").rstrip()
    return head + ELLIPSIS


def _subject(title: str, tail: str) -> str:
    """`[keika] title: tail` as one line of at most SUBJECT_MAX_BYTES, the title shortened
    (visibly) first: the tail says what happened."""
    tail = _clip_bytes(_one_line(tail), SUBJECT_MAX_BYTES // 2)
    room = SUBJECT_MAX_BYTES - len(f"{PREFIX} : {tail}".encode())
    return f"{PREFIX} {_clip_bytes(_one_line(title), room)}: {tail}"


def _clip_line(line: str) -> str:
    if len(line) <= LINE_MAX_CHARS:
        return line
    left = len(line) - LINE_MAX_CHARS
    return (
        f"{line[:LINE_MAX_CHARS]} {ELLIPSIS} ({left:,} more characters of this line are not shown)"
    )


def _size(heading: str, lines: Sequence[tuple[str, str]]) -> tuple[int, int]:
    """What a change adds to the body: (characters of text, bytes of HTML)."""
    chars = len(heading) + sum(len(content) + 5 for _, content in lines) + 2
    html = len(heading.encode()) + len(_html_lines(lines).encode()) + 40
    return chars, html


def _fits(size: Sequence[int], room: Sequence[int]) -> bool:
    return all(used <= left for used, left in zip(size, room, strict=True))


def _lines_that_fit(
    heading: str, lines: list[tuple[str, str]], room: Sequence[int]
) -> list[tuple[str, str]]:
    """The change's lines, or (one change larger than a whole digest) those that fit and a line
    saying how many did not."""
    if _fits(_size(heading, lines), room):
        return lines
    kept: list[tuple[str, str]] = []
    for line in lines:
        if not _fits(_size(heading, [*kept, line, (" ", "x" * 80)]), room):
            break
        kept.append(line)
    left = len(lines) - len(kept)
    return [*kept, (" ", f"{ELLIPSIS} {_more(left, 'line of this change')} not shown")]


def _more(count: int, noun: str) -> str:
    """`1 more change is` / `3 more changes are` (`line of this change`: `lines of ...`)."""
    if count == 1:
        return f"1 more {noun} is"
    head, _, tail = noun.partition(" ")
    return f"{count:,} more {head}s{' ' if tail else ''}{tail} are"


def _change_heading(change: ChangeItem) -> str:
    if change.kind == ChangeKind.PAGE:
        return "page info changed: " + ", ".join(name for name, _, _ in change.page_fields)
    heading = f"{change.kind}: {change.date_text or '(no date)'}"
    if change.kind == ChangeKind.EDITED and change.fields:
        heading += f" ({', '.join(change.fields)})"
    if change.kind == ChangeKind.MOVED and change.position is not None:
        heading += f" (now entry {change.position + 1})"
    return heading


def _change_lines(change: ChangeItem) -> list[tuple[str, str]]:
    """(mark, line) pairs: ' ' unchanged, '-' before, '+' after."""
    if change.kind == ChangeKind.PAGE:
        lines: list[tuple[str, str]] = []
        for name, before, after in change.page_fields:
            lines.append(("-", f"{name}: {before}"))
            lines.append(("+", f"{name}: {after}"))
        return lines
    if change.kind == ChangeKind.MOVED:
        return [(" ", line.after or "") for line in diff_lines(None, change.after or change.before)]
    before = change.before if change.kind in (ChangeKind.EDITED, ChangeKind.REMOVED) else None
    after = change.after if change.kind in (ChangeKind.EDITED, ChangeKind.ADDED) else None
    return _marked(diff_lines(before, after))


def _marked(lines: Sequence[LineChange]) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for line in lines:
        if line.op == "equal":
            result.append((TEXT_MARKS["equal"], line.before or ""))
            continue
        if line.before is not None and line.op in ("delete", "replace"):
            result.append((TEXT_MARKS["delete"], line.before))
        if line.after is not None and line.op in ("insert", "replace"):
            result.append((TEXT_MARKS["insert"], line.after))
    return result


def _html_lines(lines: Sequence[tuple[str, str]]) -> str:
    styles = {" ": HTML_STYLES["equal"], "-": HTML_STYLES["delete"], "+": HTML_STYLES["insert"]}
    rows = "".join(
        f'<div style="{styles[mark]};white-space:pre-wrap">{escape(mark)} {escape(content)}</div>'
        for mark, content in lines
    )
    return f'<div style="font-family:monospace;margin-left:1em">{rows}</div>'


def _link(url: str) -> str:
    return f'<a href="{escape(url, quote=True)}">{escape(url)}</a>'


def _footer_text(page: PageRef, crawl_id: int | None, digest_id: str) -> str:
    return f"keika · page {page.key} · crawl {crawl_id} · message {digest_id}"


def _footer_html(page: PageRef, crawl_id: int | None, digest_id: str) -> str:
    return (
        '<p style="color:#888;font-size:small">'
        f"keika · page {escape(page.key)} · crawl {crawl_id} · message {digest_id}</p>"
    )


def _document(subject: str, parts: Sequence[str]) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head><body>{''.join(parts)}</body></html>"
    )


def entry_change_items(diff: RecordDiff) -> list[ChangeItem]:
    """The entry changes of a diff as the digest reports them."""
    items = []
    for change in diff.changes:
        record = change.after or change.before
        items.append(
            ChangeItem(
                kind=change.kind,
                date_text=record.date_text if record else None,
                before=change.before,
                after=change.after if change.kind != ChangeKind.MOVED else change.before,
                fields=tuple(change.fields),
                position=change.position if change.kind == ChangeKind.MOVED else None,
            )
        )
    return items


def page_change_item(before: PageInfo | None, after: PageInfo, fields: Sequence[str]) -> ChangeItem:
    """A change of the page's own metadata as the digest reports it."""
    before = before or PageInfo()
    return ChangeItem(
        kind=ChangeKind.PAGE,
        fields=tuple(fields),
        page_fields=tuple(
            (name, _info_value(before, name), _info_value(after, name)) for name in fields
        ),
    )


def _info_value(info: PageInfo, name: str) -> str:
    value = getattr(info, name, None)
    if isinstance(value, tuple):
        return " > ".join(value)
    return "" if value is None else str(value)
