"""`keika db upgrade` and `keika info`: where the data lives and its schema."""

from __future__ import annotations

from pathlib import Path

from keika.console import open_db, out
from keika.options import DbOption, SeedsOption
from pipeline.domain.errors import KeikaError


def db_upgrade(db: DbOption = None) -> None:
    """Create the database or bring its schema up to date."""
    from storage.db import database_url, make_engine, upgrade

    engine = make_engine(database_url(db))
    try:
        before, head = upgrade(engine)
    finally:
        engine.dispose()
    shown = engine.url.render_as_string(hide_password=True)
    if before == head:
        out.print(f"{shown}: schema is current ({head})", highlight=False)
    else:
        out.print(f"{shown}: upgraded {before or 'empty database'} -> {head}", highlight=False)


def shown_url(url: str) -> str:
    """A database URL fit to print: its password masked (`postgresql://keika:***@host/db`)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@", 1)[-1] if "@" in url else url


def info(db: DbOption = None, seeds: SeedsOption = Path("seeds")) -> None:
    """Show where keika keeps its data and what it watches."""
    from sqlalchemy import func, select

    from keika.commands.retention import sizes_line
    from pipeline.seeds import load_seeds
    from storage.db import database_url
    from storage.models import ChangeEvent, Crawl, Page
    from storage.retention import storage_sizes

    out.print(f"database: {shown_url(database_url(db))}", highlight=False, markup=False)
    database = open_db(db, read_only=True)
    with database.session() as session:
        pages = session.scalar(select(func.count()).select_from(Page))
        crawls = session.scalar(select(func.count()).select_from(Crawl))
        changes = session.scalar(select(func.count()).select_from(ChangeEvent))
        sizes = storage_sizes(session)
    out.print(f"pages: {pages}  crawls: {crawls}  changes: {changes}", highlight=False)
    out.print(sizes_line(sizes), highlight=False)
    try:
        seedset = load_seeds(seeds)
    except KeikaError as exc:
        out.print(f"seeds: none loaded ({exc})", highlight=False, markup=False)
    else:
        out.print(f"seeds: {', '.join(seedset.files)} ({len(seedset.seeds)} pages)")
