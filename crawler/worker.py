"""`keika worker`: one long-lived Scrapy process that crawls the pages a queue hands it.

The scheduler only decides *when* a page is due and queues it (crawler/queues.py: the keika
database, or Redis for many machines); workers decide nothing, they crawl. Each page is crawled
with the same spider, middlewares and ingest as `keika crawl` (PagesSpider's request and result
handling, `pipeline.services.ingest.ingest_fetch`), in a crawl of its own (`begin_crawl` ..
`end_crawl`), and logged as one line. Because the Scrapy engine stays up, its per-site download
slots (2 at a time, >= 1 s apart) and the robots.txt cache hold across every page the worker
crawls; with Redis, `crawler.middlewares.SiteSlotMiddleware` extends the slots to all workers.

A page stays in the queue, leased to this worker, until it is stored: the worker renews the
lease while it crawls and acks the page afterwards. A worker killed mid-crawl stops renewing;
after the lease (the visibility timeout) another worker takes the page, first closing the crawl
the lost worker left open (the page is recorded failed for it, never silently dropped).
SIGTERM/SIGINT: no new pages; pages still downloading after a short grace are recorded as
interrupted and go back to the queue. With `--parent-pid` (a supervising `keika schedule`) the
worker also stops when that process dies.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.failure import Failure
from twisted.python.threadpool import ThreadPool

from crawler.queues import WORKER_LEASE_TTL, CrawlQueue, open_queue, run_line, seed_from_payload
from crawler.settings import user_agent
from crawler.spiders.pages import PagesSpider
from pipeline.domain.controls import VisibleFormatter
from pipeline.domain.fetch import CrawlTarget, FetchResult
from pipeline.domain.kinds import CrawlStatus
from pipeline.domain.seed import Seed
from pipeline.services.crawl import CrawlReport, crawl_targets, end_crawl
from pipeline.services.ingest import ingest_fetch
from storage import queue as dbq
from storage.crawls import start_crawl
from storage.db import Database

log = logging.getLogger("keika.worker")

LEASE_TTL = WORKER_LEASE_TTL  # the visibility timeout
CAPACITY = 32  # pages one worker holds at once (queued in its Scrapy slots or downloading)
POLL_EVERY = 0.2  # seconds between looks at an empty queue
STOP_GRACE = 2.0  # seconds downloads may finish after SIGTERM before they count as interrupted
DEFAULT_RUN_TIMEOUT = 600.0
JOB_KEY = "keika_job"
LOST_REASON = "the worker crawling it was lost"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(eq=False)
class Job:
    """One queued page this worker holds: its crawl, and when it must be done by."""

    key: str
    seed: Seed
    contact: str | None
    crawl_id: int
    time_limit: float | None
    began: float = field(default_factory=time.monotonic)
    target: CrawlTarget | None = None
    done: bool = False
    cutting: bool = False


class Worker:
    """The queue side of a worker: claiming, leases, storing results, stopping."""

    def __init__(
        self,
        db_url: str | None,
        queue_url: str | None,
        *,
        capacity: int = CAPACITY,
        lease_ttl: float = LEASE_TTL,
        settings: Mapping[str, Any] | None = None,
        parent_pid: int | None = None,
        notify: bool = True,
    ) -> None:
        self.db = Database(db_url)
        self.queue: CrawlQueue = open_queue(queue_url, self.db)
        self.queue_url = queue_url
        self.id = worker_id()
        self.capacity = capacity
        self.lease_ttl = lease_ttl
        self.settings = dict(settings or {})
        self.parent_pid = parent_pid
        self.notify = notify
        self.stopping = threading.Event()
        self.stop_began: float | None = None
        self._lock = threading.Lock()
        self.jobs: dict[str, Job] = {}
        self._results: dict[int, Job] = {}
        self._notify_wakeup = threading.Event()
        self.pool: ThreadPool | None = None  # the ingest thread, set by WorkerIngestPipeline

    # --- claiming ------------------------------------------------------------------------------

    def claim_jobs(self) -> list[Job]:
        """As many queued pages as there is room for, each in a crawl of its own."""
        with self._lock:
            free = self.capacity - len(self.jobs)
        if free <= 0 or self.stopping.is_set():
            return []
        claimed = self.queue.claim(self.id, free, self.lease_ttl)
        if not claimed:
            return []
        jobs: list[Job] = []
        seeds: dict[str, Seed] = {}
        for item in list(claimed):
            try:
                seeds[item.key] = seed_from_payload(item.payload)
            except (KeyError, TypeError, ValueError) as exc:  # not a page this keika can read
                log.error("%s: dropped from the queue, unreadable entry: %s", item.key, exc)
                self.queue.ack(self.id, item.key)
                claimed.remove(item)
        if not claimed:
            return []
        with self.db.session() as session:
            lost = [c for c in claimed if c.previous_crawl is not None]
            lost = [c for c in lost if dbq.crawl_left_open(session, c.previous_crawl)]
        for item in lost:  # a worker died holding this page: close what it left open
            end_crawl(
                self.db,
                item.previous_crawl,
                [seeds[item.key]],
                CrawlStatus.INTERRUPTED,
                LOST_REASON,
            )
        with self.db.session() as session:
            for item in claimed:
                payload = item.payload
                crawl_id = start_crawl(session, payload.get("trigger") or "schedule")
                limit = payload.get("run_timeout")
                jobs.append(
                    Job(
                        item.key,
                        seeds[item.key],
                        payload.get("contact"),
                        crawl_id,
                        float(limit) if limit else None,
                    )
                )
        for job in jobs:
            self.queue.set_crawl(self.id, job.key, job.crawl_id)
        targets = {t.key: t for t in crawl_targets(self.db, [j.seed for j in jobs])}
        with self._lock:
            for job in jobs:
                job.target = targets[job.key]
                self.jobs[job.key] = job
        return jobs

    def bind(self, result: FetchResult, job: Job) -> None:
        with self._lock:
            self._results[id(result)] = job

    def job_for(self, result: FetchResult) -> Job | None:
        with self._lock:
            return self._results.pop(id(result), None)

    # --- finishing (on the ingest thread) -------------------------------------------------------

    def store(self, job: Job, result: FetchResult) -> None:
        """Ingest the page's result, close its crawl, ack it, log its line."""
        if job.done:
            return  # cut off or interrupted meanwhile: its crawl is already closed
        try:
            ingest_fetch(self.db, job.crawl_id, job.seed, result)
            report = end_crawl(self.db, job.crawl_id, [job.seed])
        except Exception as exc:
            log.error("%s: storing the result failed: %s", job.key, exc)
            report = end_crawl(
                self.db, job.crawl_id, [job.seed], CrawlStatus.INTERRUPTED, f"not stored: {exc}"
            )
        self._finish(job, report)

    def cut_off(self, job: Job) -> None:
        """A page over its time limit: failed in an interrupted crawl, out of the queue."""
        if job.done:
            return
        reason = f"crawl cut off after {job.time_limit:g}s"
        self._finish(
            job, end_crawl(self.db, job.crawl_id, [job.seed], CrawlStatus.INTERRUPTED, reason)
        )

    def _finish(self, job: Job, report: CrawlReport, *, ack: bool = True) -> None:
        job.done = True
        if ack:
            self.queue.ack(self.id, job.key)
        with self._lock:
            if self.jobs.get(job.key) is job:
                del self.jobs[job.key]
        report = dataclasses.replace(report, seconds=time.monotonic() - job.began)
        log.info("%s", run_line(job.key, report))
        self._notify_wakeup.set()

    def interrupt_all(self, reason: str = "crawl interrupted") -> None:
        """Stopping: pages still in flight end interrupted and go back to the queue."""
        with self._lock:
            jobs = [j for j in self.jobs.values() if not j.done]
        for job in jobs:
            job.done = True
        if jobs:
            self.queue.release(self.id, [j.key for j in jobs])
        for job in jobs:
            report = end_crawl(self.db, job.crawl_id, [job.seed], CrawlStatus.INTERRUPTED, reason)
            self._finish(job, report, ack=False)

    # --- housekeeping thread -------------------------------------------------------------------

    def housekeeping(self) -> None:
        """Leases, heartbeat, time limits, parent watch, the stop grace; every 0.25 s."""
        next_renew = 0.0
        renew_every = max(0.5, self.lease_ttl / 4)
        while True:
            now = time.monotonic()
            if self.parent_pid and os.getppid() != self.parent_pid and not self.stopping.is_set():
                log.warning("the supervising process is gone; stopping")
                self.request_stop()
            with self._lock:
                jobs = [j for j in self.jobs.values() if not j.done]
            for job in jobs:
                overdue = job.time_limit and now - job.began > job.time_limit
                if overdue and not job.cutting and self.pool is not None:
                    job.cutting = True
                    self.pool.callInThread(self.cut_off, job)
            if now >= next_renew:
                next_renew = now + renew_every
                try:
                    self.queue.renew(self.id, self.lease_ttl, [j.key for j in jobs])
                    with self.db.session() as session:
                        dbq.heartbeat(
                            session, self.id, self.queue.kind, sorted(j.key for j in jobs)
                        )
                except Exception as exc:  # a hiccup: the lease outlives a few missed renewals
                    log.warning("could not renew the leases: %s", exc)
            if self.stop_began is not None and now - self.stop_began > STOP_GRACE:
                self._hard_stop()
            time.sleep(0.25)

    def notifier(self) -> None:
        """Send what the crawls queued; a notification target that is down never stops a crawl."""
        from pipeline.services.notify import deliver_pending

        while not self.stopping.is_set():
            self._notify_wakeup.wait(30)
            self._notify_wakeup.clear()
            if self.stopping.is_set():
                return
            try:
                deliver_pending(self.db)
            except Exception as exc:
                log.error("delivering notifications failed: %s", exc)

    def request_stop(self) -> None:
        if not self.stopping.is_set():
            self.stopping.set()
            self.stop_began = time.monotonic()
            self._notify_wakeup.set()

    def _hard_stop(self) -> None:
        """Downloads outlived the grace: record them interrupted, requeue them, exit."""
        try:
            self.interrupt_all()
            self.cleanup()
        finally:
            logging.shutdown()
            os._exit(0)

    def cleanup(self) -> None:
        with self._lock:
            left = [j.key for j in self.jobs.values()]
        if left:
            self.queue.release(self.id, left)
        with self.db.session() as session:
            dbq.forget_worker(session, self.id)

    # --- running -------------------------------------------------------------------------------

    def crawler_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "KEIKA_DATABASE_URL": self.db.url,
            "KEIKA_PROGRESS": False,
            "ITEM_PIPELINES": {"crawler.worker.WorkerIngestPipeline": 300},
        }
        if self.queue.kind == "redis" and self.queue_url:
            # Every worker shares the site slots in Redis: they are the politeness rule, and the
            # local slot must not add a second, uncoordinated delay after the shared one.
            settings.update(
                {
                    "KEIKA_SITE_SLOTS": self.queue_url,
                    "DOWNLOAD_DELAY": 0,
                    "AUTOTHROTTLE_ENABLED": False,
                }
            )
        settings.update(self.settings)
        return settings

    def run(self) -> int:
        from scrapy.crawler import CrawlerProcess

        from crawler.run import crawl_settings

        process = CrawlerProcess(crawl_settings(self.crawler_settings()))
        crawler = process.create_crawler(QueueSpider)
        process.crawl(crawler, worker=self)

        def on_signal(signum: int, _frame: Any) -> None:
            log.info("%s received: stopping", signal.Signals(signum).name)
            self.request_stop()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, on_signal)
        threading.Thread(target=self.housekeeping, name="keika-housekeeping", daemon=True).start()
        if self.notify:
            threading.Thread(target=self.notifier, name="keika-notify", daemon=True).start()
        log.info(
            "worker %s started: queue %s, database %s",
            self.id,
            self.queue.display,
            self.db.display_url,
        )
        try:
            process.start(install_signal_handlers=False)
        finally:
            self.interrupt_all()
            self.cleanup()
        log.info("worker %s stopped", self.id)
        return 0


