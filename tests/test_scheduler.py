"""`keika schedule` as a real process: a real HTTP server on 127.0.0.1, a real SQLite file, signals.

Waits poll the database or the log with generous deadlines; the assertions are about what
happened (crawl rows, statuses, exit codes, messages), never about how fast.
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FixtureServer, KeikaProcess, Reply, run_keika, wait_until
from sqlalchemy import select, text

from storage.db import Database
from storage.models import Crawl, Fetch, Lease

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tests" / "fixtures" / "oyama" / "P-4103" / "v2.html"


class Scheduler(KeikaProcess):
    """A `keika schedule` subprocess whose stderr (its log) goes to a file."""

    def __init__(self, tmp_path: Path, seeds: Path, db_url: str, *args: str, name: str = "s"):
        log_path = tmp_path / f"{name}-{time.monotonic_ns()}.log"
        super().__init__(log_path, "schedule", "--seeds", str(seeds), "--db", db_url, *args)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        return super().stop(sig, timeout)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'keika.db'}"
    Database(url).dispose()  # schema in place before anyone polls it
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url, migrate=False)
    yield database
    database.dispose()


@pytest.fixture
def schedulers(tmp_path: Path) -> Iterator[Callable[..., Scheduler]]:
    started: list[Scheduler] = []

    def start(seeds: Path, db_url: str, *args: str, name: str = "s") -> Scheduler:
        scheduler = Scheduler(tmp_path, seeds, db_url, *args, name=name)
        started.append(scheduler)
        return scheduler

    yield start
    for scheduler in started:
        scheduler.kill()


def write_seeds(path: Path, *pages: dict[str, object]) -> Path:
    lines = []
    for page in pages:
        lines.append("[[page]]")
        for key, value in {"obey_robots": False, **page}.items():
            rendered = str(value).lower() if isinstance(value, bool) else repr(value)
            if isinstance(value, str):
                rendered = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            lines.append(f"{key} = {rendered}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def crawls(db: Database) -> list[Crawl]:
    with db.session() as session:
        return list(session.scalars(select(Crawl).order_by(Crawl.started_at)))


def fetches(db: Database) -> list[Fetch]:
    with db.session() as session:
        return list(session.scalars(select(Fetch).order_by(Fetch.id)))


def finished_count(db: Database) -> int:
    return sum(1 for c in crawls(db) if c.status != "running")


def stored_next_run(db: Database, key: str) -> float | None:
    with db.engine.connect() as conn:
        return conn.execute(
            text("SELECT next_run_time FROM apscheduler_jobs WHERE id = :id"), {"id": key}
        ).scalar()


def test_every_2s_crawls_repeatedly_never_overlapping(
    tmp_path: Path, fixture_server: FixtureServer, db_url: str, db: Database, schedulers
) -> None:
    fixture_server.serve_file("/p4103.html", PAGE)
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "p4103", "url": fixture_server.url("/p4103.html"), "schedule": "every 2s"},
    )
    service = schedulers(seeds, db_url)
    wait_until(lambda: finished_count(db) >= 3, 60, "three scheduled crawls")
    assert service.stop() == 0

    runs = crawls(db)
    assert len(runs) >= 3
    assert {c.status for c in runs} == {"finished"}
    assert {c.trigger for c in runs} == {"schedule"}
    for before, after in itertools.pairwise(runs):
        assert before.finished_at is not None
        assert after.started_at >= before.finished_at, "two crawls of one page overlapped"
    outcomes = [f.outcome for f in fetches(db)]
    assert outcomes[0] == "baseline"
    assert set(outcomes[1:]) <= {"unchanged", "not_modified"}
    # One log line per run: page, outcome, counts, crawl, duration.
    assert "p4103: baseline | 33 entries | crawl 1 |" in service.log
    assert service.log.count("p4103: ") >= len(runs)
    with db.session() as session:
        assert session.scalars(select(Lease)).all() == [], "the lease was not released"


def test_sigterm_during_a_crawl_stops_cleanly(
    tmp_path: Path, fixture_server: FixtureServer, db_url: str, db: Database, schedulers
) -> None:
    fixture_server.route("/slow.html", Reply(body=PAGE.read_bytes(), delay=60))
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {
            "key": "slow",
            "url": fixture_server.url("/slow.html"),
            "schedule": "every 1s",
            "timeout": 120,
        },
    )
    service = schedulers(seeds, db_url, "--run-timeout", "300")
    wait_until(lambda: fixture_server.requests_for("/slow.html"), 60, "the crawl's request")
    assert [c.status for c in crawls(db)] == ["running"]

    assert service.stop(signal.SIGTERM, timeout=10) == 0  # within 10 s, or wait() raises

    (crawl,) = crawls(db)
    assert crawl.status == "interrupted"
    assert crawl.finished_at is not None
    (fetch,) = fetches(db)
    assert fetch.outcome == "failed"
    assert fetch.crawl_id == crawl.id
    with db.session() as session:
        assert session.scalars(select(Lease)).all() == []
    assert "SIGTERM received" in service.log
    assert "scheduler stopped" in service.log


def test_sigint_stops_cleanly_too(
    tmp_path: Path, fixture_server: FixtureServer, db_url: str, db: Database, schedulers
) -> None:
    fixture_server.route("/slow.html", Reply(body=PAGE.read_bytes(), delay=60))
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "slow", "url": fixture_server.url("/slow.html"), "schedule": "every 1s"},
    )
    service = schedulers(seeds, db_url)
    wait_until(lambda: fixture_server.requests_for("/slow.html"), 60, "the crawl's request")
    assert service.stop(signal.SIGINT, timeout=10) == 0
    assert [c.status for c in crawls(db)] == ["interrupted"]
    assert [f.outcome for f in fetches(db)] == ["failed"]


def test_a_restart_keeps_the_schedule_and_catches_up_a_missed_run_once(
    tmp_path: Path, fixture_server: FixtureServer, db_url: str, db: Database, schedulers
) -> None:
    fixture_server.serve_file("/p4103.html", PAGE)
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "p4103", "url": fixture_server.url("/p4103.html"), "schedule": "every 1h"},
    )
    first = schedulers(seeds, db_url, name="first")
    first.wait_for_log("scheduler started")
    assert first.stop() == 0
    planned = stored_next_run(db, "p4103")
    assert planned is not None and planned > time.time()

    second = schedulers(seeds, db_url, name="second")
    second.wait_for_log("scheduler started")
    assert "scheduled p4103" not in second.log  # found in the job store, not added anew
    assert second.stop() == 0
    assert stored_next_run(db, "p4103") == planned  # not pushed back by the restart
    assert crawls(db) == []  # and no run repeated at start

    # While it was down, three runs came due: the restart makes up for them with one crawl.
    _move_next_run(db_url, "p4103", datetime.now(UTC) - timedelta(hours=3, minutes=1))
    third = schedulers(seeds, db_url, name="third")
    wait_until(lambda: finished_count(db) >= 1, 60, "the catch-up crawl")
    third.wait_for_log("p4103: baseline")
    assert third.stop() == 0
    assert len(crawls(db)) == 1
    assert stored_next_run(db, "p4103") > time.time()


def _move_next_run(db_url: str, key: str, when: datetime) -> None:
    """Pretend the scheduler was down across a due run: set the stored job's next run time."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from storage.db import make_engine

    store = SQLAlchemyJobStore(engine=make_engine(db_url), tablename="apscheduler_jobs")
    store.start(BackgroundScheduler(timezone="UTC"), "default")
    job = store.lookup_job(key)
    job._modify(next_run_time=when)
    store.update_job(job)
    store.shutdown()


