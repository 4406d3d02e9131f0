"""Replaying saved pages against their expected records: the engine of `keika replay DIR`.

Every `NAME.html` under a directory is parsed again and compared with the `NAME.json` beside
it (the shape `keika parse` prints). A parser change that moves one body line on one page
shows up here as one line per page plus the entry and field that changed, before it reaches a
user's notifications. A page without a JSON is expected to have no entries at all.

`compare_dir(root, update=True)` rewrites the goldens that differ (and writes missing ones for
pages that now have entries), in the same format as the shared fixtures, and reports what changed.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.domain.errors import InputError
from pipeline.domain.records import ENTRY_FIELDS, EntryRecord, ParsedPage
from pipeline.parse import parse_page

OK = "ok"
DIFFERS = "differs"
NEW = "new"  # no golden, but the page has entries
ERROR = "error"
STATUSES = (OK, DIFFERS, NEW, ERROR)


def dumps_golden(page: ParsedPage) -> str:
    """A parse result in the golden format (UTF-8 text, one-space indent, final newline)."""
    return json.dumps(page.to_dict(), ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True, slots=True)
class Difference:
    """One thing that differs: a page key, or one field of one entry, or a whole entry.

    `where` is "page" or "entry"; for entries `index` is the position in the golden (or in
    the new parse, for an entry the golden does not have) and `field` is an entry field,
    "missing" (in the golden, not parsed) or "extra" (parsed, not in the golden).
    """

    where: str
    field: str
    expected: Any
    actual: Any
    index: int | None = None
    date_text: str | None = None

    def line(self) -> str:
        if self.where == "page":
            return f"page.{self.field}: {_show(self.expected)} → {_show(self.actual)}"
        entry = f"entry {self.index} {self.date_text!r}"
        if self.field == "missing":
            return f"{entry}: missing (in the golden, not on the page)"
        if self.field == "extra":
            return f"{entry}: extra (on the page, not in the golden)"
        return f"{entry}: {self.field}: {_show(self.expected)} → {_show(self.actual)}"


@dataclass(frozen=True, slots=True)
class FileResult:
    """The outcome for one HTML file: status, entry count, differences, and any rewrite."""

    path: str  # relative to the replayed directory, with "/" separators
    status: str
    entries: int = 0
    differences: tuple[Difference, ...] = ()
    error: str | None = None
    written: bool = False  # update=True rewrote (or created) this file's golden

    def line(self) -> str:
        if self.status == ERROR:
            text = f"{ERROR:<8} {self.path}: {self.error}"
        elif self.status == OK:
            text = f"{OK:<8} {self.path} ({self.entries} entries)"
        elif self.status == NEW:
            text = f"{NEW:<8} {self.path} (no golden; {self.entries} entries parsed)"
        else:
            count = len(self.differences)
            text = f"{DIFFERS:<8} {self.path} ({count} difference{'s' if count != 1 else ''})"
        if self.written:
            text += " - golden written"
        return text

    def detail_lines(self) -> tuple[str, ...]:
        if self.status == NEW:
            return ()  # every entry would be "extra": the count says it (`--update` writes it)
        return tuple("    " + difference.line() for difference in self.differences)


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """All results of one replay, in path order."""

    root: Path
    results: tuple[FileResult, ...]
    updated: bool = False

    @property
    def ok(self) -> bool:
        """True when every page matched its golden (after an update: when nothing errored)."""
        if self.updated:
            return all(r.status != ERROR for r in self.results)
        return all(r.status == OK for r in self.results)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for result in self.results:
            counts[result.status] += 1
        return counts

    def summary(self) -> str:
        c = self.counts()
        n = len(self.results)
        text = (
            f"{n} page{'s' if n != 1 else ''}: {c[OK]} ok, {c[DIFFERS]} differ, {c[NEW]} new, "
            f"{c[ERROR]} errors"
        )
        if self.updated:
            written = sum(1 for r in self.results if r.written)
            text += f"; {written} golden{'s' if written != 1 else ''} written"
        return text

    def lines(self) -> list[str]:
        """What `keika replay` prints: one line per file, its details, then the summary."""
        out: list[str] = []
        for result in self.results:
            out.append(result.line())
            out.extend(result.detail_lines())
        out.append(self.summary())
        return out


def compare_dir(root: Path, update: bool = False) -> ReplayReport:
    """Re-parse every *.html under `root` (or the one page `root` names) and compare it with
    the *.json beside it. A folder without a saved page is an error: a mistyped folder would
    otherwise pass with nothing checked."""
    root = Path(root)
    if root.is_file() and root.suffix.lower() in (".html", ".htm"):
        result = compare_file(root, root=root.parent, update=update)
        return ReplayReport(root=root.parent, results=(result,), updated=update)
    if not root.is_dir():
        raise InputError(f"not a folder of saved pages: {root}")
    pages = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".html", ".htm"))
    if not pages:
        raise InputError(f"no saved pages (*.html) under {root}")
    results = tuple(compare_file(path, root=root, update=update) for path in pages)
    return ReplayReport(root=root, results=results, updated=update)


def compare_file(html: Path, *, root: Path | None = None, update: bool = False) -> FileResult:
    """Compare one saved page with its golden (NAME.json beside NAME.html)."""
    name = html.relative_to(root).as_posix() if root is not None else html.name
    golden_path = html.with_suffix(".json")
    try:
        parsed = parse_page(html.read_bytes())
    except Exception as exc:  # a replay reports every page, whatever its parser did
        return FileResult(name, ERROR, error=_one_line(exc))
    count = len(parsed.entries)
    if not golden_path.exists():
        if not parsed.entries:
            return FileResult(name, OK, entries=0)
        written = _write(golden_path, parsed) if update else False
        extra = tuple(_extra(i, e) for i, e in enumerate(parsed.entries))
        return FileResult(name, NEW, entries=count, differences=extra, written=written)
    try:
        golden = json.loads(golden_path.read_text(encoding="utf-8"))
        if not isinstance(golden, dict):
            raise ValueError("the golden is not a JSON object")
        differences = tuple(compare_records(golden, parsed))
    except KeyError as exc:  # (its text is only the key: say what it is)
        error = f"{golden_path.name}: a record lacks the key {exc.args[0]!r}"
        return FileResult(name, ERROR, entries=count, error=error)
    except (ValueError, TypeError, OSError) as exc:
        return FileResult(name, ERROR, entries=count, error=f"{golden_path.name}: {_one_line(exc)}")
    if not differences:
        return FileResult(name, OK, entries=count)
    written = _write(golden_path, parsed) if update else False
    return FileResult(name, DIFFERS, entries=count, differences=differences, written=written)


def compare_records(golden: dict[str, Any], parsed: ParsedPage) -> list[Difference]:
    """Differences between a golden (as loaded from JSON) and a parse result.

    Page keys are compared only where the golden has them (a golden without "url" does not
    ask for one), except "text": a golden without it expects the page to have no text outside
    its entries, so a line that starts landing in page.text is never unnoticed. Entries are
    aligned as sequences, so one inserted entry is reported as one extra entry rather than as
    every later entry shifting.
    """
    differences: list[Difference] = []
    actual_page = parsed.page.to_dict()
    golden_page = golden.get("page") or {}
    for key, expected in golden_page.items():
        actual = actual_page.get(key)
        if expected != actual:
            differences.append(Difference("page", key, expected, actual))
    if "text" not in golden_page and actual_page.get("text"):
        differences.append(Difference("page", "text", None, actual_page["text"]))
    expected_entries = [_entry_dict(e) for e in golden.get("entries") or ()]
    actual_entries = [_entry_dict(e.to_dict()) for e in parsed.entries]
    matcher = difflib.SequenceMatcher(
        None, [_key(e) for e in expected_entries], [_key(e) for e in actual_entries], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            expected, actual = expected_entries[i1 + k], actual_entries[j1 + k]
            for field in ENTRY_FIELDS:
                if expected[field] != actual[field]:
                    differences.append(
                        Difference(
                            "entry",
                            field,
                            expected[field],
                            actual[field],
                            index=i1 + k,
                            date_text=expected["date_text"],
                        )
                    )
        for i in range(i1 + paired, i2):
            entry = expected_entries[i]
            differences.append(Difference("entry", "missing", entry, None, i, entry["date_text"]))
        for j in range(j1 + paired, j2):
            differences.append(_extra(j, actual_entries[j]))
    return differences


def _entry_dict(data: dict[str, Any]) -> dict[str, Any]:
    """An entry's contract fields, normalised as `EntryRecord` would read them."""
    record = EntryRecord.from_dict(data)
    return {
        "date_text": record.date_text,
        "start": record.start,
        "end": record.end,
        "body": list(record.body),
        "note": record.note,
    }


def _key(entry: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(tuple(entry[f]) if isinstance(entry[f], list) else entry[f] for f in ENTRY_FIELDS)


def _extra(index: int, entry: EntryRecord | dict[str, Any]) -> Difference:
    data = entry.to_dict() if isinstance(entry, EntryRecord) else entry
    return Difference("entry", "extra", None, data, index, data["date_text"])


def _write(path: Path, parsed: ParsedPage) -> bool:
    path.write_text(dumps_golden(parsed), encoding="utf-8")
    return True


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
