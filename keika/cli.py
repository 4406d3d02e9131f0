"""The `keika` command: names each command and imports its module only when it runs.

Start-up is paid by every command, so registration is a table of "module:function" strings
(`COMMANDS`): `keika info` never imports the scheduler, the parser or Scrapy. Every KeikaError,
and every usage mistake typer reports, becomes one line on stderr and exit 2; nothing here holds
logic that a test or another entry point (scheduler, web) would need.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from pipeline.domain.controls import VisibleFormatter
from pipeline.domain.errors import KeikaError

try:  # typer >= 0.23 carries its own copy of click
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
except ImportError:  # pragma: no cover - older typer on click
    from click.exceptions import ClickException, NoArgsIsHelpError  # type: ignore[no-redef]

# name -> "module:function" (a command) or (help, {name: "module:function"}) (a group), in the
# order `keika --help` lists them.
COMMANDS: dict[str, str | tuple[str, dict[str, str]]] = {
    "parse": "keika.commands.records:parse",
    "replay": "keika.commands.records:replay",
    "db": ("Database maintenance.", {"upgrade": "keika.commands.db:db_upgrade"}),
    "info": "keika.commands.db:info",
    "crawl": "keika.commands.crawl:crawl",
    "crawls": "keika.commands.crawl:crawls",
    "accept": "keika.commands.crawl:accept",
    "changes": "keika.commands.changes:changes",
    "demo": "keika.commands.crawl:demo",
    "show": "keika.commands.changes:show",
    "entries": "keika.commands.changes:entries",
    "history": "keika.commands.changes:history",
    "snapshot": "keika.commands.snapshot:snapshot",
    "gc": "keika.commands.retention:gc",
    "seeds": (
        "List, add and disable seed pages (edits the TOML in place, comments kept).",
        {
            "list": "keika.commands.seeds:seeds_list",
            "add": "keika.commands.seeds:seeds_add",
            "disable": "keika.commands.seeds:seeds_disable",
        },
    ),
    "schedule": "scheduler:schedule",
    "notify": "keika.commands.notify:notify",
    "outbox": "keika.commands.notify:outbox",
    "serve": "keika.web.serve:serve",
    "worker": "keika.commands.worker:worker",
    "workers": "keika.commands.worker:workers",
}

# Loggers keika's own code writes to; -v/--log-level set these (and Scrapy's LOG_LEVEL), not the
# root logger, so SQLAlchemy does not start echoing SQL and the scheduler's handler still applies.
OWN_LOGGERS = ("keika", "crawler", "pipeline", "storage", "scheduler")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_verbosity: dict[str, str] = {}


def set_log_level(level: str) -> None:
    """Apply a log level to keika's loggers, to Scrapy in this process and in child crawls."""
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
    os.environ["KEIKA_SCRAPY_LOG_LEVEL"] = level  # crawler.settings reads it; children inherit
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(VisibleFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(_own_records_alone)
        root.addHandler(handler)


def _own_records_alone(record: logging.LogRecord) -> bool:
    """keika's records, while no other root handler (Scrapy's, in a crawl) prints them."""
    if len(logging.getLogger().handlers) > 1:
        return False
    return record.name.split(".")[0] in OWN_LOGGERS


def _on_verbose(value: int) -> int:
    if value and "explicit" not in _verbosity:
        set_log_level("DEBUG" if value > 1 else "INFO")
    return value


def _on_log_level(value: str | None) -> str | None:
    if value is None:
        return value
    level = value.upper()
    if level not in LEVELS:
        raise typer.BadParameter(f"{value!r}: expected one of {', '.join(LEVELS)}")
    _verbosity["explicit"] = level
    set_log_level(level)
    return value


VerboseOption = Annotated[
    int,
    typer.Option(
        "--verbose",
        "-v",
        count=True,
        expose_value=False,
        callback=_on_verbose,
        help="Log more: -v for INFO, -vv for DEBUG (keika and Scrapy).",
    ),
]
LogLevelOption = Annotated[
    str | None,
    typer.Option(
        "--log-level",
        metavar="LEVEL",
        expose_value=False,
        callback=_on_log_level,
        help="Log level for keika and Scrapy: DEBUG, INFO, WARNING, ERROR.",
    ),
]


def _verbosity_params() -> list[Any]:
    """The -v/--log-level parameters, built once by typer, to append to every command."""
    template = typer.Typer(add_completion=False)

    @template.command()
    def _template(verbose: VerboseOption = 0, log_level: LogLevelOption = None) -> None: ...

    return list(typer.main.get_command(template).params)


def _load(spec: str) -> Any:
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def _with_verbosity(command: Any) -> Any:
    names = {p.name for p in command.params}
    command.params.extend(p for p in _verbosity_params() if p.name not in names)
    for sub in getattr(command, "commands", {}).values():
        _with_verbosity(sub)
    return command


class LazyGroup(TyperGroup):
    """Builds a command from `COMMANDS` the first time it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            command = _build(COMMANDS[cmd_name])
            command.name = cmd_name  # a group built on its own has none; help lists this one
            self.commands[cmd_name] = command
        return super().get_command(ctx, cmd_name)


def _build(spec: str | tuple[str, dict[str, str]]) -> Any:
    if isinstance(spec, str):
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        single.command()(_load(spec))
        return _with_verbosity(typer.main.get_command(single))
    help_text, members = spec
    group = typer.Typer(
        help=help_text, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False
    )
    for name, member in members.items():
        group.command(name)(_load(member))
    return _with_verbosity(typer.main.get_group(group))


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            shown = version("keika")
        except PackageNotFoundError:  # run from a checkout that was never installed
            shown = "unknown (not installed)"
        sys.stdout.write(f"keika {shown}\n")
        raise typer.Exit(0)


app = typer.Typer(
    name="keika",
    cls=LazyGroup,
    help="Watch pages that keep a dated history, and report what changed, entry by entry.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_version, help="Print keika's version and exit."
        ),
    ] = False,
    verbose: VerboseOption = 0,
    log_level: LogLevelOption = None,
) -> None:
    """Watch pages that keep a dated history, and report what changed, entry by entry."""


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:  # bare `keika` or `keika db`: the help, as click prints it
        exc.show()
        sys.exit(exc.exit_code)
    except ClickException as exc:  # a usage mistake: one line, like every other error
        command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "keika"
        message = " ".join(exc.format_message().split())
        err_line(f"keika: {message} (see `{command} --help`)")
        sys.exit(exc.exit_code)
    except KeikaError as exc:
        err_line(f"keika: {exc}")
        sys.exit(exc.exit_code)
    except typer.Abort:  # a prompt the user closed (Ctrl-D)
        err_line("keika: aborted")
        sys.exit(1)
    except KeyboardInterrupt:
        err_line("keika: interrupted")
        sys.exit(130)
    except OSError as exc:  # a file or folder the user named that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        err_line(f"keika: {where}{exc.strerror or exc}")
        sys.exit(2)
    if code == 130:  # typer turns Ctrl-C into Exit(130)
        err_line("keika: interrupted")
    sys.exit(code if isinstance(code, int) else 0)


def err_line(message: str) -> None:
    """One line on stderr, control characters shown, not obeyed (no Rich import for this)."""
    from keika.display import visible

    sys.stderr.write(visible(message, newlines=False) + "\n")
    sys.stderr.flush()


if __name__ == "__main__":
    main()
