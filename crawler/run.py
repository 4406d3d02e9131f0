"""Running a crawl: the pages spider in this process, or in a child that can be cut off.

`run_once` is what `keika crawl`, the scheduler and the demo call: it opens the crawl, runs the
spider (here or in a child), and closes the crawl with a report.

Twisted's reactor cannot be restarted, so a process runs at most one CrawlerProcess. `keika
crawl` runs once and exits, so `run_crawl` is enough there; the scheduler, the demo and tests
run many crawls, each in a fresh `python -P -m crawler.run` child (`run_crawl_in_child`) that is
killed if it outlives its time limit. The child reads its job as JSON on stdin.

A child never outlives the process that started it: on Linux the kernel sends it SIGKILL when
its parent dies (PR_SET_PDEATHSIG), and on every system a watcher thread kills it as soon as its
parent process id changes, so an orphan can never commit into a crawl its restarted scheduler
has already marked interrupted. The child never imports from the folder it was started in
(`-P`): a `keika/` or `crawler/` folder there must not shadow the real packages.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.children import PARENT_ENV, child_env, die_with_parent
from crawler.settings import user_agent
from pipeline.domain.fetch import CrawlTarget
from pipeline.domain.kinds import CrawlStatus
from pipeline.domain.seed import Seed, SeedSet
from pipeline.services.crawl import CrawlReport, begin_crawl, crawl_targets, end_crawl
from storage.db import Database

DEFAULT_PIPELINES: dict[str, int] = {"crawler.pipelines.IngestPipeline": 300}
GRACE_SECONDS = 10.0  # after SIGTERM, how long a child gets to close the crawl before SIGKILL


@dataclass(frozen=True, slots=True)
class ChildCrawl:
    """How a child crawl ended: its exit code (None if it had to be killed) and how long it took."""

    exitcode: int | None
    timed_out: bool
    seconds: float

    @property
    def ok(self) -> bool:
        return self.exitcode == 0 and not self.timed_out


def crawl_settings(
    settings: Mapping[str, Any] | None = None, pipelines: Mapping[str, int] | None = None
) -> Settings:
    """crawler/settings.py, then the caller's overrides; the User-Agent names KEIKA_CONTACT."""
    result = Settings()
    result.setmodule("crawler.settings", priority="project")
    overrides = dict(settings or {})
    if pipelines is not None:
        overrides["ITEM_PIPELINES"] = dict(pipelines)
    env_contact = os.environ.get("KEIKA_CONTACT")
    if env_contact:
        overrides["KEIKA_CONTACT"] = env_contact
    if overrides.get("KEIKA_CONTACT") and "USER_AGENT" not in overrides:
        overrides["USER_AGENT"] = user_agent(overrides["KEIKA_CONTACT"])
    result.setdict(overrides, priority="cmdline")
    return result


def run_crawl(
    targets: Sequence[CrawlTarget],
    *,
    settings: Mapping[str, Any] | None = None,
    pipelines: Mapping[str, int] | None = None,
    seeds: Sequence[Seed] | None = None,
) -> dict[str, Any]:
    """Fetch `targets` with PagesSpider in this process (once per process); returns Scrapy stats.

    `pipelines` replaces ITEM_PIPELINES (default: the IngestPipeline); `seeds` are the Seed
    records the IngestPipeline ingests with (otherwise it loads KEIKA_SEEDS).
    """
    from crawler.spiders.pages import PagesSpider

    process = CrawlerProcess(crawl_settings(settings, pipelines))
    crawler = process.create_crawler(PagesSpider)
    process.crawl(crawler, targets=list(targets), seeds=list(seeds) if seeds else None)
    process.start()
    return dict(crawler.stats.get_stats()) if crawler.stats else {}