class QueueSpider(PagesSpider):
    """PagesSpider whose targets come from the worker's queue for as long as it runs."""

    name = "keika-worker"

    def __init__(self, worker: Worker | None = None, **kwargs: Any) -> None:
        super().__init__(targets=[], **kwargs)
        if worker is None:
            raise ValueError("QueueSpider needs worker=")
        self.worker = worker

    async def start(self) -> AsyncIterator[Request]:
        worker = self.worker
        while not worker.stopping.is_set():
            try:
                jobs = await asyncio.to_thread(worker.claim_jobs)
            except Exception as exc:  # the database or Redis is down: try again shortly
                log.warning("could not take pages from the queue: %s", exc)
                jobs = []
                await asyncio.sleep(2)
            for job in jobs:
                yield self.request_for_job(job)
            if not jobs:
                await asyncio.sleep(POLL_EVERY)

    def request_for_job(self, job: Job) -> Request:
        assert job.target is not None
        request = self.request_for(job.target)
        request.meta[JOB_KEY] = job
        if job.time_limit:
            request.meta["download_timeout"] = min(job.target.timeout, job.time_limit + 5)
        if job.contact:
            request.headers.setdefault(b"User-Agent", user_agent(job.contact))
        return request

    def parse_page(self, response: Response) -> Iterable[FetchResult]:
        for result in super().parse_page(response):
            self.worker.bind(result, response.meta[JOB_KEY])
            yield result

    def fetch_failed(self, failure: Failure) -> Iterable[FetchResult]:
        job = failure.request.meta[JOB_KEY]  # type: ignore[attr-defined]
        for result in super().fetch_failed(failure):
            self.worker.bind(result, job)
            yield result


