"""The outbox's cost per message, against sending the same messages straight through Apprise.

Run: .venv/bin/python bench/bench_notify.py [--messages 200]

Starts a JSON webhook on 127.0.0.1, then in the same run (a) sends N messages with one Apprise
object each, directly (the baseline: what delivery costs without keika), and (b) queues N outbox
rows in a fresh SQLite file and delivers them with `deliver_pending` (claim, send, mark per row).
Prints messages per second for both and the ratio (b)/(a) in time per message.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from notify_receivers import WebhookReceiver

from pipeline.services.notify import deliver_pending, send_message
from storage.db import Database
from storage.outbox import queue_message


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    n = parser.parse_args().messages
    webhook = WebhookReceiver().start()
    try:
        began = time.perf_counter()
        for i in range(n):
            ok = send_message(
                webhook.url("/direct"),
                subject=f"direct {i}",
                body_text="本渓市との交流経過: 1 added",
                body_html=None,
                digest_id=f"direct-{i}",
            )
            assert ok
        direct = time.perf_counter() - began

        db = Database(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
        with db.session() as session:
            for i in range(n):
                queue_message(
                    session,
                    digest_id=f"outbox-{i}",
                    kind="digest",
                    subject=f"outbox {i}",
                    body_text="本渓市との交流経過: 1 added",
                    body_html=None,
                    targets=[webhook.url("/outbox")],
                )
        began = time.perf_counter()
        report = deliver_pending(db)
        outbox = time.perf_counter() - began
        assert report.sent == n and report.ok, report
    finally:
        webhook.stop()
    assert len(webhook.posts) == 2 * n
    print(f"messages: {n}")
    print(f"direct Apprise : {n / direct:8.1f} msg/s  ({direct / n * 1000:.2f} ms each)")
    print(f"outbox delivery: {n / outbox:8.1f} msg/s  ({outbox / n * 1000:.2f} ms each)")
    print(f"ratio outbox/direct (time per message): {outbox / direct:.2f}")


if __name__ == "__main__":
    main()
