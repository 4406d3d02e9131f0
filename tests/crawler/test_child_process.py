"""A crawl child never outlives its parent, never imports from its working folder, and a crawl
prints no warning (issues 11 and 14)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import FAST_SETTINGS, FixtureServer, Reply, run_keika
from sqlalchemy import func, select

from crawler.run import run_once
from pipeline.seeds import load_seeds
from storage.db import Database
from storage.models import Fetch

REPO = Path(__file__).parents[2]
V2 = (REPO / "tests" / "fixtures" / "oyama" / "P-4103" / "v2.html").read_bytes()
SLOW = 6.0  # seconds the server holds the page: the parent is killed in that time


def write_seeds(path: Path, url: str) -> Path:
    path.write_text(f'[[page]]\nkey = "p"\nurl = "{url}"\n', encoding="utf-8")
    return path


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has stopped; only its exit status is left


PARENT = textwrap.dedent(
    """
    import sys
    from crawler.run import run_once
    from pipeline.seeds import load_seeds
    from storage.db import Database

    seedset = load_seeds(sys.argv[1])
    run_once(Database(sys.argv[2]), seedset, seedset.seeds, in_child=True, time_limit=120,
             settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                       "KEIKA_INGEST_PROCESS": sys.argv[3] == "process"})
    """
)


@pytest.mark.parametrize("ingest", ["thread", "process"])
def test_a_child_crawl_dies_with_its_parent_and_commits_nothing(
    fixture_server: FixtureServer, tmp_path: Path, ingest: str
) -> None:
    fixture_server.route("/slow.html", Reply(body=V2, delay=SLOW))
    seeds = write_seeds(tmp_path / "seeds.toml", fixture_server.url("/slow.html"))
    db_url = f"sqlite:///{tmp_path / 'keika.db'}"
    Database(db_url).dispose()
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(seeds), db_url, ingest])
    try:
        deadline = time.monotonic() + 60
        while not fixture_server.requests_for("/slow.html"):
            assert time.monotonic() < deadline, "the child never fetched the page"
            assert parent.poll() is None, "the parent ended early"
            time.sleep(0.05)
        children = children_of(parent.pid)
        assert len(children) == 1, children
        child = children[0]
        family = [child, *children_of(child)]  # the crawl child and its ingest worker, if any
        if ingest == "process":
            assert len(family) == 2, family
        parent.kill()  # kill -9: no chance to stop the child itself
        parent.wait()
        deadline = time.monotonic() + 5
        while any(map(running, family)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(running, family)), "a crawl process outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
    time.sleep(SLOW)  # the page's answer arrives now: nobody is left to store it
    db = Database(db_url)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Fetch)) == 0
    db.dispose()


def test_a_child_crawl_ignores_keika_and_crawler_folders_where_it_runs(
    fixture_server: FixtureServer, tmp_path: Path, monkeypatch
) -> None:
    fixture_server.route("/p.html", Reply(body=V2))
    seedset = load_seeds(write_seeds(tmp_path / "seeds.toml", fixture_server.url("/p.html")))
    here = tmp_path / "clones"
    for name in ("keika", "crawler", "pipeline", "storage"):
        (here / name).mkdir(parents=True)
        (here / name / "__init__.py").write_text(f"raise ImportError('the {name} decoy')\n")
    (here / "keika" / "seeds").mkdir()  # a folder named like a module, as in a clone's parent
    monkeypatch.chdir(here)
    db = Database(f"sqlite:///{tmp_path / 'keika.db'}")
    report = run_once(
        db, seedset, seedset.seeds, in_child=True, time_limit=120, settings=dict(FAST_SETTINGS)
    )
    db.dispose()
    assert [r.outcome for r in report.rows] == ["baseline"], report.rows


def test_a_crawl_prints_no_warning(fixture_server: FixtureServer, tmp_path: Path) -> None:
    fixture_server.route("/p.html", Reply(body=V2))
    seeds = write_seeds(tmp_path / "seeds.toml", fixture_server.url("/p.html"))
    env = {**os.environ, "PYTHONWARNINGS": "default"}  # show every warning, even repeated ones
    done = run_keika(
        "crawl", "--seeds", str(seeds), "--db", f"sqlite:///{tmp_path / 'k.db'}", env=env
    )
    assert done.returncode == 0, done.stderr
    assert "1 baseline" in done.stdout
    assert "Warning" not in done.stderr, done.stderr
    assert "WARNING" not in done.stderr, done.stderr


def test_ingest_in_a_second_process_records_what_a_thread_does(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    v1 = (REPO / "tests" / "fixtures" / "oyama" / "P-4103" / "v1.html").read_bytes()
    seedset = load_seeds(write_seeds(tmp_path / "seeds.toml", fixture_server.url("/p.html")))
    recorded = {}
    for ingest, processes in (("thread", 0), ("process", 1), ("2 processes", 2)):
        fixture_server.route("/p.html", Reply(body=v1), Reply(body=V2))
        db = Database(f"sqlite:///{tmp_path / f'keika-{processes}.db'}")
        settings = {
            **FAST_SETTINGS,
            "KEIKA_INGEST_PROCESS": processes > 0,
            "KEIKA_INGEST_PROCESSES": processes,
        }
        reports = [
            run_once(db, seedset, seedset.seeds, in_child=True, time_limit=120, settings=settings)
            for _ in range(2)
        ]
        recorded[ingest] = [(r.rows[0].outcome, r.rows[0].counts) for r in reports]
        db.dispose()
    assert recorded["thread"][0] == ("baseline", None)
    assert recorded["thread"][1][0] == "changed"
    assert recorded["process"] == recorded["2 processes"] == recorded["thread"]
