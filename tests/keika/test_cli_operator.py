"""Issue 14, the command-line side: what a new user hits in the first hour.

Real processes (`run_keika`), real SQLite files, a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FixtureServer, Reply, in_tx, ingest_html, run_keika
from sqlalchemy import func, select, update

from pipeline.domain.seed import Seed
from storage.db import Database
from storage.models import ChangeEvent, Crawl, Fetch, Snapshot

ROOT = Path(__file__).resolve().parents[2]
P4103 = ROOT / "tests" / "fixtures" / "oyama" / "P-4103"
SEED = Seed(key="oyama-benxi", url="http://127.0.0.1:8000/page004103.html")
TITLE = "本渓市との交流経過"

keika = run_keika


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "╭" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("keika: ")
    return lines[0]


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory) -> str:
    """v1 → v2 → v3 of P-4103 through the real ingest stage (page zone Asia/Tokyo)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('op') / 'keika.db'}"
    db = Database(url)
    for version in ("v1", "v2", "v3"):
        ingest_html(db, SEED, (P4103 / f"{version}.html").read_bytes())
    db.dispose()
    return url


# --- item 7: usage errors, --version, completion ---------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("show", "abc"),
        ("history", "x"),
        ("changes", "--limit", "zero"),
        ("no-such-command",),
        ("changes", "--no-such-option"),
        ("--log-level", "LOUD", "info"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(args, tmp_path) -> None:
    result = keika(*args, "--db", f"sqlite:///{tmp_path / 'k.db'}")
    line = one_line_error(result)
    assert "--help" in line


HUGE = "99999999999999999999"  # more than any database integer


@pytest.mark.parametrize(
    "args",
    [
        ("changes", "--limit", HUGE),
        ("changes", "--json", "--limit", HUGE),
        ("changes", "--since", "0001-01-01"),
        ("changes", "--until", "9999-12-31"),
        ("changes", "--csv", "--since", "0001-01-01", "--until", "9999-12-31"),
    ],
)
def test_limits_and_dates_at_the_ends_of_the_range_mean_everything(filled_db: str, args) -> None:
    """A limit beyond any count, or a date at the calendar's ends, filters nothing out."""
    result = keika(*args, "--db", filled_db)
    assert result.returncode == 0, result.stderr
    every = keika(args[0], *[a for a in args[1:2] if a in ("--json", "--csv")], "--db", filled_db)
    assert every.returncode == 0 and result.stdout == every.stdout


def test_numbers_beyond_range_are_one_line(filled_db: str) -> None:
    line = one_line_error(keika("snapshot", HUGE, "oyama-benxi", "--db", filled_db))
    assert f"unknown crawl {HUGE}" in line
    line = one_line_error(keika("parse", "http://127.0.0.1:9/p.html", "--timeout", "1e300"))
    assert "--timeout" in line


def test_gc_keeping_more_days_than_the_calendar_holds_removes_nothing(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    db = Database(url)
    ingest_html(db, SEED, (P4103 / "v1.html").read_bytes())
    ingest_html(db, SEED, (P4103 / "v1.html").read_bytes())
    db.dispose()
    for days in (HUGE, "999999999"):
        result = keika("gc", "--keep-days", days, "--db", url)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("removed 0 fetch(es), 0 crawl(s)")


def test_version_is_printed() -> None:
    result = keika("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("keika ")


def test_help_lists_every_command_by_name() -> None:
    from keika.cli import COMMANDS

    result = keika("--help", env={**__import__("os").environ, "COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    listed = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("│ ")}
    assert set(COMMANDS) <= listed


def test_crawl_help_names_every_outcome_that_exits_0() -> None:
    """`keika crawl --help` says which outcomes exit 0, as the README does: all of them."""
    from pipeline.domain.kinds import GOOD_OUTCOMES

    result = keika("crawl", "--help", env={**__import__("os").environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    said = result.stdout.split("Exits 0 when every page ended", 1)[1].split(";", 1)[0]
    said = re.sub(r"\(.*?\)", "", said, flags=re.S)  # what a parenthesis explains
    assert {w.strip(" ,") for w in said.split() if w != "or"} == set(GOOD_OUTCOMES)


COMPLETION = ("--show-completion",)


def test_shell_completion_script_is_offered() -> None:
    """Typed at a bash prompt. (--show-completion names the shell it runs under, found by
    walking up the processes: run straight from pytest, under an IDE or a detached job, there
    is none and the command says "Shell not supported", so bash is its parent here.)"""
    result = subprocess.run(
        ["bash", "-c", '"$@"; exit $?', "bash", sys.executable, "-m", "keika.cli", *COMPLETION],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "complete" in result.stdout and "COMP_WORDS" in result.stdout


# --- item 8: start-up imports only what the command uses -------------------------------------


def test_info_imports_neither_the_scheduler_nor_scrapy_nor_alembic(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    assert keika("db", "upgrade", "--db", db).returncode == 0  # a current schema
    argv = ["-X", "importtime", "-m", "keika.cli", "info", "--db", db]
    result = subprocess.run(
        [sys.executable, *argv, "--seeds", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "keika.options" in imported  # (importlib.import_module'd modules are not listed)
    for heavy in (
        "scheduler",
        "apscheduler",
        "scrapy",
        "twisted",
        "alembic",
        "keika.commands.crawl",
    ):
        assert heavy not in imported, heavy


# --- item 8: the newest 50, --limit/--all, streamed JSON/CSV ----------------------------------


@pytest.fixture(scope="module")
def many_changes(tmp_path_factory) -> str:
    """P-4103 v1 (34 baseline entries) plus 120 synthetic `edited` events, one a minute."""
    url = f"sqlite:///{tmp_path_factory.mktemp('many') / 'keika.db'}"
    db = Database(url)
    ingest_html(db, SEED, (P4103 / "v1.html").read_bytes())
    add_edits(db, 120)
    db.dispose()
    return url


def add_edits(db: Database, count: int, start: datetime | None = None) -> None:
    from storage.models import Entry

    start = start or datetime(2026, 11, 1, tzinfo=UTC)
    with db.session() as session:
        fetch = session.scalar(select(Fetch).order_by(Fetch.id.desc()).limit(1))
        entry = session.scalar(select(Entry).order_by(Entry.id).limit(1))
        assert fetch is not None and entry is not None
        session.add_all(
            ChangeEvent(
                page_id=fetch.page_id,
                crawl_id=fetch.crawl_id,
                fetch_id=fetch.id,
                kind="edited",
                entry_id=entry.id,
                before_version_id=entry.current_version_id,
                after_version_id=entry.current_version_id,
                date_text=f"synthetic {i}",
                fields=["body"],
                detected_at=start + timedelta(minutes=i),
            )
            for i in range(count)
        )


def table_ids(stdout: str) -> list[int]:
    """The ids of the change lines of `keika changes` (id, then the date it was detected)."""
    rows = [line.split() for line in stdout.splitlines()]
    return [int(r[0]) for r in rows if len(r) > 2 and r[0].isdigit() and r[1][:2] == "20"]


def test_table_shows_the_newest_50_and_says_how_to_see_more(many_changes: str) -> None:
    result = keika("changes", "--db", many_changes)
    assert result.returncode == 0, result.stderr
    every = json.loads(keika("changes", "--json", "--db", many_changes).stdout)
    newest = [r["id"] for r in every][-50:]
    assert table_ids(result.stdout) == newest
    assert f"50 of {len(every)} change(s)" in result.stdout
    assert table_ids(keika("changes", "--limit", "7", "--db", many_changes).stdout) == newest[-7:]
    assert table_ids(keika("changes", "--all", "--db", many_changes).stdout) == [
        r["id"] for r in every
    ]


def test_json_and_csv_stream_every_change_in_order(many_changes: str) -> None:
    rows = json.loads(keika("changes", "--json", "--db", many_changes).stdout)
    assert len(rows) == 120
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    limited = json.loads(keika("changes", "--json", "--limit", "3", "--db", many_changes).stdout)
    assert [r["id"] for r in limited] == [r["id"] for r in rows][-3:]
    as_csv = list(
        csv.DictReader(io.StringIO(keika("changes", "--csv", "--db", many_changes).stdout))
    )
    assert [int(r["id"]) for r in as_csv] == [r["id"] for r in rows]
    assert as_csv[0]["detected_at"] == "2026-11-01T09:00:00+09:00"  # the page's zone, offset
    assert (
        json.loads(keika("changes", "--json", "--kind", "removed", "--db", many_changes).stdout)
        == []
    )


# --- times in the page's zone, --utc, --since/--until in that zone -----------------------------


def test_times_are_shown_in_the_page_zone_or_utc(many_changes: str) -> None:
    local = keika("changes", "--limit", "1", "--db", many_changes).stdout
    assert "2026-11-01 10:59 JST" in local  # the 120th edit: 01:59 UTC
    utc = keika("changes", "--limit", "1", "--utc", "--db", many_changes).stdout
    assert "2026-11-01 01:59 UTC" in utc and "JST" not in utc
    rows = json.loads(keika("changes", "--json", "--limit", "1", "--db", many_changes).stdout)
    assert rows[0]["detected_at"] == "2026-11-01T01:59:00+00:00"


def test_since_and_until_are_dates_in_the_page_zone(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    db = Database(url)
    ingest_html(db, SEED, (P4103 / "v1.html").read_bytes())
    # 2026-11-01 15:30 UTC is 2026-11-02 00:30 in Tokyo.
    add_edits(db, 1, start=datetime(2026, 11, 1, 15, 30, tzinfo=UTC))
    db.dispose()

    def ids(*args: str) -> list[str]:
        result = keika("changes", "--json", *args, "--db", url)
        assert result.returncode == 0, result.stderr
        return [r["date_text"] for r in json.loads(result.stdout)]

    assert ids("--since", "2026-11-02") == ["synthetic 0"]
    assert ids("--until", "2026-11-01") == []
    assert ids("--since", "2026-11-02", "--until", "2026-11-02") == ["synthetic 0"]
    assert ids("--since", "2026-11-02", "--utc") == []
    one_line_error(keika("changes", "--until", "soon", "--db", url))
    line = one_line_error(keika("changes", "--since", "2026-11-02", "--until", "2026-11-01"))
    assert "--until '2026-11-01' is before --since '2026-11-02'" in line
    assert ids("--since", "2026-11-02T00:00+09:00", "--until", "2026-11-02") == ["synthetic 0"]


# --- change lists a person can read -------------------------------------------------------------


def test_changes_name_the_page_by_title_and_show_the_entry(filled_db: str) -> None:
    result = keika("changes", "--db", filled_db)
    assert result.returncode == 0, result.stderr
    edited = next(ln for ln in result.stdout.splitlines() if "平成19年2月21日から2月22日まで" in ln)
    assert TITLE in edited and "edited" in edited
    assert "江端本渓市長を団長とする本渓市訪日代表団10名が小山市を訪問。" in edited
    assert "JST" in edited
    show = keika("show", edited.split()[0], "--db", filled_db).stdout
    assert "JST" in show.splitlines()[0]


# --- keika snapshot ------------------------------------------------------------------------------


def test_snapshot_writes_the_archived_response(filled_db: str, tmp_path) -> None:
    out = tmp_path / "v2.html"
    result = keika("snapshot", "2", "oyama-benxi", "-o", str(out), "--db", filled_db)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (P4103 / "v2.html").read_bytes()
    to_stdout = subprocess.run(
        [sys.executable, "-m", "keika.cli", "snapshot", "3", "oyama-benxi", "--db", filled_db],
        capture_output=True,
        timeout=120,
    )
    assert to_stdout.stdout == (P4103 / "v3.html").read_bytes()
    assert "unknown crawl 99" in one_line_error(
        keika("snapshot", "99", "oyama-benxi", "--db", filled_db)
    )
    one_line_error(keika("snapshot", "2", "no-such-page", "--db", filled_db))


# --- keika gc ------------------------------------------------------------------------------------


def test_gc_removes_old_bookkeeping_and_keeps_every_change(db_url: str, tmp_path) -> None:
    url = db_url
    db = Database(url)
    for version in ("v1", "v1", "v1", "v2", "v2", "maintenance", "v3"):
        ingest_html(db, SEED, (P4103 / f"{version}.html").read_bytes())
    with db.session() as session:  # every crawl but the last happened a year ago
        last = session.scalar(select(func.max(Crawl.id)))
        year_ago = datetime.now(UTC) - timedelta(days=365)
        session.execute(update(Crawl).where(Crawl.id < last).values(started_at=year_ago))
        session.execute(update(Snapshot).values(created_at=year_ago))
    counts_before = in_tx(db, _counts)
    changes_before = keika("changes", "--json", "--db", url).stdout
    entry = json.loads(keika("changes", "--json", "--kind", "edited", "--db", url).stdout)[0]
    history_before = keika("history", str(entry["entry"]), "--db", url).stdout

    result = keika("gc", "--keep-days", "30", "--db", url)
    assert result.returncode == 0, result.stderr

    counts_after = in_tx(db, _counts)
    assert counts_after["fetches"] < counts_before["fetches"]
    assert counts_after["crawls"] < counts_before["crawls"]
    assert counts_after["snapshots"] < counts_before["snapshots"]  # the maintenance page's body
    assert keika("changes", "--json", "--db", url).stdout == changes_before
    assert keika("history", str(entry["entry"]), "--db", url).stdout == history_before
    for change in json.loads(changes_before):  # the response behind each change is still there
        got = keika("snapshot", str(change["crawl"]), "oyama-benxi", "--db", url)
        assert got.returncode == 0, got.stderr
    replay = keika("replay", "--archive", "--db", url, "--seeds", str(tmp_path / "none"))
    assert replay.returncode == 0, replay.stdout + replay.stderr
    info = keika("info", "--db", url, "--seeds", str(tmp_path / "none"))
    assert "size: database" in info.stdout and "archive" in info.stdout
    db.dispose()


def _counts(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        name: session.scalar(select(func.count()).select_from(model))
        for name, model in (("fetches", Fetch), ("crawls", Crawl), ("snapshots", Snapshot))
    }


# --- keika seeds ---------------------------------------------------------------------------------

COMMENTED = """\
# My pages. This comment must survive.
[defaults]
schedule = "0 6 * * *"  # every morning

# The first page.
[[page]]
key = "first"
url = "http://127.0.0.1:1/first.html"
"""


def test_seeds_add_tries_the_page_then_appends_it_keeping_comments(
    fixture_server: FixtureServer, tmp_path
) -> None:
    fixture_server.serve_file("/p.html", P4103 / "v2.html")
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(COMMENTED, encoding="utf-8")
    result = keika(
        "seeds", "add", fixture_server.url("/p.html"), "--key", "benxi",
        "--schedule", "every 6h", "--seeds", str(seeds),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "33 dated entries found" in result.stdout
    text = seeds.read_text(encoding="utf-8")
    assert text.startswith(COMMENTED)  # comments, order and values untouched
    assert '\n\n[[page]]\nkey = "benxi"' in text  # a blank line before the new block
    assert 'key = "benxi"' in text and 'schedule = "every 6h"' in text and TITLE in text
    assert len(fixture_server.requests_for("/p.html")) == 1  # one fetch
    listed = json.loads(keika("seeds", "list", "--json", "--seeds", str(seeds)).stdout)
    assert [(s["key"], s["schedule"]) for s in listed] == [
        ("first", "0 6 * * *"),
        ("benxi", "every 6h"),
    ]

    again = keika(
        "seeds", "add", fixture_server.url("/p.html"), "--key", "benxi", "--seeds", str(seeds)
    )
    assert "already used" in one_line_error(again)

    disabled = keika("seeds", "disable", "first", "--seeds", str(seeds))
    assert disabled.returncode == 0, disabled.stderr
    text = seeds.read_text(encoding="utf-8")
    assert "# My pages. This comment must survive." in text and "# every morning" in text
    listed = json.loads(keika("seeds", "list", "--json", "--seeds", str(seeds)).stdout)
    assert {s["key"]: s["enabled"] for s in listed} == {"first": False, "benxi": True}


def test_seeds_add_refuses_a_page_that_fails_or_has_no_entries(
    fixture_server: FixtureServer, tmp_path
) -> None:
    fixture_server.route("/gone.html", Reply(status=404, body=b"gone"))
    fixture_server.serve_file("/maint.html", P4103 / "maintenance.html")
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(COMMENTED, encoding="utf-8")
    for path in ("/gone.html", "/maint.html"):
        result = keika(
            "seeds", "add", fixture_server.url(path), "--key", "new", "--seeds", str(seeds)
        )
        assert result.returncode == 1
        assert "not added" in result.stderr
        assert seeds.read_text(encoding="utf-8") == COMMENTED
    bad = keika(
        "seeds", "add", fixture_server.url("/maint.html"), "--key", "new",
        "--schedule", "61 * * * *", "--seeds", str(seeds),
    )  # fmt: skip
    assert "61 * * * *" in one_line_error(bad)
    assert len(fixture_server.requests_for("/maint.html")) == 1  # refused before any fetch
    forced = keika(
        "seeds", "add", fixture_server.url("/maint.html"), "--key", "new", "--force",
        "--seeds", str(seeds),
    )  # fmt: skip
    assert forced.returncode == 0, forced.stderr
    assert 'key = "new"' in seeds.read_text(encoding="utf-8")


# --- verbosity ----------------------------------------------------------------------------------


def test_log_level_reaches_scrapy_in_a_crawl(fixture_server: FixtureServer, tmp_path) -> None:
    fixture_server.serve_file("/p.html", P4103 / "v1.html")
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(f'[[page]]\nkey = "p"\nurl = "{fixture_server.url("/p.html")}"\n')
    db = f"sqlite:///{tmp_path / 'k.db'}"
    quiet = keika("crawl", "--seeds", str(seeds), "--db", db)
    assert quiet.returncode == 0, quiet.stderr
    assert "INFO" not in quiet.stderr
    loud = keika("crawl", "--seeds", str(seeds), "--db", db, "--log-level", "INFO")
    assert loud.returncode == 0, loud.stderr
    assert "INFO" in loud.stderr and "scrapy" in loud.stderr
    verbose = keika("-v", "crawl", "--seeds", str(seeds), "--db", db)
    assert verbose.returncode == 0 and "INFO" in verbose.stderr
    listing = keika("schedule", "--list", "--seeds", str(seeds), "--db", db, "-vv")
    assert listing.returncode == 0, listing.stderr


# --- psycopg only for PostgreSQL ----------------------------------------------------------------


def test_postgresql_url_without_psycopg_is_a_clear_error() -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None; "
        "sys.argv = ['keika', 'changes', '--db', 'postgresql://u:secret@127.0.0.1:1/x']; "
        "from keika.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    line = one_line_error(result)
    assert "keika[postgres]" in line and "secret" not in line


@pytest.mark.parametrize("url", ["mysql://u:secret@127.0.0.1/x", "oracle://u@127.0.0.1/x"])
def test_a_database_keika_does_not_keep_data_in_is_named(url: str) -> None:
    result = keika("changes", "--db", url)
    line = one_line_error(result)
    assert "SQLite or PostgreSQL" in line and "secret" not in line


def test_a_misspelt_worker_setting_is_an_error_naming_the_nearest(tmp_path) -> None:
    """A setting no one reads would be taken silently, and the worker run as if it were unset."""
    db = f"sqlite:///{tmp_path / 'k.db'}"
    line = one_line_error(keika("worker", "--set", "DOWNLOAD_DELAYY=3", "--db", db))
    assert "'DOWNLOAD_DELAYY'" in line and "did you mean DOWNLOAD_DELAY?" in line


# --- item 6: feed exports -----------------------------------------------------------------------


def test_scrapy_feed_export_writes_the_items(fixture_server: FixtureServer, tmp_path) -> None:
    fixture_server.serve_file("/p.html", P4103 / "v1.html")
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(f'[[page]]\nkey = "p"\nurl = "{fixture_server.url("/p.html")}"\n')
    items = tmp_path / "items.jsonl"
    env = {
        **__import__("os").environ,
        "KEIKA_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "pages",
            "-a",
            f"seeds={seeds}",
            "-o",
            str(items),
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "not JSON serializable" not in result.stderr
    rows = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    assert rows[0]["key"] == "p" and rows[0]["status"] == 200 and "body" not in rows[0]


def test_a_hostile_page_title_is_shown_inert_and_cut(tmp_path) -> None:
    from storage.models import Page

    url = f"sqlite:///{tmp_path / 'k.db'}"
    db = Database(url)
    ingest_html(db, SEED, (P4103 / "v1.html").read_bytes())
    add_edits(db, 1)
    with db.session() as session:
        session.execute(
            update(Page).values(info={"title": "\x1b]0;pwned\x07[red]x[/red]" + "長" * 200_000})
        )
    db.dispose()
    result = keika("changes", "--db", url)
    assert result.returncode == 0, result.stderr
    line = next(ln for ln in result.stdout.splitlines() if "synthetic 0" in ln)
    assert "\x1b" not in result.stdout and "\\x1b]0;pwned\\x07[red]x" in line
    assert len(line) < 400
