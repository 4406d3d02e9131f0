"""compare_dir: replaying saved pages against their goldens, and rewriting them on request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.domain.errors import InputError
from pipeline.goldens import (
    DIFFERS,
    ERROR,
    NEW,
    OK,
    compare_dir,
    dumps_golden,
)
from pipeline.parse import parse_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    shutil.copytree(FIXTURES, root)
    return root


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _result(report, name: str):
    return next(r for r in report.results if r.path == name)


def test_all_fixtures_replay_clean() -> None:
    report = compare_dir(FIXTURES)
    assert report.ok, "\n".join(report.lines())
    assert {r.status for r in report.results} == {OK}
    assert len(report.results) == len(list(FIXTURES.rglob("*.html")))
    assert report.summary().startswith(f"{len(report.results)} pages: {len(report.results)} ok")


def test_shared_golden_format_is_reproduced_byte_for_byte() -> None:
    for golden in FIXTURES.rglob("*.json"):
        parsed = parse_page(golden.with_suffix(".html").read_bytes())
        assert dumps_golden(parsed) == golden.read_text(encoding="utf-8"), golden


def test_a_changed_golden_is_reported_by_entry_and_field(pages: Path) -> None:
    golden = pages / "oyama/P-4103/v2.json"

    def change(data: dict) -> None:
        data["entries"][3]["body"][1] = "違う本文"
        data["entries"][10]["start"] = "1993-11"
        data["page"]["updated"] = "2021-11-02"

    _edit(golden, change)
    report = compare_dir(pages)
    result = _result(report, "oyama/P-4103/v2.html")
    assert result.status == DIFFERS
    assert not report.ok
    found = {(d.where, d.index, d.date_text, d.field) for d in result.differences}
    assert found == {
        ("page", None, None, "updated"),
        ("entry", 3, "平成2年11月", "body"),
        ("entry", 10, "平成5年10月", "start"),
    }
    lines = report.lines()
    assert "differs  oyama/P-4103/v2.html (3 differences)" in lines
    assert '    entry 10 \'平成5年10月\': start: "1993-11" → "1993-10"' in lines
    assert '    page.updated: "2021-11-02" → "2021-11-01"' in lines
    assert (
        lines[-1]
        == f"{len(report.results)} pages: {len(report.results) - 1} ok, 1 differ, 0 new, 0 errors"
    )
    others = [r for r in report.results if r is not result]
    assert all(r.status == OK for r in others)


def test_an_entry_missing_from_the_golden_is_one_difference_not_a_cascade(pages: Path) -> None:
    _edit(pages / "oyama/P-4103/v3.json", lambda data: data["entries"].pop(5))
    result = _result(compare_dir(pages), "oyama/P-4103/v3.html")
    assert [(d.field, d.index, d.date_text) for d in result.differences] == [
        ("extra", 5, "平成3年10月")
    ]


def test_page_keys_absent_from_the_golden_are_not_compared(pages: Path) -> None:
    _edit(pages / "minatogawa/koryu.json", lambda data: data["page"].pop("updated"))
    assert _result(compare_dir(pages), "minatogawa/koryu.html").status == OK


def test_pages_without_golden(pages: Path) -> None:
    (pages / "sakurano/ayumi.json").unlink()
    report = compare_dir(pages)
    assert _result(report, "sakurano/ayumi.html").status == NEW
    assert _result(report, "oyama/P-4103/maintenance.html").status == OK  # no entries, no JSON
    assert "new      sakurano/ayumi.html (no golden; 8 entries parsed)" in report.lines()
    # The count says it: not one "extra" line per entry of a page that has no golden yet.
    assert not any("extra" in line for line in report.lines())


def test_one_page_replays_on_its_own(pages: Path) -> None:
    report = compare_dir(pages / "minatogawa/koryu.html")
    assert [r.status for r in report.results] == [OK]
    assert report.summary().startswith("1 page: 1 ok")


def test_a_folder_without_saved_pages_is_an_error_not_a_pass(pages: Path) -> None:
    (pages / "empty").mkdir()
    with pytest.raises(InputError, match="no saved pages"):
        compare_dir(pages / "empty")
    with pytest.raises(InputError, match="not a folder of saved pages"):
        compare_dir(pages / "minatogawa/koryu.json")


def test_unreadable_pages_and_goldens_are_errors(pages: Path) -> None:
    (pages / "broken").mkdir()
    (pages / "broken/empty.html").write_bytes(b"")
    (pages / "broken/page.html").write_bytes((pages / "minatogawa/koryu.html").read_bytes())
    (pages / "broken/page.json").write_text("{not json", encoding="utf-8")
    report = compare_dir(pages)
    empty = _result(report, "broken/empty.html")
    assert (empty.status, empty.error) == (ERROR, "InputError: empty page: no bytes to parse")
    assert _result(report, "broken/page.html").status == ERROR
    assert _result(report, "broken/page.html").error.startswith("page.json: JSONDecodeError")


def test_a_golden_lacking_a_key_names_it(pages: Path) -> None:
    golden = pages / "minatogawa/koryu.json"
    _edit(golden, lambda data: data["entries"][0].pop("date_text"))
    report = compare_dir(pages / "minatogawa/koryu.html")
    (result,) = report.results
    assert (result.status, result.error) == (
        ERROR,
        "koryu.json: a record lacks the key 'date_text'",
    )


def test_update_rewrites_what_differs_and_nothing_else(pages: Path) -> None:
    changed = pages / "oyama/P-4105/current.json"
    _edit(changed, lambda data: data["entries"][4].update(note=None))
    (pages / "sakurano/ayumi.json").unlink()
    untouched = pages / "oyama/P-4103/v1.json"
    before = untouched.stat().st_mtime_ns

    report = compare_dir(pages, update=True)
    assert report.updated and report.ok
    written = {r.path for r in report.results if r.written}
    assert written == {"oyama/P-4105/current.html", "sakurano/ayumi.html"}
    result = _result(report, "oyama/P-4105/current.html")
    assert [(d.index, d.field, d.expected, d.actual) for d in result.differences] == [
        (4, "note", None, "年度")
    ]
    assert result.line().endswith("- golden written")
    assert report.summary().endswith("; 2 goldens written")
    assert changed.read_bytes() == (FIXTURES / "oyama/P-4105/current.json").read_bytes()
    assert (pages / "sakurano/ayumi.json").read_bytes() == (
        FIXTURES / "sakurano/ayumi.json"
    ).read_bytes()
    assert untouched.stat().st_mtime_ns == before
    assert compare_dir(pages).ok


def test_replaying_something_that_is_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder of saved pages"):
        compare_dir(tmp_path / "missing")
