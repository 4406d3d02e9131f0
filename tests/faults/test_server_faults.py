"""Server faults against real servers on 127.0.0.1, one crawl process per phase.

Every page is crawled three times by `run_once` in a child process (what `keika crawl` and the
scheduler run): a good version first (baseline), then its fault, then a recovery. One server and
three crawls serve every case; after each crawl the database is checked for consistency. A
failed fetch or a page that reads as nothing must never become "entries removed".
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import FixtureServer, Reply
from fault_harness import (  # noqa: F401  (fault_table: the session fixture printing the table)
    SYNTHETIC,
    RawServer,
    consistency_problems,
    crawl,
    fault_cases,
    fault_table,
    ok_response,
    page_bytes,
    reset_mid_body,
    slow_drip,
    write_seeds,
)
from sqlalchemy import select

from storage.db import Database
from storage.models import Fetch, Page

V1, V2 = page_bytes("v1"), page_bytes("v2")
LATIN1 = "text/html; charset=ISO-8859-1"


@dataclass
class Case:
    injected: str
    phases: tuple[tuple[Reply, ...] | str, ...]  # replies per crawl, or a raw-server fault name
    outcomes: tuple[set[str], ...]
    seed: dict[str, Any] = field(default_factory=dict)


def _bomb() -> bytes:
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


CASES: dict[str, Case] = {
    "500 then 200": Case(
        "HTTP 500, then 200 on the retry",
        ((Reply(body=V1),), (Reply(status=500, body=b"oops"), Reply(body=V2)), (Reply(body=V2),)),
        ({"baseline"}, {"changed"}, {"unchanged"}),
    ),
    "429 Retry-After": Case(
        "HTTP 429 with Retry-After: 1, then 200",
        (
            (Reply(body=V1),),
            (Reply(status=429, headers={"Retry-After": "1"}), Reply(body=V2)),
            (Reply(body=V2),),
        ),
        ({"baseline"}, {"changed"}, {"unchanged"}),
    ),
    "reset mid-body": Case(
        "connection reset after a third of the body",
        ("ok", "reset", "ok-v2"),
        ({"baseline"}, {"failed"}, {"changed"}),
    ),
    "slow drip": Case(
        "body dripped a byte per 0.2 s past a 1.5 s timeout",
        ("ok", "drip", "ok-v2"),
        ({"baseline"}, {"failed"}, {"changed"}),
        {"timeout": 1.5},
    ),
    "redirect loop": Case(
        "302 a -> b -> a ...",
        ((Reply(body=V1),), "loop", (Reply(body=V2),)),
        ({"baseline"}, {"failed"}, {"changed"}),
    ),
    "gzip bomb": Case(
        "64 MB of zeros gzipped to 64 KB (max_size 5 MB)",
        ((Reply(body=V1),), "bomb", (Reply(body=V2),)),
        ({"baseline"}, {"failed"}, {"changed"}),
    ),
    "oversize": Case(
        "a 6 MB page (max_size 5 MB)",
        ((Reply(body=V1),), (Reply(body=V1 + b" " * (6 * 1024 * 1024)),), (Reply(body=V2),)),
        ({"baseline"}, {"failed"}, {"changed"}),
    ),
    "cut-off page": Case(
        "a complete 200 whose page stops at half its entries (no </html>)",
        (
            (Reply(body=V1),),
            (Reply(body=V2[: V2.index(b"<h2>", len(V2) // 2)]),),
            (Reply(body=V2),),
        ),
        ({"baseline"}, {"suspect"}, {"changed"}),
    ),
    "maintenance": Case(
        "a maintenance page in place of the history",
        ((Reply(body=V1),), (Reply(body=page_bytes("maintenance")),), (Reply(body=V2),)),
        ({"baseline"}, {"suspect"}, {"changed"}),
    ),
    "renewal": Case(
        "the site's new template around the same entries",
        ((Reply(body=V1),), (Reply(body=V2),), (Reply(body=page_bytes("v2-renewal")),)),
        ({"baseline"}, {"changed"}, {"unchanged"}),
    ),
    "EUC-JP behind ISO-8859-1": Case(
        "the same page in EUC-JP under Apache's charset=ISO-8859-1",
        (
            (Reply(body=V1),),
            (
                Reply(
                    body=(SYNTHETIC / "oyama-v1-euc-jp.html").read_bytes(),
                    content_type=LATIN1,
                ),
            ),
            (Reply(body=V2),),
        ),
        ({"baseline"}, {"unchanged"}, {"changed"}),
    ),
}
IDS = fault_cases("test_server_fault", {name: case.injected for name, case in CASES.items()})


def key_of(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


@dataclass
class Run:
    url: str
    outcomes: list[dict[str, str]]
    problems: list[list[str]]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("server-faults")
    url = f"sqlite:///{tmp / 'keika.db'}"
    Database(url).dispose()
    http = FixtureServer().start()
    raw = RawServer().start()
    phase = {"n": 0}

    def raw_route(key: str, names: tuple[str, ...]) -> None:
        behaviours = {
            "ok": ok_response(V1),
            "ok-v2": ok_response(V2),
            "reset": reset_mid_body(V1),
            "drip": slow_drip(V1),
        }
        raw.routes[f"/{key}.html"] = lambda conn: behaviours[names[phase["n"]]](conn)

    pages = []
    for name, case in CASES.items():
        key = key_of(name)
        if all(isinstance(p, str) for p in case.phases):
            raw_route(key, case.phases)  # type: ignore[arg-type]
            pages.append({"key": key, "url": raw.url(f"/{key}.html"), **case.seed})
        else:
            pages.append({"key": key, "url": http.url(f"/{key}.html"), **case.seed})
    seeds = write_seeds(tmp / "seeds.toml", pages)
    bomb = _bomb()
    result = Run(url, [], [])
    try:
        for n in range(3):
            phase["n"] = n
            for name, case in CASES.items():
                key, replies = key_of(name), case.phases[n]
                if replies == "loop":
                    http.route(f"/{key}.html", Reply(302, headers={"Location": f"/{key}-b.html"}))
                    http.route(f"/{key}-b.html", Reply(302, headers={"Location": f"/{key}.html"}))
                elif replies == "bomb":
                    http.route(
                        f"/{key}.html", Reply(body=bomb, headers={"Content-Encoding": "gzip"})
                    )
                elif not isinstance(replies, str):
                    http.route(f"/{key}.html", *replies)
            result.outcomes.append(crawl(url, seeds, RETRY_TIMES=1))
            result.problems.append(consistency_problems(url))
        yield result
    finally:
        http.stop()
        raw.stop()


@pytest.mark.parametrize("name", IDS)
def test_server_fault(name: str, run: Run) -> None:
    case, key = CASES[name], key_of(name)
    outcomes = [phase[key] for phase in run.outcomes]
    for got, expected in zip(outcomes, case.outcomes, strict=True):
        assert got in expected, outcomes
    for n, problems in enumerate(run.problems, 1):
        mine = [p for p in problems if p.startswith(f"page {key}:")]
        assert not mine, f"after crawl {n}: {mine}"
    db = Database(run.url, migrate=False)
    try:
        with db.session() as session:
            page = session.scalar(select(Page).where(Page.key == key))
            fetches = list(
                session.scalars(select(Fetch).where(Fetch.page_id == page.id).order_by(Fetch.id))
            )
    finally:
        db.dispose()
    assert len(fetches) == 3
    if "failed" in case.outcomes[1]:
        assert fetches[1].error  # the reason is recorded
    if name == "EUC-JP behind ISO-8859-1":
        assert fetches[1].parsed["encoding"] == "euc_jp"
    if name == "gzip bomb":
        assert "size" in (fetches[1].error or "").lower() or "max" in (fetches[1].error or "")
