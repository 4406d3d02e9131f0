"""Where the CLI writes: stdout and stderr consoles, JSON, and opening the database.

Text from pages, servers and users is data. Both consoles print it literally: Rich markup,
emoji codes and highlighting are off, and every string Rich renders (print arguments, table
cells) goes through `keika.display.visible`, so `[/x]` cannot crash a command, `:cat:` stays
`:cat:` and an ESC sequence is shown as `\\x1b[...` instead of being obeyed by the terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from keika.display import visible, visible_json


class LiteralConsole(Console):
    """A Rich console for data: no markup, no emoji, no highlighting, control characters shown."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        super().__init__(**kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:  # type: ignore[override]
        # Every str Rich prints or puts in a table comes through here: the one place to escape.
        kwargs["markup"] = kwargs["emoji"] = False
        return super().render_str(visible(text), **kwargs)


def cell(text: str | None) -> Text:
    """A table cell for scraped or server text, when a Text (not a str) is needed."""
    return Text(visible(text or ""))


# Piped output is read by people too (and by grep): do not squeeze tables into 80 columns.
out = LiteralConsole(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = LiteralConsole(stderr=True, soft_wrap=True)


def print_json(data: object) -> None:
    sys.stdout.write(visible_json(json.dumps(data, ensure_ascii=False, indent=1)) + "\n")


class CsvOut:
    """CSV on stdout, text cells with control characters shown as escapes (\\x1b): CSV has no
    escapes of its own, and it is read in terminals as often as in spreadsheets."""

    def __init__(self) -> None:
        import csv

        self._writer = csv.writer(sys.stdout)

    def writerow(self, row: Sequence[object]) -> None:
        self._writer.writerow([visible(c) if isinstance(c, str) else c for c in row])


def open_db(url: str | None, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """The database for a command. `read_only=True` for commands that never write: a SQLite file
    is opened read-only (a read-only copy works) and one that does not exist is refused (a
    mistyped --db must not make a new empty database)."""
    import atexit

    from storage.db import Database

    database = Database(url, read_only=read_only)
    # Closed on the way out: SQLite then folds its write-ahead log back into the file, so the
    # file alone holds everything (a copy of it is the whole database).
    atexit.register(database.dispose)
    return database
