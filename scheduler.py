"""`keika schedule`: the long-running service that crawls each seed page on its own schedule.

One APScheduler job per page, kept in the keika database (APScheduler's SQLAlchemyJobStore, its
own table) so that a restart neither loses a due run nor repeats one: missed runs are coalesced
into one catch-up run. Each run is `run_once` in a child process with a time limit, then the
pending notifications go out. Only one scheduler may serve a database at a time: it holds the
`scheduler` lease (storage/leases.py) and renews it while it runs. Seed edits are picked up
without a restart (file mtimes are polled; SIGHUP reloads at once). SIGTERM/SIGINT stop it within
seconds: no new runs, the running child crawl is terminated and recorded as interrupted, the
lease is released.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from keika.options import DbOption, SeedsOption
from pipeline.domain.errors import KeikaError, SeedError
from pipeline.domain.kinds import CrawlStatus
from pipeline.domain.seed import SeedSet
from pipeline.seeds import load_seeds

log = logging.getLogger("keika.scheduler")

LEASE_NAME = "scheduler"
LEASE_TTL = 30.0  # a dead scheduler's lease is free again after this long
LEASE_RENEW_EVERY = 5.0
SEEDS_POLL_EVERY = 2.0
DEFAULT_RUN_TIMEOUT = 600.0
STOP_BUDGET = 8.0  # seconds to wind a running crawl down after SIGTERM (systemd waits 15)
JOBS_TABLE = "apscheduler_jobs"
MAX_PARALLEL_CRAWLS = 4
JOB_FUNCTION = "scheduler:run_page"  # what the job store records; see run_page
# Settings every scheduled crawl gets: no progress bar in a service's log.
SCHEDULED_CRAWL_SETTINGS: dict[str, object] = {"KEIKA_PROGRESS": False}

EVERY_RE = re.compile(r"^every\s+(\d+)\s*([smhd])$", re.IGNORECASE)
EVERY_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class SchedulerBusy(KeikaError):
    """Another scheduler holds this database's lease."""

    exit_code = 1


# --- schedules: pure ---------------------------------------------------------------------------


def make_trigger(schedule: str, timezone: str) -> BaseTrigger:
    """A five-field cron expression in `timezone`, or `every N{s,m,h,d}`; ValueError otherwise."""
    every = EVERY_RE.match(schedule.strip())
    if every:
        amount, unit = int(every.group(1)), every.group(2).lower()
        if amount <= 0:
            raise ValueError("an interval must be at least 1")
        return IntervalTrigger(**{EVERY_UNITS[unit]: amount}, timezone=ZoneInfo(timezone))
    if schedule.strip().lower().startswith("every"):
        raise ValueError("expected 'every N' with s, m, h or d, e.g. 'every 30m'")
    fields = schedule.split()
    if len(fields) != 5:
        raise ValueError(f"a cron expression has 5 fields, this has {len(fields)}")
    minute, hour, day, month, weekdays = fields
    if day != "*" and weekdays != "*":
        # cron runs when either matches, APScheduler only when both do: refuse the ambiguity.
        raise ValueError("set day-of-month or day-of-week, not both")
    # Not CronTrigger.from_crontab: APScheduler 3 reads weekday numbers with 0 = Monday.
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=crontab_weekdays(weekdays),
        timezone=ZoneInfo(timezone),
    )


CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab: 0 (and 7) = Sunday


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field (0/7 = Sunday, names, lists, ranges, steps) as APScheduler
    3 day names, e.g. "1-5" -> "mon,tue,wed,thu,fri", "*/2" -> "sun,tue,thu,sat"."""

    def number(text: str) -> int:
        text = text.lower()
        if text in CRON_WEEKDAYS:
            return CRON_WEEKDAYS.index(text)
        if text.isdigit() and 0 <= int(text) <= 7:
            return int(text)
        raise ValueError(f"day of week {text!r}: expected 0-7 or sun..sat")

    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        if step_text and not (step_text.isdigit() and int(step_text) > 0):
            raise ValueError(f"day of week {part!r}: bad step")
        step = int(step_text) if step_text else 1
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            low, _, high = span.partition("-")
            first, last = number(low), number(high)
            if first > last:
                raise ValueError(f"day of week {part!r}: range runs backwards")
        else:
            first = number(span)
            last = 6 if step_text else first
        days.update(d % 7 for d in range(first, last + 1, step))
    if days == set(range(7)):
        return "*"
    monday_first = [*range(1, 7), 0]
    return ",".join(CRON_WEEKDAYS[d] for d in monday_first if d in days)


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
                f"{seed.source}:{seed.key}: bad schedule {seed.schedule!r} "
                f"(expected five-field cron like '0 6 * * *' or 'every 30m'): {exc}"
            )
            continue
        jobs.append(PlannedJob(seed.key, seed.source, seed.schedule, seed.timezone, trigger))
    if errors:
        raise SeedError("\n".join(errors))
    return jobs


def run_line(page_key: str, report: Any) -> str:
    """The one log line a scheduled run leaves: page, outcome, counts, crawl, duration."""
    row = next((r for r in report.rows if r.page == page_key), None)
    outcome = row.outcome if row else "no result"
    parts = [f"{page_key}: {outcome}"]
    if row and row.entry_count is not None:
        parts.append(f"{row.entry_count} entries")
    counts = ", ".join(f"{n} {k}" for k, n in (row.counts or {}).items() if n) if row else ""
    if counts:
        parts.append(counts)
    if row and row.error:
        parts.append(f"error: {row.error}")
    crawl = f"crawl {report.crawl_id}"
    if report.status != CrawlStatus.FINISHED:
        crawl += f" {report.status}"
    parts.append(crawl)
    parts.append(f"{report.seconds:.1f}s")
    return " | ".join(parts)


# --- what the jobs share inside one scheduler process ------------------------------------------


class _Runtime:
    """Process-wide state for the job function, which the job store can only call with its args."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.run_timeout = DEFAULT_RUN_TIMEOUT
        self.crawl_settings: dict[str, object] = dict(SCHEDULED_CRAWL_SETTINGS)
        self._lock = threading.Lock()
        self._seedsets: dict[str, SeedSet] = {}
        self._databases: dict[str, Any] = {}
        self._running: set[str] = set()

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

    def remember_database(self, db: Any) -> None:
        with self._lock:
            self._databases[db.url] = db

    def database(self, url: str):  # type: ignore[no-untyped-def]
        from storage.db import Database

        with self._lock:
            if url not in self._databases:
                self._databases[url] = Database(url)
            return self._databases[url]

    @contextmanager
    def running(self, key: str) -> Iterator[None]:
        with self._lock:
            self._running.add(key)
        try:
            yield
        finally:
            with self._lock:
                self._running.discard(key)

    def running_now(self) -> set[str]:
        with self._lock:
            return set(self._running)


RUNTIME = _Runtime()


def run_page(page_key: str, seeds_path: str, db_url: str) -> None:
    """The scheduled job: crawl one page in a child process, deliver notifications, log a line.

    Module-level and importable by name, because the job store keeps a reference to it.
    """
    from crawler.run import run_once

    if RUNTIME.stopping.is_set():
        return
    try:
        seedset = RUNTIME.seeds(seeds_path)
        seed = seedset.get(page_key)
    except KeikaError as exc:
        log.error("%s: not crawled: %s", page_key, exc)
        return
    try:
        with RUNTIME.running(page_key):
            db = RUNTIME.database(db_url)
            report = run_once(
                db,
                seedset,
                [seed],
                trigger="schedule",
                in_child=True,
                time_limit=RUNTIME.run_timeout,
                settings=RUNTIME.crawl_settings,
            )
            log.info("%s", run_line(page_key, report))
            if not RUNTIME.stopping.is_set():
                deliver_notifications(db)
    except Exception as exc:  # one bad run must not take the service down
        log.error("%s: run failed: %s", page_key, exc, exc_info=log.isEnabledFor(logging.DEBUG))


def deliver_notifications(db: Any) -> None:
    """Send what the crawl queued; a notification target that is down never fails the run."""
    from pipeline.services.notify import deliver_pending

    try:
        deliver_pending(db)
    except Exception as exc:
        log.error("delivering notifications failed: %s", exc)


# --- child crawls -----------------------------------------------------------------------------


def child_pids(parent: int | None = None) -> list[int]:
    """Processes whose parent is `parent` (default: this one), from /proc (Linux)."""
    parent = parent or os.getpid()
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces or parentheses.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == parent:
            found.append(int(entry.name))
    return found


