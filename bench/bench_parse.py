"""How long parse_page takes on a real page, against a bare lxml parse of the same bytes.

Run: .venv/bin/python bench/bench_parse.py [PAGE.html] [--rounds N]

Prints the median (and the minimum) per page for a bare `lxml.html.fromstring`, for keika's
parse_page, for parse_page with seed selectors, and for a BeautifulSoup(lxml) parse alone
(what a parser built on BeautifulSoup pays before doing anything), with ratios to bare lxml.
The variants are interleaved round by round, so a busy machine slows them alike.

`--stages` also prints where a cold parse spends its time, stage by stage (the same stages
parse_page runs, timed one by one on the same bytes).

"cold" clears parse_page's memos (date lines, class names) before every round: a page seen
for the first time. It is the headline figure. "warm" keeps them (a watched page re-crawled:
most of its date lines are unchanged).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", type=Path, default=DEFAULT_PAGE)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--stages", action="store_true", help="time each stage of a parse")
    args = parser.parse_args()
    data = args.page.read_bytes()
    seeded = Selectors.from_mapping({"date": "main h2"})

    def cold() -> object:
        parse_module._match.cache_clear()  # every date line parsed afresh
        parse_module._token_names.cache_clear()  # and every class/id attribute
        return parse_page(data)

    variants: dict[str, Callable[[], object]] = {
        "bare lxml.html.fromstring": lambda: lxml.html.fromstring(data),
        "keika parse_page (zero config, cold)": cold,
        "keika parse_page (zero config, warm)": lambda: parse_page(data),
        "keika parse_page (seed selectors, warm)": lambda: parse_page(data, selectors=seeded),
        "BeautifulSoup(lxml) parse alone": lambda: BeautifulSoup(data, "lxml"),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for round_number in range(args.rounds + 5):
        for name, work in variants.items():
            start = time.perf_counter()
            work()
            if round_number >= 5:  # the first rounds warm up imports and caches
                times[name].append(time.perf_counter() - start)

    base_median = statistics.median(times["bare lxml.html.fromstring"])
    base_min = min(times["bare lxml.html.fromstring"])
    cold_median = statistics.median(times["keika parse_page (zero config, cold)"])
    warm_median = statistics.median(times["keika parse_page (zero config, warm)"])
    print(f"page: {args.page.name} ({len(data):,} bytes), {args.rounds} interleaved rounds")
    print(
        f"parse_page, first parse of the page (cold): {cold_median * 1000:.3f} ms"
        f" = {cold_median / base_median:.1f}x bare lxml ({base_median * 1000:.3f} ms)"
    )
    print(
        f"parse_page, page seen before (warm):        {warm_median * 1000:.3f} ms"
        f" = {warm_median / base_median:.1f}x bare lxml"
    )
    print(f"  {'':42} {'median':>9} {'ratio':>6}   {'min':>9} {'ratio':>6}")
    for name, samples in times.items():
        median, best = statistics.median(samples), min(samples)
        print(
            f"  {name:42} {median * 1000:7.3f}ms {median / base_median:5.1f}x"
            f"   {best * 1000:7.3f}ms {best / base_min:5.1f}x"
        )
    if args.stages:
        stages(data, args.rounds, base_median)


def stages(data: bytes, rounds: int, base: float) -> None:
    """Median time of each stage of a cold zero-config parse, as a share of bare lxml."""
    from lxml import etree

    from pipeline.dates import match_date
    from pipeline.encoding import decode_html, decode_html_as

    m = parse_module
    decoded = decode_html_as(data, None)
    text = decoded.text
    utf8 = data if decoded.encoding == "utf-8" else None  # as parse_page gives them

    def prepared() -> etree._Element:
        doc = m._document(text, utf8)
        m._prepare(doc)
        return doc

    doc = prepared()
    root = m._content_root(doc)
    items = m._Flattener().items(root)
    dated = [" ".join(i.lines) for i in items if i.kind == "heading"]
    info = m._page_info(doc, root, None, None, [])

    def dates() -> None:
        for line in dated:
            match_date(line)

    work: dict[str, Callable[[], object]] = {
        "decode the bytes": lambda: decode_html(data, None),
        "lxml parse + drop scripts + mark <br>": prepared,
        "page metadata (id, title, updated)": lambda: m._page_info(doc, root, None, None, []),
        "flatten the content into items": lambda: m._Flattener().items(root),
        f"match_date on the {len(dated)} heading lines": dates,
        "group items (dates memoised)": lambda: m._Grouper(
            items, title=info.title, root=root
        ).run(),
    }
    print(f"  stages of a cold parse ({rounds} rounds each, median):")
    for name, fn in work.items():
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        median = statistics.median(samples)
        print(f"    {name:42} {median * 1000:7.3f}ms {median / base:5.2f}x")


if __name__ == "__main__":
    main()
