"""Record-level diff between the last good parse of a page and a new one.

keika reports "the entry 平成19年2月21日から2月22日まで was edited: its second line changed",
not "some lines of the page changed". So instead of diffing text, we match each new record to a
known entry (which carries a stable id assigned by storage) and classify what happened to it:

1. exact matches first (all five contract fields equal), duplicates matched in page order. Text
   is compared as `same_jis_text` reads it: a page re-encoded between UTF-8 and Shift_JIS or
   EUC-JP spells 〜 as ～ (and a few more), and that is the same text, not an edit;
2. then similarity among the leftovers: same date key (date_text, or start/end) or body
   similarity >= BODY_SIMILARITY; date-equal *and* body-similar beats either alone, and nearby
   positions break ties. Candidates come from hash buckets (date_text, start/end, body lines)
   and a small positional window, so the cost stays near-linear. An entry split in two (or two
   merged into one) under one date has lines that all belong to the other record: that counts
   as STRONG_SAME_DATE similar, so the entry continues as the part where it stood (its first
   part), not as whichever part is longer;
3. unchanged entries out of order are "moved": the longest increasing subsequence of their old
   positions (taken in new order) stays put, the rest — the minimal set — moved. An edited entry
   that also moved is reported as edited only;
4. whatever is left is added or removed. An added record exactly like an entry removed earlier
   (`removed`, most recently removed first) is that entry back: it is added under its old id, so
   an entry deleted by mistake and put back keeps its history.

Field-level detail of a matched pair comes from deepdiff, pair by pair (deepdiff over whole
lists is far too slow at thousands of records; see bench/bench_diff.py).
"""

from __future__ import annotations

import bisect
import difflib
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Literal

from pipeline.domain.kinds import ChangeKind
from pipeline.domain.records import (
    ENTRY_FIELDS,
    EntryChange,
    EntryRecord,
    KnownEntry,
    PageInfo,
    RecordDiff,
)
from pipeline.encoding import same_jis_text

LineOp = Literal["equal", "delete", "insert", "replace"]

#: Body similarity (difflib ratio) at which two nearby entries with different dates are the
#: same entry. Far apart, the same date also needs this much; a different date needs FAR_BODY.
BODY_SIMILARITY = 0.6
FAR_BODY_SIMILARITY = 0.9
#: Positions (after aligning on exact matches) within which a candidate counts as nearby; also
#: how many known leftovers either side of the expected position are always considered.
POSITION_WINDOW = 8
#: A nearby candidate this good (same date and this similar, or nearly the same body) ends the
#: search for that new record: scoring its farther candidates would not change the outcome.
STRONG_SAME_DATE = 0.8
STRONG_BODY = 0.95
#: Upper bound of candidates scored per new leftover (keeps the similarity pass near-linear).
MAX_CANDIDATES = 32
#: Upper bound of known leftovers taken from one hash bucket (a very common date or line).
MAX_BUCKET = 16


@dataclass(frozen=True, slots=True)
class LineChange:
    """One line of an entry's before/after view (the date line first, then body lines)."""

    op: LineOp
    before: str | None
    after: str | None


def _record_key(record: EntryRecord) -> tuple:
    """The contract fields, text as `same_jis_text` reads it (body lines joined by NUL, which
    no line holds: one translation per record)."""
    note = same_jis_text(record.note) if record.note else record.note
    body = same_jis_text("\0".join(record.body))
    return (same_jis_text(record.date_text), record.start, record.end, body, note)


def _body_text(record: EntryRecord) -> str:
    text = "\n".join(record.body)
    return f"{text}\n{record.note}" if record.note else text


def _same_date(a: EntryRecord, b: EntryRecord) -> bool:
    if a.date_text == b.date_text:
        return True
    return a.start is not None and (a.start, a.end) == (b.start, b.end)


@dataclass(slots=True)
class _Candidate:
    score: float
    distance: int
    new_index: int
    known_index: int


