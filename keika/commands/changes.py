"""`keika changes`, `show`, `entries` and `history`: reading the change log."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from keika.console import open_db, out, print_json
from keika.options import DbOption, JsonOption, PageOption
from pipeline.domain.errors import InputError

UtcOption = Annotated[bool, typer.Option("--utc", help="Show times in UTC, not the page's zone.")]
DEFAULT_LIMIT = 50


def _parse_day(option: str, value: str | None, *, end: bool = False):  # type: ignore[no-untyped-def]
    """A date or date-time as typed; a bare date at `end` means the whole of that day."""
    from datetime import datetime, timedelta

    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{option} {value!r}: expected a date like 2026-11-01") from exc
    if end and len(value.strip()) <= 10:  # 2026-11-30: up to the end of that day
        try:
            parsed += timedelta(days=1)
        except OverflowError:  # 9999-12-31: the calendar's last day, so no end at all
            return None
    return parsed


def _window(session, page, since, until, utc):  # type: ignore[no-untyped-def]
    """--since/--until read in each page's own zone (or UTC): {zone: (since, until) in UTC}."""
    from keika.display import day_window
    from storage.changes import page_zones

    if since is None and until is None:
        return None
    return day_window(page_zones(session, page), since, until, utc=utc)


def changes(
    page: PageOption = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only changes detected on or after this date (in the page's zone)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="Only changes detected up to this date, that day included."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="Only this kind: added, edited, removed, moved or page; repeatable."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help=f"The newest N changes (the table: {DEFAULT_LIMIT} unless --all).",
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every change, not the newest.")] = False,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one row per change.")] = False,
    utc: UtcOption = False,
    db: DbOption = None,
) -> None:
    """The change log, oldest first: the newest 50 changes (--limit N, --all), or all as JSON/CSV.

    Times are shown in each page's timezone (seed `timezone`) with the zone named, or in UTC with
    --utc; --since/--until dates are read in that zone too. --json and --csv stream every change
    unless --limit says otherwise.
    """
    from pipeline.domain.kinds import ChangeKind
    from storage.changes import MAX_ID

    kinds = tuple(kind or ())
    for k in kinds:
        if k not in tuple(ChangeKind):
            raise InputError(f"--kind {k!r}: expected one of {', '.join(ChangeKind)}")
    if as_json and as_csv:
        raise InputError("choose one of --json and --csv")
    if show_all and limit is not None:
        raise InputError("choose one of --limit and --all")
    if limit is not None and limit > MAX_ID:  # more than there can be rows: every change
        limit, show_all = None, True
    since_at = _parse_day("--since", since)
    until_at = _parse_day("--until", until, end=True)
    comparable = since_at and until_at and (since_at.tzinfo is None) == (until_at.tzinfo is None)
    if comparable and until_at <= since_at:  # an empty window, as the web's ?until= refuses
        raise InputError(f"--until {until!r} is before --since {since!r}")
    machine = as_json or as_csv
    if limit is None and not show_all and not machine:
        limit = DEFAULT_LIMIT
    database = open_db(db, read_only=True)
    with database.session() as session:
        window = _window(session, page, since_at, until_at, utc)
        if as_json:
            _stream_json(session, page, window, kinds, limit)
        elif as_csv:
            _stream_csv(session, page, window, kinds, limit, utc)
        else:
            _print_table(session, page, window, kinds, limit, utc)


def _stream_json(session, page, window, kinds, limit) -> None:  # type: ignore[no-untyped-def]
    """A JSON array written one change at a time, one change a line (json's C encoder)."""
    import json

    from storage.changes import iter_changes

    rows = iter_changes(
        session, page=page, window=window, kinds=kinds, limit=limit, newest_first=limit is not None
    )
    if limit is not None:
        rows = iter(sorted(rows, key=lambda r: r.id))  # at most --limit rows
    from keika.display import visible_json

    write = sys.stdout.write
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    first = True
    for row in rows:
        write(("[\n" if first else ",\n") + visible_json(dumps(row.to_dict())))
        first = False
    write("[]\n" if first else "\n]\n")


def _stream_csv(session, page, window, kinds, limit, utc) -> None:  # type: ignore[no-untyped-def]
    from keika.console import CsvOut
    from storage.changes import iter_change_lines

    rows = iter_change_lines(
        session, page=page, window=window, kinds=kinds, limit=limit, newest_first=limit is not None
    )
    if limit is not None:
        rows = iter(sorted(rows, key=lambda r: r.id))
    writer = CsvOut()
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.id,
                _iso(r.detected_at, r.timezone, utc),
                r.page,
                r.title or "",
                r.kind,
                r.date_text or "",
                " ".join(r.fields),
                r.first_line or "",
                r.crawl,
                r.entry or "",
            ]
        )


