"""`keika demo`: the P-4103 timeline through the real spider, as issue 4 says it must come out."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import run_keika

FIXTURES = Path(__file__).parents[1] / "fixtures"


keika = run_keika


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> tuple[str, subprocess.CompletedProcess[str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    return url, keika("demo", "--db", url)


def test_demo_runs_and_shows_the_change_log(demo_db) -> None:
    _url, result = demo_db
    assert result.returncode == 0, result.stderr
    assert "The change log" in result.stdout
    assert "平成22年10月21日から10月22日まで" in result.stdout
    assert "+ 小山市長への表敬訪問を始め、小松製作所を視察した。" in result.stdout


def test_each_crawl_line_keeps_its_counts_apart_from_its_story(demo_db) -> None:
    """'1 moved, 2 edited, 1 added, 1 page  the page as published today…', never run together
    ('1 page the page as …') however long the counts are."""
    _url, result = demo_db
    from keika.demo import TIMELINE

    lines = [line for line in result.stdout.splitlines() if line.startswith("crawl ")]
    assert len(lines) == len(TIMELINE)
    for line, step in zip(lines, TIMELINE, strict=True):
        assert f"  {step.story}" in line, line
        assert line.index(step.story) == lines[0].index(TIMELINE[0].story), lines  # one column


def test_the_demo_database_is_whole_in_its_file(demo_db, tmp_path) -> None:
    """Its write-ahead log is folded back when the command ends: the file alone is a copy."""
    url, _ = demo_db
    path = Path(url.removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.db"
    copy.write_bytes(path.read_bytes())
    rows = json.loads(keika("crawls", "--json", "--db", f"sqlite:///{copy}").stdout)
    assert len(rows) == 6


def test_timeline_outcomes(demo_db) -> None:
    url, _ = demo_db
    rows = json.loads(keika("crawls", "--json", "--db", url).stdout)
    assert [r["outcome"] for r in rows] == [
        "baseline",
        "changed",
        "changed",
        "suspect",
        "changed",
        "changed",
    ]
    assert rows[3]["error"] == "no dated entries found"
    assert all(r["status"] == 200 for r in rows)


def _entry_events(url: str) -> dict[int, Counter[str]]:
    changes = json.loads(keika("changes", "--json", "--db", url).stdout)
    by_crawl: dict[int, Counter[str]] = {}
    for change in changes:
        if change["kind"] != "page":
            by_crawl.setdefault(change["crawl"], Counter())[change["kind"]] += 1
    return by_crawl


def test_each_step_produces_exactly_the_expected_entry_events(demo_db) -> None:
    url, _ = demo_db
    crawls = [r["crawl"] for r in json.loads(keika("crawls", "--json", "--db", url).stdout)]
    events = _entry_events(url)
    baseline, v2, noise, maintenance, renewal, v3 = (events.get(c, Counter()) for c in crawls)
    assert baseline == Counter()
    assert (v2["added"], v2["edited"], v2["removed"]) == (1, 2, 0)  # moves allowed
    assert noise == Counter()
    assert maintenance == Counter()
    assert renewal == Counter()
    assert v3 == Counter({"added": 2, "removed": 1, "edited": 1})


def test_archive_replays_clean_after_the_demo(demo_db) -> None:
    url, _ = demo_db
    result = keika("replay", "--archive", "--db", url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 archived responses: 6 same, 0 differ" in result.stdout


def test_replay_of_the_fixtures_passes() -> None:
    result = keika("replay", str(FIXTURES))
    assert result.returncode == 0, result.stdout
    assert " 0 differ, 0 new, 0 errors" in result.stdout.splitlines()[-1]


def test_replay_reports_a_changed_golden_and_exits_1(tmp_path) -> None:
    import shutil

    shutil.copytree(FIXTURES / "oyama" / "P-4103", tmp_path, dirs_exist_ok=True)
    golden = tmp_path / "v2.json"
    data = json.loads(golden.read_text())
    data["entries"][3]["body"][0] = "書き換えた行"
    golden.write_text(json.dumps(data, ensure_ascii=False))
    result = keika("replay", str(tmp_path))
    assert result.returncode == 1
    assert "differs" in result.stdout and "平成2年11月" in result.stdout


def test_the_commands_to_try_run_as_printed(demo_db) -> None:
    """Issue 14: they were `keika ...`, `command not found` until the venv was activated."""
    import os
    import shlex

    _url, result = demo_db
    tail = result.stdout.split("Explore it yourself:", 1)[1]
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    assert len(lines) == 3
    changes, entries = shlex.split(lines[0]), shlex.split(lines[1])
    # a fresh shell's PATH: no folder that holds a `keika` (the venv is not activated)
    path = os.pathsep.join(
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and not os.path.exists(os.path.join(p, "keika"))
    )
    for argv in (changes, entries):
        ran = subprocess.run(
            argv, capture_output=True, text=True, timeout=120, env={**os.environ, "PATH": path}
        )
        assert ran.returncode == 0, ran.stderr
    assert (
        "平成22年10月21日から10月22日まで"
        in subprocess.run(changes, capture_output=True, text=True, timeout=120).stdout
    )
