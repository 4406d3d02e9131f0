"""How long parse_page takes on a real page, against a bare lxml parse of the same bytes.

Run: .venv/bin/python bench/bench_parse.py [PAGE.html] [--rounds N]
Prints the median per page for keika's parse_page, for a bare `lxml.html.fromstring`, for a
BeautifulSoup(lxml) parse (what a naive parser would pay), and the ratios to bare lxml.
"cold" clears parse_page's memo of date lines before every round (a page seen for the first
time); "warm" keeps it (a watched page re-crawled: most date lines are unchanged).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup

from pipeline import parse as parse_module
from pipeline.parse import Selectors, parse_page

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGE = ROOT / "tests" / "fixtures" / "oyama" / "P-4103" / "v2.html"


def median_ms(work: Callable[[], object], rounds: int) -> float:
    for _ in range(min(20, rounds)):  # warm-up
        work()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", type=Path, default=DEFAULT_PAGE)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    data = args.page.read_bytes()
    seeded = Selectors.from_mapping({"date": "main h2"})

    baseline = median_ms(lambda: lxml.html.fromstring(data), args.rounds)

    def cold() -> object:
        parse_module._match.cache_clear()  # every date line parsed afresh, as on a first crawl
        return parse_page(data)

    rows = [
        ("keika parse_page (zero config, cold)", median_ms(cold, args.rounds)),
        ("keika parse_page (zero config, warm)", median_ms(lambda: parse_page(data), args.rounds)),
        (
            "keika parse_page (seed selectors)",
            median_ms(lambda: parse_page(data, selectors=seeded), max(20, args.rounds // 5)),
        ),
        ("BeautifulSoup(lxml) parse only", median_ms(lambda: BeautifulSoup(data, "lxml"), 50)),
    ]
    print(f"page: {args.page.name} ({len(data):,} bytes), {args.rounds} rounds, median per page")
    print(f"  {'bare lxml.html.fromstring':40} {baseline:8.3f} ms   1.0x")
    for name, ms in rows:
        print(f"  {name:40} {ms:8.3f} ms {ms / baseline:6.1f}x")


if __name__ == "__main__":
    main()
