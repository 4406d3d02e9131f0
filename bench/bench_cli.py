"""How long `keika changes` and `keika info` take on a database with 20,000 change events.

Run: .venv/bin/python bench/bench_cli.py [--events 20000] [--repeat 3] [--before CHECKOUT]

Builds a SQLite database: P-4103 v1 through the real ingest stage, then `--events` synthetic
`edited` change events (one a minute) on that page. Each command runs in a fresh child process,
its output sent to /dev/null; the figures are wall time and the child's peak RSS, fastest of
--repeat runs. Baselines measured in the same run:

  python -c pass       the interpreter's own start-up (every figure is also shown as a ratio)
  old table / old json what `keika changes` did before issue 14: every row into a list, then one
                       Rich table (or one json.dumps) of all of them
  --before CHECKOUT    `keika info`, `keika changes` and `--json` run from an earlier checkout
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
V1 = ROOT / "tests" / "fixtures" / "oyama" / "P-4103" / "v1.html"

OLD_TABLE = """
import sys
from rich import box
from rich.table import Table
from keika.console import open_db, out
from storage.changes import list_changes
with open_db(sys.argv[1]).session() as session:
    rows = list_changes(session)
table = Table("id", "detected", "page", "kind", "date", "fields", box=box.SIMPLE_HEAD)
for r in rows:
    table.add_row(str(r.id), r.detected_at.strftime("%m-%d %H:%M"), r.page, r.kind,
                  r.date_text or "", ", ".join(r.fields))
out.print(table)
"""
OLD_JSON = """
import sys
from keika.console import open_db, print_json
from storage.changes import list_changes
with open_db(sys.argv[1]).session() as session:
    rows = list_changes(session)
print_json([r.to_dict() for r in rows])
"""


def build(url: str, events: int) -> None:
    from sqlalchemy import insert, select

    from pipeline.domain.fetch import FetchResult
    from pipeline.domain.seed import Seed
    from pipeline.services.crawl import begin_crawl
    from pipeline.services.ingest import ingest_fetch
    from storage.crawls import finish_crawl
    from storage.db import Database
    from storage.models import ChangeEvent, Entry, Fetch

    db = Database(url)
    seed = Seed(key="oyama-benxi", url="http://127.0.0.1:8000/page004103.html")
    crawl_id = begin_crawl(db, "manual")
    now = datetime.now(UTC)
    result = FetchResult(
        key=seed.key,
        url=seed.url,
        started_at=now,
        fetched_at=now,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        body=V1.read_bytes(),
    )
    ingest_fetch(db, crawl_id, seed, result)
    with db.session() as session:
        finish_crawl(session, crawl_id)
    with db.session() as session:
        fetch = session.scalar(select(Fetch).order_by(Fetch.id.desc()).limit(1))
        entries = session.scalars(select(Entry).order_by(Entry.id)).all()
        start = datetime(2026, 1, 1, tzinfo=UTC)
        rows = [
            {
                "page_id": fetch.page_id,
                "crawl_id": fetch.crawl_id,
                "fetch_id": fetch.id,
                "kind": "edited",
                "entry_id": entries[i % len(entries)].id,
                "before_version_id": entries[i % len(entries)].current_version_id,
                "after_version_id": entries[i % len(entries)].current_version_id,
                "date_text": f"平成{i % 31 + 1}年{i % 12 + 1}月",
                "fields": ["body"],
                "detected_at": start + timedelta(minutes=i),
            }
            for i in range(events)
        ]
        session.execute(insert(ChangeEvent), rows)
    db.dispose()


def run(argv: list[str], repeat: int, root: Path = ROOT) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of the fastest of `repeat` runs of a child process."""
    best = (float("inf"), 0.0)
    env = {**os.environ, "PYTHONPATH": str(root)}
    for _ in range(repeat):
        began = time.perf_counter()
        # cwd too: `python -m` puts the current folder first on sys.path.
        child = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=root
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        took = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {child.stderr.read().decode()}")
        child.stderr.close()
        best = min(best, (took, usage.ru_maxrss / 1024))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--before", type=Path, help="a checkout of an earlier keika to run the same commands from"
    )
    parser.add_argument("--build", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build, args.events)
        return
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        url = f"sqlite:///{Path(folder) / 'keika.db'}"
        began = time.perf_counter()
        # In a child: this process stays small, so children forked from it report their own RSS.
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, __file__, "--build", url, "--events", str(args.events)],
            check=True,
            env=env,
        )
        print(f"built {args.events} change events in {time.perf_counter() - began:.1f}s ({url})")
        py = sys.executable
        keika = [py, "-m", "keika.cli"]
        none = str(Path(folder) / "no-seeds")
        cases = [
            ("python -c pass (baseline)", [py, "-c", "pass"]),
            ("keika --version", [*keika, "--version"]),
            ("keika info", [*keika, "info", "--db", url, "--seeds", none]),
            ("keika changes (newest 50)", [*keika, "changes", "--db", url]),
            ("keika changes --limit 500", [*keika, "changes", "--limit", "500", "--db", url]),
            ("keika changes --all", [*keika, "changes", "--all", "--db", url]),
            ("keika changes --json", [*keika, "changes", "--json", "--db", url]),
            ("keika changes --csv", [*keika, "changes", "--csv", "--db", url]),
            ("old table of all (before)", [py, "-c", OLD_TABLE, url]),
            ("old json of all (before)", [py, "-c", OLD_JSON, url]),
        ]
        figures = {name: run(argv, args.repeat) for name, argv in cases}
        if args.before:  # the same commands from the earlier checkout (no --limit/--all there)
            for name, argv in cases[2:4] + cases[6:7]:
                figures[f"{name.split(' (')[0]} (--before)"] = run(argv, args.repeat, args.before)
    base = figures["python -c pass (baseline)"][0]
    print(f"\n{'command':<30} {'seconds':>8} {'x python':>9} {'peak MB':>8}")
    for name, (took, rss) in figures.items():
        print(f"{name:<30} {took:>8.3f} {took / base:>9.1f} {rss:>8.0f}")
    old_table, old_json = figures["old table of all (before)"], figures["old json of all (before)"]
    newest, every = figures["keika changes (newest 50)"], figures["keika changes --all"]
    as_json = figures["keika changes --json"]
    print(
        f"\nthe table: newest 50 {old_table[0] / newest[0]:.0f}x and --all "
        f"{old_table[0] / every[0]:.1f}x faster than the old table of every row"
        f"\n--json: {old_json[0] / as_json[0]:.1f}x faster, peak RSS {as_json[1]:.0f} MB "
        f"vs {old_json[1]:.0f} MB"
    )


if __name__ == "__main__":
    main()
