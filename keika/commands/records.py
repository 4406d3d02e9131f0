"""`keika parse` and `keika replay`: the parser on saved pages, and on the archive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from keika.console import err, open_db, out, print_json
from keika.display import visible
from keika.options import DbOption, PageOption, SeedsOption
from pipeline.domain.errors import InputError, KeikaError

MAX_TIMEOUT = 86_400  # seconds: a day; a far larger one overflows the socket's timer


def parse(
    source: Annotated[str, typer.Argument(help="A saved HTML file, or an http(s) URL to fetch.")],
    url: Annotated[str | None, typer.Option(help="The page's URL, recorded in `page`.")] = None,
    selectors: Annotated[
        str | None,
        typer.Option("--selectors", help='A site profile to try, as JSON: \'{"entry": "h3"}\'.'),
    ] = None,
    content: Annotated[
        str | None, typer.Option("--content", help="CSS of the content root (a selector).")
    ] = None,
    entry: Annotated[
        str | None, typer.Option("--entry", help="CSS of one entry (a selector).")
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout", help="Seconds to wait for the URL (default: the seeds' timeout, 30)."
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also tell (on stderr) which layout rule found the entries, where the lines "
            "went, and which date-like lines were not used and why.",
        ),
    ] = False,
) -> None:
    """Parse a saved page, or fetch one page politely, and print its records as JSON.

    A URL is fetched once, honouring robots.txt, with keika's User-Agent, a timeout and the
    crawl's size limit; nothing is written to the database. Exit 3 when there are no entries.
    """
    from pipeline.domain.seed import PAGE_DEFAULTS
    from pipeline.parse import elsewhere, explain_page, parse_page
    from pipeline.selectors import Selectors

    profile = _selectors(selectors, content, entry)
    limit = int(PAGE_DEFAULTS["max_size"])
    content_type = None
    if source.startswith(("http://", "https://")):
        wait = float(PAGE_DEFAULTS["timeout"]) if timeout is None else timeout
        if not 0 < wait <= MAX_TIMEOUT:  # NaN too; a socket takes no more than this
            raise InputError(
                f"--timeout must be a positive number of seconds, at most {MAX_TIMEOUT:,}"
            )
        data, content_type = _fetch_politely(source, limit, wait)
        url = url or source
    elif "://" in source and not Path(source).exists():
        raise InputError(f"{source}: no such file (a URL must be http:// or https://)")
    else:
        data = _read_limited(Path(source), limit)
    chosen = Selectors.from_mapping(profile) if profile else None
    if explain:
        parsed, trace = explain_page(data, url=url, content_type=content_type, selectors=chosen)
    else:
        parsed = parse_page(data, url=url, content_type=content_type, selectors=chosen)
    print_json(parsed.to_dict())
    if explain:
        for line in explanation_lines(parsed, trace):
            err.print(line, highlight=False, markup=False)
    if not parsed.entries:
        hint = elsewhere(data, url=url, content_type=content_type)
        why = f"; {hint}" if hint else ""
        err.print(f"{source}: no dated entries found{why}", highlight=False, markup=False)
        raise typer.Exit(3)


def _selectors(raw: str | None, content: str | None, entry: str | None) -> dict[str, str]:
    """The site profile from --selectors JSON, with --content/--entry on top."""
    mapping: dict[str, str] = {}
    if raw is not None:
        try:
            loaded = json.loads(raw)
        except ValueError as exc:
            raise InputError(f"--selectors is not JSON: {exc}") from None
        if not isinstance(loaded, dict):
            raise InputError('--selectors must be a JSON object such as \'{"entry": "h3"}\'')
        mapping.update(loaded)
    if content is not None:
        mapping["content"] = content
    if entry is not None:
        mapping["entry"] = entry
    return mapping


def _read_limited(path: Path, limit: int) -> bytes:
    """A saved page's bytes, refusing more than the crawl would download (/dev/zero too)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an HTML file")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"{path}: larger than the {limit:,}-byte page size limit (max_size)")
    return data


