"""Item pipelines: where each FetchResult leaves Scrapy.

`IngestPipeline` hands results to keika's ingest stage (archive, parse, diff, notify queue).
`FetchLogPipeline` writes them as JSON lines — for looking at what a crawl fetched, and for
tests that run the crawl in a child process and read the results back.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler.ingest_worker import IngestProcess
from pipeline.domain.fetch import FetchResult
from pipeline.domain.seed import Seed
from pipeline.seeds import load_seeds
from pipeline.services.crawl import begin_crawl, end_crawl
from pipeline.services.ingest import ingest_fetch
from storage.db import Database

INGEST_PROCESS_MIN_PAGES = 50
# Ingest processes of a large crawl (each parses on its own; writes take turns under the lock).
# 2 measured no faster on 1,000 pages, on SQLite (writers wait in its busy handler) or PostgreSQL.
INGEST_PROCESSES = 1


def _reactor() -> Any:
    """The reactor Scrapy installed. Imported when used, not at module level: importing
    `twisted.internet.reactor` installs the default reactor if none is yet, and Scrapy (or a
    test's asyncio reactor) must choose first."""
    from twisted.internet import reactor

    return reactor


def result_to_json(result: FetchResult) -> dict[str, Any]:
    return {
        "key": result.key,
        "url": result.url,
        "started_at": result.started_at.isoformat(),
        "fetched_at": result.fetched_at.isoformat() if result.fetched_at else None,
        "final_url": result.final_url,
        "status": result.status,
        "headers": result.headers,
        "body": base64.b64encode(result.body).decode("ascii") if result.body is not None else None,
        "error": result.error,
    }


def result_from_json(data: dict[str, Any]) -> FetchResult:
    return FetchResult(
        key=data["key"],
        url=data["url"],
        started_at=datetime.fromisoformat(data["started_at"]),
        fetched_at=datetime.fromisoformat(data["fetched_at"]) if data["fetched_at"] else None,
        final_url=data["final_url"],
        status=data["status"],
        headers=dict(data["headers"]),
        body=base64.b64decode(data["body"]) if data["body"] is not None else None,
        error=data["error"],
    )


def read_fetch_log(path: Path | str) -> list[FetchResult]:
    """The FetchResults a FetchLogPipeline wrote, in the order they arrived."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [result_from_json(json.loads(line)) for line in lines if line.strip()]


class FetchLogPipeline:
    """Appends each FetchResult as one JSON line (body base64) to the KEIKA_FETCH_LOG file."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        path = crawler.settings.get("KEIKA_FETCH_LOG")
        if not path:
            raise NotConfigured("KEIKA_FETCH_LOG is not set")
        return cls(path)

    def open_spider(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("a", encoding="utf-8")

    def close_spider(self) -> None:
        self._file.close()

    def process_item(self, item: FetchResult) -> FetchResult:
        self._file.write(json.dumps(result_to_json(item), ensure_ascii=False) + "\n")
        self._file.flush()
        return item


class IngestPipeline:
    """Hands each FetchResult to `pipeline.services.ingest.ingest_fetch` inside one keika crawl.

    Reads KEIKA_DATABASE_URL, KEIKA_CRAWL_ID and KEIKA_SEEDS from the crawler settings (seeds
    may instead come from the spider's `seeds`). Without a crawl id it starts a crawl and
    finishes it when the spider closes; with one, the caller owns the crawl's lifetime.

    Ingest (parse, diff, commit) never runs on the reactor, so downloads go on while a page is
    stored, one page at a time. KEIKA_INGEST_PROCESS says where: "auto" (the default) uses a
    second process (`crawler.ingest_worker`, its own GIL; KEIKA_INGEST_PROCESSES of them, default
    INGEST_PROCESSES, each page always to the same one) when at least INGEST_PROCESS_MIN_PAGES
    pages have no validators (they will be parsed), and one worker thread otherwise (few pages,
    or mostly 304s), where starting a process would cost more than it saves; True or False
    force one or the other.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.db: Any = None
        self.crawl_id: int | None = None
        self.owns_crawl = False
        self.seeds: dict[str, Seed] = {}
        self.pool: ThreadPool | None = None
        self.workers: list[IngestProcess] = []
        self.waiting: list[dict[int, Deferred[Any]]] = []
        self.sent = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:

        spider = self.crawler.spider
        self.seeds = dict(getattr(spider, "seeds", None) or {})
        if not self.seeds and self.settings.get("KEIKA_SEEDS"):
            self.seeds = {s.key: s for s in load_seeds(self.settings.get("KEIKA_SEEDS")).seeds}
        if not self.seeds:
            spider.logger.error(
                "IngestPipeline has no seeds (pass seeds= to run_crawl or set KEIKA_SEEDS); "
                "no fetch of this crawl will be stored"
            )
        self.db = Database(self.settings.get("KEIKA_DATABASE_URL"))
        crawl_id = self.settings.get("KEIKA_CRAWL_ID")
        if crawl_id is None:
            trigger = self.settings.get("KEIKA_CRAWL_TRIGGER", "manual")
            self.crawl_id = begin_crawl(self.db, trigger)
            self.owns_crawl = True
        else:
            self.crawl_id = int(crawl_id)
        # Pages without validators will (most likely) be parsed; a 304 costs ingest little.
        to_parse = [
            t for t in getattr(spider, "targets", None) or () if not t.etag and not t.last_modified
        ]
        if self._use_process(len(to_parse)):
            count = max(1, self.settings.getint("KEIKA_INGEST_PROCESSES", INGEST_PROCESSES))
            for number in range(count):
                self.waiting.append({})
                self.workers.append(IngestProcess(self.db.url, self._answerer(number)))

    def _use_process(self, pages: int) -> bool:
        choice = self.settings.get("KEIKA_INGEST_PROCESS", "auto")
        if isinstance(choice, str) and choice.lower() == "auto":
            return pages >= INGEST_PROCESS_MIN_PAGES
        return self.settings.getbool("KEIKA_INGEST_PROCESS")

    def _answerer(self, number: int) -> Callable[[int, bool, Any], None]:
        """What worker `number`'s reader thread calls: the answer goes to the reactor."""

        def answer(seq: int, ok: bool, payload: Any) -> None:
            _reactor().callFromThread(self._answer, number, seq, ok, payload)

        return answer

    def _answer(self, number: int, seq: int, ok: bool, payload: Any) -> None:
        waiting = self.waiting[number]
        if seq < 0:  # the worker is gone: nothing it was sent will be answered now
            self.waiting[number] = {}
            for done in waiting.values():
                done.errback(RuntimeError(f"page not stored: {payload}"))
            return
        done = waiting.pop(seq, None)
        if done is None:
            return
        if ok:
            done.callback(payload)
        else:
            done.errback(RuntimeError(f"page not stored: {payload}"))

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.stop()  # waits for the page being stored
            self.pool = None
        for worker in self.workers:
            worker.close()  # every page sent is answered by now: Scrapy waited for them
        self.workers = []
        if self.db is None:
            return
        try:
            if self.owns_crawl and self.crawl_id is not None:
                end_crawl(self.db, self.crawl_id, ())  # the spider reports its own missing pages
        finally:
            self.db.dispose()

    async def process_item(self, item: FetchResult) -> FetchResult:
        seed = self.seeds.get(item.key)
        if seed is None:
            raise DropItem(f"page {item.key!r} is not in the seeds; its fetch was not stored")
        assert self.crawl_id is not None
        if self.workers:
            # One page always goes to the same worker, so its results are stored in order.
            number = zlib.crc32(item.key.encode("utf-8")) % len(self.workers)
            worker = self.workers[number]
            if not worker.alive:
                raise RuntimeError(f"page {item.key!r} not stored: the ingest process ended")
            self.sent += 1
            done: Deferred[Any] = Deferred()
            self.waiting[number][self.sent] = done
            worker.submit(self.sent, self.crawl_id, seed, item)
            await maybe_deferred_to_future(done)
            return item
        if self.pool is None:
            self.pool = ThreadPool(minthreads=1, maxthreads=1, name="keika-ingest")
            self.pool.start()
        stored = deferToThreadPool(
            _reactor(), self.pool, ingest_fetch, self.db, self.crawl_id, seed, item
        )
        await maybe_deferred_to_future(stored)
        return item
