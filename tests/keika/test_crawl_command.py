"""`keika crawl` end to end: seeds file, real spider, real server on 127.0.0.1, real SQLite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import FixtureServer, Reply, run_keika

P4103 = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"


keika = run_keika


def write_seeds(path: Path, server: FixtureServer, *pages: str) -> Path:
    blocks = [
        f'[[page]]\nkey = "{key}"\nurl = "{server.url("/" + key + ".html")}"\n' for key in pages
    ]
    path.write_text('[defaults]\nschedule = "every 1h"\n\n' + "\n".join(blocks))
    return path


def test_crawl_stores_pages_and_exits_by_outcome(fixture_server: FixtureServer, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'keika.db'}"
    fixture_server.serve_file("/good.html", P4103 / "v2.html", etag='"v2"')
    fixture_server.route("/gone.html", Reply(status=404, body=b"not here"))
    seeds = write_seeds(tmp_path / "seeds.toml", fixture_server, "good", "gone")

    first = keika("crawl", "--seeds", str(seeds), "--db", db)
    assert first.returncode == 1, first.stderr
    assert "gone: failed: HTTP 404" in first.stderr
    assert "1 baseline, 1 failed" in first.stdout

    second = keika("crawl", "--seeds", str(seeds), "--page", "good", "--db", db)
    assert second.returncode == 0, second.stderr
    assert "1 not_modified" in second.stdout
    assert fixture_server.requests_for("/good.html")[-1].headers["if-none-match"] == '"v2"'

    rows = json.loads(keika("crawls", "--json", "--db", db).stdout)
    assert [(r["page"], r["outcome"], r["status"], r["error"]) for r in rows] == [
        ("good", "baseline", 200, None),
        ("gone", "failed", 404, "HTTP 404"),
        ("good", "not_modified", 304, None),
    ]
    entries = json.loads(keika("entries", "good", "--json", "--db", db).stdout)
    assert len(entries) == 33
    # The failure's body is archived too: what the server said, byte for byte.
    crawl_id = str(rows[1]["crawl"])
    assert keika("snapshot", crawl_id, "gone", "--db", db).stdout == "not here"


def test_a_maintenance_page_is_suspect_until_accepted(
    fixture_server: FixtureServer, tmp_path
) -> None:
    db = f"sqlite:///{tmp_path / 'keika.db'}"
    fixture_server.route(
        "/p.html",
        Reply(body=(P4103 / "v2.html").read_bytes()),
        Reply(body=(P4103 / "maintenance.html").read_bytes()),
    )
    seeds = write_seeds(tmp_path / "seeds.toml", fixture_server, "p")
    assert keika("crawl", "--seeds", str(seeds), "--db", db).returncode == 0
    held = keika("crawl", "--seeds", str(seeds), "--db", db)
    assert held.returncode == 1
    assert "p: suspect: no dated entries found" in held.stderr
    assert "(if the page really changed: keika accept p)" in held.stderr
    assert json.loads(keika("changes", "--json", "--db", db).stdout) == []

    # The page really is empty now: accepting it records what went.
    accepted = keika("accept", "p", "--seeds", str(seeds), "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith("p: crawl 2 accepted as crawl 3: changed (33 removed")
    changes = json.loads(keika("changes", "--json", "--db", db).stdout)
    assert [c["kind"] for c in changes if c["kind"] != "page"] == ["removed"] * 33
    rows = json.loads(keika("crawls", "--json", "--db", db).stdout)
    assert [(r["crawl"], r["outcome"]) for r in rows] == [
        (1, "baseline"),
        (2, "suspect"),
        (3, "changed"),
    ]

    again = keika("accept", "p", "--seeds", str(seeds), "--db", db)
    assert (again.returncode, again.stdout) == (2, "")
    assert again.stderr.strip().endswith("is changed, not suspect: nothing to accept")
    assert "Traceback" not in again.stderr and again.stderr.count("\n") == 1
    unknown = keika("accept", "nope", "--seeds", str(seeds), "--db", db)
    assert unknown.returncode == 2
    assert "no page with key 'nope'" in unknown.stderr


def test_unknown_page_key_is_a_clear_error(fixture_server: FixtureServer, tmp_path) -> None:
    seeds = write_seeds(tmp_path / "seeds.toml", fixture_server, "p")
    result = keika(
        "crawl", "--seeds", str(seeds), "--page", "nope", "--db", f"sqlite:///{tmp_path / 'k.db'}"
    )
    assert result.returncode == 2
    assert "no page with key 'nope'" in result.stderr


def test_ctrl_c_marks_the_crawl_interrupted_and_loses_no_page(
    fixture_server: FixtureServer, tmp_path
) -> None:
    import signal
    import time

    db = f"sqlite:///{tmp_path / 'keika.db'}"
    fixture_server.route("/slow.html", Reply(body=(P4103 / "v2.html").read_bytes(), delay=5))
    seeds = write_seeds(tmp_path / "seeds.toml", fixture_server, "slow")
    child = subprocess.Popen(
        [sys.executable, "-m", "keika.cli", "crawl", "--seeds", str(seeds), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not fixture_server.requests_for("/slow.html") and time.monotonic() < deadline:
        time.sleep(0.1)
    child.send_signal(signal.SIGINT)
    try:
        _out, _err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        raise
    assert child.returncode == 1
    rows = json.loads(keika("crawls", "--json", "--db", db).stdout)
    # Scrapy lets the request in flight finish; the crawl itself is recorded as cut short.
    assert [(r["page"], r["crawl_status"]) for r in rows] == [("slow", "interrupted")]
    assert rows[0]["outcome"] in ("baseline", "failed")
