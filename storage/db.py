"""Where the database is, how to connect to it, and keeping its schema current."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.domain.errors import StorageError

if TYPE_CHECKING:  # alembic costs ~0.1 s to import: only when the schema must change
    from alembic.config import Config
    from alembic.script import ScriptDirectory

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
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StorageError(
            f"keika keeps its data in SQLite or PostgreSQL, not {parsed.get_backend_name()}"
            " (sqlite:///PATH or postgresql://HOST/NAME)"
        )
    if parsed.drivername == "postgresql+psycopg":
        try:
            import psycopg  # noqa: F401  (only PostgreSQL users install it)
        except ImportError as exc:
            raise StorageError(
                "a postgresql:// database needs psycopg: pip install 'keika[postgres]'"
            ) from exc
    kwargs: dict[str, object] = {"json_serializer": _json_dumps, "future": True}
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser()
            if path.is_dir():  # said as the commands that read say it, not "unable to open"
                raise StorageError(f"{path} is a folder, not a keika database")
            folder = path.parent
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
    except DBAPIError as exc:  # a file that is not a database at all
        shown = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"cannot use database {shown}: {_first_line(exc)}") from exc


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to this keika's head; refuses a database written by a newer keika.

    A database error (a file that is not a database, a role without rights) is a StorageError
    in one line, for `keika db upgrade` as for every command that opens the database.
    """
    try:
        return _upgrade(engine)
    except DBAPIError as exc:
        shown = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"cannot use database {shown}: {_first_line(exc)}") from exc


def _upgrade(engine: Engine) -> tuple[str | None, str]:
    head = _files_head()
    if head is not None and _stored_revision(engine) == head:
        return head, head  # current: the common case, answered without importing alembic
    from alembic import command
    from alembic.script import ScriptDirectory

    before = current_revision(engine)
    if before is None:
        _refuse_foreign_sqlite(engine)
    script = ScriptDirectory.from_config(_alembic_config(engine))
    if before is not None and not _known_revision(script, before):
        raise StorageError(
            f"database schema {before} is newer than this keika knows; upgrade keika"
        )
    head = script.get_current_head()
    if before != head:
        command.upgrade(_alembic_config(engine), "head")
    return before, head or ""


def _refuse_foreign_sqlite(engine: Engine) -> None:
    """A SQLite file with tables but no keika schema version is another program's file (a typo
    in --db): keika's tables are not added to it. (A PostgreSQL database may well be shared.)"""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import inspect

    tables = [t for t in inspect(engine).get_table_names() if not t.startswith("sqlite_")]
    if tables:
        shown = ", ".join(sorted(tables)[:3]) + (", …" if len(tables) > 3 else "")
        raise StorageError(
            f"{engine.url.database} is not a keika database: it holds other tables ({shown}) "
            "and no keika schema version; give --db a new file"
        )


_REVISION_RE = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*['\"]?(\w+)['\"]?\s*$", re.M)


@cache
def _files_head() -> str | None:
    """The one head revision of the migration files, read as text (None when unsure)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(m.groups() for m in _REVISION_RE.finditer(path.read_text(encoding="utf-8")))
        if "revision" not in found or "down_revision" not in found:
            return None  # a merge, or a layout this reader does not know: ask alembic
        revisions.add(found["revision"])
        if found["down_revision"] != "None":
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, or None (no table yet: ask alembic)."""
    try:
        conn = engine.connect()
    except OperationalError as exc:
        raise StorageError(f"cannot reach database {engine.url!r}: {_first_line(exc)}") from exc
    with conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except Exception:  # no such table yet: a new database
            return None
    return rows[0] if len(rows) == 1 else None


def _known_revision(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises for an id it has never heard of
        return False


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


# --- read-only mode ------------------------------------------------------------------------------
# Commands that only read (changes, show, entries, history, crawls, outbox, serve, info) open the
# database read-only: a SQLite file is opened with `mode=ro` (so `keika serve` can serve a
# read-only copy), a file that does not exist is refused instead of created, and the schema
# check writes nothing unless an upgrade is due and possible.


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for another backend or an in-memory database."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def _readable_sqlite_path(url: str) -> Path:
    path = sqlite_path(url)
    assert path is not None
    if not path.exists():
        raise StorageError(
            f"no keika database at {path}; `keika crawl` or `keika db upgrade` creates one"
        )
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a keika database")
    return path


def make_read_only_engine(url: str) -> Engine:
    """An engine that cannot write: SQLite through a `mode=ro` URI (never creating the file)."""
    path = sqlite_path(url)
    if path is None:
        return make_engine(url)  # PostgreSQL: the role's rights decide; keika writes nothing
    path = _readable_sqlite_path(url)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
        # A WAL database in a folder nobody may write to (a read-only copy): SQLite cannot make
        # its shared-memory file, so read the file as it is; no writer can be at work on it.
        uri += "&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)

    engine = create_engine(make_url(url), creator=connect, json_serializer=_json_dumps, future=True)
    event.listen(engine, "connect", _sqlite_read_pragmas)
    return engine


def _sqlite_read_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def check_schema(engine: Engine, url: str) -> None:
    """For a read-only open: the schema must be this keika's; an older one is upgraded only when
    the database can be written, else the user is told to run `keika db upgrade`."""
    files_head = _files_head()
    if files_head is not None and _stored_revision(engine) == files_head:
        return  # current: the common case, answered without importing alembic
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    path = sqlite_path(url)
    if current is None:
        where = path or engine.url.render_as_string(hide_password=True)
        raise StorageError(f"{where} is not a keika database (no schema version in it)")
    if path is not None and not _writable(path):
        raise StorageError(
            f"database schema {current} is not this keika's ({head}) and {path} is read-only; "
            "run `keika db upgrade` where it can be written"
        )
    writer = make_engine(url)
    try:
        upgrade(writer)
    finally:
        writer.dispose()


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def require_writable(url: str) -> None:
    """A command that writes refuses a read-only SQLite file up front, in one line."""
    path = sqlite_path(url)
    if path is not None and path.exists() and not _writable(path):
        what = path if not os.access(path, os.W_OK) else path.parent
        raise StorageError(
            f"{what} is read-only: this command writes to the database "
            "(commands that only read, and `keika serve`, can use it as it is)"
        )


class Database:
    """An engine plus a session factory, opened once per command.

    `read_only=True` opens it for reading only (see make_read_only_engine), for the commands that
    never write; otherwise a read-only SQLite file is refused with one line before any work.
    """

    def __init__(
        self, url: str | None = None, *, migrate: bool = True, read_only: bool = False
    ) -> None:
        self.url = database_url(url)
        self.read_only = read_only
        if read_only:
            self.engine = make_read_only_engine(self.url)
            try:
                if migrate:
                    check_schema(self.engine, self.url)
            except BaseException:
                self.engine.dispose()
                raise
        else:
            require_writable(self.url)
            self.engine = make_engine(self.url)
            if migrate:
                try:
                    upgrade(self.engine)
                except BaseException:
                    self.engine.dispose()
                    raise
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
