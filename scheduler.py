"""`keika schedule`: the long-running service that decides when each seed page is crawled.

One APScheduler job per page, kept in the keika database (APScheduler's SQLAlchemyJobStore, its
own table) so that a restart neither loses a due run nor repeats one: missed runs are coalesced
into one catch-up run. The scheduler only decides *when*: a due page is put on the crawl queue
(crawler/queues.py; every page due at one moment goes in one batch, and a page still queued or
being crawled is not queued twice), and crawl workers (`keika worker`, crawler/worker.py) crawl
it. By default the scheduler starts and supervises one local worker on a queue in the same
database, restarting it if it dies and putting back what it held; with `--queue redis://…` any
number of workers on other machines share the work. Only one scheduler may serve a database at
a time: it holds the `scheduler` lease (storage/leases.py) and renews it while it runs. Seed
edits are picked up without a restart (file mtimes are polled; SIGHUP reloads at once); a bad
edit is logged and the current jobs stay. SIGTERM/SIGINT stop it within seconds: no new runs, the
local worker stops, a crawl still downloading is recorded as interrupted, the lease is released.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from apscheduler.triggers.base import BaseTrigger

from crawler.queues import WORKER_LEASE_TTL, queue_url
from keika.options import DbOption, SeedsOption
from pipeline.domain.controls import VisibleFormatter
from pipeline.domain.errors import KeikaError, SeedError
from pipeline.domain.kinds import CrawlStatus
from pipeline.domain.seed import SeedSet
from pipeline.schedules import SCHEDULE_HELP, crontab_weekdays, make_trigger
from pipeline.seeds import load_seeds as _load_seeds

__all__ = ["crontab_weekdays", "make_trigger", "plan_jobs", "run_line", "schedule"]

log = logging.getLogger("keika.scheduler")

LEASE_NAME = "scheduler"
LEASE_TTL = 30.0  # a dead scheduler's lease is free again after this long
LEASE_RENEW_EVERY = 5.0
SEEDS_POLL_EVERY = 2.0
DEFAULT_RUN_TIMEOUT = 600.0
STOP_BUDGET = 8.0  # seconds to wind a running crawl down after SIGTERM (systemd waits 15)
JOBS_TABLE = "apscheduler_jobs"
JOB_THREADS = 4  # the jobs only note that a page is due: a few threads are plenty
JOB_FUNCTION = "scheduler:run_page"  # what the job store records; see run_page
FLUSH_EVERY = 0.2  # seconds: pages that came due together are queued in one batch
WORKER_RESTART_MAX = 30.0  # seconds between restarts of a local worker that keeps dying
WORKER_STOPPED = "the worker crawling it stopped"
# Settings every local worker gets on top of crawler/settings.py.
SCHEDULED_WORKER_SETTINGS: dict[str, Any] = {"KEIKA_PROGRESS": False}


class SchedulerBusy(KeikaError):
    """Another scheduler holds this database's lease."""

    exit_code = 1


# --- schedules: pure (pipeline/schedules.py builds the triggers) ----------------------------


def load_seeds(path: Path | str) -> SeedSet:
    """`pipeline.seeds.load_seeds`, with a file that is not UTF-8 as a SeedError, not a crash."""
    try:
        return _load_seeds(path)
    except UnicodeDecodeError as exc:
        raise SeedError(
            f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); save the seed file as UTF-8"
        ) from exc


@dataclass(frozen=True, slots=True)
class PlannedJob:
    """One page's job as the seeds describe it."""

    key: str
    source: str
    schedule: str
    timezone: str
    trigger: BaseTrigger

    @property
    def name(self) -> str:
        # Stored with the job, and compared on reload: a changed name means a changed schedule.
        return f"{self.key}: {self.schedule} ({self.timezone})"


