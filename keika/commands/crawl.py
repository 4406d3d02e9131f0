"""`keika crawl`, `keika crawls` and `keika demo`: running crawls and listing them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from keika.commands.changes import UtcOption, print_change_lines, show
from keika.console import err, open_db, out, print_json
from keika.options import DbOption, JsonOption, PageOption, SeedsOption
from pipeline.domain.errors import InputError
from pipeline.domain.kinds import ENTRY_CHANGE_KINDS, GOOD_OUTCOMES, ChangeKind, Outcome


def crawl(
    seeds: SeedsOption = Path("seeds"),
    page: Annotated[
        list[str] | None, typer.Option("--page", help="Only these pages (seed keys); repeatable.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Fetch every seed page once, archive the responses and record what changed.

    Exits 0 when every page ended baseline, changed, unchanged, not_modified or stale (a fetch
    overtaken by another crawl of the page); 1 otherwise.
    """
    from crawler.run import run_once
    from pipeline.seeds import load_seeds

    seedset = load_seeds(seeds)
    chosen = seedset.select(page)
    if not chosen:
        raise InputError(f"{seeds}: no enabled pages to crawl")
    database = open_db(db)
    report = run_once(database, seedset, chosen)
    for row in report.rows:
        if row.outcome not in GOOD_OUTCOMES:
            err.print(f"{row.page}: {row.outcome}: {row.error or ''}", highlight=False)
            if row.outcome == Outcome.SUSPECT:
                hint = f"  (if the page really changed: keika accept {row.page})"
                err.print(hint, highlight=False)
    _deliver_after_crawl(database)
    out.print(report.summary(), highlight=False)
    raise typer.Exit(0 if report.ok else 1)


def accept(
    key: Annotated[str, typer.Argument(help="The page's key in the seeds.")],
    seeds: SeedsOption = Path("seeds"),
    db: DbOption = None,
) -> None:
    """Take a page's latest crawl, held back as suspect, as the page after all.

    For a page that really changed (half its entries gone, a template without end tags): what
    differs from the last good crawl is recorded and notified, and later crawls compare with
    it. Exit 2 when the page's latest crawl is not suspect.
    """
    from pipeline.seeds import load_seeds
    from pipeline.services.ingest import accept_suspect

    seed = load_seeds(seeds).get(key)
    database = open_db(db)
    accepted, crawl_id, outcome = accept_suspect(database, seed)
    _deliver_after_crawl(database)
    counts = [f"{outcome.counts[k]} {k}" for k in ENTRY_CHANGE_KINDS if outcome.counts.get(k)]
    if outcome.counts.get(ChangeKind.PAGE):
        counts.append("page changed")
    detail = f" ({', '.join(counts)})" if counts else ""
    out.print(
        f"{key}: crawl {accepted} accepted as crawl {crawl_id}: {outcome.outcome}{detail}, "
        f"{outcome.entry_count} entries",
        highlight=False,
    )


def _deliver_after_crawl(database) -> None:  # type: ignore[no-untyped-def]
    """Pending notifications go out after each crawl; a target that is down never fails it."""
    from pipeline.services.notify import deliver_pending

    try:
        report = deliver_pending(database)
    except Exception as exc:  # the crawl is committed; its messages wait in the outbox
        err.print(f"notifications: not delivered ({exc}); see `keika outbox`", highlight=False)
        return
    if report.failed:
        retry = f"{report.gave_up} gave up" if report.gave_up else "will retry"
        put_off = f", {report.deferred} put off (their target timed out)" if report.deferred else ""
        err.print(
            f"notifications: {report.sent} sent, {report.failed} failed ({retry}){put_off}; "
            "see `keika outbox`",
            highlight=False,
        )


def crawls(
    page: PageOption = None,
    as_json: JsonOption = False,
    utc: UtcOption = False,
    db: DbOption = None,
) -> None:
    """One row per page per crawl, oldest first (times in each page's zone, or --utc)."""
    from keika.display import local_time
    from storage.changes import require_page, timezones
    from storage.crawls import fetch_rows

    database = open_db(db, read_only=True)
    with database.session() as session:
        if page:
            require_page(session, page)
        rows = fetch_rows(session, page_key=page)
        zones = timezones(session)
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    from rich.table import Table

    table = Table("crawl", "page", "outcome", "status", "started", "entries", "changes", "error")
    for r in rows:
        changes = ", ".join(f"{n} {k}" for k, n in (r.counts or {}).items())
        table.add_row(
            str(r.crawl),
            r.page,
            r.outcome,
            str(r.status or ""),
            local_time(r.started_at, zones.get(r.page), utc=utc, seconds=True),
            str(r.entry_count or ""),
            changes,
            r.error or "",
        )
    out.print(table)


def demo(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Keep the demo's database here (default: a fresh temp file)."),
    ] = None,
) -> None:
    """Run the whole pipeline offline on bundled versions of Oyama City's P-4103."""
    import tempfile

    from crawler.run import run_once
    from keika.demo import TIMELINE, SiteServer, default_demo_db, demo_page, write_demo_seeds
    from pipeline.seeds import load_seeds
    from storage.changes import iter_change_lines

    if db is None:
        db, folder = default_demo_db()
    else:
        folder = Path(tempfile.mkdtemp(prefix="keika-demo-"))
    database = open_db(db)
    out.print(f"database: {database.display_url}", highlight=False)
    with SiteServer().running() as site:
        seeds_path = write_demo_seeds(folder, site.url)
        seedset = load_seeds(seeds_path)
        out.print(f"serving the page at {site.url}\n", highlight=False)
        for step in TIMELINE:
            site.publish(demo_page(step.version))
            report = run_once(
                database,
                seedset,
                seedset.seeds,
                trigger="demo",
                in_child=True,
                time_limit=120,
                # The "site" is this process on loopback: no need to space requests out.
                settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0},
            )
            for row in report.rows:
                counts = ", ".join(f"{n} {k}" for k, n in (row.counts or {}).items()) or "-"
                note = f" ({row.error})" if row.error else ""
                out.print(
                    f"crawl {row.crawl}  {step.version:<12} {row.outcome:<12} "
                    f"{row.entry_count if row.entry_count is not None else '-':>3} entries  "
                    f"{counts:<40}  {step.story}{note}",
                    highlight=False,
                    markup=False,
                )
    with database.session() as session:
        rows = list(iter_change_lines(session))
    out.print("\nThe change log (keika changes):", highlight=False)
    print_change_lines(rows)
    edited = next((r for r in rows if r.kind == ChangeKind.EDITED and "body" in r.fields), None)
    if edited is not None:
        out.print(f"\nOne change in detail (keika show {edited.id}):", highlight=False)
        show(edited.id, db=db)
    keika = _keika_command()
    out.print(
        f"\nExplore it yourself:\n  {keika} changes --db {db}"
        f"\n  {keika} entries oyama-benxi --db {db}\n  {keika} serve --db {db}",
        highlight=False,
        markup=False,
    )


def _keika_command() -> str:
    """The keika that is running, by absolute path: it works before the venv is activated
    (a bare `keika` was `command not found` then) and from any folder."""
    import shlex
    import sys

    here = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    beside = Path(sys.executable).with_name("keika")
    mine = here if here is not None and here.name == "keika" and here.is_file() else beside
    if mine.exists():
        return shlex.quote(str(mine.absolute()))
    return f"{shlex.quote(sys.executable)} -m keika.cli"
