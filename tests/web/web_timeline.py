"""A database for the web tests, filled by crawling the P-4103 timeline with the real spider.

Built once per test process (about 35 s: seven crawls, each a spider in a child process) and
shared by the web test modules through `crawled_database()`. This is a plain module, not a
conftest.py: another conftest named `conftest` would shadow tests/conftest.py for the modules
that `from conftest import ...`.

keika.demo's SiteServer plays the city's site on 127.0.0.1 and publishes tests/fixtures' v1 → v2
→ v2-noise → maintenance → v2-renewal → v3, each crawled by `run_once` (the spider in a child
process, then the ingest stage). Two more steps:

- "xss": v3 again with one entry's body holding `<script>` and `onerror=` markup as *text*
  (escaped in the HTML source, so the parser yields it as text), to prove the views escape it;
- in that same crawl a second page, "oyama-gone", whose URL answers 404: a failed fetch.
"""

from __future__ import annotations

import atexit
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crawler.run import run_once
from keika.demo import PAGE_PATH, SiteServer
from pipeline.seeds import load_seeds
from storage.changes import ChangeRow, list_changes
from storage.db import Database

P4103 = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
VERSIONS = ("v1", "v2", "v2-noise", "maintenance", "v2-renewal", "v3")
PAGE = "oyama-benxi"
GONE = "oyama-gone"

XSS_DATE = "昭和60年6月"
XSS_LINE = "本渓市長のメッセージに対して、小林武夫市長より返書を送り、交流を希望する旨を伝えた。"
XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'


def xss_page() -> bytes:
    """v3 with the 昭和60年6月 entry's body extended by markup that must stay text."""
    html = (P4103 / "v3.html").read_text(encoding="utf-8")
    original = f"<p>{XSS_LINE}</p>"
    assert original in html
    escaped = (
        '&lt;script&gt;window.__xss=1&lt;/script&gt;<br>&lt;img src=x onerror="window.__xss=2"&gt;'
    )
    return html.replace(original, f"<p>{XSS_LINE}<br>{escaped}</p>").encode("utf-8")


@dataclass(frozen=True)
class WebDatabase:
    url: str
    db: Database
    crawls: dict[str, int]  # timeline step -> crawl id


def _write_seeds(folder: Path, base: str) -> Path:
    path = folder / "web.toml"
    path.write_text(
        "[[page]]\n"
        f'key = "{PAGE}"\n'
        'name = "本渓市との交流経過"\n'
        f'url = "{base}{PAGE_PATH}"\n'
        "\n[[page]]\n"
        f'key = "{GONE}"\n'
        f'url = "{base}/gone/page009999.html"\n',
        encoding="utf-8",
    )
    return path


_built: list[WebDatabase] = []


def crawled_database() -> WebDatabase:
    """The crawled timeline's database, built on first use."""
    if not _built:
        _built.append(_crawl_timeline(Path(tempfile.mkdtemp(prefix="keika-web-test-"))))
        atexit.register(_built[0].db.dispose)
    return _built[0]


def _crawl_timeline(folder: Path) -> WebDatabase:
    url = f"sqlite:///{folder / 'web.db'}"
    db = Database(url)
    crawls: dict[str, int] = {}
    settings = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RETRY_TIMES": 0}
    with SiteServer().running() as site:
        base = site.url.removesuffix(PAGE_PATH)
        seedset = load_seeds(_write_seeds(folder, base))
        steps = [(v, (P4103 / f"{v}.html").read_bytes(), (PAGE,)) for v in VERSIONS]
        steps.append(("xss", xss_page(), (PAGE, GONE)))
        for step, body, keys in steps:
            site.publish(body)
            report = run_once(
                db, seedset, seedset.select(keys), in_child=True, time_limit=120, settings=settings
            )
            assert report.status == "finished", report
            crawls[step] = report.crawl_id
    return WebDatabase(url, db, crawls)


def find_change(web: WebDatabase, kind: str, date_text: str | None = None) -> ChangeRow:
    """The one change of this kind (on this entry date) in the crawled timeline."""
    with web.db.session() as session:
        rows = [
            r
            for r in list_changes(session, kinds=(kind,))
            if date_text is None or r.date_text == date_text
        ]
    assert rows, (kind, date_text)
    return rows[0]
