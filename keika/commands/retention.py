"""`keika gc`: forget old crawl bookkeeping and unreferenced archived bodies, keep all history."""

from __future__ import annotations

from typing import Annotated

import typer

from keika.options import DbOption

DEFAULT_KEEP_DAYS = 90


def gc(
    keep_days: Annotated[
        int,
        typer.Option("--keep-days", min=0, help="Keep every crawl younger than this many days."),
    ] = DEFAULT_KEEP_DAYS,
    db: DbOption = None,
) -> None:
    """Delete crawls older than --keep-days (default 90) that nothing refers to, with their bodies.

    Kept whatever their age: every change and entry version with the fetch and response behind
    it, each page's last good fetch and newest fetch, and crawls the outbox names. The change
    log, `keika history` and `keika replay --archive` read the same afterwards.
    """
    from datetime import UTC, datetime, timedelta

    from keika.console import open_db, out
    from storage.retention import collect_garbage

    try:
        before = datetime.now(UTC) - timedelta(days=keep_days)
    except OverflowError:  # more days than the calendar holds: every crawl is younger
        before = datetime.min.replace(tzinfo=UTC)
    database = open_db(db)
    with database.session() as session:
        report = collect_garbage(session, before)
    out.print(
        f"removed {report.fetches} fetch(es), {report.crawls} crawl(s) and "
        f"{report.snapshots} archived bod{'y' if report.snapshots == 1 else 'ies'} "
        f"({human_size(report.snapshot_bytes)}) older than {keep_days} day(s)",
        highlight=False,
    )


def human_size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{count} B"  # pragma: no cover


def sizes_line(sizes) -> str:  # type: ignore[no-untyped-def]
    """`keika info`'s line on room taken: the database and the archive of responses in it."""
    database = "unknown" if sizes.database_bytes is None else human_size(sizes.database_bytes)
    return (
        f"size: database {database}, archive {sizes.archive_bodies} bodies "
        f"{human_size(sizes.archive_bytes)} ({human_size(sizes.archive_stored_bytes)} compressed)"
    )
