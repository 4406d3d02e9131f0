"""`keika worker` (a long-lived crawl worker) and `keika workers` (who crawls what, queue depth)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from keika.console import cell, open_db, out, print_json
from keika.options import DbOption, JsonOption
from pipeline.domain.errors import InputError

QueueOption = Annotated[
    str | None,
    typer.Option(
        "--queue",
        help="The crawl queue: redis://HOST:PORT/DB[?prefix=NAME] (default: KEIKA_QUEUE, else "
        "the queue table in the database).",
    ),
]
STALE_AFTER = 60.0  # seconds without a heartbeat after which a worker is shown as gone


def worker(
    queue: QueueOption = None,
    db: DbOption = None,
    lease: Annotated[
        float,
        typer.Option(
            "--lease",
            min=1,
            help="Seconds a page stays with this worker if it stops renewing (it dies): then "
            "another worker takes it.",
        ),
    ] = 60.0,
    capacity: Annotated[
        int, typer.Option("--capacity", min=1, help="Pages this worker holds at once.")
    ] = 32,
    setting: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a Scrapy setting, NAME=JSON; repeatable."),
    ] = None,
) -> None:
    """Crawl pages from the queue until stopped (SIGTERM/Ctrl-C), one log line per page.

    Start any number, on any machines, against one Redis queue and one PostgreSQL database:
    a page is crawled by one worker at a time, and each site gets at most 2 requests at once,
    at least 1 s apart, from all of them together.
    """
    from crawler.queues import queue_url
    from crawler.worker import Worker, configure_logging

    overrides: dict[str, object] = {}
    for item in setting or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(f"--set {item!r}: expected NAME=VALUE")
        _check_setting_name(name)
        try:
            overrides[name] = json.loads(value)
        except json.JSONDecodeError:
            overrides[name] = value
    configure_logging()
    code = Worker(
        db, queue_url(queue), capacity=capacity, lease_ttl=lease, settings=overrides
    ).run()
    raise typer.Exit(code)


def _check_setting_name(name: str) -> None:
    """A misspelt setting would be taken and never read, and the worker run as if unset: one
    known to Scrapy or to keika's crawler settings, or an InputError naming the nearest."""
    import difflib

    import scrapy.settings.default_settings as scrapy_defaults

    import crawler.settings as keika_settings

    known = {n for module in (scrapy_defaults, keika_settings) for n in dir(module) if n.isupper()}
    if name in known:
        return
    near = difflib.get_close_matches(name.upper(), sorted(known), n=1)
    hint = f" (did you mean {near[0]}?)" if near else ""
    raise InputError(f"--set {name!r}: no such Scrapy or keika setting{hint}")


def _age(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "-"
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def workers(
    queue: QueueOption = None, db: DbOption = None, json_output: JsonOption = False
) -> None:
    """Show the crawl workers, what each is crawling, the queue depth and its oldest page's age."""
    from rich.table import Table

    from crawler.queues import open_queue, queue_url
    from storage.queue import list_workers

    database = open_db(db, read_only=True)
    crawl_queue = open_queue(queue_url(queue), database)
    try:
        stats = crawl_queue.stats()
    finally:
        crawl_queue.close()
    with database.session() as session:
        rows = list_workers(session)
    now = datetime.now(UTC)
    listed = []
    for row in rows:
        held = stats.held.get(row.id, [])
        crawling = sorted(set(row.crawling) | set(held))
        alive = (now - row.seen_at).total_seconds() <= STALE_AFTER
        listed.append((row, crawling, alive))
    if json_output:
        print_json(
            {
                "queue": crawl_queue.display,
                "depth": stats.depth,
                "oldest_queued_at": stats.oldest.isoformat() if stats.oldest else None,
                "oldest_age_seconds": (now - stats.oldest).total_seconds()
                if stats.oldest
                else None,
                "workers": [
                    {
                        "id": row.id,
                        "queue": row.queue,
                        "started_at": row.started_at.isoformat(),
                        "seen_at": row.seen_at.isoformat(),
                        "alive": alive,
                        "crawling": crawling,
                    }
                    for row, crawling, alive in listed
                ],
            }
        )
        return
    table = Table("worker", "queue", "up", "last seen", "crawling")
    for row, crawling, alive in listed:
        seen = _age(row.seen_at, now) + " ago" + ("" if alive else " (gone?)")
        shown = ", ".join(crawling[:8]) + (
            f" … (+{len(crawling) - 8})" if len(crawling) > 8 else ""
        )
        cells = (row.id, row.queue, _age(row.started_at, now), seen, shown or "-")
        table.add_row(*(cell(c) for c in cells))  # literal: never Rich markup, controls shown
    if listed:
        out.print(table, markup=False, emoji=False)
    else:
        out.print("no workers running", markup=False)
    oldest = f", the oldest queued {_age(stats.oldest, now)} ago" if stats.oldest else ""
    out.print(
        f"queue {crawl_queue.display}: {stats.depth} page(s) waiting{oldest}",
        markup=False,
        highlight=False,
        emoji=False,
    )
