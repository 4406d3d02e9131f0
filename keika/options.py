"""Command-line options shared by every `keika` command, so each is spelled and explained once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: KEIKA_DATABASE_URL, else a SQLite file in the user data dir).",
    ),
]
SeedsOption = Annotated[
    Path, typer.Option("--seeds", help="A seed file or a folder of *.toml seed files.")
]
PageOption = Annotated[str | None, typer.Option("--page", help="Only this page (its seed key).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