def _signal_children(sig: int) -> int:
    sent = 0
    for pid in child_pids():
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
            sent += 1
    return sent


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
    """The foreground service: lease, job store, seed watching, signals, clean stop."""

    def __init__(self, db: Any, seeds_path: Path, *, run_timeout: float = DEFAULT_RUN_TIMEOUT):
        self.db = db
        self.seeds_path = seeds_path.resolve()
        self.run_timeout = run_timeout
        self.holder = lease_holder()
        self._stop_signal: str | None = None
        self._reload_requested = False
        self._scheduler: Any = None

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT (exit 0) or until the lease is lost (exit 1)."""
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        from storage.crawls import mark_interrupted
        from storage.leases import release_lease

        seedset = load_seeds(self.seeds_path)
        plan = plan_jobs(seedset)
        take_lease(self.db, self.holder)
        RUNTIME.stopping.clear()
        RUNTIME.run_timeout = self.run_timeout
        RUNTIME.remember_seeds(str(self.seeds_path), seedset)
        RUNTIME.remember_database(self.db)
        exit_code = 0
        previous = self._install_signal_handlers()
        try:
            with self.db.session() as session:
                stale = mark_interrupted(session)
            if stale:
                log.info("crawls left running by a stopped process marked interrupted: %s", stale)
            self._scheduler = BackgroundScheduler(
                jobstores={"default": _jobstore(self.db)},
                executors={"default": ThreadPoolExecutor(MAX_PARALLEL_CRAWLS)},
                job_defaults={
                    "coalesce": True,  # runs missed while down: one catch-up run, not many
                    "max_instances": 1,  # never two crawls of one page at once
                    "misfire_grace_time": None,  # however late, a missed run still happens
                },
                timezone="UTC",
            )
            self._scheduler.start(paused=True)
            self._sync(plan)
            self._scheduler.resume()
            log.info(
                "scheduler started: %d page(s) from %s, database %s, holder %s",
                len(plan),
                self.seeds_path,
                self.db.display_url,
                self.holder,
            )
            self._log_next_runs()
            exit_code = self._serve()
        finally:
            self._stop()
            self._restore_signal_handlers(previous)
            try:
                with self.db.session() as session:
                    release_lease(session, LEASE_NAME, self.holder)
            except Exception as exc:  # it will expire on its own
                log.warning("could not release the lease: %s", exc)
        log.info("scheduler stopped")
        return exit_code

    def _serve(self) -> int:
        from storage.leases import renew_lease

        files = _seed_files_state(self.seeds_path)
        next_poll = time.monotonic() + SEEDS_POLL_EVERY
        next_renew = time.monotonic() + LEASE_RENEW_EVERY
        renewed_at = time.monotonic()
        while self._stop_signal is None:
            time.sleep(0.2)
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

    def reload(self) -> None:
        """Re-read the seeds and add, remove or reschedule jobs; a bad seed keeps the old jobs."""
        try:
            seedset = load_seeds(self.seeds_path)
            plan = plan_jobs(seedset)
        except KeikaError as exc:
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
        """No new runs; a running child crawl is terminated, so its crawl ends as interrupted."""
        RUNTIME.stopping.set()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        began = time.monotonic()
        escalation = [(0.0, signal.SIGTERM), (2.5, signal.SIGTERM), (5.0, signal.SIGKILL)]
        while RUNTIME.running_now() and time.monotonic() - began < STOP_BUDGET:
            elapsed = time.monotonic() - began
            while escalation and elapsed >= escalation[0][0]:
                _, sig = escalation.pop(0)
                if _signal_children(sig):
                    log.info("sent %s to the running crawl", signal.Signals(sig).name)
            time.sleep(0.1)
        if RUNTIME.running_now():
            log.error(
                "crawl(s) still winding down after %gs: %s", STOP_BUDGET, RUNTIME.running_now()
            )

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


def _print_listing(db: Any, seeds: Path) -> None:
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
    if errors:
        raise SeedError("\n".join(errors))


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
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
    db: DbOption = None,
) -> None:
    """Run the crawls on their schedules, in the foreground (one log line per run).

    Edits to the seeds take effect without a restart (or at once on SIGHUP). SIGTERM or Ctrl-C
    stops it cleanly. Only one scheduler may run against a database; a second exits with 1.
    """
    from storage.db import Database

    database = Database(db)
    if list_jobs_only:
        _print_listing(database, seeds)
        return
    _configure_logging()
    code = SchedulerService(database, seeds, run_timeout=run_timeout).run()
    if RUNTIME.running_now():  # a crawl thread that would not finish must not hold the exit up
        logging.shutdown()
        os._exit(code)
    raise typer.Exit(code)


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
