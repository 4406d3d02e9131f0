"""`keika serve`'s web app: the change log, pages, entries and crawls as plain HTML, Atom and JSON.

Read-only and server-rendered (no JavaScript needed). Every handler is a plain function, so
Starlette runs it in its thread pool and the synchronous SQLAlchemy session never blocks the loop.
Scraped text only ever reaches HTML through Jinja2's autoescape, its control characters shown.
"""

from __future__ import annotations

import difflib
import hmac
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders, QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keika.display import day_window, local_time, visible, visible_json
from keika.web.feeds import FEED_KINDS, FeedEntry, atom_feed, change_tag
from pipeline.diff import diff_lines
from pipeline.domain.errors import InputError, NotFoundError
from pipeline.domain.kinds import ChangeKind
from pipeline.domain.records import EntryRecord
from storage.changes import (
    MAX_ID,
    ChangeRow,
    current_entries,
    entry_history,
    get_change,
    page_zones,
)
from storage.db import Database
from storage.overview import (
    archived_response,
    change_page,
    crawl_page,
    page_summaries,
    page_summary,
)

LOG = logging.getLogger(__name__)
HERE = Path(__file__).parent
PER_PAGE = 50
FEED_SIZE = 50
COOKIE = "keika_token"
HTML = "text/html; charset=utf-8"
SECURITY_HEADERS = {
    # Defence in depth only: the pages are escaped and hold no script of their own.
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    # A ?token= in the address must not travel on to the watched sites through links.
    "referrer-policy": "no-referrer",
}


# --- query parameters -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChangeFilter:
    """What /changes and /api/changes were asked for (`until` inclusive): days in each page's
    zone, as its times are shown and as `keika changes --since/--until` reads them."""

    kinds: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    page: int = 1

    def window(self, session: Any, page: str | None = None) -> Any:
        """The days as a storage window over the pages' zones (of `page`'s), or None."""
        if self.since is None and self.until is None:
            return None
        since = datetime.combine(self.since, time()) if self.since else None
        until = None  # the calendar's last day has no day after it: no end
        if self.until is not None and self.until != date.max:
            until = datetime.combine(self.until + timedelta(days=1), time())
        return day_window(page_zones(session, page), since, until)

    def query(self, page: int | None = None) -> str:
        """The query string for these filters (on another page of results)."""
        pairs: list[tuple[str, str]] = [("kind", k) for k in self.kinds]
        if self.since:
            pairs.append(("since", self.since.isoformat()))
        if self.until:
            pairs.append(("until", self.until.isoformat()))
        number = self.page if page is None else page
        if number != 1:
            pairs.append(("page", str(number)))
        return urlencode(pairs)


def _date_param(params: QueryParams, name: str) -> date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{name}={value!r}: expected a date like 2026-11-01") from exc


def page_number(params: QueryParams) -> int:
    value = params.get("page")
    if value is None or value == "":
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise InputError(f"page={value!r}: expected a page number (1, 2, ...)")
    return int(value)


def change_filter(params: QueryParams) -> ChangeFilter:
    """Parse ?kind= (repeatable), ?since=, ?until=, ?page=; InputError (400) when malformed."""
    kinds = tuple(dict.fromkeys(k for k in params.getlist("kind") if k))
    for kind in kinds:
        if kind not in tuple(ChangeKind):
            raise InputError(f"kind={kind!r}: expected one of {', '.join(ChangeKind)}")
    since, until = _date_param(params, "since"), _date_param(params, "until")
    if since and until and until < since:
        raise InputError(f"until={until} is before since={since}")
    return ChangeFilter(kinds, since, until, page_number(params))


