"""`keika info` prints where the data lives, never the database password."""

from __future__ import annotations

from pathlib import Path

from conftest import run_keika
from sqlalchemy.engine import make_url


def test_info_masks_the_postgresql_password(postgres_url: str, tmp_path: Path) -> None:
    # The test server trusts local connections, so any password connects; it must not be shown.
    url = make_url(postgres_url).set(password="pg-s3cret-pw").render_as_string(hide_password=False)
    assert run_keika("db", "upgrade", "--db", url).returncode == 0
    result = run_keika("info", "--db", url, "--seeds", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "pg-s3cret-pw" not in result.stdout + result.stderr
    assert ":***@127.0.0.1" in result.stdout
