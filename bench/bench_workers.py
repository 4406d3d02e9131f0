"""How `keika worker` scales: 1, 2 and 4 worker processes on one Redis queue and one PostgreSQL.

Run: .venv/bin/python bench/bench_workers.py [--workers 1,2,4] [--pages 1000] [--sites 20]
     [--rounds 2] [--mode polite,fast]
Needs KEIKA_TEST_POSTGRES_URL (a server where a database may be created) and
KEIKA_TEST_REDIS_URL; the Makefile sets both to the machine's own.

The pages are variants of tests/fixtures/oyama/P-4103/v2.html (bench_crawl.py's), served from
memory by one asyncio server that listens on 127.0.0.1 … 127.0.0.<sites>: keika's politeness is
keyed by host name, so each loopback address is a site of its own. Page n is on site n % sites
and its key is `pNNNN`: the Redis queue hands out pages of one batch in key order, so the sites
are interleaved in the queue as a scheduler's batch of many sites would be.

Each round, for each worker count N: a fresh PostgreSQL database (created, migrated with
`keika db upgrade` before the clock — a deployed database exists already — and dropped after)
and a fresh Redis key prefix. The clock starts, every page is pushed in one batch with the
queue's own `enqueue` and `page_payload` (what `keika schedule --queue` does), N
`keika worker --queue redis://… --db postgresql://…` processes start, and the clock stops when
every page has a fetch row. Worker start-up is inside the time. The worker counts run in
interleaved rounds with the order rotated each round; medians are reported.

Two figures, each with its own baseline (N = 1 in the same mode and run):
  polite — keika's real politeness (per site: 2 at once, >= 1.1 s between starts with jitter
           above, shared by all workers through Redis). 50 pages a site take >= 55 s whatever N
           is, so this figure is bounded by the sites, not by the workers.
  fast   — the same with the delay floor at 0 (`--set KEIKA_DELAY_FLOOR=0`, jitter 0): still
           2 in flight per site, but no gap between starts. This measures the workers' own
           scaling (fetch, parse, ingest into PostgreSQL per page).
Also per measurement: when the first fetch row appeared (start-up), the workers' CPU per page
(whole processes, start-up included) and how busy the whole machine was (/proc/stat) — on a
small machine PostgreSQL, Redis, this server and the workers share the cores.

Measured 2026-12-01 on the 2-core dev machine (shared with other work), medians of 2 rounds:
  polite 13.6 / 13.3 / 12.5 pages/s for 1 / 2 / 4 workers (1.00 / 0.98 / 0.92x): the 20 sites'
         politeness (~14.5 pages/s at the 1.375 s mean gap) is the limit; each extra worker
         adds one robots.txt per site through the shared slot.
  fast   54.2 / 61.4 / 54.4 pages/s (1.00 / 1.13 / 1.01x), worker CPU 14 / 20 / 26 ms a page,
         machine 81 / 92 / 99 % busy: CPU-bound at 2 workers (aim 1.6x not met here).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench_crawl import ROOT, PageServer, _PageProtocol, page_variants, tree_env

FAST = ["--set", "KEIKA_DELAY_FLOOR=0", "--set", "KEIKA_DELAY_JITTER_ABOVE=0"]


class SitesServer(PageServer):
    """bench_crawl's page server, listening on 127.0.0.1 … 127.0.0.<sites> (one port each)."""

    def __init__(self, pages: list[bytes], sites: int) -> None:
        self.sites = sites
        self.ports: list[int] = []
        super().__init__(pages)

    def _serve(self, ready: Any) -> None:
        asyncio.set_event_loop(self.loop)
        for site in range(self.sites):
            server = self.loop.run_until_complete(
                self.loop.create_server(lambda: _PageProtocol(self), f"127.0.0.{site + 1}", 0)
            )
            self.ports.append(server.sockets[0].getsockname()[1])
        self.port = self.ports[0]
        ready.set()
        self.loop.run_forever()

    def site_url(self, number: int) -> str:
        site = number % self.sites
        return f"http://127.0.0.{site + 1}:{self.ports[site]}/p/{number}.html"


