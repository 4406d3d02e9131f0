"""`keika snapshot CRAWL_ID PAGE_KEY`: the page as it was, from the archive."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from keika.options import DbOption


def snapshot(
    crawl_id: Annotated[int, typer.Argument(help="A crawl id from `keika crawls`.")],
    page_key: Annotated[str, typer.Argument(help="The page's seed key.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the response to this file (default: stdout)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the archived response of a page in a crawl, byte for byte as the server sent it.

    To a terminal it prints the page's text instead, control characters made visible.

    A 304 (not modified) crawl gives the body archived before it, which is what the page was.
    """
    from keika.console import err, open_db
    from storage.archive import fetch_body

    database = open_db(db, read_only=True)
    with database.session() as session:
        fetch, body = fetch_body(session, crawl_id, page_key)
        content_type = (fetch.headers or {}).get("content-type")
        note = (
            f"crawl {crawl_id}: {page_key}: {len(body)} bytes, HTTP {fetch.status}, "
            f"archived by crawl {fetch.crawl_id}"
        )
    if output is None and sys.stdout.isatty():
        # A terminal would act on escape sequences in the page: show its text, controls visible.
        from keika.display import visible
        from pipeline.encoding import decode_html

        sys.stdout.write(visible(decode_html(body, content_type)) + "\n")
        return
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(body)
    err.print(f"{note} -> {output}", highlight=False, markup=False)
