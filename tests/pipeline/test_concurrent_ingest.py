"""Crawls of one page that overlap record exactly what one crawl at a time would (issue 11).

Real processes (`keika crawl`), a real server, a real SQLite file and the real PostgreSQL: the
page's lock, the stale rule and the snapshot deduplication are what make three crawls at once
agree with one at a time.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import FixtureServer, LoggedRequest, Reply, ingest_html
from sqlalchemy import func, select

from pipeline.domain.errors import InputError
from pipeline.domain.fetch import FetchResult
from pipeline.domain.seed import Seed
from pipeline.parse import parse_page
from pipeline.seeds import load_seeds
from pipeline.services.crawl import begin_crawl
from pipeline.services.ingest import accept_suspect, ingest_fetch, ingest_in_session
from storage.archive import store_snapshot_id
from storage.changes import current_entries
from storage.db import Database
from storage.models import ChangeEvent, Crawl, OutboxMessage, Snapshot
from storage.pages import lock_page

P4103 = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
TIMELINE = ("v1", "v2", "v3", "v1")
CRAWLS = 3
KEIKA = (sys.executable, "-m", "keika.cli")
SEED = Seed(key="p4103", url="http://127.0.0.1:9/p.html")


class GatedServer(FixtureServer):
    """Holds each answer for the page until all crawls of a step have asked for it, so the
    crawls fetch together and ingest at the same moment."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.gate = threading.Barrier(CRAWLS, timeout=60)

    def _next_reply(self, request: LoggedRequest) -> Reply:
        if request.path == self.path:
            # A crawl that never comes breaks the gate; the outcome checks then say so.
            with contextlib.suppress(threading.BrokenBarrierError):
                self.gate.wait()
        return super()._next_reply(request)


def write_seeds(path: Path, url: str) -> Path:
    path.write_text(
        '[defaults]\nschedule = "every 1h"\nnotify = ["json://127.0.0.1:9/digest"]\n\n'
        f'[[page]]\nkey = "p4103"\nurl = "{url}"\n',
        encoding="utf-8",
    )
    return path


def event_keys(db: Database) -> Counter[tuple[str, str | None, tuple[str, ...]]]:
    with db.session() as session:
        rows = session.execute(
            select(ChangeEvent.kind, ChangeEvent.date_text, ChangeEvent.fields)
        ).all()
    return Counter((kind, date_text, tuple(fields or ())) for kind, date_text, fields in rows)


