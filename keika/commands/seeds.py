"""`keika seeds list / add / disable`: the seed files, edited in place with their comments kept.

The TOML is rewritten with tomlkit, which keeps comments, blank lines and the order of tables,
so a hand-written seed file stays the user's file. Every edit is checked by loading the result
with the same loader every command uses before it replaces the file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from keika.options import JsonOption, SeedsOption
from pipeline.domain.errors import InputError, SeedError

TRY_TIMEOUT = 120.0  # seconds the trial fetch may take, robots.txt and politeness delays included


def seeds_list(seeds: SeedsOption = Path("seeds"), as_json: JsonOption = False) -> None:
    """Every page in the seeds: key, whether it is crawled, its schedule, zone and URL."""
    from keika.console import out, print_json
    from pipeline.seeds import load_seeds

    seedset = load_seeds(seeds)
    if as_json:
        print_json(
            [
                {
                    "key": s.key,
                    "name": s.name,
                    "url": s.url,
                    "enabled": s.enabled,
                    "schedule": s.schedule,
                    "timezone": s.timezone,
                    "file": s.source.split(":")[0],
                }
                for s in seedset.seeds
            ]
        )
        return
    from rich.table import Table

    from keika.console import cell

    table = Table("key", "enabled", "schedule", "timezone", "name", "url")
    for s in seedset.seeds:
        cells = (s.key, "yes" if s.enabled else "no", s.schedule, s.timezone, s.name or "", s.url)
        table.add_row(*(cell(c) for c in cells))  # a seed's name is shown, not parsed or obeyed
    out.print(table)
    enabled = sum(1 for s in seedset.seeds if s.enabled)
    out.print(
        f"{len(seedset.seeds)} page(s), {enabled} enabled, in {', '.join(seedset.files)}",
        highlight=False,
        markup=False,
    )


def seeds_add(
    url: Annotated[str, typer.Argument(help="The page's URL (http or https).")],
    key: Annotated[str, typer.Option("--key", help="A new stable key for the page.")],
    schedule: Annotated[
        str | None,
        typer.Option(
            help="Five-field cron in the page's timezone, or 'every 6h' (default: the file's)."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="A name for people (default: the page's title).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Add it even if the trial fetch finds no entries.")
    ] = False,
    seeds: SeedsOption = Path("seeds"),
) -> None:
    """Try a page once (one polite fetch and a parse; nothing is stored), then add it to the seeds.

    Exits 1 without adding the page when the fetch fails or finds no dated entries (--force adds
    it anyway).
    """
    from keika.console import err, out

    file = _target_file(seeds)
    doc = _read(file) if file.exists() else _new_document()
    table = _page_table(key=key, url=url, schedule=schedule, name=None)
    # Check the page as the loader will see it, before spending a fetch on it.
    existing = _existing_keys(seeds)
    if key in existing:
        raise SeedError(f"key {key!r} is already used by a page in {existing[key]}")
    _append(doc, table)
    seed = _check(file, doc).get(key)
    _check_schedule(seed)

    found, title, problem = _try_page(seed, seeds)
    if problem:
        err.print(f"{url}: {problem}", highlight=False, markup=False)
    else:
        out.print(f"{url}: {found} dated entries found", highlight=False, markup=False)
    if problem and not force:
        err.print(f"{key}: not added (--force adds it anyway)", highlight=False, markup=False)
        raise typer.Exit(1)
    shown_name = name or title
    if shown_name:
        table["name"] = shown_name
        seed = _check(file, doc).get(key)
    _write(file, doc)
    out.print(
        f"added {key} to {file} (schedule {seed.schedule!r}, timezone {seed.timezone})",
        highlight=False,
        markup=False,
    )


def seeds_disable(
    key: Annotated[str, typer.Argument(help="The page's key.")],
    seeds: SeedsOption = Path("seeds"),
) -> None:
    """Stop crawling a page (enabled = false); its history stays in the database."""
    from keika.console import out
    from pipeline.seeds import load_seeds

    seed = load_seeds(seeds).get(key)
    file = Path(seed.source.split(":")[0]) if seed.source else _target_file(seeds)
    doc = _read(file)
    for table in doc.get("page", []):
        if table.get("key") == key:
            if table.get("enabled", True) is False:
                out.print(f"{key} is already disabled in {file}", highlight=False, markup=False)
                return
            table["enabled"] = False
            break
    else:
        raise SeedError(f"{file}: no [[page]] with key {key!r}")
    _check(file, doc)
    _write(file, doc)
    out.print(f"disabled {key} in {file}", highlight=False, markup=False)


# --- the TOML file ----------------------------------------------------------------------------


def _target_file(seeds: Path) -> Path:
    """The file an added page goes to: the file named, or the only *.toml of a folder."""
    if seeds.is_dir():
        files = sorted(seeds.glob("*.toml"))
        if len(files) == 1:
            return files[0]
        if not files:
            return seeds / "seeds.toml"
        raise InputError(
            f"{seeds}: holds {len(files)} seed files; name one with --seeds {files[0]}"
        )
    if seeds.suffix != ".toml":
        raise InputError(f"{seeds}: a seed file ends in .toml")
    return seeds


def _existing_keys(seeds: Path) -> dict[str, str]:
    from pipeline.seeds import load_seeds

    if not (seeds.is_file() or (seeds.is_dir() and any(seeds.glob("*.toml")))):
        return {}
    return {s.key: s.source for s in load_seeds(seeds).seeds}


def _read(file: Path) -> Any:
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        return tomlkit.parse(file.read_text(encoding="utf-8"))
    except ParseError as exc:
        raise SeedError(f"{file}: {exc}") from exc


def _new_document() -> Any:
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment("What keika watches: one [[page]] table per page (see `keika seeds`)."))
    return doc


def _page_table(**values: str | None) -> Any:
    import tomlkit

    table = tomlkit.table()
    for name, value in values.items():
        if value is not None:
            table[name] = value
    return table


def _append(doc: Any, table: Any) -> None:
    import tomlkit

    pages = doc.get("page")
    if pages is None:
        pages = tomlkit.aot()
        doc.append("page", pages)
    elif len(pages) and not pages[-1].as_string().endswith("\n\n"):
        pages[-1].add(tomlkit.nl())  # a blank line between [[page]] blocks, as people write them
    pages.append(table)


def _check(file: Path, doc: Any) -> Any:
    """The SeedSet the edited document loads as (named after `file` in errors)."""
    from pipeline.seeds import load_seeds

    with tempfile.TemporaryDirectory(prefix="keika-seeds-") as folder:
        trial = Path(folder) / file.name
        trial.write_text(doc.as_string(), encoding="utf-8")
        try:
            return load_seeds(trial)
        except SeedError as exc:
            raise SeedError(str(exc).replace(str(trial), str(file))) from exc


def _check_schedule(seed: Any) -> None:
    """A schedule the scheduler would refuse is refused here too (before the file changes)."""
    from scheduler import make_trigger

    try:
        make_trigger(seed.schedule, seed.timezone)
    except ValueError as exc:
        raise SeedError(f"{seed.key}: bad schedule {seed.schedule!r}: {exc}") from exc


def _write(file: Path, doc: Any) -> None:
    """Replace the file in one step: a crash leaves the old file or the new one, never half."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(doc.as_string())
        if file.exists():
            os.chmod(tmp, file.stat().st_mode & 0o777)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the trial fetch --------------------------------------------------------------------------


