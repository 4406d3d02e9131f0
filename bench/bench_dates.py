"""How long match_date takes on the date forms chronology pages head their entries with, against
the general scanner (which reads every form) on the same lines, in the same run.

Run: .venv/bin/python bench/bench_dates.py [--rounds N]

match_date first tries its readers of the common forms (pipeline/dates.py: `_common_match`,
then `_rarer_match`) and leaves every other line to the scanner (`_general_match`); both must
give the same answer, which tests/pipeline/test_dates.py checks. For each form this prints the
median µs of match_date and of the scanner alone, interleaved round by round so that a busy
machine slows them alike, and the ratio. match_date keeps no memo of its own: every call reads
the line afresh.
"""

from __future__ import annotations

import argparse
import statistics
import time
import unicodedata

from pipeline.dates import YearContext, _general_match, match_date

# (the line, the year heading above it, if any)
FORMS: list[tuple[str, YearContext | None]] = [
    ("昭和60年5月", None),
    ("2021年11月1日", None),
    ("平成11年10月3日から10月18日まで", None),
    ("平成12年1月10日(成人の日)", None),
    ("令和2年度", None),
    ("5月12日", YearContext(2019)),
    ("1月20日", YearContext(2020, fiscal=True)),
    ("12月～3月", YearContext(2020, fiscal=True)),
    ("令和6(2024)年11月14日(木曜日)", None),
    ("平成9年7月上旬", None),
    ("平成30年12月26日から平成31年1月4日まで", None),
    ("平成22年4月26日(月曜日)から4月28日(水曜日)まで", None),
    ("平成19年8月　中学生の派遣事業を始めた。", None),
    ("二千〇五年十月", None),  # kanji numerals: a form only the scanner reads
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    fast: dict[str, list[float]] = {line: [] for line, _ in FORMS}
    scanner: dict[str, list[float]] = {line: [] for line, _ in FORMS}
    for round_number in range(args.rounds + 50):
        for line, context in FORMS:
            start = time.perf_counter()
            match_date(line, context=context)
            middle = time.perf_counter()
            _general_match(line, context)
            end = time.perf_counter()
            if round_number >= 50:  # the first rounds warm up imports and caches
                fast[line].append(middle - start)
                scanner[line].append(end - middle)
    print(f"match_date against the scanner alone, {args.rounds} interleaved rounds (median µs)")
    print(f"  {'line':44} {'match_date':>10} {'scanner':>8} {'ratio':>6}")
    total_fast = total_scanner = 0.0
    for line, context in FORMS:
        f, s = statistics.median(fast[line]), statistics.median(scanner[line])
        total_fast, total_scanner = total_fast + f, total_scanner + s
        shown = line + (
            f"  (under {context.year}{'年度' if context.fiscal else '年'})" if context else ""
        )
        print(f"  {_padded(shown, 44)} {f * 1e6:10.2f} {s * 1e6:8.2f} {f / s:5.2f}x")
    print(
        f"  {'all of them':44} {total_fast * 1e6:10.2f} {total_scanner * 1e6:8.2f}"
        f" {total_fast / total_scanner:5.2f}x"
    )


def _padded(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a kanji takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


if __name__ == "__main__":
    main()
