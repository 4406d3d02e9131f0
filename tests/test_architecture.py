"""The layer rule for scheduler.py, which import-linter cannot take as a root (it is a module).

pyproject.toml's contracts check the packages; these two tests keep scheduler.py in the top
layer: it imports nothing from the command line, and nothing below the application imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BELOW_APPLICATION = ("crawler", "pipeline", "storage")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_scheduler_does_not_import_the_command_line() -> None:
    imports = imported_modules(ROOT / "scheduler.py")
    assert not {m for m in imports if m == "keika.cli" or m.startswith("keika.commands")}


def test_nothing_below_the_application_imports_the_scheduler() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in BELOW_APPLICATION
        for path in sorted((ROOT / package).rglob("*.py"))
        if "scheduler" in {m.split(".")[0] for m in imported_modules(path)}
    ]
    assert offenders == []