def plan_jobs(seedset: SeedSet) -> list[PlannedJob]:
    """A job per enabled page; every bad schedule is reported at once, each naming its page."""
    jobs, errors = [], []
    for seed in seedset.seeds:
        if not seed.enabled:
            continue
        try:
            trigger = make_trigger(seed.schedule, seed.timezone)
        except ValueError as exc:
            errors.append(
                f"{seed.source}:{seed.key}: bad schedule {seed.schedule!r} ({SCHEDULE_HELP}): {exc}"
            )
            continue
        jobs.append(PlannedJob(seed.key, seed.source, seed.schedule, seed.timezone, trigger))
    if errors:
        raise SeedError("\n".join(errors))
    return jobs


def run_line(page_key: str, report: Any) -> str:
    """The one log line a run leaves (the worker writes it): see crawler.queues.run_line."""
    from crawler.queues import run_line as line

    return line(page_key, report)


# --- what the jobs share inside one scheduler process ------------------------------------------


class _Runtime:
    """Process-wide state for the job function, which the job store can only call with its args."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._seedsets: dict[str, SeedSet] = {}
        self._due: list[tuple[str, str]] = []

    def remember_seeds(self, path: str, seedset: SeedSet) -> None:
        with self._lock:
            self._seedsets[path] = seedset

    def seeds(self, path: str) -> SeedSet:
        """The last seeds that loaded cleanly (a half-edited file keeps the old ones)."""
        with self._lock:
            known = self._seedsets.get(path)
        if known is not None:
            return known
        seedset = load_seeds(path)
        self.remember_seeds(path, seedset)
        return seedset

    def due(self, page_key: str, seeds_path: str) -> None:
        with self._lock:
            self._due.append((page_key, seeds_path))

    def take_due(self) -> list[tuple[str, str]]:
        with self._lock:
            due, self._due = self._due, []
        return due


RUNTIME = _Runtime()


def run_page(page_key: str, seeds_path: str, db_url: str) -> None:
    """The scheduled job: note that the page is due; the service queues what came due together.

    Module-level and importable by name, because the job store keeps a reference to it.
    """
    if not RUNTIME.stopping.is_set():
        RUNTIME.due(page_key, seeds_path)


# --- local workers ----------------------------------------------------------------------------


def _parent_death_signal() -> Any:
    """A function for the child to run before exec: SIGTERM when the scheduler dies, however it
    dies (Linux prctl PR_SET_PDEATHSIG). libc is loaded here, in the parent: the child only calls
    into it. None elsewhere (the worker also watches its parent pid)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG

    return preexec


