"""What import-linter cannot check: the layer rule for scheduler.py (a module, which it refuses
as a root), and that importing the crawler installs no Twisted reactor.

pyproject.toml's contracts check the packages; these two tests keep scheduler.py in the top
layer: it imports nothing from the command line, and nothing below the application imports it.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
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


def test_importing_the_crawler_installs_no_reactor() -> None:
    """Importing `twisted.internet.reactor` installs Twisted's default reactor; Scrapy (and the
    tests' asyncio reactor) must be the ones to choose, so no crawler module may import it at
    module level. Checked in a fresh interpreter, where nothing else has chosen yet."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "crawler").rglob("*.py")
        if path.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('twisted.internet.reactor' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False", f"a crawler module installs a reactor: {modules}"
