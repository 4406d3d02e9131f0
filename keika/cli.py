"""The `keika` command: registers each command module's functions with typer.

Every KeikaError becomes one line on stderr and its exit code; nothing here holds logic that a
test or another entry point (scheduler, web) would need.
"""

from __future__ import annotations

import sys

import typer

from keika.commands import changes, crawl, db, notify, records
from keika.commands import worker as worker_commands
from keika.console import err
from keika.web.serve import serve
from pipeline.domain.errors import KeikaError
from scheduler import schedule

app = typer.Typer(
    name="keika",
    help="Watch pages that keep a dated history, and report what changed, entry by entry.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

app.command()(records.parse)
app.command()(records.replay)
db_app.command("upgrade")(db.db_upgrade)
app.command()(db.info)
app.command()(crawl.crawl)
app.command()(crawl.crawls)
app.command()(changes.changes)
app.command()(crawl.demo)
app.command()(changes.show)
app.command()(changes.entries)
app.command()(changes.history)
app.command(help=schedule.__doc__)(schedule)
app.command()(notify.notify)
app.command()(notify.outbox)
app.command()(serve)
app.command()(worker_commands.worker)
app.command()(worker_commands.workers)


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


if __name__ == "__main__":
    main()
