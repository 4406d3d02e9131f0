"""The `keika` command: thin wrappers that turn stage functions into a CLI.

Every KeikaError becomes one line on stderr and its exit code; nothing here holds logic that a
test or another entry point (scheduler, web) would need.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from keika.errors import InputError, KeikaError
from keika.options import DbOption, JsonOption, PageOption, SeedsOption

app = typer.Typer(
    name="keika",
    help="Watch pages that keep a dated history, and report what changed, entry by entry.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

# Piped output is read by people too (and by grep): do not squeeze tables into 80 columns.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def open_db(url: str | None):  # type: ignore[no-untyped-def]
    from storage.db import Database

    return Database(url)


@app.command()
def parse(
    path: Annotated[Path, typer.Argument(help="A saved HTML file.")],
    url: Annotated[str | None, typer.Option(help="The page's URL, recorded in `page`.")] = None,
) -> None:
    """Parse a saved HTML page and print its records as JSON (exit 3 when it has no entries)."""
    from pipeline.parse import parse_page

    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an HTML file")
    parsed = parse_page(path.read_bytes(), url=url)
    print_json(parsed.to_dict())
    if not parsed.entries:
        err.print(f"{path}: no dated entries found", highlight=False)
        raise typer.Exit(3)


@app.command()
def replay(
    directory: Annotated[
        Path | None,
        typer.Argument(help="A folder of saved pages (*.html) with their expected *.json."),
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Rewrite the goldens after a deliberate change.")
    ] = False,
    archive: Annotated[
        bool, typer.Option("--archive", help="Re-parse the archived responses in the database.")
    ] = False,
    page: PageOption = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="With --archive: record today's parse (asks first).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before --apply.")] = False,
    seeds: SeedsOption = Path("seeds"),
    db: DbOption = None,
) -> None:
    """Re-parse saved pages with today's parser and show what would differ (exit 1 if any).

    `keika replay DIR` compares each DIR/**/NAME.html with NAME.json beside it.
    `keika replay --archive` compares every archived response with the records stored for it.
    """
    if archive:
        if directory is not None or update:
            raise InputError("--archive replays the database: give no folder and no --update")
        _replay_archive(page, apply, yes, seeds, db)
        return
    if directory is None:
        raise InputError("give a folder of saved pages, or --archive")
    if page or apply:
        raise InputError("--page and --apply go with --archive")
    if not directory.is_dir():
        raise InputError(f"{directory}: no such folder")
    from pipeline.goldens import compare_dir

    report = compare_dir(directory, update=update)
    for line in report.lines():
        out.print(line, highlight=False, markup=False)
    raise typer.Exit(0 if report.ok else 1)


def _replay_archive(page, apply, yes, seeds, db) -> None:  # type: ignore[no-untyped-def]
    from keika.seeds import load_seeds
    from pipeline.ingest import selectors_for
    from pipeline.reparse import apply_reparse, reparse_archive
    from storage.changes import require_page

    try:
        seedset = load_seeds(seeds)
        profiles = {s.key: selectors_for(s) for s in seedset.seeds}
    except KeikaError:
        profiles = {}  # no seeds here: replay with the heuristics alone
    database = open_db(db)
    if page:
        with database.session() as session:
            require_page(session, page)
    results = reparse_archive(database, page_key=page, selectors_for=profiles.get)
    for result in results:
        out.print(result.line(), highlight=False, markup=False)
        for detail in result.entry_details:
            out.print(f"    {detail}", highlight=False, markup=False)
    differing = sum(1 for r in results if r.differs)
    out.print(
        f"{len(results)} archived responses: {len(results) - differing} same, {differing} differ",
        highlight=False,
    )
    if not differing:
        return
    if apply:
        if not yes and not typer.confirm(
            f"Record today's parse for {differing} responses and update current entries?"
        ):
            raise typer.Exit(1)
        applied = apply_reparse(database, results, selectors_for=profiles.get)
        out.print(f"applied: {applied} responses re-recorded", highlight=False)
        return
    raise typer.Exit(1)


@db_app.command("upgrade")
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


@app.command()
def info(db: DbOption = None, seeds: SeedsOption = Path("seeds")) -> None:
    """Show where keika keeps its data and what it watches."""
    from sqlalchemy import func, select

    from keika.seeds import load_seeds
    from storage.db import database_url
    from storage.models import ChangeEvent, Crawl, Page

    out.print(f"database: {database_url(db)}", highlight=False)
    database = open_db(db)
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


@app.command()
def crawl(
    seeds: SeedsOption = Path("seeds"),
    page: Annotated[
        list[str] | None, typer.Option("--page", help="Only these pages (seed keys); repeatable.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Fetch every seed page once, archive the responses and record what changed.

    Exits 0 when every page ended baseline, changed, unchanged or not_modified; 1 otherwise.
    """
    from keika.crawl import run_once
    from keika.seeds import load_seeds

    seedset = load_seeds(seeds)
    chosen = seedset.select(page)
    if not chosen:
        raise InputError(f"{seeds}: no enabled pages to crawl")
    database = open_db(db)
    report = run_once(database, seedset, chosen)
    for row in report.rows:
        if row.outcome not in ("baseline", "changed", "unchanged", "not_modified"):
            err.print(f"{row.page}: {row.outcome}: {row.error or ''}", highlight=False)
    _deliver_after_crawl(database)
    out.print(report.summary(), highlight=False)
    raise typer.Exit(0 if report.ok else 1)