def test_a_second_scheduler_refuses_and_names_the_holder(
    tmp_path: Path, db_url: str, db: Database, schedulers
) -> None:
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "p4103", "url": "http://127.0.0.1:9/never.html", "schedule": "0 6 * * *"},
    )
    first = schedulers(seeds, db_url, name="first")
    first.wait_for_log("scheduler started")

    second = schedulers(seeds, db_url, name="second")
    assert second.proc.wait(timeout=60) == 1
    message = second.log
    assert "another scheduler is already running" in message
    assert f"pid {first.proc.pid} on host {socket.gethostname()}, since " in message
    assert "scheduler started" not in message

    assert first.proc.poll() is None  # the first one is unaffected
    assert first.stop() == 0
    third = schedulers(seeds, db_url, name="third")  # and once it stopped, the next may start
    third.wait_for_log("scheduler started")
    assert third.stop() == 0


def test_a_killed_schedulers_lease_is_taken_over_on_the_same_host(
    tmp_path: Path, db_url: str, db: Database, schedulers
) -> None:
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "p4103", "url": "http://127.0.0.1:9/never.html", "schedule": "0 6 * * *"},
    )
    first = schedulers(seeds, db_url, name="first")
    first.wait_for_log("scheduler started")
    first.kill()  # SIGKILL: no chance to release the lease
    with db.session() as session:
        (lease,) = session.scalars(select(Lease)).all()
    assert lease.holder.endswith(f":{first.proc.pid}")
    # Its process is gone, so a restart (systemd's Restart=on-failure) need not wait for expiry.
    second = schedulers(seeds, db_url, name="second")
    second.wait_for_log("scheduler started")
    assert second.stop() == 0


