"""`keika serve` in a real headless Chromium: follow the change log to a diff, filter, no XSS.

uvicorn serves the app from a thread on 127.0.0.1 (an ephemeral port); Playwright drives
Debian's /usr/bin/chromium (never a downloaded browser). The diff page's screenshot is written
to test-output/ for a person to look at.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from conftest import ingest_html
from web_timeline import P4103, PAGE, XSS_DATE, XSS_IMG, XSS_SCRIPT, crawled_database

from keika.web.app import create_app
from pipeline.domain.seed import Seed
from storage.db import Database

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).parents[2] / "test-output"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )


@contextmanager
def serving(db: Database) -> Iterator[str]:
    """The web app over `db`, served by uvicorn from a thread on an ephemeral port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(db), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serving(crawled_database().db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    profile = tempfile.mkdtemp(prefix="keika-chromium-")
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900},
            locale="ja-JP",
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    tab = browser.new_page()
    try:
        yield tab
    finally:
        tab.close()


def test_follow_the_change_log_to_a_highlighted_diff(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Changes", exact=True).click()
    page.wait_for_url(f"{base_url}/changes")
    assert page.locator("h1").inner_text() == "Change log"
    page.get_by_role("link", name="平成19年2月21日から2月22日まで").click()
    page.wait_for_url(f"{base_url}/changes/*")
    inserted = page.locator("td.ins")
    assert inserted.count() == 1
    assert inserted.inner_text() == "小山市長への表敬訪問を始め、小松製作所を視察した。"
    assert page.locator("td.ins ins").inner_text() == "始め、小松製作所を視察し"
    assert page.locator("td.del").inner_text() == "小山市長への表敬訪問を行った。"
    # The highlight is visible: inserted cells are tinted, not the page's plain background.
    tint = inserted.evaluate("el => getComputedStyle(el).backgroundColor")
    assert tint not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "web-diff.png"), full_page=True)


def test_filter_the_change_log_by_kind_with_the_form(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/changes")
    assert page.locator("table.changes tbody tr").count() == 13
    page.get_by_label("edited").check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"{base_url}/changes?kind=edited*")
    kinds = page.locator("table.changes span.kind").all_inner_texts()
    assert kinds == ["edited"] * 4
    assert page.get_by_label("edited").is_checked()


def test_filter_a_pages_entries(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/pages/{PAGE}")
    assert page.locator("ol.entries > li").count() == 34
    page.get_by_label("Filter entries").fill("小松製作所")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"{base_url}/pages/{PAGE}?q=*")
    assert page.locator("ol.entries > li .date-text").all_inner_texts() == [
        "平成19年2月21日から2月22日まで"
    ]


def test_scraped_script_does_not_run(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/pages/{PAGE}")
    entry = page.locator("ol.entries > li", has_text=XSS_DATE)
    assert XSS_SCRIPT in entry.inner_text() and XSS_IMG in entry.inner_text()
    page.get_by_role("link", name="Changes", exact=True).click()
    page.get_by_role("link", name=XSS_DATE).first.click()
    page.wait_for_url(f"{base_url}/changes/*")
    assert page.locator("td.ins").all_inner_texts() == [XSS_SCRIPT, XSS_IMG]
    assert page.locator("body script, body img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"


LIVE_SCRIPT = (
    "<script>window.__archived = 1; document.title = 'ran'</script>"
    '<img src="x" onerror="window.__archived = 2">'
)


def test_the_archived_copy_of_a_page_cannot_run_its_scripts(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A watched page's own markup, live script included, is shown as text from /crawls."""
    db = Database(f"sqlite:///{tmp_path / 'archived.db'}")
    html = (P4103 / "v1.html").read_text(encoding="utf-8")
    body = html.replace("</body>", f"{LIVE_SCRIPT}</body>").encode("utf-8")
    try:
        ingest_html(db, Seed(key=PAGE, url="http://127.0.0.1:9/p.html"), body)
        with serving(db) as url:
            page.goto(f"{url}/crawls")
            page.get_by_role("link", name="as archived").click()
            page.wait_for_url(f"{url}/crawls/*/pages/{PAGE}/archived")
            assert LIVE_SCRIPT in page.locator("body").inner_text()
            assert page.evaluate("typeof window.__archived") == "undefined"
            assert page.title() != "ran"
            assert page.locator("script, img").count() == 0
    finally:
        db.dispose()
