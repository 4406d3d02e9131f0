"""Bad seed edits never take the scheduler down, and every command validates schedules alike.

A running scheduler logs a bad edit and keeps its jobs; at start-up a bad seed file is a
one-line error with exit 2 (which systemd does not restart), never a traceback.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from conftest import run_keika
from test_scheduler import schedulers, wait_until  # noqa: F401 (fixture)

from storage.db import Database

GOOD = '[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p.html"\nschedule = "every 1h"\n'
SHIFT_JIS = (
    '[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p.html"\nschedule = "every 1h"\n'
    'name = "本渓市との交流経過"\n'
).encode("shift_jis")
OVERFLOW = '[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p.html"\nschedule = "every 999999999d"\n'
NEVER = '[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p.html"\nschedule = "0 6 31 2 *"\n'
BAD_CRON = '[[page]]\nkey = "p"\nurl = "http://127.0.0.1:9/p.html"\nschedule = "61 * * * *"\n'


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'keika.db'}"
    Database(url).dispose()
    return url


def test_bad_edits_of_a_running_scheduler_are_logged_and_the_jobs_stay(
    tmp_path: Path,
    db_url: str,
    schedulers,  # noqa: F811
) -> None:
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(GOOD, encoding="utf-8")
    service = schedulers(seeds, db_url)
    service.wait_for_log("scheduler started")
    for n, bad in enumerate((SHIFT_JIS, OVERFLOW.encode(), NEVER.encode()), start=1):
        seeds.write_bytes(bad)
        service.proc.send_signal(signal.SIGHUP)
        wait_until(
            lambda n=n: service.log.count("seeds not reloaded, the current jobs stay") >= n,
            30,
            "the bad edit to be logged",
        )
        assert service.proc.poll() is None, service.log
    assert "Traceback" not in service.log
    assert "not UTF-8" in service.log
    assert service.stop() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (SHIFT_JIS, "not UTF-8"),
        (OVERFLOW.encode(), "bad schedule 'every 999999999d'"),
        (NEVER.encode(), "never runs"),
    ],
)
def test_a_bad_seed_file_at_start_up_exits_2_without_a_traceback(
    tmp_path: Path, db_url: str, content: bytes, message: str
) -> None:
    seeds = tmp_path / "seeds.toml"
    seeds.write_bytes(content)
    result = run_keika("schedule", "--seeds", str(seeds), "--db", db_url, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("command", [["crawl"]])
def test_every_command_refuses_a_bad_schedule(
    tmp_path: Path, db_url: str, command: list[str]
) -> None:
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(BAD_CRON, encoding="utf-8")
    result = run_keika(*command, "--seeds", str(seeds), "--db", db_url, timeout=120)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert f"{seeds}:4: page 'p': bad schedule '61 * * * *'" in result.stderr
