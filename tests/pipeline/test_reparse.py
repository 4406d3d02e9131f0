"""Re-parsing the archive: a parser change is measured against what was recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ingest_html
from sqlalchemy import select

from pipeline.domain.seed import Seed
from pipeline.services.reparse import apply_reparse, reparse_archive
from storage.changes import current_entries, list_changes
from storage.db import Database
from storage.models import Entry, EntryVersion, Fetch

P4103 = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
SEED = Seed(key="oyama-benxi", url="http://127.0.0.1:8000/page004103.html")


@pytest.fixture
def db(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'keika.db'}")
    for version in ("v1", "v2", "maintenance"):
        ingest_html(database, SEED, (P4103 / f"{version}.html").read_bytes())
    return database


def _pretend_an_older_parser_wrote(db: Database, fetch_id: int) -> None:
    """As if yesterday's parser had cut the second body line of the first entry."""
    with db.session() as session:
        fetch = session.get(Fetch, fetch_id)
        assert fetch is not None and fetch.parsed is not None
        parsed = dict(fetch.parsed)
        entries = [dict(e) for e in parsed["entries"]]
        entries[0]["body"] = entries[0]["body"][:1]
        fetch.parsed = {**parsed, "entries": entries}


def test_archive_parsed_by_todays_parser_is_the_same(db: Database) -> None:
    results = reparse_archive(db)
    assert [r.outcome for r in results] == ["baseline", "changed", "suspect"]
    assert not any(r.differs for r in results)
    assert results[1].line().endswith("same 33 entries")


def test_a_difference_is_reported_per_entry_without_writing(db: Database) -> None:
    last_good = reparse_archive(db)[1].fetch_id
    _pretend_an_older_parser_wrote(db, last_good)
    results = reparse_archive(db, page_key="oyama-benxi")
    differing = [r for r in results if r.differs]
    assert [r.fetch_id for r in differing] == [last_good]
    assert differing[0].entry_counts == {"edited": 1}
    assert differing[0].entry_details == ("edited: 昭和60年5月 (body)",)
    # Nothing written: a second look reports the same.
    assert [r.fetch_id for r in reparse_archive(db) if r.differs] == [last_good]


def test_apply_records_todays_parse_and_realigns_current_entries(db: Database) -> None:
    last_good = reparse_archive(db)[1].fetch_id
    _pretend_an_older_parser_wrote(db, last_good)
    with db.session() as session:  # current entries hold yesterday's record, too
        first = session.scalars(
            select(Entry).where(Entry.position == 0, Entry.removed_at.is_(None))
        ).one()
        version = session.get(EntryVersion, first.current_version_id)
        assert version is not None
        version.record = {**version.record, "body": version.record["body"][:1]}
        first_id = first.id
    assert apply_reparse(db, reparse_archive(db)) == 1
    assert not any(r.differs for r in reparse_archive(db))
    with db.session() as session:
        entry = current_entries(session, "oyama-benxi")[0]
        assert entry.id == first_id
        assert len(entry.record["body"]) == 2
        replayed = [c for c in list_changes(session) if (c.detail or {}).get("source") == "replay"]
    assert [(c.kind, c.date_text, c.fields) for c in replayed] == [
        ("edited", "昭和60年5月", ("body",))
    ]
