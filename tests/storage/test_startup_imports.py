"""Opening a current database and loading the crawl code import only what a crawl needs
(issue 11: `keika crawl` of one page paid alembic's and deepdiff's imports before its first
request)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storage.db import Database

PROBE = """
import json, sys
from crawler.run import run_once
from storage.db import Database
Database(sys.argv[1]).dispose()
print(json.dumps(sorted(m for m in ("alembic", "deepdiff", "mako") if m in sys.modules)))
"""


def test_a_current_database_opens_without_alembic_or_deepdiff(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keika.db'}"
    Database(url).dispose()  # created and migrated: alembic is needed this once
    done = subprocess.run(
        [sys.executable, "-c", PROBE, url], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_an_old_database_is_still_upgraded(tmp_path: Path) -> None:
    from sqlalchemy import text

    from storage.db import current_revision, head_revision

    url = f"sqlite:///{tmp_path / 'keika.db'}"
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'c2d3e4f5a6b7'"))
        conn.execute(text("ALTER TABLE pages DROP COLUMN last_fetch_started_at"))
        conn.execute(text("ALTER TABLE crawls DROP COLUMN host"))
    db.dispose()
    db = Database(url)
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        conn.execute(text("SELECT last_fetch_started_at FROM pages"))
    db.dispose()