def _deliver_after_crawl(database) -> None:  # type: ignore[no-untyped-def]
    """Pending notifications go out after each crawl; a target that is down never fails it."""
    from pipeline.notify import deliver_pending

    try:
        report = deliver_pending(database)
    except Exception as exc:  # the crawl is committed; its messages wait in the outbox
        err.print(f"notifications: not delivered ({exc}); see `keika outbox`", highlight=False)
        return
    if report.failed:
        retry = f"{report.gave_up} gave up" if report.gave_up else "will retry"
        err.print(
            f"notifications: {report.sent} sent, {report.failed} failed ({retry}); "
            "see `keika outbox`",
            highlight=False,
        )


@app.command()
def crawls(
    page: PageOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """One row per page per crawl, oldest first."""
    from storage.changes import require_page
    from storage.crawls import fetch_rows

    database = open_db(db)
    with database.session() as session:
        if page:
            require_page(session, page)
        rows = fetch_rows(session, page_key=page)
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
            r.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            str(r.entry_count or ""),
            changes,
            r.error or "",
        )
    out.print(table)


def _parse_since(value: str | None):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--since {value!r}: expected a date like 2026-11-01") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command()
def changes(
    page: PageOption = None,
    since: Annotated[
        str | None, typer.Option(help="Only changes detected on or after this date.")
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="Only this kind: added, edited, removed, moved or page; repeatable."),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The change log: change events in the order they were detected."""
    from storage.changes import KINDS, list_changes

    kinds = tuple(kind or ())
    for k in kinds:
        if k not in KINDS:
            raise InputError(f"--kind {k!r}: expected one of {', '.join(KINDS)}")
    database = open_db(db)
    with database.session() as session:
        rows = list_changes(session, page=page, since=_parse_since(since), kinds=kinds)
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    _print_changes(rows)


def _print_changes(rows) -> None:  # type: ignore[no-untyped-def]
    from rich import box
    from rich.table import Table

    table = Table("id", "detected", "page", "kind", "date", "fields", box=box.SIMPLE_HEAD)
    table.columns[4].no_wrap = True
    for r in rows:
        table.add_row(
            str(r.id),
            r.detected_at.strftime("%m-%d %H:%M"),
            r.page,
            r.kind,
            r.date_text or "",
            ", ".join(r.fields),
        )
    out.print(table)
    out.print(f"{len(rows)} change(s)", highlight=False)


@app.command()
def demo(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Keep the demo's database here (default: a fresh temp file)."),
    ] = None,
) -> None:
    """Run the whole pipeline offline on bundled versions of Oyama City's P-4103."""
    import tempfile

    from keika.crawl import run_once
    from keika.demo import TIMELINE, SiteServer, default_demo_db, demo_page, write_demo_seeds
    from keika.seeds import load_seeds
    from storage.changes import list_changes

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
                    f"{counts:<32} {step.story}{note}",
                    highlight=False,
                    markup=False,
                )
    with database.session() as session:
        rows = list_changes(session)
    out.print("\nThe change log (keika changes):", highlight=False)
    _print_changes(rows)
    edited = next((r for r in rows if r.kind == "edited" and "body" in r.fields), None)
    if edited is not None:
        out.print(f"\nOne change in detail (keika show {edited.id}):", highlight=False)
        show(edited.id, db=db)
    out.print(
        f"\nExplore it yourself:\n  keika changes --db {db}\n  keika entries oyama-benxi --db {db}"
        f"\n  keika serve --db {db}",
        highlight=False,
        markup=False,
    )