def _try_page(seed: Any, seeds: Path) -> tuple[int, str | None, str | None]:
    """(entries found, page title, problem or None) from one fetch with keika's politeness."""
    from crawler.pipelines import read_fetch_log
    from crawler.run import run_crawl_in_child
    from pipeline.domain.fetch import CrawlTarget
    from pipeline.parse import elsewhere, parse_page
    from pipeline.services.ingest import selectors_for

    settings: dict[str, object] = {"KEIKA_PROGRESS": False}
    try:
        contact = _existing_contact(seeds)
    except SeedError:
        contact = None
    if contact:
        settings["KEIKA_CONTACT"] = contact
    with tempfile.TemporaryDirectory(prefix="keika-try-") as folder:
        log = Path(folder) / "fetch.jsonl"
        settings["KEIKA_FETCH_LOG"] = str(log)
        child = run_crawl_in_child(
            [CrawlTarget.for_seed(seed)],
            settings=settings,
            pipelines={"crawler.pipelines.FetchLogPipeline": 300},
            timeout=TRY_TIMEOUT,
        )
        results = read_fetch_log(log) if log.exists() else []
    if not results:
        return 0, None, f"the trial fetch gave no result ({child})"
    result = results[0]
    if result.error or result.body is None:
        return 0, None, f"fetch failed: {result.error or f'HTTP {result.status}'}"
    parsed = parse_page(
        result.body,
        url=result.final_url or result.url,
        content_type=result.content_type,
        selectors=selectors_for(seed),
    )
    title = parsed.page.title or None
    if not parsed.entries:
        hint = elsewhere(result.body, url=result.final_url or result.url)
        return 0, title, "no dated entries found on the page" + (f"; {hint}" if hint else "")
    return len(parsed.entries), title, None


def _existing_contact(seeds: Path) -> str | None:
    from pipeline.seeds import load_seeds

    if not (seeds.is_file() or (seeds.is_dir() and any(seeds.glob("*.toml")))):
        return None
    return load_seeds(seeds).contact
