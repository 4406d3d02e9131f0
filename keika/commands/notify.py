"""`keika notify` and `keika outbox`: deliver the outbox now, and see what it holds.

Plain typer command functions; keika/cli.py registers them on its app.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from keika.options import DbOption, SeedsOption
from pipeline.domain.kinds import OutboxStatus


def notify(
    test: Annotated[
        str | None,
        typer.Option(
            "--test",
            metavar="URL",
            help="Send a test message to this Apprise URL instead (exit 1 if not delivered).",
        ),
    ] = None,
    due: Annotated[
        bool,
        typer.Option(
            "--due",
            help="Only messages whose retry time has come (what runs after each crawl).",
        ),
    ] = False,
    retry: Annotated[
        bool,
        typer.Option("--retry-failed", help="Also retry messages that ran out of attempts."),
    ] = False,
    db: DbOption = None,
    seeds: SeedsOption = Path("seeds"),
) -> None:
    """Deliver pending notifications now, ignoring retry backoff (exit 1 if any failed).

    Targets stored with a masked password are completed from the seeds (and KEIKA_NOTIFY).
    """
    from keika.console import err, open_db, out
    from pipeline.domain.errors import KeikaError
    from pipeline.seeds import load_seeds
    from pipeline.services.notify import deliver_pending, display_target, retry_failed, send_test

    database = open_db(db)
    if test is not None:
        _message, result = send_test(database, test)
        shown = display_target(test)
        if not result.ok:
            err.print(f"{shown}: not delivered: {result.error}", highlight=False, markup=False)
            raise typer.Exit(1)
        out.print(f"{shown}: test message delivered", highlight=False, markup=False)
        return
    if retry:
        requeued = retry_failed(database)
        if requeued:
            out.print(f"{requeued} failed message(s) queued again", highlight=False)
    try:
        seedset = load_seeds(seeds)
    except KeikaError:
        seedset = None  # each row's own seed file is read instead
    report = deliver_pending(database, ignore_backoff=not due, seeds=seedset, policy=_policy())
    for failure in report.failures:
        state = "gave up" if failure.gave_up else "will retry"
        err.print(
            f"outbox {failure.row_id} -> {failure.target}: {failure.error} ({state})",
            highlight=False,
            markup=False,
        )
    put_off = f", {report.deferred} put off to the next round" if report.deferred else ""
    out.print(f"{report.sent} sent, {report.failed} failed{put_off}", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


LEASE_ENV = "KEIKA_NOTIFY_LEASE"


def _policy():  # type: ignore[no-untyped-def]
    """The delivery policy, with the lease from KEIKA_NOTIFY_LEASE (seconds) when it is set."""
    from dataclasses import replace

    from pipeline.domain.errors import InputError
    from pipeline.services.notify import DEFAULT_POLICY

    raw = os.environ.get(LEASE_ENV)
    if not raw:
        return DEFAULT_POLICY
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < 86_400:
        raise InputError(f"{LEASE_ENV}={raw!r}: expected a number of seconds (0 < s < 86400)")
    return replace(DEFAULT_POLICY, lease=timedelta(seconds=seconds))


def outbox(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    status: Annotated[
        list[str] | None,
        typer.Option(help="Only this status: pending, sending, sent or failed; repeatable."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Notifications and their delivery state: pending, failed and sent, oldest first."""
    from keika.console import open_db, out, print_json
    from pipeline.domain.errors import InputError
    from pipeline.services.notify import display_target
    from storage.changes import timezones
    from storage.outbox import list_outbox

    statuses = tuple(status or ())
    for s in statuses:
        if s not in tuple(OutboxStatus):
            raise InputError(f"--status {s!r}: expected one of {', '.join(OutboxStatus)}")
    database = open_db(db, read_only=True)
    with database.session() as session:
        rows = list_outbox(session, statuses)
        zones = timezones(session)
    if as_json:
        print_json([{**r.to_dict(), "target": display_target(r.target)} for r in rows])
        return
    from rich.table import Table

    from keika.console import cell
    from keika.display import local_time

    table = Table("id", "created", "page", "kind", "target", "status", "tries", "next / sent")
    table.add_column("last error")
    for r in rows:
        when = r.sent_at if r.status == OutboxStatus.SENT else r.next_attempt_at
        zone = zones.get(r.page) if r.page else None  # the page's zone, as `changes` shows
        cells = (
            str(r.id),
            local_time(r.created_at, zone),
            r.page or "",
            r.kind,
            display_target(r.target),
            r.status,
            str(r.attempts),
            local_time(when, zone) if r.status != OutboxStatus.FAILED else "",
            r.last_error or "",
        )
        table.add_row(*(cell(c) for c in cells))  # scraped and server text, shown literally
    out.print(table)
    counts = {s: sum(1 for r in rows if r.status == s) for s in OutboxStatus}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "outbox is empty"
    out.print(summary, highlight=False)