class LocalWorker:
    """One `python -m crawler.worker` child the scheduler starts, watches and restarts."""

    def __init__(self, db_url: str, queue: str | None, lease: float, settings: dict[str, Any]):
        self.db_url = db_url
        self.queue = queue
        self.lease = lease
        self.settings = settings
        self.proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.next_start = 0.0

    @property
    def id(self) -> str | None:
        return f"{socket.gethostname()}:{self.proc.pid}" if self.proc else None

    def start(self) -> None:
        root = str(Path(__file__).resolve().parent)
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        command = [sys.executable, "-P", "-m", "crawler.worker", "--db", self.db_url]
        command += ["--queue", self.queue or "db", "--parent-pid", str(os.getpid())]
        command += ["--lease", str(self.lease), "--settings", json.dumps(self.settings)]
        self.proc = subprocess.Popen(
            command,
            env={**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1"},
            preexec_fn=_parent_death_signal(),
        )
        log.info("local worker started: pid %d", self.proc.pid)

    def died(self) -> int | None:
        """The exit code if the child has exited since it was started, else None."""
        if self.proc is None:
            return None
        return self.proc.poll()


def interrupt_released(db: Any, released: Sequence[Any], reason: str) -> list[str]:
    """Pages a lost worker held are back in the queue; close the crawls it left open."""
    from crawler.queues import seed_from_payload
    from pipeline.services.crawl import end_crawl
    from storage.queue import crawl_left_open

    closed = []
    for item in released:
        if item.previous_crawl is None:
            continue
        with db.session() as session:
            left_open = crawl_left_open(session, item.previous_crawl)
        if left_open:
            seed = seed_from_payload(item.payload)
            end_crawl(db, item.previous_crawl, [seed], CrawlStatus.INTERRUPTED, reason)
            closed.append(item.key)
    return closed


def _local_pid_gone(holder: str) -> bool:
    host, pid = _holder_parts(holder)
    if host != socket.gethostname() or pid is None or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


# --- the service ------------------------------------------------------------------------------


def lease_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _holder_parts(holder: str) -> tuple[str, int | None]:
    host, _, pid = holder.rpartition(":")
    return host, int(pid) if pid.isdigit() else None


def describe_holder(lease: Any) -> str:
    host, pid = _holder_parts(lease.holder)
    since = lease.acquired_at.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    return f"pid {pid} on host {host}, since {since}"


def _dead_local_holder(holder: str) -> str | None:
    """A holder on this host whose process is gone: its lease can be taken without waiting."""
    host, pid = _holder_parts(holder)
    if host != socket.gethostname() or pid is None or pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return holder
    except PermissionError:
        return None
    return None


def take_lease(db: Any, holder: str) -> None:
    """Hold the scheduler lease, or raise SchedulerBusy naming who holds it."""
    from storage.leases import acquire_lease

    with db.session() as session:
        attempt = acquire_lease(session, LEASE_NAME, holder, LEASE_TTL)
    if not attempt.acquired and attempt.lease is not None:
        dead = _dead_local_holder(attempt.lease.holder)
        if dead:
            with db.session() as session:
                attempt = acquire_lease(session, LEASE_NAME, holder, LEASE_TTL, take_over=dead)
    if not attempt.acquired:
        who = describe_holder(attempt.lease) if attempt.lease else "another process"
        raise SchedulerBusy(
            f"another scheduler is already running against {db.display_url}: {who}. "
            f"Stop it first (its lease expires {LEASE_TTL:g}s after it stops renewing)."
        )


def _jobstore(db: Any) -> Any:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    from storage.db import make_engine

    # An engine of its own: the scheduler disposes of it on shutdown.
    return SQLAlchemyJobStore(engine=make_engine(db.url), tablename=JOBS_TABLE)


def _seed_files_state(path: Path) -> tuple[tuple[str, int, int], ...]:
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    state = []
    for file in files:
        try:
            st = file.stat()
        except OSError:
            continue
        state.append((str(file), st.st_mtime_ns, st.st_size))
    return tuple(state)


class SchedulerService:
    """The foreground service: lease, job store, queue, local worker, seed watching, clean stop."""

    def __init__(
        self,
        db: Any,
        seeds_path: Path,
        *,
        run_timeout: float = DEFAULT_RUN_TIMEOUT,
        queue_url: str | None = None,
        workers: int = 1,
        worker_lease: float | None = None,
        worker_settings: dict[str, Any] | None = None,
    ):
        self.db = db
        self.seeds_path = seeds_path.resolve()
        self.run_timeout = run_timeout
        self.queue_url = queue_url
        self.worker_count = workers
        self.worker_lease = worker_lease
        self.worker_settings = dict(worker_settings or {})
        self.holder = lease_holder()
        self._stop_signal: str | None = None
        self._reload_requested = False
        self._scheduler: Any = None
        self.queue: Any = None
        self.workers: list[LocalWorker] = []
        self._skipped_logged: dict[str, float] = {}

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT (exit 0) or until the lease is lost (exit 1)."""
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        from crawler.queues import open_queue
        from storage.crawls import mark_interrupted
        from storage.leases import release_lease

        # The files' state before they are read: an edit made while the service starts (after
        # the read, before the first poll) is then a change, never missed.
        files = _seed_files_state(self.seeds_path)
        seedset = load_seeds(self.seeds_path)
        plan = plan_jobs(seedset)
        self.queue = open_queue(self.queue_url, self.db)
        take_lease(self.db, self.holder)
        RUNTIME.stopping.clear()
        RUNTIME.take_due()
        RUNTIME.remember_seeds(str(self.seeds_path), seedset)
        exit_code = 0
        previous = self._install_signal_handlers()
        try:
            self._release_dead_local_workers()
            with self.db.session() as session:
                stale = mark_interrupted(session)
            if stale:
                log.info("crawls left running by a stopped process marked interrupted: %s", stale)
            self._scheduler = BackgroundScheduler(
                jobstores={"default": _jobstore(self.db)},
                executors={"default": ThreadPoolExecutor(JOB_THREADS)},
                job_defaults={
                    "coalesce": True,  # runs missed while down: one catch-up run, not many
                    "max_instances": 1,
                    "misfire_grace_time": None,  # however late, a missed run still happens
                },
                timezone="UTC",
            )
            self._scheduler.start(paused=True)
            self._sync(plan)
            self.workers = [
                LocalWorker(
                    self.db.url,
                    self.queue_url,
                    self.worker_lease or WORKER_LEASE_TTL,
                    {**SCHEDULED_WORKER_SETTINGS, **self.worker_settings},
                )
                for _ in range(self.worker_count)
            ]
            for worker in self.workers:
                worker.start()
            self._scheduler.resume()
            log.info(
                "scheduler started: %d page(s) from %s, database %s, queue %s, "
                "%d local worker(s), holder %s",
                len(plan),
                self.seeds_path,
                self.db.display_url,
                self.queue.display,
                len(self.workers),
                self.holder,
            )
            self._log_next_runs()
            exit_code = self._serve(files)
        finally:
            self._stop()
            self._restore_signal_handlers(previous)
            try:
                with self.db.session() as session:
                    release_lease(session, LEASE_NAME, self.holder)
            except Exception as exc:  # it will expire on its own
                log.warning("could not release the lease: %s", exc)
            if self.queue is not None:
                self.queue.close()
        log.info("scheduler stopped")
        return exit_code

    def _serve(self, files: tuple[tuple[str, int, int], ...]) -> int:
        """The main loop; `files`: the seed files' state the jobs were planned from."""
        from storage.leases import renew_lease

        next_poll = time.monotonic() + SEEDS_POLL_EVERY
        next_renew = time.monotonic() + LEASE_RENEW_EVERY
        renewed_at = time.monotonic()
        while self._stop_signal is None:
            time.sleep(FLUSH_EVERY)
            self._flush_due()
            self._supervise()
            now = time.monotonic()
            if self._reload_requested or now >= next_poll:
                current = _seed_files_state(self.seeds_path)
                if self._reload_requested or current != files:
                    self._reload_requested = False
                    files = current
                    self.reload()
                next_poll = now + SEEDS_POLL_EVERY
            if now >= next_renew:
                next_renew = now + LEASE_RENEW_EVERY
                try:
                    with self.db.session() as session:
                        renewed = renew_lease(session, LEASE_NAME, self.holder, LEASE_TTL)
                    if not renewed:
                        log.error("lost the scheduler lease to another process; stopping")
                        return 1
                    renewed_at = now
                except Exception as exc:  # a database hiccup: retry until the lease would lapse
                    log.warning("could not renew the scheduler lease: %s", exc)
                    if now - renewed_at > LEASE_TTL - 2 * LEASE_RENEW_EVERY:
                        log.error("could not renew the scheduler lease in time; stopping")
                        return 1
        log.info("%s received: stopping", self._stop_signal)
        return 0

    def _flush_due(self) -> None:
        """Queue every page that came due since the last look, in one batch."""
        from crawler.queues import page_payload

        due = RUNTIME.take_due()
        if not due or RUNTIME.stopping.is_set():
            return
        payloads: dict[str, dict[str, Any]] = {}
        for key, path in due:
            try:
                seedset = RUNTIME.seeds(path)
                seed = seedset.get(key)
            except KeikaError as exc:
                log.error("%s: not queued: %s", key, exc)
                continue
            payloads[key] = page_payload(seed, seedset.contact, self.run_timeout)
        try:
            queued = set(self.queue.enqueue(payloads))
        except Exception as exc:  # the queue is down: the next firing tries again
            log.error("could not queue %d due page(s): %s", len(payloads), exc)
            return
        now = time.monotonic()
        for key in payloads:
            if key in queued:
                continue
            if now - self._skipped_logged.get(key, -600.0) >= 600.0:
                self._skipped_logged[key] = now
                log.warning("%s: due while still queued or being crawled; not queued twice", key)

    def _supervise(self) -> None:
        """A local worker that died: put back what it held, then start a new one (with backoff)."""
        now = time.monotonic()
        for worker in self.workers:
            code = worker.died()
            if code is None or RUNTIME.stopping.is_set():
                continue
            if worker.next_start == 0.0:
                log.error("local worker %s exited with %s; restarting it", worker.id, code)
                self._release_worker(worker.id)
                worker.next_start = now + min(WORKER_RESTART_MAX, 2.0**worker.restarts)
            elif now >= worker.next_start:
                worker.restarts += 1
                worker.next_start = 0.0
                worker.start()

    def _release_worker(self, worker_id: str | None) -> None:
        """Put a gone worker's pages back in the queue and close the crawls it left open."""
        if not worker_id:
            return
        try:
            released = self.queue.release(worker_id)
            closed = interrupt_released(self.db, released, WORKER_STOPPED)
        except Exception as exc:  # their leases run out on their own
            log.warning("could not put back the pages of worker %s: %s", worker_id, exc)
            return
        if released:
            log.info(
                "put back %d page(s) of worker %s (crawls closed as interrupted: %s)",
                len(released),
                worker_id,
                ", ".join(closed) or "none",
            )

    def _release_dead_local_workers(self) -> None:
        """Workers of a scheduler that was killed: on this host, their processes are gone."""
        try:
            holders = self.queue.holders()
        except Exception as exc:
            log.warning("could not look at the queue: %s", exc)
            return
        for holder in holders:
            if _local_pid_gone(holder):
                self._release_worker(holder)

    def reload(self) -> None:
        """Re-read the seeds and add, remove or reschedule jobs; a bad seed keeps the old jobs."""
        try:
            seedset = load_seeds(self.seeds_path)
            plan = plan_jobs(seedset)
        except Exception as exc:  # whatever the edit holds, the service and its jobs go on
            log.error("seeds not reloaded, the current jobs stay: %s", exc)
            return
        RUNTIME.remember_seeds(str(self.seeds_path), seedset)
        self._sync(plan)

    def _sync(self, plan: Sequence[PlannedJob]) -> None:
        scheduler = self._scheduler
        existing = {job.id: job for job in scheduler.get_jobs()}
        for planned in plan:
            args = (planned.key, str(self.seeds_path), self.db.url)
            job = existing.pop(planned.key, None)
            if job is None:
                scheduler.add_job(
                    JOB_FUNCTION,
                    trigger=planned.trigger,
                    id=planned.key,
                    name=planned.name,
                    args=args,
                    replace_existing=True,
                )
                log.info("scheduled %s", planned.name)
                continue
            if job.name != planned.name:
                scheduler.reschedule_job(planned.key, trigger=planned.trigger)
                scheduler.modify_job(planned.key, name=planned.name)
                log.info("rescheduled %s (was %s)", planned.name, job.name)
            if tuple(job.args) != args:
                scheduler.modify_job(planned.key, args=args)
        for key, job in existing.items():
            scheduler.remove_job(key)
            log.info("unscheduled %s (no longer an enabled page in the seeds)", job.name)

    def _log_next_runs(self) -> None:
        for job in self._scheduler.get_jobs():
            when = job.next_run_time
            zone = getattr(job.trigger, "timezone", None)
            shown = when.astimezone(zone).isoformat() if when and zone else str(when)
            log.info("next run of %s: %s", job.id, shown)

    def _stop(self) -> None:
        """No new runs; local workers stop (a crawl still downloading ends as interrupted)."""
        RUNTIME.stopping.set()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        running = [w.proc for w in self.workers if w.proc is not None and w.proc.poll() is None]
        for proc in running:
            with suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
        began = time.monotonic()
        while any(proc.poll() is None for proc in running):
            if time.monotonic() - began > STOP_BUDGET - 2:
                for proc in running:
                    with suppress(ProcessLookupError):
                        proc.kill()
                log.error("local worker(s) did not stop in time: killed")
                break
            time.sleep(0.1)
        for worker in self.workers:
            if worker.proc is not None:
                with suppress(Exception):
                    worker.proc.wait(timeout=2)
            if self.queue is not None:
                self._release_worker(worker.id)

    def _install_signal_handlers(self) -> dict[int, Any]:
        def stop(signum: int, _frame: Any) -> None:
            self._stop_signal = signal.Signals(signum).name

        def reload(_signum: int, _frame: Any) -> None:
            self._reload_requested = True

        previous = {}
        if threading.current_thread() is not threading.main_thread():
            return previous
        for sig, handler in ((signal.SIGTERM, stop), (signal.SIGINT, stop)):
            previous[sig] = signal.signal(sig, handler)
        if hasattr(signal, "SIGHUP"):
            previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, reload)
        return previous

    @staticmethod
    def _restore_signal_handlers(previous: dict[int, Any]) -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# --- --list -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JobListing:
    key: str
    schedule: str
    timezone: str
    next_run: datetime | None
    stored: bool  # next run as the service's job store has it (else: computed from now)


