"""The `serve` command: loopback by default, a warning beyond it, the token from the environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from conftest import run_keika, wait_for_server

from keika.web.serve import exposure_warning, is_loopback
from storage.db import Database

# The command as `keika serve` will run it, until cli.py registers it.
RUN_SERVE = "import typer; from keika.web.serve import serve; typer.run(serve)"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("myhost.example", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_exposure_warning() -> None:
    assert exposure_warning("127.0.0.1", 8080, None) is None
    open_warning = exposure_warning("0.0.0.0", 8080, None)
    assert open_warning is not None
    assert open_warning.startswith("warning: serving on 0.0.0.0:8080, beyond this machine")
    assert "KEIKA_WEB_TOKEN" in open_warning
    with_token = exposure_warning("0.0.0.0", 8080, "t")
    assert with_token is not None and "KEIKA_WEB_TOKEN" not in with_token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(db_url: str, port: int, token: str | None = None) -> Iterator[subprocess.Popen[str]]:
    env = {k: v for k, v in os.environ.items() if k != "KEIKA_WEB_TOKEN"}
    if token:
        env["KEIKA_WEB_TOKEN"] = token
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_SERVE, "--port", str(port), "--db", db_url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_server(process, f"http://127.0.0.1:{port}/static/keika.css")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_answers_on_loopback_from_the_given_database(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'empty.db'}"
    Database(db_url).dispose()  # serve only reads: it refuses a database that does not exist
    port = free_port()
    with serving(db_url, port) as process:
        response = httpx.get(f"http://127.0.0.1:{port}/")
        assert response.status_code == 200
        assert "No pages yet" in response.text
        assert httpx.get(f"http://127.0.0.1:{port}/api/changes").json() == []
    stderr = process.stderr.read() if process.stderr else ""
    assert f"at http://127.0.0.1:{port}/" in stderr
    assert "warning" not in stderr


def test_serve_asks_for_the_token_from_the_environment(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'empty.db'}"
    Database(db_url).dispose()  # serve only reads: it refuses a database that does not exist
    port = free_port()
    with serving(db_url, port, token="from-env"):
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 401
        authorized = httpx.get(
            f"http://127.0.0.1:{port}/", headers={"Authorization": "Bearer from-env"}
        )
        assert authorized.status_code == 200


def test_a_port_in_use_is_one_line_before_serving_is_announced(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'empty.db'}"
    Database(db_url).dispose()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_keika("serve", "--port", str(port), "--db", db_url, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"keika: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def test_a_host_that_does_not_resolve_is_one_line(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'empty.db'}"
    Database(db_url).dispose()
    result = run_keika("serve", "--host", "256.1.1.1", "--port", "8080", "--db", db_url)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("warning: ")]
    assert len(errors) == 1 and errors[0].startswith("keika: cannot listen on 256.1.1.1:8080: ")
