"""The page as it was: /changes/ID and /crawls link to the response a crawl archived, served as
text that cannot run (issue 14, "See the page as it was")."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient
from web_timeline import GONE, PAGE, XSS_DATE, WebDatabase, crawled_database, find_change, xss_page

from keika.web.app import create_app


@pytest.fixture(scope="module")
def web() -> WebDatabase:
    return crawled_database()


@pytest.fixture(scope="module")
def client(web: WebDatabase) -> TestClient:
    return TestClient(create_app(web.db))


def test_a_change_links_to_the_page_as_archived(client: TestClient, web: WebDatabase) -> None:
    change = find_change(web, "edited", XSS_DATE)
    page = BeautifulSoup(client.get(f"/changes/{change.id}").text, "html.parser")
    link = page.find("a", class_="archived")["href"]
    assert link == f"/crawls/{change.crawl}/pages/{PAGE}/archived"
    response = client.get(link)
    assert response.status_code == 200
    assert response.content == xss_page()  # byte for byte what the site answered
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]


def test_crawls_link_every_archived_response(client: TestClient, web: WebDatabase) -> None:
    page = BeautifulSoup(client.get("/crawls").text, "html.parser")
    links = [a["href"] for a in page.select("table.crawls a.archived")]
    assert f"/crawls/{web.crawls['v1']}/pages/{PAGE}/archived" in links
    assert f"/crawls/{web.crawls['xss']}/pages/{PAGE}/archived" in links
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(
    "path",
    [
        f"/crawls/99999/pages/{PAGE}/archived",
        f"/crawls/{2**64}/pages/{PAGE}/archived",
        "/crawls/1/pages/nope/archived",
        "/crawls/abc/pages/x/archived",
    ],
)
def test_no_archived_response_is_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_page_that_was_not_fetched_in_a_crawl_has_no_archive(
    client: TestClient, web: WebDatabase
) -> None:
    response = client.get(f"/crawls/{web.crawls['v1']}/pages/{GONE}/archived")
    assert response.status_code == 404
    message = BeautifulSoup(response.text, "html.parser").select_one(".error-message")
    assert message.get_text() == f"no archived response for '{GONE}' in crawl {web.crawls['v1']}"
