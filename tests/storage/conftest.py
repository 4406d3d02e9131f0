"""Databases for storage tests: a real SQLite file, and a fresh database on the real PostgreSQL.

PostgreSQL comes from KEIKA_TEST_POSTGRES_URL (set by .ci/run); without it, or when the server
does not answer, those tests are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import Database


def _postgres_admin_url() -> str:
    url = os.environ.get("KEIKA_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("KEIKA_TEST_POSTGRES_URL is not set: no PostgreSQL to test against")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    admin_url = make_url(_postgres_admin_url()).set(drivername="postgresql+psycopg")
    name = f"keika_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # unreachable server, no permission
        admin.dispose()
        pytest.skip(f"PostgreSQL at {admin_url.render_as_string()} is not usable: {exc}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'keika.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'keika.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = Database(url)
    try:
        yield database
    finally:
        database.dispose()
