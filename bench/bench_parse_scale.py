"""How parse_page's cost grows with a page's length, layout by layout.

Run: .venv/bin/python bench/bench_parse_scale.py [--small N] [--large N] [--rounds N]

A city's 年表 can hold thousands of rows. For each layout the parser reads (headings, a table,
lines split by <br>, cards dated at their end or at their head, a list of bare years) this
builds a page of `--small` entries and one of `--large`, parses each `--rounds` times
(interleaved, so a busy machine slows both alike) and prints the median time per entry of
each and their ratio: about 1.0 is linear growth; a ratio near large/small is quadratic, as a
year carried down a 4000-row table once was (0.58 s against 0.07 s now). The baseline is the
same layout's small page in the same run, so the figure does not move with the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from pipeline.parse import parse_page


def _date(i: int) -> str:
    return f"平成{1 + i % 30}年{1 + i % 12}月{1 + i % 28}日"


LAYOUTS: dict[str, Callable[[int], str]] = {
    "dated headings": lambda n: "".join(f"<h2>{_date(i)}</h2><p>本文{i}</p>" for i in range(n)),
    "table rows": lambda n: (
        "<table>"
        + "".join(f"<tr><td>{_date(i)}</td><td>本文{i}</td></tr>" for i in range(n))
        + "</table>"
    ),
    "year rows, then months": lambda n: (
        "<table>"
        + "".join(
            f"<tr><td>{1900 + i // 12}年{1 + i % 12}月</td><td>本文{i}</td></tr>"
            if i % 12 == 0
            else f"<tr><td>{1 + i % 12}月</td><td>本文{i}</td></tr>"
            for i in range(n)
        )
        + "</table>"
    ),
    "lines split by <br>": lambda n: (
        "<p>" + "<br>".join(f"{_date(i)}　本文{i}" for i in range(n)) + "</p>"
    ),
    "cards dated at their end": lambda n: "".join(
        f'<div class="card"><h3>題{i}</h3><p>本文{i}</p><p>掲載日：{_date(i)}</p></div>'
        for i in range(n)
    ),
    "cards dated at their head": lambda n: "".join(
        f"<article><time>{_date(i)}</time><h3>題{i}</h3><p>本文{i}</p></article>" for i in range(n)
    ),
    "bare years in a <dl>": lambda n: (
        "<dl>"
        + "".join(f"<dt>{1000 + i * 1999 // n}</dt><dd>本文{i}</dd>" for i in range(n))
        + "</dl>"
    ),
}


def _page(body: str) -> bytes:
    return (
        '<html><head><meta charset="utf-8"><title>年表</title></head>'
        f"<body><main><h1>年表</h1>{body}</main></body></html>"
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"time per entry: {args.small} entries against {args.large}, {args.rounds} rounds")
    print(f"  {'layout':28} {'small':>10} {'large':>10} {'growth':>7}")
    for name, make in LAYOUTS.items():
        pages = {size: _page(make(size)) for size in (args.small, args.large)}
        counts = {size: len(parse_page(data).entries) for size, data in pages.items()}
        samples: dict[int, list[float]] = {size: [] for size in pages}
        for _ in range(args.rounds):
            for size, data in pages.items():
                start = time.perf_counter()
                parse_page(data)
                samples[size].append((time.perf_counter() - start) / size)
        small, large = (statistics.median(samples[size]) for size in (args.small, args.large))
        note = "" if counts == {size: size for size in pages} else f"  (entries: {counts})"
        print(f"  {name:28} {small * 1e6:8.1f}µs {large * 1e6:8.1f}µs {large / small:6.2f}x{note}")


if __name__ == "__main__":
    main()