def run_crawl_in_child(
    targets: Sequence[CrawlTarget],
    *,
    settings: Mapping[str, Any] | None = None,
    pipelines: Mapping[str, int] | None = None,
    seeds: Sequence[Seed] | None = None,
    timeout: float | None = None,
    grace: float = GRACE_SECONDS,
) -> ChildCrawl:
    """`run_crawl` in a fresh `python -P -m crawler.run` process, stopped after `timeout` seconds.

    Settings must be JSON values. On timeout the child gets SIGTERM (Scrapy closes the spider,
    so pipelines finish), then SIGKILL after `grace` seconds.
    """
    job = {
        "targets": [asdict(t) for t in targets],
        "settings": dict(settings or {}),
        "pipelines": dict(pipelines) if pipelines is not None else None,
        "seeds": [asdict(s) for s in seeds] if seeds else None,
    }
    began = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-P", "-m", "crawler.run"],
        stdin=subprocess.PIPE,
        env=child_env(),
    )
    assert child.stdin is not None
    child.stdin.write(json.dumps(job, ensure_ascii=False).encode("utf-8"))
    child.stdin.close()
    try:
        exitcode: int | None = child.wait(timeout=timeout)
        return ChildCrawl(exitcode, False, time.monotonic() - began)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return ChildCrawl(None, True, time.monotonic() - began)
    except BaseException:
        child.kill()
        child.wait()
        raise


def run_once(
    db: Database,
    seedset: SeedSet,
    seeds: Sequence[Seed],
    *,
    trigger: str = "manual",
    in_child: bool = False,
    time_limit: float | None = None,
    settings: dict[str, object] | None = None,
) -> CrawlReport:
    """One crawl of `seeds`, start to finish; `in_child` runs the spider in a fresh process."""
    began = time.monotonic()
    crawl_id = begin_crawl(db, trigger)
    targets = crawl_targets(db, seeds)
    job_settings: dict[str, object] = {"KEIKA_DATABASE_URL": db.url, "KEIKA_CRAWL_ID": crawl_id}
    if seedset.contact:
        job_settings["KEIKA_CONTACT"] = seedset.contact
    job_settings.update(settings or {})
    status = CrawlStatus.FINISHED
    ended_early: str | None = None
    try:
        if in_child:
            result = run_crawl_in_child(
                targets, settings=job_settings, seeds=seeds, timeout=time_limit
            )
            if result.timed_out:
                status, ended_early = (
                    CrawlStatus.INTERRUPTED,
                    f"crawl cut off after {time_limit:g}s",
                )
            elif result.exitcode != 0:
                status = CrawlStatus.INTERRUPTED
                ended_early = f"crawl process exited with {result.exitcode}"
        else:
            stats = run_crawl(targets, settings=job_settings, seeds=seeds)
            if stats.get("finish_reason") != "finished":  # Ctrl-C: Scrapy stopped early
                status, ended_early = CrawlStatus.INTERRUPTED, "crawl interrupted"
    except KeyboardInterrupt:
        status, ended_early = CrawlStatus.INTERRUPTED, "crawl interrupted"
        raise
    finally:
        report = end_crawl(
            db, crawl_id, seeds, status, ended_early or "the spider reported no result"
        )
    return dataclasses.replace(report, seconds=time.monotonic() - began)


def _target_from_json(data: Mapping[str, Any]) -> CrawlTarget:
    return CrawlTarget(**{**data, "allow_hosts": tuple(data.get("allow_hosts", ()))})


def _seed_from_json(data: Mapping[str, Any]) -> Seed:
    return Seed(
        **{
            **data,
            "notify": tuple(data.get("notify", ())),
            "allow_hosts": tuple(data.get("allow_hosts", ())),
            "selectors": dict(data.get("selectors", {})),
        }
    )


def main() -> int:
    parent = os.environ.get(PARENT_ENV)
    if parent:
        die_with_parent(int(parent))
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    seeds = [_seed_from_json(s) for s in job["seeds"]] if job.get("seeds") else None
    stats = run_crawl(
        [_target_from_json(t) for t in job["targets"]],
        settings=job.get("settings"),
        pipelines=job.get("pipelines"),
        seeds=seeds,
    )
    # 0 only when the spider ran to its end (not stopped by a signal or an exception).
    return 0 if stats.get("finish_reason") == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