# --- PostgreSQL and Redis --------------------------------------------------------------------


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


class FreshDatabase:
    """A database of its own on KEIKA_TEST_POSTGRES_URL's server, dropped on exit."""

    def __init__(self, server_url: str) -> None:
        import psycopg

        self.admin = psycopg.connect(_libpq(server_url), autocommit=True)
        self.name = f"keika_bench_{uuid.uuid4().hex[:12]}"
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        base, _, _old = _libpq(server_url).rpartition("/")
        self.url = f"{base}/{self.name}"
        self.poller: Any = None

    def fetches(self) -> int:
        """Pages with a fetch row, on one connection kept open (a new one a poll forks a
        PostgreSQL backend each time: CPU the workers would miss)."""
        import psycopg

        if self.poller is None:
            self.poller = psycopg.connect(self.url, autocommit=True)
        row = self.poller.execute("SELECT count(DISTINCT page_id) FROM fetches").fetchone()
        return row[0] if row else 0

    def outcomes(self) -> dict[str, int]:
        import psycopg

        with psycopg.connect(self.url) as conn:
            rows = conn.execute("SELECT outcome, count(*) FROM fetches GROUP BY outcome")
            return {outcome: count for outcome, count in rows}

    def drop(self) -> None:
        if self.poller is not None:
            self.poller.close()
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.close()


def redis_prefix_url(redis_url: str) -> tuple[str, str]:
    prefix = f"keika-bench-{uuid.uuid4().hex[:10]}"
    sep = "&" if "?" in redis_url else "?"
    return f"{redis_url}{sep}prefix={prefix}", prefix


