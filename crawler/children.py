"""Processes a crawl starts (the crawl child, its ingest worker): what they inherit and how
they make sure never to outlive the process that started them. No Scrapy here: the ingest
worker imports this without paying for Scrapy.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

PARENT_ENV = "KEIKA_PARENT_PID"  # the process a child must not outlive
PARENT_POLL_SECONDS = 0.5
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Where this keika's packages are: a child imports from here, never from its working folder.
PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


def child_env() -> dict[str, str]:
    """The environment of a crawl child: this process as its parent, this keika on its path."""
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if PACKAGE_ROOT not in paths:
        paths.insert(0, PACKAGE_ROOT)
    return {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join(paths),
        PARENT_ENV: str(os.getpid()),
    }


def die_with_parent(parent: int) -> None:
    """Make sure this process ends when `parent` does (called first thing in a crawl child).

    SIGKILL, not SIGTERM: a graceful stop would let the pipelines commit pages after the parent
    has gone. PR_SET_PDEATHSIG covers Linux at once; the watcher thread covers the race before
    prctl and other systems (re-parenting changes our parent process id).
    """
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="keika-parent-watch", daemon=True).start()
