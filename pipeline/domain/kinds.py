"""The names keika stores, prints and sends, each spelled once.

They are `StrEnum`s so the JSON, the database and the CLI keep the plain strings they always
had ("not_modified", "edited", "pending"), while code compares against a name that a typo
cannot silently miss.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """How one page ended in one crawl."""

    BASELINE = "baseline"  # first good parse of the page
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_MODIFIED = "not_modified"  # HTTP 304
    FAILED = "failed"  # no usable response (the reason is stored)
    SUSPECT = "suspect"  # fetched, but no dated entries or far fewer than the last good parse
    # Fetched before the page's last compared fetch (crawls overlapped): kept, not compared.
    STALE = "stale"


#: Outcomes that count as a good crawl of the page (a stale fetch was good, only overtaken).
GOOD_OUTCOMES = frozenset(
    {Outcome.BASELINE, Outcome.CHANGED, Outcome.UNCHANGED, Outcome.NOT_MODIFIED, Outcome.STALE}
)


class ChangeKind(StrEnum):
    """What happened to an entry (or, for PAGE, to the page's own metadata)."""

    ADDED = "added"
    EDITED = "edited"
    REMOVED = "removed"
    MOVED = "moved"
    PAGE = "page"


#: The kinds an entry diff produces, in the order digests and summaries list them.
ENTRY_CHANGE_KINDS = (ChangeKind.ADDED, ChangeKind.EDITED, ChangeKind.REMOVED, ChangeKind.MOVED)


class CrawlStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender whose lease has not run out
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; `keika notify --retry-failed` requeues


class MessageKind(StrEnum):
    DIGEST = "digest"  # the entries of a page changed
    FAILING = "failing"  # a page failed fail_alert_after crawls in a row
    RECOVERED = "recovered"
    SUSPECT = "suspect"
    TEST = "test"  # keika notify --test
