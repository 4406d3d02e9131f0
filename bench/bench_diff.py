"""How fast is pipeline.diff.diff_entries on a big page, against deepdiff over the whole lists?

Run: .venv/bin/python bench/bench_diff.py [--entries 10000] [--runs 5] [--deepdiff-cap 120]

Builds a realistic chronology (era dates, 1-3 Japanese body lines), a second version with 1%
of entries edited (half body edits, half date corrections) plus a few insertions, removals and
moves, then times diff_entries (median of several runs) and, in the same run, DeepDiff over the
two lists of record dicts (plain, and with group_by="date_text"), each in a child process that
is stopped after --deepdiff-cap seconds. Prints the figures and the ratios.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import time

from deepdiff import DeepDiff

from pipeline.diff import KnownEntry, diff_entries
from pipeline.domain.records import EntryRecord

ERAS = (("昭和", 1925), ("平成", 1988), ("令和", 2018))
SUBJECTS = (
    "本渓市友好訪問団",
    "小山市民訪中団",
    "環境保護視察団",
    "少年サッカー団",
    "市議会議員団",
)
ACTIONS = (
    "が本市に来訪した。",
    "が本渓市を訪問した。",
    "と懇談し、今後の交流について意見を交わした。",
    "を団長とする一行{n}名が市内を視察した。",
    "への表敬訪問を始め、市内の工場等を視察した。",
    "と歓迎交流会で交流を深めた。",
)


def _date(rng: random.Random) -> tuple[str, str, str]:
    era, base = rng.choice(ERAS)
    year = rng.randint(1, 30)
    month = rng.randint(1, 12)
    iso_year = base + year
    if rng.random() < 0.4:
        return f"{era}{year}年{month}月", f"{iso_year}-{month:02d}", f"{iso_year}-{month:02d}"
    day = rng.randint(1, 27)
    start = f"{iso_year}-{month:02d}-{day:02d}"
    if rng.random() < 0.5:
        return f"{era}{year}年{month}月{day}日", start, start
    end = f"{iso_year}-{month:02d}-{day + 1:02d}"
    return f"{era}{year}年{month}月{day}日から{month}月{day + 1}日まで", start, end


def _line(rng: random.Random) -> str:
    action = rng.choice(ACTIONS).format(n=rng.randint(3, 30))
    return f"{rng.choice(SUBJECTS)}{action}"


def make_page(count: int, rng: random.Random) -> list[EntryRecord]:
    entries = []
    for _ in range(count):
        date_text, start, end = _date(rng)
        body = tuple(_line(rng) for _ in range(rng.randint(1, 3)))
        entries.append(EntryRecord(date_text, start, end, body))
    return entries


def make_next_version(
    old: list[EntryRecord], rng: random.Random
) -> tuple[list[EntryRecord], dict[str, int]]:
    """The page after a year of edits; returns it with the changes that were injected."""
    new = list(old)
    edit_count = max(2, len(old) // 100)
    edited = rng.sample(range(len(new)), edit_count)
    for n, i in enumerate(edited):
        record = new[i]
        if n % 2:
            date_text, start, end = _date(rng)
            new[i] = EntryRecord(date_text, start, end, record.body)
        else:
            body = list(record.body)
            line = rng.randrange(len(body))
            body[line] = body[line].replace("した。", "し、記念品を贈呈した。")
            if body[line] == record.body[line]:
                body[line] += "(写真あり)"
            new[i] = EntryRecord(record.date_text, record.start, record.end, tuple(body))
    untouched = [i for i in range(len(new)) if i not in set(edited)]
    removed = set(rng.sample(untouched, 10))
    moved = rng.sample([i for i in untouched if i not in removed], 5)
    moved_records = [new[i] for i in moved]
    new = [r for i, r in enumerate(new) if i not in removed and i not in set(moved)]
    for record in moved_records:
        new.insert(rng.randrange(len(new)), record)
    for record in make_page(10, rng):
        new.insert(rng.randrange(len(new)), record)
    injected = {"added": 10, "edited": edit_count, "removed": 10, "moved": len(moved)}
    return new, injected


def _run_deepdiff(old_dicts, new_dicts, group_by, done) -> None:
    started = time.perf_counter()
    try:
        if group_by:
            DeepDiff(old_dicts, new_dicts, group_by=group_by)
        else:
            DeepDiff(old_dicts, new_dicts)
    except Exception as error:  # reported, not hidden: the figure would be meaningless
        done.put(f"{type(error).__name__}: {error}")
        return
    done.put(time.perf_counter() - started)


def time_deepdiff(old_dicts, new_dicts, group_by: str | None, cap: float) -> float | str | None:
    """Seconds DeepDiff took in a child process, its error, or None when it ran past the cap."""
    done = multiprocessing.Queue()
    child = multiprocessing.Process(
        target=_run_deepdiff, args=(old_dicts, new_dicts, group_by, done), daemon=True
    )
    child.start()
    child.join(cap)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return done.get() if not done.empty() else None


def time_diff_entries(known, new, runs: int) -> tuple[float, dict[str, int]]:
    timings = []
    counts: dict[str, int] = {}
    for _ in range(runs):
        started = time.perf_counter()
        diff = diff_entries(known, new)
        timings.append(time.perf_counter() - started)
        counts = diff.counts
    return statistics.median(timings), counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--deepdiff-cap", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=4103)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    old = make_page(args.entries, rng)
    new, injected = make_next_version(old, rng)
    known = [KnownEntry(i + 1, record, i) for i, record in enumerate(old)]

    ours, counts = time_diff_entries(known, new, args.runs)
    unchanged, _ = time_diff_entries(known, old, args.runs)
    all_edited = [EntryRecord(r.date_text, r.start, r.end, (*r.body, "追記。")) for r in old]
    worst, worst_counts = time_diff_entries(known, all_edited, max(1, args.runs // 2))

    print(f"entries: {len(old)} old, {len(new)} new; injected {injected}")
    print(f"diff_entries found          {counts}")
    print(f"diff_entries (median of {args.runs}) {ours * 1000:9.1f} ms")
    print(f"diff_entries, no change     {unchanged * 1000:9.1f} ms")
    print(f"diff_entries, all edited    {worst * 1000:9.1f} ms  {worst_counts}")

    old_dicts = [r.to_dict() for r in old]
    new_dicts = [r.to_dict() for r in new]
    for label, group_by in (
        ("DeepDiff(old, new)", None),
        ('group_by="date_text" (lossy)', "date_text"),
    ):
        seconds = time_deepdiff(old_dicts, new_dicts, group_by, args.deepdiff_cap)
        if isinstance(seconds, str):
            print(f"{label:30} failed: {seconds}")
        elif seconds is None:
            print(
                f"{label:30} > {args.deepdiff_cap:.0f} s (stopped); ratio > "
                f"{args.deepdiff_cap / ours:.0f}x"
            )
        else:
            print(f"{label:30} {seconds * 1000:9.1f} ms  ratio {seconds / ours:7.1f}x")


if __name__ == "__main__":
    main()
