"""Ingest in a second process, so parsing and storing pages does not share the GIL with the
reactor that downloads them.

`IngestProcess` (the crawl's side) starts `python -P -m crawler.ingest_worker`, hands it
`(seq, crawl_id, Seed, FetchResult)` messages through a writer thread, and a reader thread
turns the worker's `(seq, ok, outcome or error)` answers back into the crawl's Deferreds. The
worker ingests one message at a time with `ingest_fetch` (one transaction per page, as in the
crawl process) and dies with the crawl process (`crawler.run.die_with_parent`).

Messages are pickled: both ends are this keika, on one machine, through a private pipe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, BinaryIO

from pipeline.domain.fetch import FetchResult
from pipeline.domain.seed import Seed

_STOP = object()

Answer = Callable[[int, bool, Any], None]


class IngestProcess:
    """The crawl's handle on its ingest worker: `submit` sends, `answer` is called per page
    (from the reader thread), `close` waits until every page sent has been answered."""

    def __init__(self, db_url: str, answer: Answer) -> None:
        from crawler.children import child_env

        self.answer = answer
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "crawler.ingest_worker", db_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_env(),
        )
        self.outbox: queue.Queue[object] = queue.Queue()
        self.alive = True
        self._writer = threading.Thread(target=self._write, name="keika-ingest-send", daemon=True)
        self._reader = threading.Thread(target=self._read, name="keika-ingest-read", daemon=True)
        self._writer.start()
        self._reader.start()

    def submit(self, seq: int, crawl_id: int, seed: Seed, result: FetchResult) -> None:
        self.outbox.put((seq, crawl_id, seed, result))

    def _write(self) -> None:
        pipe = self.process.stdin
        assert pipe is not None
        try:
            while (message := self.outbox.get()) is not _STOP:
                pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.flush()
        except (BrokenPipeError, OSError):
            pass  # the worker died: the reader fails what it never answered
        finally:
            with contextlib.suppress(OSError):
                pipe.close()

    def _read(self) -> None:
        pipe = self.process.stdout
        assert pipe is not None
        try:
            while True:
                seq, ok, payload = pickle.load(pipe)
                self.answer(seq, ok, payload)
        except (EOFError, OSError, pickle.UnpicklingError):
            pass
        finally:
            self.alive = False
            self.answer(-1, False, "the ingest process ended")

    def close(self) -> int:
        """Stop after the pages already sent; the worker's exit code."""
        self.outbox.put(_STOP)
        self._writer.join()
        code = self.process.wait()
        self._reader.join()
        return code


def serve(db_url: str, inbox: BinaryIO, outbox: BinaryIO) -> None:
    """Ingest each message from `inbox` and answer it on `outbox`, until `inbox` ends."""
    from pipeline.services.ingest import ingest_fetch
    from storage.db import Database

    db = Database(db_url)
    try:
        while True:
            try:
                seq, crawl_id, seed, result = pickle.load(inbox)
            except EOFError:
                return
            try:
                answer: tuple[int, bool, Any] = (
                    seq,
                    True,
                    ingest_fetch(db, crawl_id, seed, result),
                )
            except Exception as exc:  # reported to the crawl, which logs it for this page
                answer = (seq, False, f"{type(exc).__name__}: {exc}")
            pickle.dump(answer, outbox, protocol=pickle.HIGHEST_PROTOCOL)
            outbox.flush()
    finally:
        db.dispose()


def main() -> int:
    from crawler.children import PARENT_ENV, die_with_parent

    parent = os.environ.get(PARENT_ENV)
    if parent:
        die_with_parent(int(parent))
    # Ctrl-C reaches the whole process group: the crawl decides when to stop, then closes stdin
    # and this worker stores what it was sent before it ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol owns stdout: anything printed by accident goes to stderr instead.
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.argv[1], sys.stdin.buffer, outbox)
    return 0


if __name__ == "__main__":
    sys.exit(main())