def _id(value: str, what: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise NotFoundError(f"unknown {what} {value!r}")
    return int(value)


# --- what the templates show ------------------------------------------------------------------

Segment = tuple[str, bool]  # text, and whether it is the part that changed


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One line of a before/after view; `before`/`after` are None where the line is absent."""

    op: str
    before: tuple[Segment, ...] | None
    after: tuple[Segment, ...] | None


def _segments(before: str, after: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Character-level split of a changed line, so the edited words stand out."""
    old: list[Segment] = []
    new: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            old.append((before[i1:i2], op != "equal"))
        if j2 > j1:
            new.append((after[j1:j2], op != "equal"))
    return tuple(old), tuple(new)


def _record(data: dict[str, Any] | None) -> EntryRecord | None:
    return EntryRecord.from_dict(data) if data else None


def diff_rows(change: ChangeRow) -> list[DiffRow]:
    """The entry's lines before and after (date line first), changed parts marked."""
    if change.kind == "page":
        rows = []
        for name in change.fields:
            before = str((change.before or {}).get(name) or "")
            after = str((change.after or {}).get(name) or "")
            old, new = _segments(f"{name}: {before}", f"{name}: {after}")
            rows.append(DiffRow("replace", old, new))
        return rows
    rows = []
    for line in diff_lines(_record(change.before), _record(change.after)):
        if line.op == "equal":
            text = ((line.before or "", False),)
            rows.append(DiffRow("equal", text, text))
        elif line.op == "replace":
            old, new = _segments(line.before or "", line.after or "")
            rows.append(DiffRow("replace", old, new))
        elif line.op == "delete":
            rows.append(DiffRow("delete", ((line.before or "", True),), None))
        else:
            rows.append(DiffRow("insert", None, ((line.after or "", True),)))
    return rows


def change_title(change: ChangeRow) -> str:
    if change.kind == "page":
        return f"page: {', '.join(change.fields) or 'details'} ({change.page})"
    return f"{change.kind}: {change.date_text or ''}".rstrip()


def feed_title(change: ChangeRow) -> str:
    """'本渓市との交流経過: edited: 平成19年2月21日 — its first line' for the all-pages feed."""
    title = f"{change.title or change.page}: {change_title(change)}"
    line = change.first_line
    if line:
        title += f" — {line[:60]}{'…' if len(line) > 60 else ''}"
    return title


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def record_matches(record: dict[str, Any], query: str) -> bool:
    """Does an entry hold the text? Width and case do not matter (１９ finds 19)."""
    wanted = _normalized(query.strip())
    parts = [record.get("date_text") or "", record.get("start") or "", record.get("end") or ""]
    parts += list(record.get("body") or [])
    parts.append(record.get("note") or "")
    return wanted in _normalized("\n".join(parts))


def _when(value: datetime | None, timezone: str | None = None) -> str:
    """A time in the page's zone (Asia/Tokyo unless its seed says otherwise), the zone named."""
    return local_time(value, timezone)


def _iso(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat() if value else ""


def _span(record: dict[str, Any]) -> str:
    start, end = record.get("start"), record.get("end")
    if not start:
        return ""
    return start if not end or end == start else f"{start} – {end}"


def _shown(value: Any) -> Any:
    """Every value a template prints: control characters and bidi overrides shown as escapes
    (\\x1b, \\u202e), as the CLI shows them, before autoescape; markup stays markup."""
    if isinstance(value, Markup):
        return Markup(visible(str(value)))  # visible adds no <, > or &
    return visible(value) if isinstance(value, str) else value


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    env.filters.update(when=_when, iso=_iso, span=_span)
    env.globals.update(change_title=change_title, KINDS=tuple(ChangeKind))
    return env


# --- the token gate ---------------------------------------------------------------------------


class TokenGate:
    """With a token set, every request needs it: a Bearer header, the cookie, or ?token= once
    (which sets the cookie, so links work after opening one address that carries it)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token
        self.cookie_value = hmac.new(token.encode(), b"keika web cookie", sha256).hexdigest()

    def _same(self, given: str | bytes | None, expected: str) -> bool:
        if given is None:
            return False
        given = given.encode(errors="replace") if isinstance(given, str) else given
        return hmac.compare_digest(given, expected.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        header = request.headers.get("authorization", "")
        # A header is bytes, read as Latin-1: its bytes again, so a UTF-8 token matches.
        bearer = header[7:].strip().encode("latin-1") if header[:7].lower() == "bearer " else None
        if self._same(bearer, self.token) or self._same(
            request.cookies.get(COOKIE), self.cookie_value
        ):
            await self.app(scope, receive, send)
            return
        if self._same(request.query_params.get("token"), self.token):

            async def send_with_cookie(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableHeaders(scope=message)
                    headers.append(
                        "set-cookie",
                        f"{COOKIE}={self.cookie_value}; Path=/; HttpOnly; SameSite=Lax",
                    )
                await send(message)

            await self.app(scope, receive, send_with_cookie)
            return
        response: Response
        message = "a token is needed: Authorization: Bearer TOKEN, or ?token=TOKEN once"
        if request.url.path.startswith("/api/"):
            response = JSONResponse({"error": message}, status_code=401)
        else:
            response = Response(
                f"401 Unauthorized: {message}\n", status_code=401, media_type="text/plain"
            )
        response.headers["www-authenticate"] = 'Bearer realm="keika"'
        await response(scope, receive, send)


class SecurityHeaders:
    """The outermost layer: every response carries SECURITY_HEADERS, a 500 included.

    Starlette answers an unhandled exception outside every middleware (without these headers),
    so a failure is answered here instead, and logged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            LOG.exception("keika web: %s %s failed", scope.get("method"), scope.get("path"))
            response = Response(
                "500 Internal Server Error: see the server's log\n",
                status_code=500,
                media_type="text/plain; charset=utf-8",
            )
            await response(scope, receive, send_with_headers)


# --- the app ----------------------------------------------------------------------------------
#
# Endpoints are module-level functions; what they share (the database, the templates, the page
# size) lives on `request.app.state`, set once by `create_app`.


def _db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status, media_type=HTML)


def index(request: Request) -> Response:
    with _db(request).session() as session:
        pages = page_summaries(session)
    return render(request, "index.html", pages=pages, section="pages")


def page_view(request: Request) -> Response:
    key = request.path_params["key"]
    query = request.query_params.get("q", "").strip()
    with _db(request).session() as session:
        summary = page_summary(session, key)
        entries = current_entries(session, key)
    shown = [e for e in entries if record_matches(e.record, query)] if query else entries
    return render(
        request,
        "page.html",
        page=summary,
        entries=shown,
        total=len(entries),
        q=query,
        section="pages",
    )


def changes_view(request: Request) -> Response:
    key = request.path_params.get("key")
    wanted = change_filter(request.query_params)
    with _db(request).session() as session:
        summary = page_summary(session, key) if key else None
        result = change_page(
            session,
            page=key,
            kinds=wanted.kinds,
            window=wanted.window(session, key),
            number=wanted.page,
            per_page=request.app.state.per_page,
        )
    return render(
        request,
        "changes.html",
        page=summary,
        result=result,
        wanted=wanted,
        section="changes",
    )


def change_view(request: Request) -> Response:
    change_id = _id(request.path_params["change_id"], "change")
    with _db(request).session() as session:
        change = get_change(session, change_id)
    return render(request, "change.html", change=change, rows=diff_rows(change), section="changes")


def entry_view(request: Request) -> Response:
    entry_id = _id(request.path_params["entry_id"], "entry")
    with _db(request).session() as session:
        entry, versions = entry_history(session, entry_id)
        changes = change_page(session, entry_id=entry_id, per_page=1000).rows
    return render(
        request,
        "entry.html",
        entry=entry,
        versions=list(reversed(versions)),
        changes=changes,
        section="pages",
    )


def crawls_view(request: Request) -> Response:
    key = request.query_params.get("key") or None
    number = page_number(request.query_params)
    with _db(request).session() as session:
        result = crawl_page(session, page=key, number=number, per_page=request.app.state.per_page)
    pairs = [("key", key)] if key else []
    return render(
        request,
        "crawls.html",
        result=result,
        key=key,
        prev_query=urlencode([*pairs, ("page", str(number - 1))]),
        next_query=urlencode([*pairs, ("page", str(number + 1))]),
        section="crawls",
    )


def feed(request: Request) -> Response:
    key = request.path_params.get("key")
    page_title = None
    with _db(request).session() as session:
        if key:
            page_title = page_summary(session, key).title
        rows = change_page(session, page=key, kinds=FEED_KINDS, per_page=FEED_SIZE).rows
    diff_template = request.app.state.templates.get_template("_diff.html")
    entries = [
        FeedEntry(
            id=change_tag(row.id),
            # The all-pages feed names the page and the entry, so changes read apart in a list.
            title=change_title(row) if key else feed_title(row),
            summary=row.first_line or None,
            updated=row.detected_at,
            link=str(request.url_for("change", change_id=str(row.id))),
            category=row.kind,
            content_html=diff_template.render(change=row, rows=diff_rows(row)),
        )
        for row in rows
    ]
    if key:
        # A feed reader lists the feed by its title: the page's own, as the web view names it.
        feed_id, title = f"tag:keika,2026:feed/page/{key}", f"keika: {page_title or key}"
        alternate = request.url_for("page_changes", key=key)
    else:
        feed_id, title = "tag:keika,2026:feed", "keika: all watched pages"
        alternate = request.url_for("changes")
    body = atom_feed(
        feed_id=feed_id,
        title=title,
        self_url=str(request.url.remove_query_params("token")),
        alternate_url=str(alternate),
        entries=entries,
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


# An archived page is the watched site's own HTML: shown as text, never run. text/plain with
# nosniff is never rendered as HTML; the sandbox CSP would also stop any script if it were.
ARCHIVE_CSP = "sandbox; default-src 'none'"
_CHARSET_RE = re.compile(r"charset=[\"']?([A-Za-z0-9._:-]{1,40})", re.I)


def archived_view(request: Request) -> Response:
    """The response a crawl archived for a page, byte for byte, as text/plain."""
    crawl_id = _id(request.path_params["crawl_id"], "crawl")
    key = request.path_params["key"]
    with _db(request).session() as session:
        archived = archived_response(session, crawl_id, key)
    media_type = "text/plain"
    declared = _CHARSET_RE.search(archived.content_type)
    if declared:
        media_type += f"; charset={declared.group(1)}"
    return Response(
        archived.body,
        media_type=media_type,
        headers={
            "content-security-policy": ARCHIVE_CSP,
            "content-disposition": f'inline; filename="crawl-{crawl_id}.html.txt"',
        },
    )


def api_changes(request: Request) -> Response:
    wanted = change_filter(request.query_params)
    with _db(request).session() as session:
        result = change_page(
            session,
            kinds=wanted.kinds,
            window=wanted.window(session),
            number=wanted.page,
            per_page=request.app.state.per_page,
        )
    return _json([r.to_dict() for r in result.rows])


def api_entries(request: Request) -> Response:
    with _db(request).session() as session:
        rows = current_entries(session, request.path_params["key"])
    return _json([r.to_dict() for r in rows])


def error_response(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return _json({"error": message}, status=status)
    return render(request, "error.html", status=status, status_code=status, message=message)


async def not_found(request: Request, exc: Exception) -> Response:
    return error_response(request, 404, str(exc))


async def bad_request(request: Request, exc: Exception) -> Response:
    return error_response(request, 400, str(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = "no such page here" if exc.status_code == 404 else str(exc.detail)
    return error_response(request, exc.status_code, message)


ROUTES = [
    Route("/", index, name="index"),
    Route("/pages/{key}", page_view, name="page"),
    Route("/pages/{key}/changes", changes_view, name="page_changes"),
    Route("/pages/{key}/feed.atom", feed, name="page_feed"),
    Route("/changes", changes_view, name="changes"),
    Route("/changes/{change_id}", change_view, name="change"),
    Route("/entries/{entry_id}", entry_view, name="entry"),
    Route("/crawls", crawls_view, name="crawls"),
    Route("/crawls/{crawl_id}/pages/{key}/archived", archived_view, name="archived"),
    Route("/feed.atom", feed, name="feed"),
    Route("/api/changes", api_changes, name="api_changes"),
    Route("/api/pages/{key}/entries", api_entries, name="api_entries"),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]
EXCEPTION_HANDLERS = {
    NotFoundError: not_found,
    InputError: bad_request,
    HTTPException: http_error,
}


def create_app(db: Database, token: str | None = None, *, per_page: int = PER_PAGE) -> Starlette:
    """The web app over one database; with `token`, every route asks for it."""
    app = Starlette(routes=ROUTES, exception_handlers=EXCEPTION_HANDLERS)  # type: ignore[arg-type]
    app.state.db = db
    app.state.templates = Jinja2Templates(env=_environment())
    app.state.per_page = per_page
    if token:
        app.add_middleware(TokenGate, token=token)
    app.add_middleware(SecurityHeaders)
    return app


def _json(data: object, status: int = 200) -> Response:
    """JSON as `keika ... --json` prints it: Japanese kept readable, control characters and bidi
    overrides written as \\u escapes (json.dumps leaves DEL, C1 and U+202E raw)."""
    import json

    body = visible_json(json.dumps(data, ensure_ascii=False, indent=1)) + "\n"
    return Response(body, status_code=status, media_type="application/json; charset=utf-8")