@app.command()
def show(
    change_id: Annotated[int, typer.Argument(help="A change id from `keika changes`.")],
    db: DbOption = None,
) -> None:
    """One change, with a line-by-line diff of the entry."""
    from pipeline.diff import diff_lines
    from pipeline.records import EntryRecord
    from storage.changes import get_change

    database = open_db(db)
    with database.session() as session:
        row = get_change(session, change_id)
    out.print(
        f"change {row.id}: {row.kind} on {row.page} (crawl {row.crawl}, "
        f"{row.detected_at:%Y-%m-%d %H:%M:%S %Z})",
        highlight=False,
        markup=False,
    )
    out.print(f"page: {row.url}", highlight=False, markup=False)
    if row.fields:
        out.print(f"fields: {', '.join(row.fields)}", highlight=False, markup=False)
    if row.kind == "page":
        for name in row.fields:
            before = (row.before or {}).get(name)
            after = (row.after or {}).get(name)
            out.print(f"- {name}: {before}", style="red", highlight=False, markup=False)
            out.print(f"+ {name}: {after}", style="green", highlight=False, markup=False)
        return
    before = EntryRecord.from_dict(row.before) if row.before else None
    after = EntryRecord.from_dict(row.after) if row.after else None
    for line in diff_lines(before, after):
        if line.op == "equal":
            out.print(f"  {line.before}", highlight=False, markup=False)
            continue
        if line.before is not None and line.op in ("delete", "replace"):
            out.print(f"- {line.before}", style="red", highlight=False, markup=False)
        if line.after is not None and line.op in ("insert", "replace"):
            out.print(f"+ {line.after}", style="green", highlight=False, markup=False)


@app.command()
def entries(
    key: Annotated[str, typer.Argument(help="The page's seed key.")],
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    db: DbOption = None,
) -> None:
    """A page's current records, in page order."""
    from storage.changes import current_entries

    if as_json and as_csv:
        raise InputError("choose one of --json and --csv")
    database = open_db(db)
    with database.session() as session:
        rows = current_entries(session, key)
    if as_json:
        print_json([r.to_dict() for r in rows])
    elif as_csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(["id", "date_text", "start", "end", "note", "body"])
        for r in rows:
            rec = r.record
            writer.writerow(
                [
                    r.id,
                    rec["date_text"],
                    rec.get("start") or "",
                    rec.get("end") or "",
                    rec.get("note") or "",
                    "\n".join(rec.get("body") or []),
                ]
            )
    else:
        from rich.table import Table

        table = Table("id", "date", "start", "end", "body")
        for r in rows:
            rec = r.record
            table.add_row(
                str(r.id),
                rec["date_text"],
                rec.get("start") or "",
                rec.get("end") or "",
                "\n".join(rec.get("body") or []),
            )
        out.print(table)


@app.command()
def history(
    entry_id: Annotated[int, typer.Argument(help="An entry id from `keika entries`.")],
    db: DbOption = None,
) -> None:
    """Every version of one entry, oldest first."""
    from storage.changes import entry_history

    database = open_db(db)
    with database.session() as session:
        entry, versions = entry_history(session, entry_id)
    state = f"removed {entry.removed_at:%Y-%m-%d}" if entry.removed_at else "current"
    out.print(f"entry {entry.id} on {entry.page} ({state})", highlight=False, markup=False)
    for v in versions:
        rec = v.record
        label = v.change_kind + (f" (change {v.change_id})" if v.change_id else "")
        out.print(
            f"\nversion {v.id}, {v.created_at:%Y-%m-%d %H:%M:%S}: {label}",
            highlight=False,
            markup=False,
        )
        out.print(
            f"  {rec['date_text']}  [{rec.get('start')} .. {rec.get('end')}]",
            highlight=False,
            markup=False,
        )
        for line in rec.get("body") or []:
            out.print(f"  {line}", highlight=False, markup=False)


def _register_service_commands() -> None:
    """Commands whose code lives with their stage (scheduler, notifications, web)."""
    from keika.notify_commands import notify, outbox
    from keika.web.serve import serve
    from scheduler import schedule

    app.command(help=schedule.__doc__)(schedule)
    app.command()(notify)
    app.command()(outbox)
    app.command()(serve)


_register_service_commands()


def main() -> None:
    try:
        app()
    except KeikaError as exc:
        err.print(f"keika: {exc}", highlight=False, markup=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("keika: interrupted", highlight=False)
        sys.exit(130)
    except OSError as exc:  # a file or folder the user named that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"keika: {where}{exc.strerror or exc}", highlight=False, markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