def _fetch_politely(url: str, limit: int, timeout: float) -> tuple[bytes, str | None]:
    """One GET of `url` as the crawler would make it: robots.txt first (a 5xx or 429 forbids, as
    RFC 9309 asks), keika's User-Agent, gzip/deflate asked for and unpacked, a timeout, the size
    limit, and redirects followed only within the host and where robots.txt allows. Synchronous
    urllib: starting Scrapy costs more than this. A URL as copied from the address bar (Japanese
    path, IDN host) is encoded as Scrapy encodes it."""
    import urllib.request
    from urllib.parse import urlsplit, urlunsplit

    from w3lib.url import safe_url_string

    from crawler.settings import DEFAULT_REQUEST_HEADERS, USER_AGENT

    if any(c.isspace() or not c.isprintable() for c in url):
        raise InputError(f"{url}: not a URL: it holds a space or control character (write %20)")
    try:
        url = safe_url_string(url, encoding="utf-8")  # a Japanese path or host, as Scrapy sends
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it checks it: 'http://h:x/' raises here)
    except ValueError as exc:
        raise InputError(f"{url}: not a URL: {exc}") from None
    if not parts.hostname:
        raise InputError(f"{url}: not a URL with a host")
    headers = {
        **DEFAULT_REQUEST_HEADERS,
        "User-Agent": USER_AGENT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    try:
        robots = _get(robots_url, headers, timeout, 512 * 1024, robots=True)
    except InputError:
        robots = None  # as the crawl (Scrapy's RobotsTxtMiddleware): no readable robots.txt
    rules = None
    if robots is not None:
        from protego import Protego

        rules = Protego.parse(robots[0].decode("utf-8", errors="replace"))

    def check(target: str) -> None:
        if rules is not None and not rules.can_fetch(target, USER_AGENT):
            raise InputError(f"{target}: robots.txt of {parts.netloc} disallows it for keika")

    class Redirects(urllib.request.HTTPRedirectHandler):
        """Each hop kept to the page's host and to what its robots.txt allows."""

        def redirect_request(self, req, fp, code, msg, hdrs, newurl):  # type: ignore[no-untyped-def]
            newurl = safe_url_string(newurl, encoding="utf-8")
            host = (urlsplit(newurl).hostname or "").lower()
            if urlsplit(newurl).scheme in ("http", "https") and host != parts.hostname:
                raise InputError(f"{url}: redirect to another host: {host}")
            check(newurl)
            return super().redirect_request(req, fp, code, msg, hdrs, newurl)

    check(url)
    opener = urllib.request.build_opener(Redirects)
    got = _get(url, headers, timeout, limit, robots=False, opener=opener)
    assert got is not None
    return got


def _get(
    url: str,
    headers: dict[str, str],
    timeout: float,
    limit: int,
    *,
    robots: bool,
    opener: Any = None,
) -> tuple[bytes, str | None] | None:
    """The body and Content-Type of one GET; for robots.txt, None when there is none (4xx)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers=headers)
    what = "robots.txt" if robots else "page"
    open_url = opener.open if opener is not None else urllib.request.urlopen
    try:
        with open_url(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise InputError(f"{url}: {what} larger than the {limit:,}-byte size limit")
            data = response.read(limit + 1)
            if len(data) > limit:
                raise InputError(f"{url}: {what} larger than the {limit:,}-byte size limit")
            coding = (response.headers.get("Content-Encoding") or "").strip().lower()
            data = _decoded_body(url, what, data, coding, limit)
            return data, response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        if robots and not (exc.code >= 500 or exc.code == 429):
            return None  # no robots.txt (4xx): allowed, as in a crawl
        if robots:  # RFC 9309: unreachable (5xx) means complete disallow, as in a crawl
            raise _RobotsUnreachable(f"{url}: robots.txt unreachable (HTTP {exc.code})") from None
        reason = " ".join(str(exc.reason).split())  # a redirect loop's reason spans lines
        raise InputError(f"{url}: HTTP {exc.code} {reason}".strip()) from None
    except urllib.error.URLError as exc:
        raise InputError(f"{url}: {what} not fetched: {exc.reason}") from None
    except TimeoutError:
        raise InputError(f"{url}: {what} not fetched: no answer within {timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{url}: {what} not fetched: {exc}") from None


#: The Content-Encodings `keika parse URL` asks for and reads, as a crawl does, with zlib's
#: wbits to try for each: gzip's header; zlib's header, then none (servers send both as deflate).
_CODINGS = {"gzip": (31,), "x-gzip": (31,), "deflate": (15, -15)}
ACCEPT_ENCODING = "gzip, deflate"


def _decoded_body(url: str, what: str, data: bytes, coding: str, limit: int) -> bytes:
    """The body with its Content-Encoding undone (a server may compress unasked), held to the
    size limit after decompression, so a small bomb is refused as a large page is."""
    import zlib

    if coding in ("", "identity"):
        return data
    if coding not in _CODINGS:
        raise InputError(
            f"{url}: {what} sent with Content-Encoding {coding!r}, which keika cannot read"
        )
    for wbits in _CODINGS[coding]:
        inflater = zlib.decompressobj(wbits)
        try:
            plain = inflater.decompress(data, limit + 1)
        except zlib.error:
            continue
        if len(plain) > limit:
            raise InputError(f"{url}: {what} larger than the {limit:,}-byte size limit")
        return plain
    raise InputError(f"{url}: {what} is not valid {coding} data (Content-Encoding: {coding})")


class _RobotsUnreachable(KeikaError):
    """robots.txt answered 5xx/429: the page is not fetched (not an InputError: not skipped)."""


def explanation_lines(parsed, trace) -> list[str]:  # type: ignore[no-untyped-def]
    """What `--explain` prints: the layout rule, where the lines went, unused date lines."""
    bodies = sum(len(e.body) for e in parsed.entries)
    lines = [
        f"rule: {trace.rule}",
        f"content lines: {len(trace.roles)}",
        f"entries: {len(parsed.entries)}, with {bodies} body lines",
        f"page.text: {len(parsed.page.text)} lines",
        f"metadata or furniture: {len(trace.lines('meta'))} lines",
        f"headings over dated lines (a year, a decade, an era): {len(trace.lines('context'))}",
    ]
    if trace.order:
        lines.append(f"days and months in figures (04/12/2015): {trace.order}")
    if trace.unused:
        lines.append("looked like dates but were not used:")
        lines.extend(f"  '{visible(line, newlines=False)}': {why}" for line, why in trace.unused)
    else:
        lines.append("looked like dates but were not used: none")
    return lines


def replay(
    directory: Annotated[
        Path | None,
        typer.Argument(help="A folder of saved pages (*.html) with their expected *.json."),
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Rewrite the goldens after a deliberate change.")
    ] = False,
    archive: Annotated[
        bool, typer.Option("--archive", help="Re-parse the archived responses in the database.")
    ] = False,
    page: PageOption = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="With --archive: record today's parse (asks first).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before --apply.")] = False,
    seeds: SeedsOption = Path("seeds"),
    db: DbOption = None,
) -> None:
    """Re-parse saved pages with today's parser and show what would differ (exit 1 if any).

    `keika replay DIR` compares each DIR/**/NAME.html with NAME.json beside it
    (`keika replay NAME.html` just that page).
    `keika replay --archive` compares every archived response with the records stored for it.
    """
    if archive:
        if directory is not None or update:
            raise InputError("--archive replays the database: give no folder and no --update")
        _replay_archive(page, apply, yes, seeds, db)
        return
    if directory is None:
        raise InputError("give a folder of saved pages, or --archive")
    if page or apply:
        raise InputError("--page and --apply go with --archive")
    if not directory.exists():
        raise InputError(f"{directory}: no such folder")
    from pipeline.goldens import compare_dir

    report = compare_dir(directory, update=update)
    for line in report.lines():
        out.print(line, highlight=False, markup=False)
    raise typer.Exit(0 if report.ok else 1)


def _replay_archive(page, apply, yes, seeds, db) -> None:  # type: ignore[no-untyped-def]
    from pipeline.seeds import load_seeds
    from pipeline.services.ingest import selectors_for
    from pipeline.services.reparse import apply_reparse, reparse_archive
    from storage.changes import require_page

    try:
        seedset = load_seeds(seeds)
        profiles = {s.key: selectors_for(s) for s in seedset.seeds}
    except KeikaError:
        profiles = {}  # no seeds here: replay with the heuristics alone
    database = open_db(db, read_only=not apply)
    if page:
        with database.session() as session:
            require_page(session, page)
    results = reparse_archive(database, page_key=page, selectors_for=profiles.get)
    for result in results:
        out.print(result.line(), highlight=False, markup=False)
        for detail in result.entry_details:
            out.print(f"    {detail}", highlight=False, markup=False)
    differing = sum(1 for r in results if r.differs)
    out.print(
        f"{len(results)} archived responses: {len(results) - differing} same, {differing} differ",
        highlight=False,
    )
    if not differing:
        return
    if apply:
        if not yes and not typer.confirm(
            f"Record today's parse for {differing} responses and update current entries?"
        ):
            raise typer.Exit(1)
        applied = apply_reparse(database, results, selectors_for=profiles.get)
        out.print(f"applied: {applied} responses re-recorded", highlight=False)
        return
    raise typer.Exit(1)