class WorkerIngestPipeline:
    """Each result to `Worker.store` (ingest, close the crawl, ack) on one ingest thread."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.worker: Worker | None = None
        self.pool: ThreadPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        self.worker = self.crawler.spider.worker
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="keika-ingest")
        self.pool.start()
        self.worker.pool = self.pool

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.stop()  # waits for the page being stored
            if self.worker is not None:
                self.worker.pool = None
            self.pool = None

    async def process_item(self, item: FetchResult) -> FetchResult:
        assert self.worker is not None and self.pool is not None
        # Imported here: importing the reactor at module level would install the default one
        # before Scrapy installs TWISTED_REACTOR.
        from twisted.internet import reactor

        job = self.worker.job_for(item)
        if job is None:
            return item
        done = deferToThreadPool(reactor, self.pool, self.worker.store, job, item)
        await maybe_deferred_to_future(done)
        return item


# --- the child entry point (`python -m crawler.worker`) ----------------------------------------


def configure_logging(level: str = "INFO") -> None:
    """keika's own lines at INFO on stderr; Scrapy logs through its root handler at LOG_LEVEL."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(VisibleFormatter("%(asctime)s %(levelname)s %(message)s"))
    keika = logging.getLogger("keika")
    keika.handlers[:] = [handler]
    keika.setLevel(level)
    keika.propagate = False
    logging.getLogger("alembic").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.worker")
    parser.add_argument("--db")
    parser.add_argument("--queue")
    parser.add_argument("--parent-pid", type=int)
    parser.add_argument("--lease", type=float, default=LEASE_TTL)
    parser.add_argument("--capacity", type=int, default=CAPACITY)
    parser.add_argument("--settings", default="{}", help="JSON: Scrapy settings to override")
    args = parser.parse_args(argv)
    configure_logging()
    worker = Worker(
        args.db,
        args.queue,
        capacity=args.capacity,
        lease_ttl=args.lease,
        settings=json.loads(args.settings),
        parent_pid=args.parent_pid,
    )
    return worker.run()


if __name__ == "__main__":
    sys.exit(main())