def test_a_hanging_fetch_is_cut_off_and_recorded_as_failed(
    tmp_path: Path, fixture_server: FixtureServer, db_url: str, db: Database, schedulers
) -> None:
    fixture_server.route("/hang.html", Reply(body=PAGE.read_bytes(), delay=120))
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {
            "key": "hang",
            "url": fixture_server.url("/hang.html"),
            "schedule": "every 1h",
            "timeout": 300,
        },
    )
    # The first run is an hour away; a missed run moved into the past makes it due now.
    first = schedulers(seeds, db_url, name="setup")
    first.wait_for_log("scheduler started")
    assert first.stop() == 0
    _move_next_run(db_url, "hang", datetime.now(UTC) - timedelta(seconds=1))

    service = schedulers(seeds, db_url, "--run-timeout", "2")
    wait_until(lambda: finished_count(db) >= 1, 90, "the cut-off crawl to be closed")
    service.wait_for_log("hang: failed")
    assert service.stop() == 0

    (crawl,) = crawls(db)
    assert crawl.status == "interrupted"
    (fetch,) = fetches(db)
    assert fetch.outcome == "failed"
    assert fetch.error == "crawl cut off after 2s"
    assert "hang: failed | error: crawl cut off after 2s | crawl 1 interrupted |" in service.log


def test_a_bad_schedule_is_an_error_naming_the_page(
    tmp_path: Path, db_url: str, db: Database, schedulers
) -> None:
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "good", "url": "http://127.0.0.1:9/a.html", "schedule": "0 6 * * *"},
        {"key": "broken", "url": "http://127.0.0.1:9/b.html", "schedule": "61 * * * *"},
    )
    # Seeds are validated the same way by every command (pipeline/schedules.py via load_seeds):
    # file:line, the page, the bad schedule; exit 2.
    blame = f"{seeds}:11: page 'broken': bad schedule '61 * * * *'"
    service = schedulers(seeds, db_url)
    assert service.proc.wait(timeout=60) == 2
    assert blame in service.log
    assert "'good'" not in service.log  # only the broken page is blamed
    with db.session() as session:
        assert session.scalars(select(Lease)).all() == []  # it never started

    listing = run_keika(
        "schedule", "--seeds", str(seeds), "--db", db_url, "--list", cwd=ROOT, timeout=60
    )
    assert listing.returncode == 2
    assert blame in listing.stderr


