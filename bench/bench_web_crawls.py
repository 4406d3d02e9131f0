"""How long `/crawls` takes over fetches of 600-entry pages, against the old query in the same run.

Run: .venv/bin/python bench/bench_web_crawls.py [--pages 6] [--crawls 10] [--entries 600]

Fills a fresh SQLite database through the real ingest stage: `--pages` pages of `--entries`
dated entries each, crawled `--crawls` times (one entry edited each time, so every fetch stores
its parsed JSON, as a real crawl of a changing page does). Then times, 30 times each:

  (a) baseline — the crawl list as it was loaded before: whole Fetch rows (parsed JSON, headers)
  (b) keika    — storage.overview.crawl_page, which selects only the columns the page shows
  (c) GET /crawls through the web app (Starlette's TestClient), end to end

and prints p50/p90 in ms and the ratio (a)/(b).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from pipeline.domain.fetch import FetchResult  # noqa: E402
from pipeline.domain.seed import Seed  # noqa: E402
from pipeline.services.crawl import begin_crawl  # noqa: E402
from pipeline.services.ingest import ingest_fetch  # noqa: E402
from storage.crawls import fetch_row, finish_crawl  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Crawl, Fetch, Page  # noqa: E402
from storage.overview import crawl_page  # noqa: E402

ERAS = [("昭和", 1926, 63), ("平成", 1989, 30)]


def page_html(entries: int, version: int) -> bytes:
    """A page in P-4103's markup with `entries` dated entries; entry `version` is edited."""
    parts = []
    for i in range(entries):
        era, _first, years = ERAS[i % 2]
        year, month, day = 1 + (i // 336) % years, 1 + (i // 28) % 12, 1 + i % 28
        text = f"第{i}回の交流事業として視察団が来訪し、工場と学校を視察した。"
        if i == version % entries:
            text += f"(第{version}版で追記)"
        parts.append(f"<h2>{era}{year}年{month}月{day}日</h2>\n<p>{text}<br>記録{i}</p>\n")
    body = "".join(parts)
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>交流経過</title>'
        f'</head><body><h1>交流経過</h1><div class="article-body">\n{body}</div></body></html>'
    ).encode()


def fill(db: Database, pages: int, crawls: int, entries: int) -> None:
    seeds = [Seed(key=f"page-{n}", url=f"http://127.0.0.1:9/page-{n}.html") for n in range(pages)]
    for version in range(crawls):
        crawl_id = begin_crawl(db, "manual")
        for seed in seeds:
            now = datetime.now(UTC)
            ingest_fetch(
                db,
                crawl_id,
                seed,
                FetchResult(
                    key=seed.key,
                    url=seed.url,
                    started_at=now,
                    fetched_at=now,
                    status=200,
                    headers={"content-type": "text/html; charset=utf-8"},
                    body=page_html(entries, version),
                ),
            )
        with db.session() as session:
            finish_crawl(session, crawl_id)


def baseline(db: Database, per_page: int = 50) -> int:
    """The crawl list's queries as they were: whole Fetch rows, parsed JSON included."""
    with db.session() as session:
        session.scalar(select(func.count()).select_from(select(Crawl).subquery()))
        crawls = session.scalars(select(Crawl).order_by(Crawl.id.desc()).limit(per_page)).all()
        rows = session.execute(
            select(Fetch, Page.key, Crawl.status)
            .join(Page, Fetch.page_id == Page.id)
            .join(Crawl, Fetch.crawl_id == Crawl.id)
            .where(Fetch.crawl_id.in_([c.id for c in crawls]))
            .order_by(Fetch.id)
        )
        return len([fetch_row(f, k, s) for f, k, s in rows])


def current(db: Database) -> int:
    with db.session() as session:
        return sum(len(c.fetches) for c in crawl_page(session).rows)


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--crawls", type=int, default=10)
    parser.add_argument("--entries", type=int, default=600)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="keika-bench-web-"))
    db = Database(f"sqlite:///{folder / 'bench.db'}")
    start = time.perf_counter()
    fill(db, args.pages, args.crawls, args.entries)
    print(
        f"filled: {args.pages} pages x {args.crawls} crawls of {args.entries} entries "
        f"in {time.perf_counter() - start:.1f} s ({(folder / 'bench.db').stat().st_size >> 20} MB)"
    )
    assert baseline(db) == current(db) == args.pages * args.crawls

    from starlette.testclient import TestClient

    from keika.web.app import create_app

    client = TestClient(create_app(db))

    def web() -> None:
        assert client.get("/crawls").status_code == 200

    results = {
        "baseline (whole fetch rows)": timed(lambda: baseline(db), args.runs),
        "keika crawl_page (columns)": timed(lambda: current(db), args.runs),
        "GET /crawls (end to end)": timed(web, args.runs),
    }
    for name, times in results.items():
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"{name:<30} p50 {statistics.median(times):8.1f} ms   p90 {p90:8.1f} ms")
    ratio = statistics.median(results["baseline (whole fetch rows)"]) / statistics.median(
        results["keika crawl_page (columns)"]
    )
    print(f"ratio baseline / keika (p50): {ratio:.1f}x")
    db.dispose()


if __name__ == "__main__":
    main()
