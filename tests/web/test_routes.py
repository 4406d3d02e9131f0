"""Every route of `keika serve` over HTTP (Starlette's TestClient), on the crawled timeline."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from conftest import run_keika
from starlette.testclient import TestClient
from web_timeline import (
    GONE,
    PAGE,
    XSS_DATE,
    XSS_IMG,
    XSS_LINE,
    XSS_SCRIPT,
    WebDatabase,
    crawled_database,
    find_change,
)

from keika.web.app import create_app
from storage.changes import list_changes


@pytest.fixture(scope="module")
def web() -> WebDatabase:
    return crawled_database()


@pytest.fixture(scope="module")
def client(web: WebDatabase) -> TestClient:
    return TestClient(create_app(web.db))


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return BeautifulSoup(response.text, "html.parser")


def change_ids(page: BeautifulSoup) -> list[int]:
    return [int(tr.td.a.get_text()) for tr in page.select("table.changes tbody tr")]


def all_changes(web: WebDatabase) -> list[int]:
    with web.db.session() as session:
        return [r.id for r in list_changes(session)]


# --- every HTML page: language, charset, navigation ----------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", f"/pages/{PAGE}", "/changes", f"/pages/{PAGE}/changes", "/crawls", "/pages/nope"],
)
def test_pages_are_japanese_utf8_with_the_nav_bar(client: TestClient, path: str) -> None:
    response = client.get(path)
    page = soup(response)
    assert page.html["lang"] == "ja"
    assert page.find("meta", charset=True)["charset"] == "utf-8"
    nav = {a["href"] for a in page.select("header nav a")}
    assert {"/", "/changes", "/crawls", "/feed.atom"} <= nav
    assert response.headers["x-content-type-options"] == "nosniff"


# --- / -----------------------------------------------------------------------------------------


def test_index_lists_pages_with_last_crawl_entry_count_and_last_change(
    client: TestClient, web: WebDatabase
) -> None:
    page = soup(client.get("/"))
    rows = {tr.td.a.get_text(): tr for tr in page.select("table.pages tbody tr")}
    assert set(rows) == {PAGE, GONE}
    benxi = [td.get_text(" ", strip=True) for td in rows[PAGE].find_all("td")]
    assert benxi[1] == "本渓市との交流経過"
    assert benxi[2] == "34"
    assert benxi[3].startswith("changed")
    xss = find_change(web, "edited", XSS_DATE)
    assert rows[PAGE].find("a", href=f"/changes/{xss.id}").get_text() == f"edited: {XSS_DATE}"
    assert "13 change(s)" in benxi[4]
    gone = [td.get_text(" ", strip=True) for td in rows[GONE].find_all("td")]
    assert gone[2] == "0"
    assert gone[3].startswith("failed") and "HTTP 404" in gone[3]
    assert gone[4] == "none"


# --- /pages/KEY --------------------------------------------------------------------------------


def test_page_lists_current_records_with_dates_as_on_the_page_and_iso(client: TestClient) -> None:
    page = soup(client.get(f"/pages/{PAGE}"))
    items = page.select("ol.entries > li")
    assert len(items) == 34
    first = items[0]
    assert first.select_one(".date-text").get_text() == "昭和60年5月"
    assert first.select_one("time.iso")["datetime"] == "1985-05"
    ranged = next(li for li in items if "平成19年2月21日から2月22日まで" in li.get_text())
    assert ranged.select_one("time.iso").get_text() == "2007-02-21 – 2007-02-22"
    assert "小山市長への表敬訪問を始め、小松製作所を視察した。" in ranged.get_text()
    noted = next(li for li in items if "平成12年1月10日(成人の日)" in li.get_text())
    assert noted.select_one(".note").get_text() == "(成人の日)"
    history = ranged.find("a", string="history")["href"]
    assert client.get(history).status_code == 200


def test_page_filter_box_filters_server_side(client: TestClient) -> None:
    page = soup(client.get(f"/pages/{PAGE}", params={"q": "平成19年"}))
    form = page.find("form", class_="filter")
    assert form["method"] == "get"
    assert form.find("input", attrs={"name": "q"})["value"] == "平成19年"
    dates = [e.get_text() for e in page.select("ol.entries .date-text")]
    assert dates and all(d.startswith("平成19年") for d in dates)
    assert "of 34 entries match" in page.select_one("p.count").get_text()
    # Width-insensitive: full-width digits find the ISO date, and body text matches too.
    wide = soup(client.get(f"/pages/{PAGE}", params={"q": "２００７-０２-２１"}))
    assert [e.get_text() for e in wide.select("ol.entries .date-text")] == [
        "平成19年2月21日から2月22日まで"
    ]
    body = soup(client.get(f"/pages/{PAGE}", params={"q": "小松製作所"}))
    assert len(body.select("ol.entries > li")) == 1
    none = soup(client.get(f"/pages/{PAGE}", params={"q": "該当なしの語"}))
    assert none.select("ol.entries > li") == []


def test_page_of_a_page_never_parsed_shows_no_entries(client: TestClient) -> None:
    page = soup(client.get(f"/pages/{GONE}"))
    assert page.select("ol.entries > li") == []
    assert "HTTP 404" in page.get_text()


# --- /changes ----------------------------------------------------------------------------------


def test_change_log_newest_first_with_links(client: TestClient, web: WebDatabase) -> None:
    page = soup(client.get("/changes"))
    assert change_ids(page) == sorted(all_changes(web), reverse=True)
    first = page.select_one("table.changes tbody tr")
    assert first.find("a", href=f"/pages/{PAGE}")
    assert "13 change(s)" in page.select_one("p.count").get_text()


def test_change_log_filters_by_kind_repeatable(client: TestClient, web: WebDatabase) -> None:
    with web.db.session() as session:
        edited = [r.id for r in list_changes(session, kinds=("edited",))]
        edited_or_added = [r.id for r in list_changes(session, kinds=("edited", "added"))]
    page = soup(client.get("/changes?kind=edited"))
    assert change_ids(page) == sorted(edited, reverse=True) and len(edited) == 4
    assert page.find("input", attrs={"name": "kind", "value": "edited"}).has_attr("checked")
    both = soup(client.get("/changes?kind=edited&kind=added"))
    assert change_ids(both) == sorted(edited_or_added, reverse=True)
    assert {td.get_text() for td in both.select("span.kind")} == {"edited", "added"}


def test_change_log_filters_by_date(client: TestClient, web: WebDatabase) -> None:
    with web.db.session() as session:
        # a day in the page's zone (Asia/Tokyo), as the times are shown
        detected = list_changes(session)[0].detected_at.astimezone(ZoneInfo("Asia/Tokyo")).date()
    day = detected.isoformat()
    before = (detected - timedelta(days=1)).isoformat()
    after = (detected + timedelta(days=1)).isoformat()
    assert len(change_ids(soup(client.get(f"/changes?since={day}&until={day}")))) == 13
    assert change_ids(soup(client.get(f"/changes?until={before}"))) == []
    assert change_ids(soup(client.get(f"/changes?since={after}"))) == []
    assert len(change_ids(soup(client.get(f"/changes?since={before}&kind=removed")))) == 1


def test_dates_at_the_ends_of_the_calendar_filter_nothing_out(
    client: TestClient, web: WebDatabase
) -> None:
    every = sorted(all_changes(web), reverse=True)
    for query in ("until=9999-12-31", "since=0001-01-01&until=9999-12-31"):
        assert change_ids(soup(client.get(f"/changes?{query}"))) == every
        api = client.get(f"/api/changes?{query}")
        assert api.status_code == 200 and [r["id"] for r in api.json()] == every


def test_page_change_log(client: TestClient, web: WebDatabase) -> None:
    page = soup(client.get(f"/pages/{PAGE}/changes?kind=page"))
    assert len(change_ids(page)) == 4
    assert soup(client.get(f"/pages/{GONE}/changes")).select("table.changes tbody tr") == []
    form = page.find("form", class_="filter")
    assert form["action"] == f"/pages/{PAGE}/changes"


def test_change_log_pages_through_results(web: WebDatabase) -> None:
    client = TestClient(create_app(web.db, per_page=5))
    expected = sorted(all_changes(web), reverse=True)
    seen: list[int] = []
    url = "/changes"
    while url:
        page = soup(client.get(url))
        seen += change_ids(page)
        older = page.find("a", rel="next")
        url = older["href"] if older else ""
    assert seen == expected
    third = soup(client.get("/changes?page=3"))
    assert third.find("a", rel="prev")["href"] == "/changes?page=2"
    assert "page 3 of 3" in third.select_one("p.count").get_text()
    filtered = soup(client.get("/changes?kind=edited&kind=page"))
    assert filtered.find("a", rel="next")["href"] == "/changes?kind=edited&kind=page&page=2"
    assert change_ids(soup(client.get("/changes?page=9"))) == []


# --- /changes/ID -------------------------------------------------------------------------------


def test_edited_change_shows_the_changed_line_marked(client: TestClient, web: WebDatabase) -> None:
    change = find_change(web, "edited", "平成19年2月21日から2月22日まで")
    page = soup(client.get(f"/changes/{change.id}"))
    assert page.h1.get_text(" ", strip=True) == "edited 平成19年2月21日から2月22日まで"
    rows = page.select("table.diff tbody tr")
    assert [r["class"][0] for r in rows] == ["equal", "equal", "replace"]
    assert page.select_one("td.del").get_text() == "小山市長への表敬訪問を行った。"
    new_line = "小山市長への表敬訪問を始め、小松製作所を視察した。"
    assert page.select_one("td.ins").get_text() == new_line
    assert page.select_one("td.ins ins").get_text() == "始め、小松製作所を視察し"
    assert page.select_one("td.del del").get_text() == "行っ"
    assert "fields changed: body" in page.get_text()
    assert page.find("a", href=f"/entries/{change.entry}")


def test_date_edit_marks_the_date_line(client: TestClient, web: WebDatabase) -> None:
    change = find_change(web, "edited", "平成17年11月4日から11月5日まで")
    page = soup(client.get(f"/changes/{change.id}"))
    assert page.select_one("td.ins").get_text() == "平成17年11月4日から11月5日まで"
    assert "fields changed: date_text, start, end" in page.get_text()


def test_added_removed_moved_and_page_changes(client: TestClient, web: WebDatabase) -> None:
    added = soup(client.get(f"/changes/{find_change(web, 'added', '平成20年8月').id}"))
    assert added.select("td.del") == [] and added.select_one("td.ins").get_text() == "平成20年8月"
    assert "(not on the page)" in added.get_text()
    removed = soup(client.get(f"/changes/{find_change(web, 'removed').id}"))
    assert removed.select("td.ins") == []
    assert removed.select_one("td.del").get_text() == "平成13年9月"
    assert "(removed from the page)" in removed.get_text()
    moved = soup(client.get(f"/changes/{find_change(web, 'moved').id}"))
    assert "Moved to position" in moved.get_text() and moved.select("td.ins") == []
    page = soup(client.get(f"/changes/{find_change(web, 'page').id}"))
    assert page.select_one("td.del").get_text().startswith("updated: ")
    assert page.select_one("td.ins").get_text().startswith("updated: 20")


# --- /entries/ID -------------------------------------------------------------------------------


def test_entry_history_lists_versions_and_changes(client: TestClient, web: WebDatabase) -> None:
    change = find_change(web, "edited", "平成19年2月21日から2月22日まで")
    page = soup(client.get(f"/entries/{change.entry}"))
    assert page.h1.get_text() == "平成19年2月21日から2月22日まで"
    versions = page.select("ol.versions > li")
    assert len(versions) == 2
    assert "小松製作所" in versions[0].get_text()  # newest first
    assert versions[1].get_text(" ", strip=True).startswith("baseline")
    assert change_ids(page) == [change.id]
    removed = find_change(web, "removed")
    gone = soup(client.get(f"/entries/{removed.entry}"))
    assert "removed" in gone.select_one("p.meta").get_text()


# --- /crawls -----------------------------------------------------------------------------------


def test_crawls_show_failures_with_their_reasons(client: TestClient, web: WebDatabase) -> None:
    page = soup(client.get("/crawls"))
    problems = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page.select("tr.problem")
    ]
    assert any(GONE in row and "failed" in row and "HTTP 404" in row for row in problems)
    assert any("suspect" in row and "no dated entries found" in row for row in problems)
    first_cells = [tr.td.get_text(" ", strip=True) for tr in page.select("tbody tr") if tr.td]
    assert first_cells[0].startswith(str(web.crawls["xss"]))  # newest first
    only_gone = soup(client.get(f"/crawls?key={GONE}"))
    assert "1 crawl(s)" in only_gone.select_one("p.count").get_text()


# --- escaping ----------------------------------------------------------------------------------


def test_scraped_markup_is_shown_as_text_everywhere(client: TestClient, web: WebDatabase) -> None:
    change = find_change(web, "edited", XSS_DATE)
    assert change.after is not None and change.after["body"] == [XSS_LINE, XSS_SCRIPT, XSS_IMG]
    for path in (f"/pages/{PAGE}", f"/changes/{change.id}", f"/entries/{change.entry}"):
        response = client.get(path)
        assert "<script>window.__xss" not in response.text
        assert "<img src=x" not in response.text
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in response.text
        page = soup(response)
        assert page.find("script") is None and page.find("img") is None
        assert XSS_SCRIPT in page.get_text() and XSS_IMG in page.get_text()
    diff = soup(client.get(f"/changes/{change.id}"))
    assert [td.get_text() for td in diff.select("td.ins")] == [XSS_SCRIPT, XSS_IMG]
    query = soup(client.get(f"/pages/{PAGE}", params={"q": '"><script>alert(1)</script>'}))
    assert query.find("script") is None
    assert query.find("input", attrs={"name": "q"})["value"] == '"><script>alert(1)</script>'


# --- JSON API ----------------------------------------------------------------------------------


def keika_json(*args: str) -> object:
    result = run_keika(*args, "--json", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_api_changes_mirrors_keika_changes_json(client: TestClient, web: WebDatabase) -> None:
    response = client.get("/api/changes")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    cli = keika_json("changes", "--db", web.url)
    assert response.json() == list(reversed(cli))
    edited = client.get("/api/changes?kind=edited").json()
    assert edited == [c for c in reversed(cli) if c["kind"] == "edited"]
    assert "平成19年2月21日から2月22日まで" in response.text  # not \\u-escaped


def test_api_entries_mirrors_keika_entries_json(client: TestClient, web: WebDatabase) -> None:
    response = client.get(f"/api/pages/{PAGE}/entries")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == keika_json("entries", PAGE, "--db", web.url)
    assert client.get(f"/api/pages/{GONE}/entries").json() == []


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/pages/nope", "unknown page 'nope'"),
        ("/pages/nope/changes", "unknown page 'nope'"),
        ("/pages/nope/feed.atom", "unknown page 'nope'"),
        ("/changes/99999", "unknown change 99999"),
        ("/changes/abc", "unknown change 'abc'"),
        ("/entries/99999", "unknown entry 99999"),
        ("/entries/-1", "unknown entry '-1'"),
        ("/no/such/route", "no such page here"),
    ],
)
def test_unknown_things_are_404_pages(client: TestClient, path: str, says: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text() == "Not found"
    assert page.select_one(".error-message").get_text() == says


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("page=abc", "page='abc': expected a page number"),
        ("page=0", "page='0': expected a page number"),
        ("since=notadate", "since='notadate': expected a date like 2026-11-01"),
        ("until=2026-13-01", "until='2026-13-01': expected a date"),
        ("since=2026-1-1", "since='2026-1-1': expected a date"),
        ("kind=bogus", "kind='bogus': expected one of added, edited, removed, moved, page"),
        ("since=2026-02-01&until=2026-01-01", "until=2026-01-01 is before since=2026-02-01"),
    ],
)
def test_malformed_parameters_are_400_with_a_message(
    client: TestClient, query: str, says: str
) -> None:
    response = client.get(f"/changes?{query}")
    assert response.status_code == 400
    assert says in soup(response).select_one(".error-message").get_text()
    api = client.get(f"/api/changes?{query}")
    assert api.status_code == 400 and says in api.json()["error"]
    assert client.get(f"/crawls?{query}").status_code == (400 if "page=" in query else 200)


def test_api_404_is_json(client: TestClient) -> None:
    response = client.get("/api/pages/nope/entries")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": "unknown page 'nope'"}


# --- the token ---------------------------------------------------------------------------------


def test_token_protects_every_route(web: WebDatabase) -> None:
    app = create_app(web.db, token="s3cret-Token")
    anonymous = TestClient(app)
    for path in ("/", "/changes", "/feed.atom", "/api/changes", "/static/keika.css", "/nope"):
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == 'Bearer realm="keika"'
    assert anonymous.get("/api/changes").json()["error"].startswith("a token is needed")
    assert anonymous.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert anonymous.get("/?token=wrong").status_code == 401
    raw_cookie = TestClient(app, cookies={"keika_token": "s3cret-Token"})
    assert raw_cookie.get("/").status_code == 401

    bearer = anonymous.get("/changes", headers={"Authorization": "Bearer s3cret-Token"})
    assert bearer.status_code == 200 and "set-cookie" not in bearer.headers

    browser = TestClient(app)
    first = browser.get("/?token=s3cret-Token")
    assert first.status_code == 200
    assert "HttpOnly" in first.headers["set-cookie"]
    assert "s3cret-Token" not in first.headers["set-cookie"]
    assert browser.get("/changes").status_code == 200  # the cookie now does
    feed = anonymous.get("/feed.atom?token=s3cret-Token")
    assert feed.status_code == 200
    assert "token=" not in feed.text  # the self link does not leak it


def test_a_token_beyond_ascii_works_in_every_place_it_is_given(web: WebDatabase) -> None:
    """A header carries bytes (Starlette reads them as Latin-1): a Bearer token sent as UTF-8,
    as curl and browsers send it, is the token, as ?token= (percent-encoded UTF-8) is."""
    app = create_app(web.db, token="合言葉-sécret")
    client = TestClient(app)
    sent = {"Authorization": "Bearer 合言葉-sécret".encode()}
    assert client.get("/changes", headers=sent).status_code == 200  # type: ignore[dict-item]
    wrong = {"Authorization": "Bearer 合言葉-secret".encode()}
    assert client.get("/changes", headers=wrong).status_code == 401  # type: ignore[dict-item]
    assert client.get("/changes", headers={"Authorization": b"Bearer \xff"}).status_code == 401  # type: ignore[dict-item]
    assert TestClient(app).get("/?token=合言葉-sécret").status_code == 200


def test_no_token_means_open(client: TestClient) -> None:
    assert client.get("/", headers={"Authorization": "Bearer anything"}).status_code == 200


def test_detected_times_are_shown_in_the_pages_zone_and_iso(
    client: TestClient, web: WebDatabase
) -> None:
    """Issue 14: times in the page's zone (Asia/Tokyo by default) with the zone named; the
    machine-readable datetime stays ISO 8601 UTC."""
    change = find_change(web, "removed")
    page = soup(client.get(f"/changes/{change.id}"))
    time = page.select_one("p.meta time")
    assert datetime.fromisoformat(time["datetime"]) == change.detected_at
    jst = change.detected_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert time.get_text() == jst.strftime("%Y-%m-%d %H:%M JST")
    listed = soup(client.get("/changes")).select_one("table.changes time")
    assert listed.get_text().endswith(" JST")
    crawls = soup(client.get("/crawls")).select_one("table.crawls time")
    assert crawls.get_text().endswith(" JST")


def test_change_list_names_the_page_by_title_and_shows_the_first_line(
    client: TestClient, web: WebDatabase
) -> None:
    change = find_change(web, "edited", "平成19年2月21日から2月22日まで")
    page = soup(client.get("/changes"))
    row = next(
        tr for tr in page.select("table.changes tbody tr") if tr.td.get_text() == str(change.id)
    )
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[2] == "本渓市との交流経過"
    assert cells[-1] == "江端本渓市長を団長とする本渓市訪日代表団10名が小山市を訪問。"
    removed = find_change(web, "removed")
    gone = next(
        tr for tr in page.select("table.changes tbody tr") if tr.td.get_text() == str(removed.id)
    )
    assert gone.select_one("td.first-line").get_text() == (removed.before or {})["body"][0]
    detail = soup(client.get(f"/changes/{change.id}"))
    assert "本渓市との交流経過" in detail.select_one("p.meta").get_text()