def test_list_shows_each_job_and_its_next_run_without_starting(
    tmp_path: Path, db_url: str, db: Database
) -> None:
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "daily", "url": "http://127.0.0.1:9/a.html", "schedule": "0 6 * * *"},
        {
            "key": "weekly-utc",
            "url": "http://127.0.0.1:9/b.html",
            "schedule": "30 7 * * 1",
            "timezone": "UTC",
        },
        {"key": "often", "url": "http://127.0.0.1:9/c.html", "schedule": "every 30m"},
        {"key": "off", "url": "http://127.0.0.1:9/d.html", "enabled": False},
    )
    listing = run_keika(
        "schedule",
        "--seeds",
        str(seeds),
        "--db",
        db_url,
        "--list",
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    daily = next(line for line in lines if "daily" in line)
    assert "06:00:00 JST" in daily
    weekly = next(line for line in lines if "weekly-utc" in line)
    assert "07:30:00 UTC" in weekly
    assert any("often" in line and "every 30m" in line for line in lines)
    assert not any("off" in line.split() for line in lines)
    assert "scheduler: not running" in listing.stdout
    assert "0 page(s) waiting; 0 worker(s)" in listing.stdout  # the crawl queue, empty
    with db.session() as session:
        assert session.scalars(select(Lease)).all() == []
        assert session.scalars(select(Crawl)).all() == []


def test_seed_edits_take_effect_without_a_restart(
    tmp_path: Path, fixture_server: FixtureServer, db_url: str, db: Database, schedulers
) -> None:
    fixture_server.serve_file("/p4103.html", PAGE)
    url = fixture_server.url("/p4103.html")
    seeds_dir = tmp_path / "seeds"
    seeds_dir.mkdir()
    write_seeds(seeds_dir / "a.toml", {"key": "later", "url": url, "schedule": "every 1h"})
    service = schedulers(seeds_dir, db_url)
    service.wait_for_log("scheduler started")

    # A broken edit keeps the current jobs.
    (seeds_dir / "a.toml").write_text("[[page]]\nkey = 'later'\nurl = ", encoding="utf-8")
    service.wait_for_log("seeds not reloaded, the current jobs stay")
    assert stored_next_run(db, "later") is not None

    # A new file with a frequent page: it gets scheduled and crawled; the removed page goes.
    (seeds_dir / "a.toml").unlink()
    write_seeds(seeds_dir / "b.toml", {"key": "soon", "url": url, "schedule": "every 1s"})
    service.wait_for_log("scheduled soon: every 1s")
    service.wait_for_log("unscheduled later")
    wait_until(lambda: finished_count(db) >= 1, 60, "the new page's crawl")
    assert stored_next_run(db, "later") is None

    # A changed schedule reschedules the job.
    write_seeds(seeds_dir / "b.toml", {"key": "soon", "url": url, "schedule": "every 6h"})
    service.wait_for_log("rescheduled soon: every 6h")
    assert service.stop() == 0
    assert stored_next_run(db, "soon") > time.time() + 5 * 3600


def test_sighup_reloads_at_once(tmp_path: Path, db_url: str, db: Database, schedulers) -> None:
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "page", "url": "http://127.0.0.1:9/a.html", "schedule": "every 1h"},
    )
    service = schedulers(seeds, db_url)
    service.wait_for_log("scheduler started")
    before = seeds.stat()
    write_seeds(seeds, {"key": "page", "url": "http://127.0.0.1:9/a.html", "schedule": "every 2h"})
    # Same mtime and size as before: the poll sees nothing, only SIGHUP makes it look.
    assert seeds.stat().st_size == before.st_size
    os.utime(seeds, ns=(before.st_atime_ns, before.st_mtime_ns))
    service.proc.send_signal(signal.SIGHUP)
    service.wait_for_log("rescheduled page: every 2h")
    assert service.stop() == 0


def test_on_postgresql_it_crawls_and_keeps_a_second_scheduler_out(
    tmp_path: Path,
    fixture_server: FixtureServer,
    postgres_url: str,
    schedulers,
) -> None:
    fixture_server.serve_file("/p4103.html", PAGE)
    seeds = write_seeds(
        tmp_path / "seeds.toml",
        {"key": "p4103", "url": fixture_server.url("/p4103.html"), "schedule": "every 2s"},
    )
    db = Database(postgres_url)
    try:
        first = schedulers(seeds, postgres_url, name="first")
        wait_until(lambda: finished_count(db) >= 2, 60, "two scheduled crawls")
        second = schedulers(seeds, postgres_url, name="second")
        assert second.proc.wait(timeout=60) == 1
        assert f"pid {first.proc.pid} on host {socket.gethostname()}" in second.log
        assert first.stop() == 0
        runs = crawls(db)
        assert "running" not in {c.status for c in runs}
        for before, after in itertools.pairwise(runs):
            assert after.started_at >= before.finished_at
        assert fetches(db)[0].outcome == "baseline"
        with db.session() as session:
            assert session.scalars(select(Lease)).all() == []
        assert stored_next_run(db, "p4103") is not None
    finally:
        db.dispose()
