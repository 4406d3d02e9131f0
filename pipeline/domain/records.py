"""Typed values passed between keika's stages.

Records are frozen so a parse result can be hashed, compared and replayed without anyone
mutating it on the way to storage or to a notifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.domain.kinds import ENTRY_CHANGE_KINDS, ChangeKind

ENTRY_FIELDS = ("date_text", "start", "end", "body", "note")


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """One dated entry of a chronology page, in the shape `keika parse` prints."""

    date_text: str
    start: str | None
    end: str | None
    body: tuple[str, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "date_text": self.date_text,
            "start": self.start,
            "end": self.end,
            "body": list(self.body),
        }
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EntryRecord:
        return cls(
            date_text=data["date_text"],
            start=data.get("start"),
            end=data.get("end"),
            body=tuple(data.get("body") or ()),
            note=data.get("note") or None,
        )


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What a page says about itself, outside its entries (never an entry change)."""

    id: str | None = None
    title: str | None = None
    updated: str | None = None
    url: str | None = None
    breadcrumbs: tuple[str, ...] = ()
    # The page's own text outside its entries (an intro, notes under the list, a closing
    # remark), in order: nothing of the content is dropped silently. Never metadata/furniture.
    text: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "title": self.title, "updated": self.updated}
        if self.url:
            data["url"] = self.url
        if self.breadcrumbs:
            data["breadcrumbs"] = list(self.breadcrumbs)
        if self.text:  # only when there is some: a page without it keeps its old shape
            data["text"] = list(self.text)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageInfo:
        return cls(
            id=data.get("id"),
            title=data.get("title"),
            updated=data.get("updated"),
            url=data.get("url"),
            breadcrumbs=tuple(data.get("breadcrumbs") or ()),
            text=tuple(data.get("text") or ()),
        )


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """The whole result of parsing one page: metadata plus entries in page order."""

    page: PageInfo
    entries: tuple[EntryRecord, ...] = field(default_factory=tuple)
    # The codec the bytes were read with (pipeline.encoding.decode_html_as); kept out of
    # to_dict and equality so goldens and `keika parse` output stay what they were.
    encoding: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page.to_dict(), "entries": [e.to_dict() for e in self.entries]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedPage:
        return cls(
            page=PageInfo.from_dict(data.get("page") or {}),
            entries=tuple(EntryRecord.from_dict(e) for e in data.get("entries") or ()),
        )


@dataclass(frozen=True, slots=True)
class KnownEntry:
    """An entry storage already knows, as it appeared in the last good parse."""

    entry_id: int
    record: EntryRecord
    position: int


@dataclass(frozen=True, slots=True)
class EntryChange:
    """One real change to one entry, described against the new page."""

    kind: ChangeKind  # added, edited, removed or moved
    entry_id: int | None
    before: EntryRecord | None
    after: EntryRecord | None
    position: int | None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordDiff:
    """Everything storage needs to update entries after a new good parse."""

    changes: tuple[EntryChange, ...]
    kept: tuple[tuple[int, int], ...]
    added_positions: tuple[int, ...]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ENTRY_CHANGE_KINDS, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return {str(kind): n for kind, n in counts.items()}
