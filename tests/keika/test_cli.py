"""The `keika` command as a user runs it: a real process, real files, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ingest_html, run_keika

from pipeline.domain.seed import Seed
from storage.db import Database

FIXTURES = Path(__file__).parents[1] / "fixtures"
P4103 = FIXTURES / "oyama" / "P-4103"
SEED = Seed(key="oyama-benxi", url="http://127.0.0.1:8000/page004103.html")


keika = run_keika


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory) -> str:
    """v1 → v2 → v3 of P-4103 through the real ingest stage."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'keika.db'}"
    db = Database(url)
    for version in ("v1", "v2", "v3"):
        ingest_html(db, SEED, (P4103 / f"{version}.html").read_bytes())
    db.dispose()
    return url


def test_parse_prints_the_records() -> None:
    result = keika("parse", str(P4103 / "v2.html"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((P4103 / "v2.json").read_text())


def test_parse_page_without_entries_exits_3_with_its_json() -> None:
    result = keika("parse", str(P4103 / "maintenance.html"))
    assert result.returncode == 3
    assert json.loads(result.stdout)["entries"] == []
    assert "no dated entries" in result.stderr


@pytest.mark.parametrize("content", [None, b"", b"\x00\x01\x02binary\x00"])
def test_parse_bad_input_is_one_line_without_traceback(tmp_path, content) -> None:
    path = tmp_path / "page.html"
    if content is not None:
        path.write_bytes(content)
    result = keika("parse", str(path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("keika: ")


def test_changes_json_contract(filled_db: str) -> None:
    result = keika("changes", "--json", "--db", filled_db)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    required = {
        "id",
        "page",
        "url",
        "kind",
        "date_text",
        "before",
        "after",
        "fields",
        "crawl",
        "detected_at",
    }
    assert all(required <= set(row) for row in rows)
    entry_kinds = [r["kind"] for r in rows if r["kind"] not in ("moved", "page")]
    assert sorted(entry_kinds) == sorted(["added"] * 3 + ["edited"] * 3 + ["removed"])
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)


def test_changes_filters(filled_db: str) -> None:
    removed = json.loads(keika("changes", "--json", "--kind", "removed", "--db", filled_db).stdout)
    assert [r["date_text"] for r in removed] == ["平成13年9月"]
    assert removed[0]["after"] is None and removed[0]["before"]["start"] == "2001-09"
    future = keika("changes", "--json", "--since", "2999-01-01", "--db", filled_db)
    assert json.loads(future.stdout) == []
    bad = keika("changes", "--kind", "bogus", "--db", filled_db)
    assert bad.returncode == 2 and "bogus" in bad.stderr


def test_show_prints_a_line_diff(filled_db: str) -> None:
    rows = json.loads(keika("changes", "--json", "--kind", "edited", "--db", filled_db).stdout)
    body_edit = next(r for r in rows if r["date_text"] == "平成19年2月21日から2月22日まで")
    result = keika("show", str(body_edit["id"]), "--db", filled_db)
    assert result.returncode == 0, result.stderr
    minus = [ln for ln in result.stdout.splitlines() if ln.startswith("- ")]
    plus = [ln for ln in result.stdout.splitlines() if ln.startswith("+ ")]
    assert minus and plus
    assert "\x1b[" not in result.stdout  # piped: plain text


def test_entries_json_and_csv(filled_db: str) -> None:
    as_json = json.loads(keika("entries", "oyama-benxi", "--json", "--db", filled_db).stdout)
    assert len(as_json) == 34
    assert as_json[0]["date_text"] == "昭和60年5月" and as_json[0]["start"] == "1985-05"
    as_csv = list(
        csv.DictReader(
            io.StringIO(keika("entries", "oyama-benxi", "--csv", "--db", filled_db).stdout)
        )
    )
    assert [r["date_text"] for r in as_csv] == [r["date_text"] for r in as_json]


def test_history_lists_every_version(filled_db: str) -> None:
    rows = json.loads(keika("changes", "--json", "--kind", "edited", "--db", filled_db).stdout)
    entry = next(r for r in rows if r["date_text"] == "平成19年2月21日から2月22日まで")["entry"]
    result = keika("history", str(entry), "--db", filled_db)
    assert result.returncode == 0
    assert result.stdout.count("version ") == 2
    assert "baseline" in result.stdout and "edited" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("show", "999999"),
        ("history", "999999"),
        ("entries", "no-such-page"),
        ("changes", "--page", "no-such-page"),
        ("crawls", "--page", "no-such-page"),
    ],
)
def test_unknown_ids_exit_2_with_a_message(filled_db: str, args) -> None:
    result = keika(*args, "--db", filled_db)
    assert result.returncode == 2
    assert result.stderr.startswith("keika: unknown ")
    assert "Traceback" not in result.stderr


def test_crawls_json(filled_db: str) -> None:
    rows = json.loads(keika("crawls", "--json", "--db", filled_db).stdout)
    assert [r["outcome"] for r in rows] == ["baseline", "changed", "changed"]
    assert {"crawl", "page", "outcome", "status", "started_at", "error"} <= set(rows[0])


def test_malformed_seed_file_names_file_line_and_key(tmp_path) -> None:
    seeds = tmp_path / "bad.toml"
    seeds.write_text('[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\nshedule = "0 6 * * *"\n')
    result = keika("crawl", "--seeds", str(seeds), "--db", f"sqlite:///{tmp_path / 'k.db'}")
    assert result.returncode == 2
    assert f"{seeds}:4" in result.stderr and "shedule" in result.stderr
