"""Where the CLI writes: stdout and stderr consoles, JSON, and opening the database."""

from __future__ import annotations

import json
import sys

from rich.console import Console

# Piped output is read by people too (and by grep): do not squeeze tables into 80 columns.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def open_db(url: str | None):  # type: ignore[no-untyped-def]
    from storage.db import Database

    return Database(url)
