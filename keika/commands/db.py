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
    before, head = upgrade(engine)
    shown = engine.url.render_as_string(hide_password=True)
    if before == head:
        out.print(f"{shown}: schema is current ({head})", highlight=False)
    else:
        out.print(f"{shown}: upgraded {before or 'empty database'} -> {head}", highlight=False)


def info(db: DbOption = None, seeds: SeedsOption = Path("seeds")) -> None:
    """Show where keika keeps its data and what it watches."""
    from sqlalchemy import func, select

    from pipeline.seeds import load_seeds
    from storage.db import database_url
    from storage.models import ChangeEvent, Crawl, Page

    out.print(f"database: {database_url(db)}", highlight=False)
    database = open_db(db, read_only=True)
    with database.session() as session:
        pages = session.scalar(select(func.count()).select_from(Page))
        crawls = session.scalar(select(func.count()).select_from(Crawl))
        changes = session.scalar(select(func.count()).select_from(ChangeEvent))
    out.print(f"pages: {pages}  crawls: {crawls}  changes: {changes}", highlight=False)
    try:
        seedset = load_seeds(seeds)
    except KeikaError as exc:
        out.print(f"seeds: none loaded ({exc})", highlight=False, markup=False)
    else:
        out.print(f"seeds: {', '.join(seedset.files)} ({len(seedset.seeds)} pages)")
