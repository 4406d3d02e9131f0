"""How many CPU instructions parse_page costs on a real page, against a bare lxml parse of the
same bytes, counted by valgrind's callgrind.

Run: .venv/bin/python bench/bench_parse_instructions.py [PAGE.html] [--rounds N]

bench_parse.py times the same work; on a shared machine its ratio moves by 0.2-0.3x from run to
run and from CPU to CPU. An instruction count hardly moves: the same code on the same bytes
gives the same count, within about 1%, whatever else the machine is doing (libxml2 seeds its
hash tables at random; the interpreter's seed is fixed here), so a change to the parser that
costs more than that shows. It is not time (libxml2's C runs more instructions
per cycle than the interpreter, so the time ratio is the higher one), but it says whether a
change made the parse cheaper, and by how much.

Each variant runs in a child process under callgrind twice, with `--rounds` and 2x`--rounds`
parses after the same warm-up; the difference, divided by `--rounds`, is the cost of one parse
without the interpreter's start-up and imports.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGE = ROOT / "tests" / "fixtures" / "oyama" / "P-4103" / "v2.html"

# The child: warm up (imports, first parses), then `rounds` parses of the chosen variant, and
# exit at once.
CHILD = """
import gc
import os
import sys
from pathlib import Path
import lxml.html
from pipeline import parse
from pipeline.parse.matching import _match_in
from pipeline.parse.noise import _token_names
data = Path(sys.argv[1]).read_bytes()
variant, rounds = sys.argv[2], int(sys.argv[3])
for _ in range(3):
    parse.parse_page(data)
    lxml.html.fromstring(data)
gc.collect()  # the same heap for every count; no collection left to run by chance
for _ in range(rounds):
    if variant == "lxml":
        lxml.html.fromstring(data)
    elif variant == "cold":
        _match_in.cache_clear()
        _token_names.cache_clear()
        parse.parse_page(data)
    else:
        parse.parse_page(data)
os._exit(0)  # no teardown: freeing the interpreter is no part of a parse
"""

VARIANTS = {
    "lxml": "bare lxml.html.fromstring",
    "cold": "keika parse_page (zero config, cold)",
    "warm": "keika parse_page (zero config, warm)",
}
_COLLECTED_RE = re.compile(r"Collected : (\d+)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", type=Path, default=DEFAULT_PAGE)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench_parse_instructions: valgrind is not installed (apt-get install valgrind)")
    if not args.page.is_file():
        sys.exit(f"bench_parse_instructions: no such page: {args.page}")
    # Compile what the child imports first: a run that writes __pycache__ costs ~200 M more
    # instructions than the next, which would make one count of a pair meaningless.
    subprocess.run(
        [sys.executable, "-P", "-c", "import lxml.html, pipeline.parse"],
        cwd=ROOT,
        env=_child_env(),
        check=True,
    )
    counts = {name: per_parse(args.page, name, args.rounds) for name in VARIANTS}
    base = counts["lxml"]
    print(f"page: {args.page.name}, instructions per parse (callgrind, {args.rounds} rounds)")
    for name, label in VARIANTS.items():
        print(f"  {label:42} {counts[name] / 1e6:7.3f} M  {counts[name] / base:5.2f}x")


def per_parse(page: Path, variant: str, rounds: int) -> float:
    """Instructions of one parse: (count with 2x rounds - count with rounds) / rounds."""
    once, twice = (instructions(page, variant, n) for n in (rounds, 2 * rounds))
    return (twice - once) / rounds


def instructions(page: Path, variant: str, rounds: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/callgrind.out",
                sys.executable,
                "-P",
                "-c",
                CHILD,
                str(page),
                variant,
                str(rounds),
            ],
            cwd=ROOT,
            env=_child_env(),
            capture_output=True,
            text=True,
            check=False,
        )
    found = _COLLECTED_RE.search(result.stderr)
    if result.returncode != 0 or found is None:
        tail = result.stderr.strip().splitlines()[-1:] or ["no output"]
        sys.exit(f"bench_parse_instructions: callgrind failed: {tail[0]}")
    return int(found.group(1))


def _child_env() -> dict[str, str]:
    """The same interpreter state in every child: the checkout's code, a fixed hash seed."""
    return {"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"}


if __name__ == "__main__":
    main()