CSV_COLUMNS = ("id", "detected_at", "page", "title", "kind", "date_text", "fields", "first_line")
CSV_COLUMNS += ("crawl", "entry")


def _iso(moment, timezone, utc) -> str:  # type: ignore[no-untyped-def]
    from datetime import UTC

    from keika.display import zone

    return moment.astimezone(UTC if utc else zone(timezone)).isoformat()


def _print_table(session, page, window, kinds, limit, utc) -> None:  # type: ignore[no-untyped-def]
    from storage.changes import count_changes, iter_change_lines

    rows = iter_change_lines(
        session, page=page, window=window, kinds=kinds, limit=limit, newest_first=limit is not None
    )
    if limit is not None:
        rows = iter(sorted(rows, key=lambda r: r.id))
    shown = print_change_lines(rows, utc=utc)
    total = count_changes(session, page=page, window=window, kinds=kinds)
    if shown < total:
        out.print(
            f"{shown} of {total} change(s), the newest; --limit N or --all for more",
            highlight=False,
        )
    else:
        out.print(f"{total} change(s)", highlight=False)


def print_change_lines(rows, *, utc: bool = False) -> int:  # type: ignore[no-untyped-def]
    """Aligned plain lines, written as they come (a Rich table of 20,000 rows took 28 s).

    id, when (the page's zone, named), page title (its key when it has none), kind, the entry's
    date and its first line. Text from pages is shown with control characters made visible.
    """
    from rich.cells import cell_len, set_cell_size

    from keika.display import local_time, visible

    def cell(text: str, width: int, pad: bool = True) -> str:
        text = visible(text[: width * 4], newlines=False)  # bounded: a page's text may be huge
        if cell_len(text) > width:
            text = set_cell_size(text, width - 1) + "…"
        return set_cell_size(text, width) if pad else text

    # To a terminal each change is one screen line; piped, the entry's line is written whole.
    room = None
    if sys.stdout.isatty():
        import shutil

        room = max(20, shutil.get_terminal_size().columns - 100)
    write = sys.stdout.write
    write(
        f"{'id':>6}  {'detected':<20}  {cell('page', 24)}  {'kind':<7}  {cell('date', 36)}  entry\n"
    )
    count = 0
    for r in rows:
        what = r.first_line or ""
        if r.kind == "page" or (r.fields and r.kind == "edited"):
            what = f"{what}  ({', '.join(r.fields)})" if what else ", ".join(r.fields)
        write(
            f"{r.id:>6}  {local_time(r.detected_at, r.timezone, utc=utc):<20}  "
            f"{cell(r.title or r.page, 24)}  {r.kind:<7}  {cell(r.date_text or '', 36)}  "
            f"{cell(what, room, pad=False) if room else visible(what, newlines=False)}\n"
        )
        count += 1
    sys.stdout.flush()
    return count


def show(
    change_id: Annotated[int, typer.Argument(help="A change id from `keika changes`.")],
    utc: UtcOption = False,
    db: DbOption = None,
) -> None:
    """One change, with a line-by-line diff of the entry."""
    from keika.display import local_time
    from pipeline.diff import diff_lines
    from pipeline.domain.records import EntryRecord
    from storage.changes import get_change, timezones

    database = open_db(db, read_only=True)
    with database.session() as session:
        row = get_change(session, change_id)
        zone = timezones(session).get(row.page)
    out.print(
        f"change {row.id}: {row.kind} on {row.page} (crawl {row.crawl}, "
        f"{local_time(row.detected_at, zone, utc=utc, seconds=True)})",
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
    database = open_db(db, read_only=True)
    with database.session() as session:
        rows = current_entries(session, key)
    if as_json:
        print_json([r.to_dict() for r in rows])
    elif as_csv:
        from keika.console import CsvOut

        writer = CsvOut()
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


def history(
    entry_id: Annotated[int, typer.Argument(help="An entry id from `keika entries`.")],
    utc: UtcOption = False,
    db: DbOption = None,
) -> None:
    """Every version of one entry, oldest first."""
    from keika.display import local_time
    from storage.changes import entry_history, timezones

    database = open_db(db, read_only=True)
    with database.session() as session:
        entry, versions = entry_history(session, entry_id)
        zone = timezones(session).get(entry.page)
    removed = local_time(entry.removed_at, zone, utc=utc)
    state = f"removed {removed}" if entry.removed_at else "current"
    out.print(f"entry {entry.id} on {entry.page} ({state})", highlight=False, markup=False)
    for v in versions:
        rec = v.record
        label = v.change_kind + (f" (change {v.change_id})" if v.change_id else "")
        out.print(
            f"\nversion {v.id}, {local_time(v.created_at, zone, utc=utc, seconds=True)}: {label}",
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
