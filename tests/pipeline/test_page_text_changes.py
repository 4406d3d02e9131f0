"""An edit to page.text goes through ingest as a `page` change with field "text"; the noise
fixture (update date and access counter only) records no text change and no entry change."""

from __future__ import annotations

from pathlib import Path

from conftest import in_tx, ingest_html

from pipeline.domain.seed import Seed
from storage.changes import list_changes
from storage.db import Database

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = Seed(key="minatogawa", url="http://127.0.0.1:9/koryu.html")


def _page_changes(db: Database) -> list[tuple[str, ...]]:
    rows = in_tx(db, list_changes)
    assert all(row.kind == "page" for row in rows), [row.kind for row in rows]
    return [row.fields for row in rows]


def test_an_edited_intro_is_a_page_change_of_field_text(db: Database) -> None:
    html = (FIXTURES / "minatogawa/koryu.html").read_text(encoding="utf-8")
    intro = "みなと川町は、平成12年に中国・青石県と友好都市の協定を結びました。"
    assert intro in html
    ingest_html(db, SEED, html.encode())
    outcome = ingest_html(db, SEED, html.replace(intro, intro + "令和5年に更新しました。").encode())
    assert outcome.outcome == "changed"
    assert _page_changes(db) == [("text",)]
    [row] = in_tx(db, list_changes)
    assert row.after["text"][0] == intro + "令和5年に更新しました。"


def test_the_noise_fixture_records_no_text_change(db: Database) -> None:
    seed = Seed(key="oyama-benxi", url="http://127.0.0.1:9/p-4103.html")
    ingest_html(db, seed, (FIXTURES / "oyama/P-4103/v2.html").read_bytes())
    ingest_html(db, seed, (FIXTURES / "oyama/P-4103/v2-noise.html").read_bytes())
    assert _page_changes(db) == [("updated",)]


def test_page_info_stored_before_page_text_existed_gives_no_text_change(db: Database) -> None:
    """An upgrade must not report every page's text as new: stored info without the "text"
    key means "not read yet", while a stored empty list means "no text"."""
    from sqlalchemy import select

    from storage.models import Page

    html = (FIXTURES / "minatogawa/koryu.html").read_bytes()
    ingest_html(db, SEED, html)
    with db.session() as session:
        page = session.scalar(select(Page).where(Page.key == SEED.key))
        assert page.info["text"]  # this page has text of its own
        page.info = {k: v for k, v in page.info.items() if k != "text"}  # as an older keika
        page.body_sha256 = None  # parse again, do not short-cut on the same bytes
    ingest_html(db, SEED, html)
    assert in_tx(db, list_changes) == []