def test_three_crawls_at_once_record_what_one_at_a_time_would(db_url: str, tmp_path) -> None:
    server = GatedServer("/p.html").start()
    try:
        seeds_path = write_seeds(tmp_path / "seeds.toml", server.url("/p.html"))
        seed = load_seeds(seeds_path).seeds[0]
        reference = Database(f"sqlite:///{tmp_path / 'one-at-a-time.db'}")
        db = Database(db_url)
        for version in TIMELINE:
            body = (P4103 / f"{version}.html").read_bytes()
            server.route("/p.html", Reply(body=body))
            server.gate.reset()
            crawls = [
                subprocess.Popen(
                    [*KEIKA, "crawl", "--seeds", str(seeds_path), "--db", db_url],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(CRAWLS)
            ]
            for crawl in crawls:
                out, err = crawl.communicate(timeout=300)
                assert crawl.returncode == 0, (version, out, err)
            ingest_html(reference, seed, body)
            assert event_keys(db) == event_keys(reference), version
        assert len(server.requests_for("/p.html")) == CRAWLS * len(TIMELINE)

        with db.session() as session:
            current = [e.record for e in current_entries(session, "p4103")]
            removed = Counter(
                session.scalars(
                    select(ChangeEvent.entry_id).where(ChangeEvent.kind == "removed")
                ).all()
            )
            digests = session.execute(
                select(OutboxMessage.digest_id, OutboxMessage.crawl_id).where(
                    OutboxMessage.kind == "digest"
                )
            ).all()
            snapshots = session.scalar(select(func.count()).select_from(Snapshot))
        page = parse_page((P4103 / "v1.html").read_bytes(), url=seed.url)
        assert current == [record.to_dict() for record in page.entries]
        assert removed and max(removed.values()) == 1
        # One digest per change (v1→v2, v2→v3, v3→v1), each with one id, from one crawl.
        assert len(digests) == len({d for d, _ in digests}) == 3
        assert snapshots == 3
        reference.dispose()
        db.dispose()
    finally:
        server.stop()


def fetched(seed: Seed, version: str, at: datetime) -> FetchResult:
    return FetchResult(
        key=seed.key,
        url=seed.url,
        started_at=at,
        fetched_at=at,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        body=(P4103 / f"{version}.html").read_bytes(),
    )


def test_a_result_fetched_before_the_last_compared_one_is_kept_but_not_compared(db) -> None:
    seed = SEED
    now = datetime.now(UTC)
    ingest_fetch(db, begin_crawl(db, "manual"), seed, fetched(seed, "v1", now))
    newer = ingest_fetch(db, begin_crawl(db, "manual"), seed, fetched(seed, "v2", now))
    assert newer.outcome == "changed"
    late = ingest_fetch(
        db, begin_crawl(db, "manual"), seed, fetched(seed, "v1", now - timedelta(seconds=5))
    )
    assert late.outcome == "stale"
    assert late.counts == {}
    with db.session() as session:
        assert len(current_entries(session, seed.key)) == 33  # still v2
        kinds = session.scalars(
            select(ChangeEvent.kind).where(ChangeEvent.fetch_id == late.fetch_id)
        ).all()
    assert kinds == []
    # A later fetch is compared with v2, the state the stale one did not touch.
    after = ingest_fetch(
        db, begin_crawl(db, "manual"), seed, fetched(seed, "v2", now + timedelta(seconds=5))
    )
    assert after.outcome == "unchanged"


def test_a_second_ingest_waits_for_the_page_and_diffs_what_the_first_committed(db) -> None:
    seed = SEED
    ingest_html(db, seed, (P4103 / "v1.html").read_bytes())
    now = datetime.now(UTC)
    first_crawl, second_crawl = begin_crawl(db, "manual"), begin_crawl(db, "manual")
    outcomes: list[str] = []
    with db.session(write=True) as session:
        lock_page(session, seed.key, seed.url, seed.timezone)

        def second() -> None:
            result = fetched(seed, "v2", now + timedelta(seconds=1))
            outcomes.append(ingest_fetch(db, second_crawl, seed, result).outcome)

        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(1.0)
        assert waiter.is_alive(), "the second ingest did not wait for the page's lock"
        first = ingest_in_session(session, first_crawl, seed, fetched(seed, "v2", now))
        assert first.outcome == "changed"
    waiter.join(60)
    assert outcomes == ["unchanged"]  # compared with the v2 the first one committed
    assert max(event_keys(db).values()) == 1  # each change of v1→v2 once, not twice
    assert Counter(kind for kind, _, _ in event_keys(db).elements())["added"] == 1


def test_two_crawls_storing_the_same_body_share_one_snapshot(db) -> None:
    body = (P4103 / "v3.html").read_bytes()
    ids: list[int] = []
    errors: list[BaseException] = []
    with db.session(write=True) as session:
        first = store_snapshot_id(session, body)

        def second() -> None:
            try:
                with db.session(write=True) as other:
                    ids.append(store_snapshot_id(other, body))
            except BaseException as exc:  # the failure the issue reports: UNIQUE constraint
                errors.append(exc)

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
    thread.join(60)
    assert errors == []
    assert ids == [first]


def test_accept_never_overwrites_a_crawl_that_lands_while_it_waits(db) -> None:
    """`keika accept` beside a crawl of the same page: the crawl holds the page's lock and
    brings the page back; the accept, waiting for the lock, then finds its suspect fetch no
    longer the latest and writes nothing."""
    seed = SEED
    ingest_html(db, seed, (P4103 / "v2.html").read_bytes())
    assert ingest_html(db, seed, (P4103 / "maintenance.html").read_bytes()).outcome == "suspect"
    errors: list[BaseException] = []
    crawl = begin_crawl(db, "manual")
    with db.session(write=True) as session:
        lock_page(session, seed.key, seed.url, seed.timezone)

        def accept() -> None:
            try:
                accept_suspect(db, seed)
            except InputError as exc:
                errors.append(exc)

        waiter = threading.Thread(target=accept)
        waiter.start()
        waiter.join(1.0)
        assert waiter.is_alive(), "accept did not wait for the page's lock"
        back = ingest_in_session(session, crawl, seed, fetched(seed, "v2", datetime.now(UTC)))
        assert back.outcome == "unchanged"
    waiter.join(60)
    assert len(errors) == 1, errors
    assert "not suspect" in str(errors[0]) or "crawled again meanwhile" in str(errors[0])
    assert event_keys(db) == Counter()  # no removal of 33 entries, ever
    with db.session() as session:
        assert len(current_entries(session, seed.key)) == 33
        assert session.scalar(select(func.count()).select_from(Crawl)) == 3  # none for accept
