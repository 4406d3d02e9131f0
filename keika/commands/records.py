"""`keika parse` and `keika replay`: the parser on saved pages, and on the archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from keika.console import err, open_db, out, print_json
from keika.options import DbOption, PageOption, SeedsOption
from pipeline.domain.errors import InputError, KeikaError


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
    from pipeline.seeds import load_seeds
    from pipeline.services.ingest import selectors_for
    from pipeline.services.reparse import apply_reparse, reparse_archive
    from storage.changes import require_page

    try:
        seedset = load_seeds(seeds)
        profiles = {s.key: selectors_for(s) for s in seedset.seeds}
    except KeikaError:
        profiles = {}  # no seeds here: replay with the heuristics alone
    database = open_db(db, read_only=not apply)
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