def list_jobs(db: Any, seeds_path: Path) -> tuple[list[JobListing], list[str]]:
    """Each page's job and next run, without starting anything; plus the bad schedules."""
    from apscheduler.schedulers.background import BackgroundScheduler

    seedset = load_seeds(seeds_path)
    store = _jobstore(db)
    store.start(BackgroundScheduler(timezone="UTC"), "default")
    listings, errors = [], []
    now = datetime.now(ZoneInfo("UTC"))
    try:
        for seed in seedset.seeds:
            if not seed.enabled:
                continue
            try:
                (planned,) = plan_jobs(SeedSet((seed,)))
            except SeedError as exc:
                errors.append(str(exc))
                continue
            job = store.lookup_job(seed.key)
            if job is not None and job.name == planned.name:
                listings.append(
                    JobListing(seed.key, seed.schedule, seed.timezone, job.next_run_time, True)
                )
            else:
                next_run = planned.trigger.get_next_fire_time(None, now)
                listings.append(JobListing(seed.key, seed.schedule, seed.timezone, next_run, False))
    finally:
        store.shutdown()
    return listings, errors


def _print_listing(db: Any, seeds: Path, queue: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    from storage.leases import current_lease
    from storage.models import utcnow

    out = Console(soft_wrap=True)
    listings, errors = list_jobs(db, seeds)
    table = Table("page", "schedule", "timezone", "next run")
    for item in listings:
        when = "-"
        if item.next_run is not None:
            local = item.next_run.astimezone(ZoneInfo(item.timezone))
            when = local.strftime("%Y-%m-%d %H:%M:%S %Z")
            if not item.stored:
                when += " (if started now)"
            elif item.next_run <= datetime.now(ZoneInfo("UTC")):
                when += " (overdue: runs at start)"
        table.add_row(item.key, item.schedule, item.timezone, when)
    out.print(table)
    with db.session() as session:
        lease = current_lease(session, LEASE_NAME)
    if lease is not None and lease.expires_at > utcnow():
        out.print(f"scheduler: running, {describe_holder(lease)}", highlight=False)
    else:
        out.print("scheduler: not running", highlight=False)
    _print_queue(out, db, queue)
    if errors:
        raise SeedError("\n".join(errors))


def _print_queue(out: Any, db: Any, queue: str | None) -> None:
    """The queue's depth and the workers' pages, as `keika workers` shows them in full."""
    from crawler.queues import open_queue
    from storage.queue import list_workers

    try:
        crawl_queue = open_queue(queue, db)
    except KeikaError as exc:
        out.print(f"queue: {exc}", highlight=False, markup=False)
        return
    try:
        stats = crawl_queue.stats()
    finally:
        crawl_queue.close()
    with db.session() as session:
        workers = list_workers(session)
    out.print(
        f"queue {crawl_queue.display}: {stats.depth} page(s) waiting; "
        f"{len(workers)} worker(s) (keika workers shows what each is crawling)",
        highlight=False,
        markup=False,
    )


# --- the command ------------------------------------------------------------------------------


class _OncePerJob(logging.Filter):
    """APScheduler warns at every slot skipped while a run is still going; once a job is enough."""

    def __init__(self, every: float = 600.0) -> None:
        super().__init__()
        self.every = every
        self._last: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if "maximum number of running instances reached" not in record.getMessage():
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        job = str(getattr(args[0], "id", args[0])) if args else ""
        now = time.monotonic()
        if now - self._last.get(job, -self.every) < self.every:
            return False
        self._last[job] = now
        return True


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(VisibleFormatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    # APScheduler's own "Running job"/"executed successfully" lines would double ours.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(_OncePerJob())
    logging.getLogger("alembic").setLevel(logging.WARNING)


def schedule(
    seeds: SeedsOption = Path("seeds"),
    list_jobs_only: Annotated[
        bool,
        typer.Option("--list", help="Show each page's job and next run time, then exit."),
    ] = False,
    run_timeout: Annotated[
        float,
        typer.Option(
            "--run-timeout",
            envvar="KEIKA_RUN_TIMEOUT",
            min=1,
            help="Seconds a scheduled crawl may take before it is cut off (pages: failed).",
        ),
    ] = DEFAULT_RUN_TIMEOUT,
    queue: Annotated[
        str | None,
        typer.Option(
            "--queue",
            help="Where due pages wait for workers: redis://HOST:PORT/DB[?prefix=NAME] "
            "(default: KEIKA_QUEUE, else a queue table in the database).",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=0,
            help="Local crawl workers to start and supervise (0: only `keika worker`s crawl).",
        ),
    ] = 1,
    db: DbOption = None,
) -> None:
    """Run the crawls on their schedules, in the foreground (one log line per run).

    Due pages go on a queue that crawl workers take them from: by default one local worker the
    scheduler starts itself, on a queue in the database. Edits to the seeds take effect without a
    restart (or at once on SIGHUP). SIGTERM or Ctrl-C stops it cleanly. Only one scheduler may
    run against a database; a second exits with 1.
    """
    from storage.db import Database

    database = Database(db)
    if list_jobs_only:
        _print_listing(database, seeds, queue_url(queue))
        return
    _configure_logging()
    service = SchedulerService(
        database, seeds, run_timeout=run_timeout, queue_url=queue_url(queue), workers=workers
    )
    raise typer.Exit(service.run())


def main() -> None:
    """`python scheduler.py ...`: the same command without the rest of the CLI."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command()(schedule)
    try:
        app()
    except KeikaError as exc:
        print(f"keika: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    # Run as the importable `scheduler` module, so the job store records `scheduler:run_page`
    # (not `__main__:run_page`) and the jobs share that module's RUNTIME.
    import scheduler

    scheduler.main()
