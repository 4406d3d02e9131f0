"""The web tests run without deprecation warnings (issue 14 item 4)."""

from __future__ import annotations

import subprocess
import sys


def test_starlettes_test_client_imports_without_a_warning() -> None:
    # Starlette's TestClient wants httpx2; with only httpx it warns on import.
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import starlette.testclient"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
