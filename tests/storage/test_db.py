"""Storage on both backends: schema migrations, Japanese JSON, snapshots, crawl bookkeeping."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import in_tx
from sqlalchemy import func, select, text

from pipeline.domain.errors import StorageError
from storage.archive import snapshot_bytes, store_snapshot
from storage.crawls import fetch_rows, finish_crawl, mark_interrupted, start_crawl
from storage.db import Database, current_revision, database_url, head_revision, make_engine
from storage.models import Crawl, EntryVersion, Fetch, Page, Snapshot


def test_new_database_is_at_head(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()


def test_json_with_japanese_is_queryable(db: Database) -> None:
    with db.session() as session:
        page = Page(key="p", url="http://127.0.0.1/")
        session.add(page)
        session.flush()
        session.add(
            EntryVersion(
                entry_id=_entry(session, page),
                date_text="平成4年11月から12月まで",
                record={"date_text": "平成4年11月から12月まで", "body": ["本渓市訪日美術団"]},
            )
        )
    with db.session() as session:
        found = session.scalar(
            select(EntryVersion).where(
                EntryVersion.record["date_text"].as_string() == "平成4年11月から12月まで"
            )
        )
        assert found is not None
        assert found.record["body"] == ["本渓市訪日美術団"]


def _entry(session, page: Page) -> int:  # type: ignore[no-untyped-def]
    from storage.models import Entry

    entry = Entry(page_id=page.id, position=0)
    session.add(entry)
    session.flush()
    return entry.id


def test_snapshots_are_compressed_and_deduplicated(db: Database) -> None:
    body = "<h2>昭和60年5月</h2>".encode() * 200
    with db.session() as session:
        first = store_snapshot(session, body)
        second = store_snapshot(session, body)
        assert first.id == second.id
        assert len(first.data) < len(body)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 1
        assert snapshot_bytes(session.scalars(select(Snapshot)).one()) == body


def test_finish_crawl_counts_outcomes(db: Database) -> None:
    crawl_id = in_tx(db, start_crawl)
    with db.session() as session:
        page = Page(key="p", url="http://127.0.0.1/p")
        session.add(page)
        session.flush()
        for outcome in ("changed", "failed", "changed"):
            session.add(Fetch(crawl_id=crawl_id, page_id=page.id, url=page.url, outcome=outcome))
    assert in_tx(db, finish_crawl, crawl_id) == {"changed": 2, "failed": 1}
    with db.session() as session:
        crawl = session.get(Crawl, crawl_id)
        assert crawl is not None and crawl.status == "finished"
        rows = fetch_rows(session, page_key="p")
        assert [r.outcome for r in rows] == ["changed", "failed", "changed"]
        assert rows[0].to_dict()["page"] == "p"


def test_crawl_left_running_by_a_dead_process_is_marked_interrupted(db: Database) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    with db.session() as session:
        session.add(Crawl(status="running", pid=int(dead.stdout)))
    with db.session() as session:
        assert len(mark_interrupted(session)) == 1
    with db.session() as session:
        assert session.scalars(select(Crawl.status)).all() == ["interrupted"]


def test_a_crawl_running_on_another_host_is_left_alone(db: Database) -> None:
    """A pid is only meaningful on its own machine: a worker elsewhere keeps its crawl."""
    dead_here = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    with db.session() as session:
        session.add(Crawl(status="running", pid=int(dead_here.stdout), host="another-machine"))
    with db.session() as session:
        assert mark_interrupted(session) == []
    with db.session() as session:
        assert session.scalars(select(Crawl.status)).all() == ["running"]


def test_database_written_by_a_newer_keika_is_refused(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    Database(url).dispose()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    with pytest.raises(StorageError, match="newer than this keika"):
        Database(url)


def test_unreachable_postgres_is_one_clear_error() -> None:
    with pytest.raises(StorageError, match="cannot reach database"):
        Database("postgresql://nobody@127.0.0.1:1/none")


def test_database_url_precedence(monkeypatch) -> None:
    monkeypatch.setenv("KEIKA_DATABASE_URL", "sqlite:////tmp/from-env.db")
    assert database_url("sqlite:////tmp/explicit.db") == "sqlite:////tmp/explicit.db"
    assert database_url(None) == "sqlite:////tmp/from-env.db"
    monkeypatch.delenv("KEIKA_DATABASE_URL")
    assert database_url(None).endswith("keika.db")
    assert os.path.isabs(database_url(None).removeprefix("sqlite:///"))