def _score(
    before: EntryRecord, after: EntryRecord, before_text: str, after_text: str, near: bool
) -> float | None:
    """Similarity of two entries (1 for the same date, plus body ratio), or None when they are
    not plausibly the same entry. Nearby, the same date alone is enough; far away, the body
    must be similar too (and very similar when the date differs)."""
    same_date = _same_date(before, after)
    if not before_text and not after_text:
        return 1.0 if same_date and near else None
    if same_date:
        needed = 0.0 if near else BODY_SIMILARITY
    else:
        needed = BODY_SIMILARITY if near else FAR_BODY_SIMILARITY
    matcher = difflib.SequenceMatcher(None, before_text, after_text, autojunk=False)
    if needed and (matcher.real_quick_ratio() < needed or matcher.quick_ratio() < needed):
        return None
    ratio = matcher.ratio()
    if same_date and ratio < STRONG_SAME_DATE and _split_or_merged(before.body, after.body):
        ratio = STRONG_SAME_DATE
    if ratio < needed:
        return None
    return 1.0 + ratio if same_date else ratio


def _split_or_merged(before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """Whether every line of the shorter body is a line of the longer: a part split off (or
    one of the entries merged), not a rewrite."""
    shorter, longer = (before, after) if len(before) < len(after) else (after, before)
    return bool(shorter) and len(shorter) < len(longer) and set(shorter) <= set(longer)


def _is_strong(score: float, near: bool) -> bool:
    return near and (score >= 1.0 + STRONG_SAME_DATE or STRONG_BODY <= score < 1.0)


def _expected_positions(
    new_count: int, matched_new_to_known: dict[int, int], known_count: int
) -> list[int]:
    """For each new index, where in the old page it would sit, judged from the last anchor."""
    expected = []
    anchor_new, anchor_known = -1, -1
    for j in range(new_count):
        if j in matched_new_to_known:
            anchor_new, anchor_known = j, matched_new_to_known[j]
        expected.append(min(anchor_known + (j - anchor_new), max(known_count - 1, 0)))
    return expected


def _similarity_matches(
    known: Sequence[KnownEntry],
    new: Sequence[EntryRecord],
    known_left: list[int],
    new_left: list[int],
    exact_new_to_known: dict[int, int],
) -> dict[int, int]:
    """Pair leftovers that are the same entry changed; returns new index -> known index."""
    if not known_left or not new_left:
        return {}
    by_date_text: dict[str, list[int]] = defaultdict(list)
    by_span: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    by_body: dict[tuple[str, ...], list[int]] = defaultdict(list)
    by_line: dict[str, list[int]] = defaultdict(list)
    for k in known_left:
        record = known[k].record
        by_date_text[record.date_text].append(k)
        if record.start is not None:
            by_span[(record.start, record.end)].append(k)
        by_body[record.body].append(k)
        for line in set(record.body):
            by_line[line].append(k)

    left_positions = sorted((known[k].position, k) for k in known_left)
    positions_only = [p for p, _ in left_positions]
    exact_positions = {j: known[k].position for j, k in exact_new_to_known.items()}
    expected = _expected_positions(len(new), exact_positions, len(known))

    def nearest(bucket: Sequence[int], around: int) -> Sequence[int]:
        """Up to MAX_BUCKET entries of a bucket (kept in old-page order) around a position."""
        if len(bucket) <= MAX_BUCKET:
            return bucket
        at = bisect.bisect_left(bucket, around, key=lambda k: known[k].position)
        low = max(0, min(at - MAX_BUCKET // 2, len(bucket) - MAX_BUCKET))
        return bucket[low : low + MAX_BUCKET]

    known_text = {k: _body_text(known[k].record) for k in known_left}
    candidates: list[_Candidate] = []
    for j in new_left:
        record = new[j]
        text = _body_text(record)
        around = expected[j]
        pool: dict[int, None] = {}
        for bucket in (
            by_date_text.get(record.date_text, ()),
            by_span.get((record.start, record.end), ()) if record.start is not None else (),
            by_body.get(record.body, ()),
        ):
            pool.update(dict.fromkeys(nearest(bucket, around)))
        for line in record.body:
            pool.update(dict.fromkeys(nearest(by_line.get(line, ()), around)))
        at = bisect.bisect_left(positions_only, around)
        low, high = max(0, at - POSITION_WINDOW), min(len(left_positions), at + POSITION_WINDOW)
        pool.update(dict.fromkeys(k for _, k in left_positions[low:high]))
        ordered = sorted(pool, key=lambda k: abs(known[k].position - around))[:MAX_CANDIDATES]
        for k in ordered:
            distance = abs(known[k].position - around)
            near = distance <= POSITION_WINDOW
            score = _score(known[k].record, record, known_text[k], text, near)
            if score is not None:
                candidates.append(_Candidate(score, distance, j, k))
                if _is_strong(score, near):
                    break

    candidates.sort(key=lambda c: (-c.score, c.distance, c.new_index, c.known_index))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for candidate in candidates:
        if candidate.new_index in pairs or candidate.known_index in taken:
            continue
        pairs[candidate.new_index] = candidate.known_index
        taken.add(candidate.known_index)
    return pairs


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Indexes (into values) of one longest strictly increasing subsequence, O(n log n)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[at] = value
            tail_index[at] = i
        previous[i] = tail_index[at - 1] if at else -1
    keep: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i != -1:
        keep.add(i)
        i = previous[i]
    return keep


def diff_entries(
    known: Sequence[KnownEntry],
    new: Sequence[EntryRecord],
    removed: Sequence[KnownEntry] = (),
) -> RecordDiff:
    """Match new records to known entries and say what was added, edited, removed or moved;
    an added record exactly like a `removed` entry (most recently removed first) keeps its id."""
    known = sorted(known, key=lambda entry: entry.position)
    waiting: dict[tuple, deque[int]] = defaultdict(deque)
    for k, entry in enumerate(known):
        waiting[_record_key(entry.record)].append(k)
    exact: dict[int, int] = {}
    for j, record in enumerate(new):
        queue = waiting.get(_record_key(record))
        if queue:
            exact[j] = queue.popleft()

    matched_known = set(exact.values())
    known_left = [k for k in range(len(known)) if k not in matched_known]
    new_left = [j for j in range(len(new)) if j not in exact]
    similar = _similarity_matches(known, new, known_left, new_left, exact)

    exact_order = sorted(exact)
    in_place = _longest_increasing([known[exact[j]].position for j in exact_order])
    moved = {exact_order[i] for i in range(len(exact_order)) if i not in in_place}

    # (sort key, change): items of the new page sort by their index; a removed entry sorts right
    # after the new position of the nearest earlier known entry that stayed in place.
    placed: list[tuple[tuple[int, int, int], EntryChange]] = []
    new_position_of: dict[int, int] = {}
    for j, k in exact.items():
        new_position_of[k] = j
        if j in moved:
            entry = known[k]
            change = EntryChange(ChangeKind.MOVED, entry.entry_id, entry.record, new[j], j)
            placed.append(((j, 0, 0), change))
    for j, k in similar.items():
        new_position_of[k] = j
        entry = known[k]
        fields_changed = changed_fields(entry.record, new[j])
        change = EntryChange(
            ChangeKind.EDITED, entry.entry_id, entry.record, new[j], j, fields_changed
        )
        placed.append(((j, 0, 0), change))
    added = sorted(j for j in new_left if j not in similar)
    back = _returning(removed, new, added)
    for j in added:
        change = EntryChange(ChangeKind.ADDED, back.get(j), None, new[j], j)
        placed.append(((j, 0, 0), change))

    anchor = -1
    moved_known = {exact[j] for j in moved}
    for k, entry in enumerate(known):
        if k in new_position_of:
            if k not in moved_known:
                anchor = new_position_of[k]
            continue
        change = EntryChange(ChangeKind.REMOVED, entry.entry_id, entry.record, None, None)
        placed.append(((anchor, 1, k), change))

    placed.sort(key=lambda item: item[0])
    kept = tuple(sorted(((known[k].entry_id, j) for k, j in new_position_of.items()), key=_second))
    return RecordDiff(
        changes=tuple(change for _, change in placed),
        kept=kept,
        added_positions=tuple(added),
    )


def _returning(
    removed: Sequence[KnownEntry], new: Sequence[EntryRecord], added: Sequence[int]
) -> dict[int, int]:
    """Added new indexes that are a removed entry back exactly as it was -> that entry's id."""
    if not removed or not added:
        return {}
    waiting: dict[tuple, deque[int]] = defaultdict(deque)
    for entry in removed:
        waiting[_record_key(entry.record)].append(entry.entry_id)
    back: dict[int, int] = {}
    for j in added:
        queue = waiting.get(_record_key(new[j]))
        if queue:
            back[j] = queue.popleft()
    return back


def _second(pair: tuple[int, int]) -> int:
    return pair[1]


def _contract_dict(record: EntryRecord) -> dict[str, object]:
    return dict(zip(ENTRY_FIELDS, _record_key(record), strict=True))


def changed_fields(before: EntryRecord, after: EntryRecord) -> tuple[str, ...]:
    """Contract fields (date_text, start, end, body, note) that differ, in contract order (text
    as `same_jis_text` reads it)."""
    if before == after or _record_key(before) == _record_key(after):
        return ()
    from deepdiff import DeepDiff  # ~0.1-0.7 s to import: only when a pair is compared

    affected = DeepDiff(_contract_dict(before), _contract_dict(after)).affected_root_keys
    return tuple(name for name in ENTRY_FIELDS if name in affected)


def _entry_lines(record: EntryRecord | None) -> list[str]:
    if record is None:
        return []
    lines = [record.date_text, *record.body]
    if record.note:
        lines.append(record.note)
    return lines


def diff_lines(before: EntryRecord | None, after: EntryRecord | None) -> list[LineChange]:
    """Line-by-line view of one entry's change (date line, body lines, note) for display."""
    old, new = _entry_lines(before), _entry_lines(after)
    result: list[LineChange] = []
    matcher = difflib.SequenceMatcher(
        None, [same_jis_text(x) for x in old], [same_jis_text(x) for x in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(map(LineChange, ["equal"] * (i2 - i1), old[i1:i2], new[j1:j2]))
        elif op == "delete":
            result.extend(LineChange("delete", line, None) for line in old[i1:i2])
        elif op == "insert":
            result.extend(LineChange("insert", None, line) for line in new[j1:j2])
        else:
            paired = min(i2 - i1, j2 - j1)
            for offset in range(paired):
                result.append(LineChange("replace", old[i1 + offset], new[j1 + offset]))
            result.extend(LineChange("delete", line, None) for line in old[i1 + paired : i2])
            result.extend(LineChange("insert", None, line) for line in new[j1 + paired : j2])
    return result


def diff_page_info(before: PageInfo | None, after: PageInfo) -> tuple[str, ...]:
    """Names of PageInfo fields that changed; with no previous info, the ones now set.

    `text` (the page's own lines outside its entries) is one of them: an edited intro or note
    is a `page` change with field "text". Metadata and furniture never reach `text`, so an
    update date or an access counter changes `updated` at most. Text is compared as
    `same_jis_text` reads it."""
    if before is None:
        return tuple(f.name for f in fields(after) if getattr(after, f.name))
    return tuple(
        f.name
        for f in fields(after)
        if _jis_value(getattr(before, f.name)) != _jis_value(getattr(after, f.name))
    )


def _jis_value(value: object) -> object:
    """A PageInfo value with its text as `same_jis_text` reads it."""
    if isinstance(value, str):
        return same_jis_text(value)
    if isinstance(value, tuple):
        return tuple(_jis_value(item) for item in value)
    return value