def clear_prefix(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


# --- one measurement -------------------------------------------------------------------------


KEIKA = [sys.executable, "-m", "keika.cli"]


def machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat (Linux)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0, 0.0
    ticks = [int(f) for f in fields[:8]]
    hz = os.sysconf("SC_CLK_TCK")
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / hz, sum(ticks) / hz


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_round(
    server: SitesServer,
    pages: int,
    workers: int,
    fast: bool,
    folder: Path,
    tree: Path,
    timeout: float,
) -> dict[str, Any]:
    from crawler.queues import page_payload
    from crawler.redis_queue import RedisQueue
    from pipeline.domain.seed import Seed

    redis_url = os.environ["KEIKA_TEST_REDIS_URL"]
    queue_url, prefix = redis_prefix_url(redis_url)
    db = FreshDatabase(os.environ["KEIKA_TEST_POSTGRES_URL"])
    env = tree_env(tree)
    procs: list[subprocess.Popen[bytes]] = []
    cpu_before = 0.0
    logs = []
    try:
        subprocess.run(
            [*KEIKA, "db", "upgrade", "--db", db.url],
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        payloads = {
            f"p{n:04d}": page_payload(Seed(key=f"p{n:04d}", url=server.site_url(n)), None, None)
            for n in range(pages)
        }
        queue = RedisQueue(queue_url)
        command = [*KEIKA, "worker", "--queue", queue_url, "--db", db.url]
        command += FAST if fast else []
        cpu_before, busy_before = children_cpu(), machine_cpu()
        began = time.monotonic()
        queued = queue.enqueue(payloads)
        for number in range(workers):
            log = open(folder / f"worker-{prefix}-{number}.log", "wb")  # noqa: SIM115
            logs.append(log)
            procs.append(subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=log))
        first = None
        while True:
            done = db.fetches()
            now = time.monotonic()
            if done and first is None:
                first = now - began
            if done >= pages:
                break
            if now - began > timeout:
                raise SystemExit(f"{workers} worker(s): only {done}/{pages} pages in {timeout}s")
            for proc in procs:
                if proc.poll() is not None:
                    log_text = (folder / f"worker-{prefix}-0.log").read_text(errors="replace")
                    raise SystemExit(f"a worker exited ({proc.returncode}):\n{log_text[-3000:]}")
            time.sleep(0.05)
        seconds = time.monotonic() - began
        busy_after = machine_cpu()
        queue.close()
        outcomes = db.outcomes()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        worker_cpu = children_cpu() - cpu_before  # the workers, once waited for
        for log in logs:
            log.close()
        db.drop()
        clear_prefix(redis_url, prefix)
    return {
        "seconds": seconds,
        "first": first,
        "queued": len(queued),
        "outcomes": outcomes,
        "worker_cpu_ms": worker_cpu / pages * 1000,
        "busy": (busy_after[0] - busy_before[0]) / max(busy_after[1] - busy_before[1], 1e-9),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (medians)")
    parser.add_argument(
        "--mode", default="polite,fast", help="polite (keika's delays), fast (floor 0), or both"
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per measurement")
    args = parser.parse_args()
    missing = [
        name
        for name in ("KEIKA_TEST_POSTGRES_URL", "KEIKA_TEST_REDIS_URL")
        if not os.environ.get(name)
    ]
    if missing:
        raise SystemExit(f"bench_workers needs {' and '.join(missing)} (the Makefile sets them)")
    counts = [int(n) for n in args.workers.split(",")]
    modes = [m.strip() for m in args.mode.split(",")]
    if not set(modes) <= {"polite", "fast"}:
        raise SystemExit("--mode: polite, fast or polite,fast")
    server = SitesServer(page_variants(args.pages), args.sites)
    print(
        f"{args.pages} pages on {args.sites} sites (127.0.0.1-{args.sites}, "
        f"{args.pages // args.sites} pages each), workers {counts}, {args.rounds} rounds, "
        f"{os.cpu_count()} cores, Redis {os.environ['KEIKA_TEST_REDIS_URL']}"
    )
    kinds = [(mode, n) for mode in modes for n in counts]
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for number in range(args.rounds):
            order = kinds[number % len(kinds) :] + kinds[: number % len(kinds)]
            for mode, n in order:
                result = run_round(
                    server, args.pages, n, mode == "fast", folder, ROOT, args.timeout
                )
                runs[(mode, n)].append(result)
                print(
                    f"  round {number + 1} {mode:<6} {n} worker(s): {result['seconds']:.1f}s, "
                    f"{args.pages / result['seconds']:.1f} pages/s, first fetch stored at "
                    f"{result['first']:.1f}s, worker CPU {result['worker_cpu_ms']:.1f} ms/page, "
                    f"machine CPU busy {result['busy']:.0%}, outcomes {result['outcomes']}",
                    flush=True,
                )

    def med(kind: tuple[str, int], field: str) -> float:
        return statistics.median(r[field] for r in runs[kind])

    print(
        f"\n{'mode':<8}{'workers':>8}{'seconds':>9}{'pages/s':>9}{'vs 1':>7}{'aim':>7}"
        f"{'first fetch':>13}{'worker CPU/page':>17}{'machine busy':>14}"
    )
    for mode in modes:
        base = med((mode, counts[0]), "seconds")
        for n in counts:
            seconds = med((mode, n), "seconds")
            aim = 0.8 * min(n, os.cpu_count() or 1) / counts[0]
            shown = f"{aim:>6.2f}x" if n != counts[0] else f"{'-':>7}"
            print(
                f"{mode:<8}{n:>8}{seconds:>9.1f}{args.pages / seconds:>9.1f}"
                f"{base / seconds:>6.2f}x{shown}{med((mode, n), 'first'):>12.1f}s"
                f"{med((mode, n), 'worker_cpu_ms'):>14.1f} ms{med((mode, n), 'busy'):>13.0%}"
            )
    print(
        "polite: keika's per-site politeness (the sites are the limit); "
        "fast: delay floor 0 (the workers' own scaling). 'vs 1' is against the first count; "
        "aim is 0.8 x min(N, cores)."
    )
    for kind, results in runs.items():
        bad = [r["outcomes"] for r in results if r["outcomes"] != {"baseline": args.pages}]
        if bad:
            print(f"  WARNING {kind}: outcomes other than {args.pages} baseline: {bad}")


if __name__ == "__main__":
    main()
