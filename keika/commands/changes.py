"""`keika changes`, `show`, `entries` and `history`: reading the change log."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from keika.console import open_db, out, print_json
from keika.options import DbOption, JsonOption, PageOption
from pipeline.domain.errors import InputError


def _parse_since(value: str | None):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--since {value!r}: expected a date like 2026-11-01") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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
    from pipeline.domain.kinds import ChangeKind
    from storage.changes import list_changes

    kinds = tuple(kind or ())
    for k in kinds:
        if k not in tuple(ChangeKind):
            raise InputError(f"--kind {k!r}: expected one of {', '.join(ChangeKind)}")
    database = open_db(db, read_only=True)
    with database.session() as session:
        rows = list_changes(session, page=page, since=_parse_since(since), kinds=kinds)
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    print_changes(rows)


def print_changes(rows) -> None:  # type: ignore[no-untyped-def]
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


def show(
    change_id: Annotated[int, typer.Argument(help="A change id from `keika changes`.")],
    db: DbOption = None,
) -> None:
    """One change, with a line-by-line diff of the entry."""
    from pipeline.diff import diff_lines
    from pipeline.domain.records import EntryRecord
    from storage.changes import get_change

    database = open_db(db, read_only=True)
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


def history(
    entry_id: Annotated[int, typer.Argument(help="An entry id from `keika entries`.")],
    db: DbOption = None,
) -> None:
    """Every version of one entry, oldest first."""
    from storage.changes import entry_history

    database = open_db(db, read_only=True)
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
