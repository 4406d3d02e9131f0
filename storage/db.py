"""Where the database is, how to connect to it, and keeping its schema current."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:  # alembic costs ~0.5 s to import: only a schema change needs it
    from alembic.config import Config
    from alembic.script import ScriptDirectory

from pipeline.domain.errors import StorageError

ENV_VAR = "KEIKA_DATABASE_URL"
# Execution option of write sessions: on SQLite they begin with BEGIN IMMEDIATE.
WRITE_OPTION = "keika_write"
MIGRATIONS = Path(__file__).with_name("migrations")


def default_database_url() -> str:
    data_dir = Path(platformdirs.user_data_dir("keika", appauthor=False))
    return f"sqlite:///{data_dir / 'keika.db'}"


def database_url(explicit: str | None = None) -> str:
    """--db wins over KEIKA_DATABASE_URL, which wins over the per-user SQLite file."""
    return explicit or os.environ.get(ENV_VAR) or default_database_url()


def _json_dumps(value: object) -> str:
    # Japanese must stay readable in SQLite's JSON, or json_extract comparisons find nothing.
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(f"not a database URL: {url!r}") from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs: dict[str, object] = {"json_serializer": _json_dumps, "future": True}
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                msg = f"cannot create the database folder {folder}: {exc.strerror}"
                raise StorageError(msg) from exc
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # a missing driver, a malformed option
        raise StorageError(f"cannot use database {url!r}: {exc}") from exc
    if parsed.drivername.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    """A write session takes SQLite's write lock before its first read (BEGIN IMMEDIATE).

    pysqlite otherwise begins a transaction only at the first INSERT/UPDATE, so a session that
    reads a page's state and then writes from it could write from a copy another process has
    since changed. Other sessions keep pysqlite's own handling (reads take no lock).
    """
    dbapi = conn.connection.driver_connection
    if conn.get_execution_options().get(WRITE_OPTION):
        dbapi.isolation_level = None  # pysqlite issues no BEGIN of its own; this one is ours
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif dbapi.isolation_level is None:
        dbapi.isolation_level = ""  # back to pysqlite's implicit BEGIN before writes


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a crash loses no committed page
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


_REVISION_RE = re.compile(
    r"^(down_revision|revision)\b[^=\n]*=\s*(?:[\"']([^\"']*)[\"']|None)", re.M
)


@cache
def _head_from_files() -> str | None:
    """The head revision read from the migration files' text (no alembic import), or None
    when they do not form one plain chain (alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((name, value) for name, value in _REVISION_RE.findall(path.read_text()))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stamped_revision(engine: Engine) -> str | None:
    """alembic_version's one row read with a plain query, or None if that is not possible."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise StorageError(f"cannot reach database {engine.url!r}: {_first_line(exc)}") from exc


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to this keika's head; refuses a database written by a newer keika."""
    head = _head_from_files()
    if head is not None and _stamped_revision(engine) == head:
        return head, head  # the common case, without importing alembic
    from alembic import command
    from alembic.script import ScriptDirectory

    before = current_revision(engine)
    script = ScriptDirectory.from_config(_alembic_config(engine))
    if before is not None and not _known_revision(script, before):
        raise StorageError(
            f"database schema {before} is newer than this keika knows; upgrade keika"
        )
    head = script.get_current_head()
    if before != head:
        command.upgrade(_alembic_config(engine), "head")
    return before, head or ""


def _known_revision(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises for an id it has never heard of
        return False


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


class Database:
    """An engine plus a session factory, opened once per command."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back if it raises.

        `write=True` is for a transaction that writes from what it reads: on SQLite it holds
        the database's write lock from its first statement (on PostgreSQL the session locks
        the rows it reads with SELECT … FOR UPDATE).
        """
        sessions = self._write_sessions if write else self._sessions
        with sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
