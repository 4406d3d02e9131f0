"""The web app at its edges: hostile characters in feeds, numbers past every id, errors that keep
the security headers (issue 12 items 8 and 10), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
from conftest import ingest_html
from sqlalchemy import update
from starlette.testclient import TestClient

from keika.web.app import create_app
from keika.web.feeds import ATOM
from pipeline.domain.seed import Seed
from storage.changes import list_changes
from storage.db import Database
from storage.models import ChangeEvent

P4103 = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
SEED = Seed(key="oyama-benxi", url="http://127.0.0.1:8000/page004103.html")
LINE = "本渓市長のメッセージに対して、小林武夫市長より返書を送り、交流を希望する旨を伝えた。"
BIG = str(2**64)


def with_control_characters() -> bytes:
    html = (P4103 / "v1.html").read_text(encoding="utf-8")
    assert LINE in html
    return html.replace(LINE, LINE + "\u202e\x01\x1b[31m\x7f").encode("utf-8")


@pytest.fixture
def client(db: Database) -> TestClient:
    ingest_html(db, SEED, (P4103 / "v1.html").read_bytes())
    ingest_html(db, SEED, with_control_characters())
    return TestClient(create_app(db))


def test_control_characters_are_shown_in_every_page_and_feed(
    client: TestClient, db: Database
) -> None:
    """A bidi override or an ESC from a page is shown as an escape, as the CLI shows it: it
    neither reorders the text around it nor hides in the HTML or the feed."""
    with db.session() as session:
        [edited] = list_changes(session, kinds=("edited",))
    paths = ["/", f"/pages/{SEED.key}", "/changes", f"/changes/{edited.id}"]
    paths += [f"/entries/{edited.entry}", "/feed.atom", f"/pages/{SEED.key}/feed.atom"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        for control in ("\u202e", "\x01", "\x1b", "\x7f"):
            assert control not in response.text, (path, repr(control))
        if path != "/":
            assert "\\u202e\\x01\\x1b[31m\\x7f" in response.text, path


def strings(value: object) -> list[str]:
    """Every string a JSON value holds, nested ones included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings(item)] if isinstance(value, list) else []


def test_the_json_api_writes_control_characters_as_escapes_as_the_cli_does(
    client: TestClient, db: Database
) -> None:
    """/api/changes and /api/pages/KEY/entries are `keika changes --json` and `keika entries
    --json`: a bidi override, DEL or a C1 control is written as a \\u escape (json.dumps leaves
    them raw), so a browser's JSON view shows it instead of reordering the text; the value the
    JSON holds is the stored text, exact."""
    for path in ("/api/changes", f"/api/pages/{SEED.key}/entries"):
        response = client.get(path)
        assert response.status_code == 200, path
        for control in ("\u202e", "\x01", "\x1b", "\x7f"):
            assert control not in response.text, (path, repr(control))
        assert "\\u202e\\u0001\\u001b[31m\\u007f" in response.text, path
        assert LINE + "\u202e\x01\x1b[31m\x7f" in strings(response.json())
        assert "本渓市" in response.text  # Japanese stays readable, as in the CLI's JSON


def test_date_filters_are_days_in_the_page_zone_as_the_times_shown(
    client: TestClient, db: Database
) -> None:
    """A change shown as 2026-11-02 06:30 JST is a change of 2026-11-02 for ?since/?until too,
    as for `keika changes --since` (it was 2026-11-01 21:30 in UTC)."""
    with db.session() as session:
        [edited] = list_changes(session, kinds=("edited",))
        session.execute(
            update(ChangeEvent)
            .where(ChangeEvent.id == edited.id)
            .values(detected_at=datetime(2026, 11, 1, 21, 30, tzinfo=UTC))
        )

    def listed(query: str) -> bool:
        page = client.get(f"/changes?{query}")
        api = client.get(f"/api/changes?{query}")
        assert page.status_code == api.status_code == 200
        shown = f'href="/changes/{edited.id}"' in page.text
        assert shown == (edited.id in [r["id"] for r in api.json()])
        return shown

    assert "2026-11-02 06:30 JST" in client.get(f"/changes/{edited.id}").text
    assert listed("since=2026-11-02&until=2026-11-02")
    assert not listed("until=2026-11-01")
    assert not listed("since=2026-11-03")
    assert listed("since=2026-11-01")


def assert_secured(response) -> None:  # type: ignore[no-untyped-def]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_a_control_character_in_an_entry_leaves_the_feeds_well_formed(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        [edited] = list_changes(session, kinds=("edited",))
    assert edited.after is not None and edited.after["body"][-1].endswith("\x01\x1b[31m\x7f")
    for path in ("/feed.atom", f"/pages/{SEED.key}/feed.atom"):
        response = client.get(path)
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # a strict XML parser: raises if ill-formed
        contents = [e.findtext(f"{{{ATOM}}}content") or "" for e in root.iter(f"{{{ATOM}}}entry")]
        assert any("\\x01\\x1b[31m" in c for c in contents)  # shown, not dropped silently
        assert feedparser.parse(response.content).bozo == 0
    # The stored record keeps the character: only the feed's copy is changed.
    with db.session() as session:
        assert list_changes(session, kinds=("edited",))[0].after == edited.after


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/changes/{BIG}", 404),
        ("/changes/2147483648", 404),
        (f"/entries/{BIG}", 404),
        ("/entries/2147483648", 404),
        (f"/changes?page={BIG}", 400),
        ("/changes?page=2147483648", 400),
        (f"/api/changes?page={BIG}", 400),
        (f"/crawls?page={BIG}", 400),
        (f"/pages/{SEED.key}/changes?page={BIG}", 400),
        ("/changes/1", 200),
    ],
)
def test_numbers_past_every_id_are_404_or_400(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert_secured(response)


def test_error_responses_carry_the_security_headers(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'keika.db'}")
    try:
        app = create_app(db, token="t0ken")
        client = TestClient(app, raise_server_exceptions=False)
        unauthorized = client.get("/")
        assert unauthorized.status_code == 401
        assert_secured(unauthorized)
        authorized = {"Authorization": "Bearer t0ken"}
        assert_secured(client.get("/pages/nope", headers=authorized))
        assert_secured(client.get("/changes?page=0", headers=authorized))
        db.dispose()
        (tmp_path / "keika.db").write_bytes(b"this is not a database" * 100)
        for name in ("keika.db-wal", "keika.db-shm"):
            (tmp_path / name).unlink(missing_ok=True)
        broken = client.get("/", headers=authorized)
        assert broken.status_code == 500
        assert_secured(broken)
        assert "Traceback" not in broken.text
    finally:
        db.dispose()


def test_crawl_lists_do_not_load_parsed_pages(client: TestClient, db: Database) -> None:
    """/crawls and / show a fetch's outcome and counts: its parsed JSON (600 entries can be
    hundreds of kilobytes) and headers are never read for them (issue 12 item 11)."""
    from sqlalchemy import event

    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for path in ("/crawls", "/", f"/pages/{SEED.key}", f"/crawls?key={SEED.key}"):
            response = client.get(path)
            assert response.status_code == 200
            assert "changed" in response.text
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    fetch_queries = [s for s in statements if "FROM fetches" in s]
    assert fetch_queries
    assert not [s for s in fetch_queries if "fetches.parsed" in s or "fetches.headers" in s]
