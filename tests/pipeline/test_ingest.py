"""The ingest stage on the P-4103 timeline: outcomes, stable identity and change events.

Each step hands the stage a FetchResult exactly as the spider yields it, into a real SQLite file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from pipeline.domain.errors import InputError
from pipeline.domain.fetch import FetchResult
from pipeline.domain.seed import Seed
from pipeline.services.crawl import begin_crawl
from pipeline.services.ingest import PageOutcome, accept_suspect, ingest_fetch
from storage.changes import current_entries, entry_history, list_changes
from storage.db import Database
from storage.models import ChangeEvent, Crawl, Fetch, Page, Snapshot

FIXTURES = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103"
SEED = Seed(key="oyama-benxi", url="http://127.0.0.1:8000/page004103.html")
HTML = {"content-type": "text/html; charset=utf-8"}


@pytest.fixture
def db(tmp_path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'keika.db'}")


def fetch(
    version: str | None,
    *,
    status: int = 200,
    error: str | None = None,
    headers: dict[str, str] | None = None,
) -> FetchResult:
    now = datetime.now(UTC)
    body = (FIXTURES / f"{version}.html").read_bytes() if version else None
    return FetchResult(
        key=SEED.key,
        url=SEED.url,
        started_at=now,
        fetched_at=now,
        final_url=SEED.url,
        status=status,
        headers={**HTML, **(headers or {})} if body else dict(headers or {}),
        body=body,
        error=error,
    )


def crawl(db: Database, result: FetchResult) -> PageOutcome:
    return ingest_fetch(db, begin_crawl(db, "manual"), SEED, result)


def events_of(db: Database, crawl_outcome: PageOutcome) -> Counter[str]:
    with db.session() as session:
        kinds = session.scalars(
            select(ChangeEvent.kind).where(ChangeEvent.fetch_id == crawl_outcome.fetch_id)
        ).all()
    return Counter(kinds)


def test_first_good_crawl_is_a_baseline_without_events(db: Database) -> None:
    outcome = crawl(db, fetch("v1"))
    assert (outcome.outcome, outcome.entry_count) == ("baseline", 32)
    assert events_of(db, outcome) == Counter()
    with db.session() as session:
        assert len(current_entries(session, SEED.key)) == 32


def test_v1_to_v2_one_added_two_edited_none_removed(db: Database) -> None:
    crawl(db, fetch("v1"))
    outcome = crawl(db, fetch("v2"))
    assert outcome.outcome == "changed"
    events = events_of(db, outcome)
    assert (events["added"], events["edited"], events["removed"]) == (1, 2, 0)
    with db.session() as session:
        changes = {(c.kind, c.date_text): c for c in list_changes(session)}
    added = changes[("added", "平成22年10月21日から10月22日まで")]
    assert added.before is None and added.after["start"] == "2010-10-21"
    body_edit = changes[("edited", "平成19年2月21日から2月22日まで")]
    assert body_edit.fields == ("body",)
    assert body_edit.before["body"][1] != body_edit.after["body"][1]
    date_fix = changes[("edited", "平成17年11月4日から11月5日まで")]
    assert set(date_fix.fields) == {"date_text", "start", "end"}
    assert date_fix.before["date_text"] == "平成17年11月5日から11月6日まで"


def test_entry_identity_survives_an_edit(db: Database) -> None:
    crawl(db, fetch("v1"))
    with db.session() as session:
        before = {e.record["body"][0]: e.id for e in current_entries(session, SEED.key)}
    crawl(db, fetch("v2"))
    with db.session() as session:
        after = {e.record["body"][0]: e.id for e in current_entries(session, SEED.key)}
    shared = set(before) & set(after)
    assert len(shared) >= 31
    assert all(before[line] == after[line] for line in shared)


def test_same_bytes_again_is_unchanged_and_not_parsed(db: Database) -> None:
    crawl(db, fetch("v2"))
    outcome = crawl(db, fetch("v2"))
    assert outcome.outcome == "unchanged"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 1


def test_noise_and_template_renewal_produce_no_entry_events(db: Database) -> None:
    crawl(db, fetch("v2"))
    noise = crawl(db, fetch("v2-noise"))
    renewal = crawl(db, fetch("v2-renewal"))
    for outcome in (noise, renewal):
        events = events_of(db, outcome)
        assert set(events) <= {"page"}, events
    # The update date did change: that is one page event, never an entry change.
    assert events_of(db, noise)["page"] == 1


def test_the_same_page_re_encoded_as_shift_jis_is_unchanged(db) -> None:
    # Written on a Mac (〜 −) and saved by a JIS encoder: Shift_JIS bytes that keika reads as
    # Windows-31J, where the same characters are ～ －. The text is the same: nothing changed.
    text = (FIXTURES / "v2.html").read_text("utf-8").replace("7日から10日まで", "7日〜10日まで−")

    def utf8() -> FetchResult:
        return replace(fetch("v2"), body=text.encode("utf-8"))

    labelled = text.replace('<meta charset="utf-8">', '<meta charset="Shift_JIS">')
    crawl(db, utf8())
    sjis = replace(
        fetch("v2"),
        body=labelled.encode("shift_jis", errors="xmlcharrefreplace"),
        headers={"content-type": "text/html; charset=Shift_JIS"},
    )
    outcome = crawl(db, sjis)
    assert (outcome.outcome, events_of(db, outcome)) == ("unchanged", Counter())
    assert crawl(db, utf8()).outcome == "unchanged"


def test_a_page_that_moved_is_suspect_and_says_where_it_went(db: Database) -> None:
    """The chronology replaced by a meta refresh to its new address: suspect (no entries were
    removed), and the reason names the new address for the user to re-seed."""
    crawl(db, fetch("v2"))
    moved = replace(
        fetch("v2"),
        body=(
            '<html><head><meta charset="utf-8"><meta http-equiv="refresh" '
            'content="0; URL=/kokusai/page009999.html"><title>移転しました</title></head>'
            "<body><p>このページは移転しました。</p></body></html>"
        ).encode(),
    )
    outcome = crawl(db, moved)
    assert outcome.outcome == "suspect"
    assert outcome.error == (
        "no dated entries found; the page redirects (meta refresh) to "
        "http://127.0.0.1:8000/kokusai/page009999.html"
    )
    assert events_of(db, outcome) == Counter()


def test_maintenance_page_is_suspect_and_changes_nothing(db: Database) -> None:
    crawl(db, fetch("v2"))
    outcome = crawl(db, fetch("maintenance"))
    assert outcome.outcome == "suspect"
    assert outcome.error == "no dated entries found"
    assert events_of(db, outcome) == Counter()
    with db.session() as session:
        assert len(current_entries(session, SEED.key)) == 33
    # The next good crawl is compared with the last good one, not with the maintenance page.
    after = crawl(db, fetch("v2"))
    assert after.outcome == "unchanged"


def small_page(*items: tuple[str, str]) -> FetchResult:
    body = "".join(f"<h2>{date}</h2><p>{text}</p>" for date, text in items)
    html = f"<html><body><main><h1>最新の記録</h1>{body}</main></body></html>"
    return replace(fetch("v2"), body=html.encode())


def test_a_small_page_whose_entries_all_rotate_reports_them_and_is_not_held(db) -> None:
    """A page that shows its latest entries only may replace all of them at once: that is
    reported (removed and added), never held as suspect, or no later change would be seen."""
    crawl(db, small_page(("令和6年4月1日", "式典"), ("令和6年5月1日", "総会")))
    outcome = crawl(db, small_page(("令和6年6月1日", "研修"), ("令和6年7月1日", "交流会")))
    assert outcome.outcome == "changed"
    assert events_of(db, outcome) == Counter({"removed": 2, "added": 2})
    later = crawl(db, small_page(("令和6年6月1日", "研修"), ("令和6年8月1日", "視察")))
    assert events_of(db, later) == Counter({"removed": 1, "added": 1})


def cut(version: str, fraction: float) -> FetchResult:
    """The version's response cut off after `fraction` of its bytes (at a line end), as a server
    that dies mid-page sends it: a 200 whose body stops before the document does."""
    body = (FIXTURES / f"{version}.html").read_bytes()
    return replace(fetch(version), body=body[: body.index(b"\n", int(len(body) * fraction)) + 1])


@pytest.mark.parametrize("fraction", [0.5, 0.6, 0.75])
def test_a_response_cut_off_mid_page_is_suspect_and_removes_nothing(db, fraction) -> None:
    crawl(db, fetch("v2"))
    outcome = crawl(db, cut("v2", fraction))
    assert outcome.outcome == "suspect"
    assert "ends before" in (outcome.error or "")
    assert events_of(db, outcome) == Counter()
    with db.session() as session:
        assert len(current_entries(session, SEED.key)) == 33
    # The next good crawl is compared with the last good one, not with the cut-off response.
    assert crawl(db, fetch("v2")).outcome == "unchanged"
    after = crawl(db, fetch("v3"))
    assert events_of(db, after) - Counter(page=1) == Counter(added=2, removed=1, edited=1)


def test_a_response_cut_off_after_its_entries_loses_nothing_and_is_taken(db) -> None:
    crawl(db, fetch("v2"))
    outcome = crawl(db, cut("v2", 0.9))  # in the questionnaire, after every entry
    assert (outcome.outcome, events_of(db, outcome)) == ("unchanged", Counter())


def test_a_cut_after_a_harmless_cut_is_still_suspect(db) -> None:
    crawl(db, fetch("v2"))
    assert crawl(db, cut("v2", 0.9)).outcome == "unchanged"  # now the last good response
    outcome = crawl(db, cut("v2", 0.6))
    assert (outcome.outcome, events_of(db, outcome)) == ("suspect", Counter())


def test_a_new_template_without_the_optional_end_tags_is_taken(db) -> None:
    def unclosed(version: str) -> FetchResult:
        body = (FIXTURES / f"{version}.html").read_bytes()
        return replace(fetch(version), body=body.replace(b"</body>", b"").replace(b"</html>", b""))

    crawl(db, fetch("v2"))
    assert crawl(db, unclosed("v2")).outcome == "unchanged"
    # From then on the page's last good response has no end tags to miss.
    outcome = crawl(db, unclosed("v3"))
    assert events_of(db, outcome) - Counter(page=1) == Counter(added=2, removed=1, edited=1)


def test_a_page_that_never_closes_its_document_is_compared_as_usual(db) -> None:
    def unclosed(version: str) -> FetchResult:
        body = (FIXTURES / f"{version}.html").read_bytes()
        return replace(fetch(version), body=body.replace(b"</body>", b"").replace(b"</html>", b""))

    crawl(db, unclosed("v2"))
    outcome = crawl(db, unclosed("v3"))
    assert outcome.outcome == "changed"
    assert events_of(db, outcome) - Counter(page=1) == Counter(added=2, removed=1, edited=1)


def test_entries_removed_and_put_back_keep_their_ids_and_history(db) -> None:
    crawl(db, fetch("v2"))
    with db.session() as session:
        ids = [e.id for e in current_entries(session, SEED.key)]
    text = (FIXTURES / "v2.html").read_text("utf-8")
    start, end = text.index("<h2>平成13年9月</h2>"), text.index('</div>\n<div class="inquiry">')
    # An editor deletes the last 12 entries (21 of 33 stay: not suspect) and puts them back.
    trimmed = crawl(db, replace(fetch("v2"), body=(text[:start] + text[end:]).encode("utf-8")))
    assert events_of(db, trimmed) == Counter(removed=12)
    restored = crawl(db, fetch("v2"))
    assert events_of(db, restored) == Counter(added=12)
    with db.session() as session:
        assert [e.id for e in current_entries(session, SEED.key)] == ids
        added = list_changes(session, kinds=("added",))
        _, versions = entry_history(session, ids[-1])
    assert sorted(c.entry for c in added) == ids[21:]
    assert [v.change_kind for v in versions] == ["baseline", "added"]


def test_failed_fetch_changes_nothing_and_counts_failures(db: Database) -> None:
    crawl(db, fetch("v2"))
    for _ in range(2):
        outcome = crawl(db, fetch(None, status=500, error="HTTP 500"))
        assert (outcome.outcome, outcome.error) == ("failed", "HTTP 500")
    with db.session() as session:
        page = session.scalars(select(Page)).one()
        assert page.failures_in_row == 2
        assert len(current_entries(session, SEED.key)) == 33
    crawl(db, fetch("v2-noise"))
    with db.session() as session:
        assert session.scalars(select(Page)).one().failures_in_row == 0


def test_not_modified_keeps_state(db: Database) -> None:
    crawl(db, fetch("v2", headers={"etag": '"abc"'}))
    outcome = crawl(db, fetch(None, status=304))
    assert (outcome.outcome, outcome.entry_count) == ("not_modified", 33)
    with db.session() as session:
        assert session.scalars(select(Page)).one().etag == '"abc"'


def test_v2_to_v3_two_added_one_removed_one_edited(db: Database) -> None:
    crawl(db, fetch("v2"))
    outcome = crawl(db, fetch("v3"))
    events = events_of(db, outcome)
    assert (events["added"], events["removed"], events["edited"]) == (2, 1, 1)
    with db.session() as session:
        removed = list_changes(session, kinds=("removed",))
        assert [c.date_text for c in removed] == ["平成13年9月"]
        assert len(current_entries(session, SEED.key)) == 34


def test_whole_timeline(db: Database) -> None:
    outcomes = [
        crawl(db, fetch(v)).outcome
        for v in ("v1", "v2", "v2-noise", "maintenance", "v2-renewal", "v3")
    ]
    assert outcomes == ["baseline", "changed", "changed", "suspect", "changed", "changed"]
    with db.session() as session:
        kinds = Counter(c.kind for c in list_changes(session) if c.kind not in ("moved", "page"))
    assert kinds == Counter({"added": 3, "edited": 3, "removed": 1})


def crawl_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Crawl)) or 0


def test_a_page_that_really_shrank_is_suspect_until_accepted_then_compared_with(db) -> None:
    four = [("令和6年4月1日", "式典"), ("令和6年5月1日", "総会")]
    four += [("令和6年6月1日", "研修"), ("令和6年7月1日", "交流会")]
    crawl(db, small_page(*four))
    shrunk = crawl(db, small_page(*four[:1]))
    assert (shrunk.outcome, shrunk.error) == (
        "suspect",
        "only 1 entries where the last good crawl had 4",
    )
    assert crawl(db, small_page(*four[:1])).outcome == "suspect"  # and so on, for good

    accepted, crawl_id, outcome = accept_suspect(db, SEED)
    assert accepted < crawl_id
    assert (outcome.outcome, outcome.entry_count) == ("changed", 1)
    assert events_of(db, outcome) == Counter(removed=3)
    with db.session() as session:
        assert [e.record["date_text"] for e in current_entries(session, SEED.key)] == [
            "令和6年4月1日"
        ]
        trigger = session.scalar(select(Crawl.trigger).where(Crawl.id == crawl_id))
    assert trigger == "accept"
    # Later crawls compare with what was accepted.
    assert crawl(db, small_page(*four[:1])).outcome == "unchanged"
    grown = crawl(db, small_page(*four[:2]))
    assert (grown.outcome, events_of(db, grown)) == ("changed", Counter(added=1))


def test_an_accepted_empty_page_is_the_page_and_its_entries_come_back_with_their_ids(db) -> None:
    crawl(db, fetch("v2"))
    with db.session() as session:
        ids = [e.id for e in current_entries(session, SEED.key)]
    assert crawl(db, fetch("maintenance")).outcome == "suspect"
    _, _, outcome = accept_suspect(db, SEED)
    assert (outcome.outcome, outcome.entry_count) == ("changed", 0)
    assert events_of(db, outcome)["removed"] == 33
    # Empty is the page now: the same empty page is not suspect again.
    assert crawl(db, fetch("maintenance")).outcome == "unchanged"
    back = crawl(db, fetch("v2"))
    assert events_of(db, back)["added"] == 33
    with db.session() as session:
        assert [e.id for e in current_entries(session, SEED.key)] == ids


def test_accept_takes_only_a_latest_crawl_that_is_suspect(db) -> None:
    with pytest.raises(InputError, match="has not been crawled"):
        accept_suspect(db, SEED)
    crawl(db, fetch("v2"))
    assert crawl(db, fetch("maintenance")).outcome == "suspect"
    assert crawl(db, fetch("v2")).outcome == "unchanged"  # the page came back by itself
    before = crawl_count(db)
    with pytest.raises(InputError, match=r"is unchanged, not suspect"):
        accept_suspect(db, SEED)
    assert crawl_count(db) == before  # nothing written

    assert crawl(db, fetch("maintenance")).outcome == "suspect"
    accept_suspect(db, SEED)
    with pytest.raises(InputError, match=r"is changed, not suspect"):
        accept_suspect(db, SEED)  # accepted once is enough


def test_accept_of_a_response_no_longer_archived_is_an_error(db) -> None:
    crawl(db, fetch("v2"))
    crawl(db, fetch("maintenance"))
    with db.session(write=True) as session:
        session.execute(update(Fetch).values(snapshot_id=None).where(Fetch.outcome == "suspect"))
    with pytest.raises(InputError, match="no longer archived"):
        accept_suspect(db, SEED)
