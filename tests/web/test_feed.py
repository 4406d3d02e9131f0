"""The Atom feeds: valid Atom 1.0 (feedparser, no bozo), an entry per added/edited/removed."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient
from web_timeline import GONE, PAGE, XSS_DATE, XSS_SCRIPT, WebDatabase, crawled_database

from keika.web.app import create_app
from keika.web.feeds import ATOM, atom_feed
from storage.changes import list_changes

FEED_TYPE = "application/atom+xml; charset=utf-8"


@pytest.fixture(scope="module")
def web() -> WebDatabase:
    return crawled_database()


@pytest.fixture(scope="module")
def client(web: WebDatabase) -> TestClient:
    return TestClient(create_app(web.db))


def test_feed_is_valid_atom_listing_entry_changes(client: TestClient, web: WebDatabase) -> None:
    response = client.get("/feed.atom")
    assert response.headers["content-type"] == FEED_TYPE
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    feed = parsed.feed
    assert feed.id == "tag:keika,2026:feed"
    assert feed.title == "keika: all watched pages"
    assert feed.author == "keika"
    links = {link.rel: link.href for link in feed.links}
    assert links["self"] == "http://testserver/feed.atom"
    assert links["alternate"] == "http://testserver/changes"

    with web.db.session() as session:
        expected = list_changes(session, kinds=("added", "edited", "removed"), newest_first=True)
    assert len(expected) == 8  # moves and page-metadata changes are left out
    assert [e.id for e in parsed.entries] == [f"tag:keika,2026:change/{c.id}" for c in expected]
    # Issue 14: the all-pages feed names the page by its title and shows the entry's first line.
    titles = [e.title for e in parsed.entries]
    assert [t.split(" — ")[0] for t in titles] == [
        f"本渓市との交流経過: {c.kind}: {c.date_text}" for c in expected
    ]
    for entry, change in zip(parsed.entries, expected, strict=True):
        record = change.before if change.kind == "removed" else change.after
        first = (record or {}).get("body", [""])[0]
        assert entry.summary == first
        assert entry.title.endswith(f" — {first[:60]}" + ("…" if len(first) > 60 else ""))
    assert [e.link for e in parsed.entries] == [
        f"http://testserver/changes/{c.id}" for c in expected
    ]
    assert feed.updated_parsed == parsed.entries[0].updated_parsed
    newest = expected[0]
    assert parsed.entries[0].updated == newest.detected_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [e.tags[0].term for e in parsed.entries] == [c.kind for c in expected]


def test_feed_entry_content_is_the_diff_as_escaped_html(client: TestClient) -> None:
    parsed = feedparser.parse(client.get("/feed.atom").content)
    edited = next(
        e for e in parsed.entries if ": edited: 平成19年2月21日から2月22日まで — " in e.title
    )
    content = edited.content[0]
    assert content.type == "text/html"
    html = BeautifulSoup(content.value, "html.parser")
    assert html.select_one("td.ins ins").get_text() == "始め、小松製作所を視察し"
    assert html.select_one("td.del del").get_text() == "行っ"


def test_scraped_markup_in_the_feed_stays_text(client: TestClient) -> None:
    raw = client.get("/feed.atom").text
    # Twice escaped in the XML: once by the HTML template, once as the element's text.
    assert "&amp;lt;script&amp;gt;window.__xss=1" in raw
    parsed = feedparser.parse(raw)
    xss = next(e for e in parsed.entries if f": edited: {XSS_DATE} — " in e.title)
    html = BeautifulSoup(xss.content[0].value, "html.parser")
    assert html.find("script") is None and html.find("img") is None
    assert XSS_SCRIPT in html.get_text()


def test_page_feed(client: TestClient) -> None:
    response = client.get(f"/pages/{PAGE}/feed.atom")
    assert response.headers["content-type"] == FEED_TYPE
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0
    assert parsed.feed.id == f"tag:keika,2026:feed/page/{PAGE}"
    assert parsed.feed.title == "keika: 本渓市との交流経過"  # the page's title, not its key
    assert {link.rel: link.href for link in parsed.feed.links}["alternate"] == (
        f"http://testserver/pages/{PAGE}/changes"
    )
    assert len(parsed.entries) == 8
    # One page's feed: the page is the feed's, so entries keep the short title.
    assert parsed.entries[0].title.split(": ")[0] in ("added", "edited", "removed")


def test_feed_of_a_page_without_changes_is_valid_and_empty(client: TestClient) -> None:
    parsed = feedparser.parse(client.get(f"/pages/{GONE}/feed.atom").content)
    assert parsed.bozo == 0
    assert parsed.entries == []
    assert parsed.feed.updated == "2026-01-01T00:00:00Z"


def test_ids_are_stable_between_requests(client: TestClient) -> None:
    first = client.get("/feed.atom").content
    assert client.get("/feed.atom").content == first


def test_atom_document_has_the_required_elements() -> None:
    body = atom_feed(
        feed_id="tag:keika,2026:feed",
        title="t <&>",
        self_url="http://127.0.0.1:8080/feed.atom",
        alternate_url="http://127.0.0.1:8080/changes",
        entries=[],
    )
    root = ET.fromstring(body)
    assert root.tag == f"{{{ATOM}}}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{{{ATOM}}}{name}") is not None, name
    assert root.find(f"{{{ATOM}}}title").text == "t <&>"
    rels = {link.get("rel") for link in root.findall(f"{{{ATOM}}}link")}
    assert rels == {"self", "alternate"}
