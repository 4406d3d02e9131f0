"""How long parse_page takes on a real page, against a bare lxml parse of the same bytes.

Run: .venv/bin/python bench/bench_parse.py [PAGE.html] [--rounds N] [--stages]

Prints the median (and the minimum) per page for a bare `lxml.html.fromstring` and for keika's
parse_page, cold and warm, with ratios to bare lxml; then, as references, parse_page with seed
selectors and a BeautifulSoup(lxml) parse alone (what a parser built on BeautifulSoup pays
before doing anything). Variants are interleaved round by round, so a busy machine slows them
alike.

The references run in their own interleaved rounds, with their own lxml baseline: a
BeautifulSoup parse churns through megabytes and evicts the CPU caches, and whatever runs right
after it is slowed, Python code more than lxml's C (a cold parse_page timed right after one
read 5.8x instead of 5.0x against the same lxml).

"cold" clears parse_page's memos (date lines, class names) before every round, outside the
timing: a page seen for the first time. It is the headline figure. "warm" keeps them (a watched
page re-crawled: most of its date lines are unchanged).

`--stages` also prints where a cold parse spends its time, stage by stage (the same stages
parse_page runs, timed one by one on the same bytes). bench_parse_instructions.py counts the
same parses in CPU instructions (callgrind), a figure that does not move with the machine's load."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup

from pipeline.parse import parse_page
from pipeline.parse.content import _content_root
from pipeline.parse.document import _document, _prepare
from pipeline.parse.flatten import _Flattener
from pipeline.parse.group import _Grouper
from pipeline.parse.matching import _match_in
from pipeline.parse.noise import _token_names
from pipeline.parse.page_info import _page_info
from pipeline.selectors import Selectors

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

    def forget() -> None:
        """What a first sight of the page means: no memo of its date lines or class names."""
        _match_in.cache_clear()
        _token_names.cache_clear()

    # (setup outside the timing, work) per variant
    subjects: dict[str, tuple[Callable[[], object] | None, Callable[[], object]]] = {
        BASELINE: (None, lambda: lxml.html.fromstring(data)),
        COLD: (forget, lambda: parse_page(data)),
        WARM: (None, lambda: parse_page(data)),
    }
    references: dict[str, tuple[Callable[[], object] | None, Callable[[], object]]] = {
        BASELINE: (None, lambda: lxml.html.fromstring(data)),
        "keika parse_page (seed selectors, warm)": (
            None,
            lambda: parse_page(data, selectors=seeded),
        ),
        "BeautifulSoup(lxml) parse alone": (None, lambda: BeautifulSoup(data, "lxml")),
    }
    parse_times = interleaved(subjects, args.rounds)
    reference_times = interleaved(references, args.rounds)

    base_median = statistics.median(parse_times[BASELINE])
    cold_median = statistics.median(parse_times[COLD])
    warm_median = statistics.median(parse_times[WARM])
    print(f"page: {args.page.name} ({len(data):,} bytes), {args.rounds} interleaved rounds")
    print(
        f"parse_page, first parse of the page (cold): {cold_median * 1000:.3f} ms"
        f" = {cold_median / base_median:.1f}x bare lxml ({base_median * 1000:.3f} ms)"
    )
    print(
        f"parse_page, page seen before (warm):        {warm_median * 1000:.3f} ms"
        f" = {warm_median / base_median:.1f}x bare lxml"
    )
    table(parse_times)
    print("  references, interleaved with their own bare lxml rounds:")
    table(reference_times)
    if args.stages:
        stages(data, args.rounds, base_median)


BASELINE = "bare lxml.html.fromstring"
COLD = "keika parse_page (zero config, cold)"
WARM = "keika parse_page (zero config, warm)"


def interleaved(
    variants: dict[str, tuple[Callable[[], object] | None, Callable[[], object]]], rounds: int
) -> dict[str, list[float]]:
    """Each variant once per round, in turn, so a busy machine slows them alike; the first
    rounds only warm up imports and caches."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for round_number in range(rounds + 5):
        for name, (setup, work) in variants.items():
            if setup is not None:
                setup()
            start = time.perf_counter()
            work()
            if round_number >= 5:
                times[name].append(time.perf_counter() - start)
    return times


def table(times: dict[str, list[float]]) -> None:
    base_median, base_min = statistics.median(times[BASELINE]), min(times[BASELINE])
    print(f"  {'':42} {'median':>9} {'ratio':>6}   {'min':>9} {'ratio':>6}")
    for name, samples in times.items():
        median, best = statistics.median(samples), min(samples)
        print(
            f"  {name:42} {median * 1000:7.3f}ms {median / base_median:5.1f}x"
            f"   {best * 1000:7.3f}ms {best / base_min:5.1f}x"
        )


def stages(data: bytes, rounds: int, base: float) -> None:
    """Median time of each stage of a cold zero-config parse, as a share of bare lxml."""
    from lxml import etree

    from pipeline.dates import match_date
    from pipeline.encoding import decode_html, decode_html_as

    decoded = decode_html_as(data, None)
    text = decoded.text
    utf8 = data if decoded.encoding == "utf-8" else None  # as parse_page gives them

    def prepared() -> etree._Element:
        doc = _document(text, utf8)
        _prepare(doc)
        return doc

    doc = prepared()
    root = _content_root(doc)
    items = _Flattener().items(root)
    dated = [" ".join(i.lines) for i in items if i.kind == "heading"]
    info = _page_info(doc, root, None, None, [])

    def dates() -> None:
        for line in dated:
            match_date(line)

    work: dict[str, Callable[[], object]] = {
        "decode the bytes": lambda: decode_html(data, None),
        "lxml parse + drop scripts + mark <br>": prepared,
        "page metadata (id, title, updated)": lambda: _page_info(doc, root, None, None, []),
        "flatten the content into items": lambda: _Flattener().items(root),
        f"match_date on the {len(dated)} heading lines": dates,
        "group items (dates memoised)": lambda: _Grouper(items, title=info.title, root=root).run(),
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
