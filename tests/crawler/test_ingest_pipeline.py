"""The spider with keika's IngestPipeline into a real SQLite database, and `scrapy crawl pages`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FAST_SETTINGS, Reply
from sqlalchemy import select

from crawler.run import run_crawl_in_child
from crawler.spiders.pages import targets_for_seeds
from pipeline.seeds import load_seeds
from storage.crawls import fetch_rows
from storage.db import Database
from storage.models import Crawl, Page

REPO = Path(__file__).parent.parent.parent
V2 = (REPO / "tests" / "fixtures" / "oyama" / "P-4103" / "v2.html").read_bytes()


def write_seeds(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "seeds.toml"
    path.write_text(
        '[defaults]\ncontact = "https://example.org/who"\n\n'
        f'[[page]]\nkey = "oyama-p4103"\nurl = "{url}"\n',
        encoding="utf-8",
    )
    return path


def serve_v2(fixture_server) -> str:
    fixture_server.route(
        "/P-4103.html",
        Reply(
            body=V2,
            content_type="text/html",
            etag='"v2"',
            last_modified="Mon, 01 Jun 2026 00:00:00 GMT",
        ),
    )
    return fixture_server.url("/P-4103.html")


def test_first_crawl_stores_a_baseline_and_second_is_not_modified(fixture_server, tmp_path):
    seeds_path = write_seeds(tmp_path, serve_v2(fixture_server))
    db_url = f"sqlite:///{tmp_path / 'keika.db'}"
    settings = {**FAST_SETTINGS, "KEIKA_DATABASE_URL": db_url, "KEIKA_SEEDS": str(seeds_path)}
    seeds = load_seeds(seeds_path).seeds
    db = Database(db_url)

    for _ in range(2):
        outcome = run_crawl_in_child(
            targets_for_seeds(seeds, db_url), settings=settings, timeout=60
        )
        assert outcome.ok, outcome

    with db.session() as session:
        rows = fetch_rows(session, page_key="oyama-p4103")
        crawls = session.scalars(select(Crawl).order_by(Crawl.id)).all()
        page = session.scalars(select(Page)).one()
    assert [r.outcome for r in rows] == ["baseline", "not_modified"]
    assert rows[0].entry_count and rows[0].entry_count > 20
    assert [c.status for c in crawls] == ["finished", "finished"]
    assert page.etag == '"v2"'
    second = fixture_server.requests_for("/P-4103.html")[1]
    assert second.headers["if-none-match"] == '"v2"'
    db.dispose()


def test_scrapy_crawl_command_reads_seeds_and_database(fixture_server, tmp_path):
    seeds_path = write_seeds(tmp_path, serve_v2(fixture_server))
    db_url = f"sqlite:///{tmp_path / 'keika.db'}"
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "pages",
        "-a",
        f"seeds={seeds_path}",
        "-a",
        "page=oyama-p4103",
        "-s",
        f"KEIKA_DATABASE_URL={db_url}",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
    ]
    env = {k: v for k, v in os.environ.items() if k != "KEIKA_CONTACT"}
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

    db = Database(db_url)
    with db.session() as session:
        rows = fetch_rows(session, page_key="oyama-p4103")
    db.dispose()
    assert [r.outcome for r in rows] == ["baseline"]
    agents = {r.headers["user-agent"] for r in fixture_server.requests}
    assert agents == {"keika/0.1 (+https://example.org/who)"}
