"""The record-level diff, read as its spec: what counts as added, edited, removed or moved."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.diff import (
    EntryChange,
    KnownEntry,
    LineChange,
    RecordDiff,
    changed_fields,
    diff_entries,
    diff_lines,
    diff_page_info,
)
from pipeline.domain.records import EntryRecord, PageInfo, ParsedPage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "oyama" / "P-4103"


def entry(date_text: str, *body: str, start: str | None = None, end: str | None = None):
    return EntryRecord(date_text=date_text, start=start, end=end, body=tuple(body))


def known_from(records, first_id: int = 1) -> list[KnownEntry]:
    """Known entries as storage would hand them over after a first parse: ids in page order."""
    return [KnownEntry(first_id + i, record, i) for i, record in enumerate(records)]


def kinds(diff: RecordDiff) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind, c.entry_id, c.position) for c in diff.changes]


def golden(name: str) -> ParsedPage:
    return ParsedPage.from_dict(json.loads((FIXTURES / f"{name}.json").read_text("utf-8")))


A = entry("昭和60年5月", "本渓市環境保護局視察団が本市に来訪した。", start="1985-05", end="1985-05")
B = entry("昭和60年6月", "小林武夫市長より返書を送った。", start="1985-06", end="1985-06")
C = entry("昭和61年9月", "小林市長一行6名が本渓市を表敬訪問した。", start="1986-09", end="1986-09")
D = entry("平成2年11月", "環境保護視察団が本市に来訪した。", start="1990-11", end="1990-11")
E = entry(
    "平成3年7月", "船田市長を団長とする友好訪中団が訪問した。", start="1991-07", end="1991-07"
)
PAGE = [A, B, C, D, E]


# --- nothing changed / everything changed -------------------------------------------------


def test_same_records_give_no_changes_and_keep_every_entry():
    diff = diff_entries(known_from(PAGE), PAGE)
    assert diff.changes == ()
    assert diff.kept == ((1, 0), (2, 1), (3, 2), (4, 3), (5, 4))
    assert diff.added_positions == ()
    assert diff.counts == {"added": 0, "edited": 0, "removed": 0, "moved": 0}


def test_empty_known_means_everything_is_added():
    diff = diff_entries([], PAGE)
    assert kinds(diff) == [("added", None, j) for j in range(5)]
    assert diff.added_positions == (0, 1, 2, 3, 4)
    assert diff.kept == ()
    assert [c.after for c in diff.changes] == PAGE


def test_empty_new_page_means_everything_is_removed_in_old_order():
    diff = diff_entries(known_from(PAGE), [])
    assert kinds(diff) == [("removed", i, None) for i in range(1, 6)]
    assert [c.before for c in diff.changes] == PAGE
    assert all(c.after is None for c in diff.changes)
    assert diff.kept == ()


def test_known_entries_may_arrive_in_any_order():
    known = list(reversed(known_from(PAGE)))
    diff = diff_entries(known, PAGE)
    assert diff.changes == ()
    assert diff.kept == ((1, 0), (2, 1), (3, 2), (4, 3), (5, 4))


# --- added / removed ----------------------------------------------------------------------


def test_insert_in_the_middle_is_one_addition_and_nothing_moves():
    new_entry = entry(
        "昭和62年4月", "友好都市提携の調印式を行った。", start="1987-04", end="1987-04"
    )
    diff = diff_entries(known_from(PAGE), [A, B, C, new_entry, D, E])
    assert kinds(diff) == [("added", None, 3)]
    assert diff.added_positions == (3,)
    assert diff.kept == ((1, 0), (2, 1), (3, 2), (4, 4), (5, 5))


@pytest.mark.parametrize(
    ("new", "removed_id"),
    [([B, C, D, E], 1), ([A, B, C, D], 5), ([A, B, D, E], 3)],
    ids=["first", "last", "middle"],
)
def test_deleted_entry_is_removed_and_the_rest_is_kept(new, removed_id):
    diff = diff_entries(known_from(PAGE), new)
    assert kinds(diff) == [("removed", removed_id, None)]
    assert diff.changes[0].before == PAGE[removed_id - 1]
    assert sorted(entry_id for entry_id, _ in diff.kept) == [
        i for i in range(1, 6) if i != removed_id
    ]


def test_an_entry_back_as_it_was_when_removed_is_added_under_its_old_id():
    live = [KnownEntry(1, A, 0), KnownEntry(2, B, 1), KnownEntry(4, D, 2), KnownEntry(5, E, 3)]
    other = entry("平成4年1月", "新しい行事。", start="1992-01", end="1992-01")
    removed = [KnownEntry(3, C, 0), KnownEntry(9, other, 1)]
    diff = diff_entries(live, PAGE, removed=removed)
    assert kinds(diff) == [("added", 3, 2)]
    assert (diff.changes[0].before, diff.changes[0].after) == (None, C)
    assert diff.added_positions == (2,)
    assert diff.kept == ((1, 0), (2, 1), (4, 3), (5, 4))


def test_an_entry_back_with_an_edit_is_a_new_entry():
    live = [KnownEntry(1, A, 0), KnownEntry(2, B, 1), KnownEntry(4, D, 2), KnownEntry(5, E, 3)]
    back = entry(C.date_text, "小林市長一行7名が本渓市を表敬訪問した。", start=C.start, end=C.end)
    diff = diff_entries(live, [A, B, back, D, E], removed=[KnownEntry(3, C, 0)])
    assert kinds(diff) == [("added", None, 2)]


def test_two_copies_back_revive_two_removed_entries_once_each():
    removed = [KnownEntry(7, C, 0), KnownEntry(3, C, 1)]
    diff = diff_entries(known_from([A]), [A, C, C, C], removed=removed)
    assert kinds(diff) == [("added", 7, 1), ("added", 3, 2), ("added", None, 3)]


def test_removed_entry_is_placed_where_it_was_among_other_changes():
    new_entry = entry("平成4年1月", "新しい行事。", start="1992-01", end="1992-01")
    diff = diff_entries(known_from(PAGE), [A, B, D, E, new_entry])
    assert kinds(diff) == [("removed", 3, None), ("added", None, 4)]


def test_unrelated_entry_in_place_of_a_removed_one_is_added_and_removed_not_edited():
    unrelated = entry(
        "平成9年3月", "姉妹都市の中学生が親善試合を行った。", start="1997-03", end="1997-03"
    )
    diff = diff_entries(known_from(PAGE), [A, B, unrelated, D, E])
    assert diff.counts == {"added": 1, "edited": 0, "removed": 1, "moved": 0}
    assert {(c.kind, c.entry_id) for c in diff.changes} == {("added", None), ("removed", 3)}


# --- edited -------------------------------------------------------------------------------


def test_same_date_with_an_edited_body_is_edited_body():
    edited = entry(
        "昭和61年9月",
        "小林市長一行6名が本渓市を表敬訪問し、懇談した。",
        start="1986-09",
        end="1986-09",
    )
    diff = diff_entries(known_from(PAGE), [A, B, edited, D, E])
    assert kinds(diff) == [("edited", 3, 2)]
    change = diff.changes[0]
    assert change.fields == ("body",)
    assert (change.before, change.after) == (C, edited)
    assert (3, 2) in diff.kept


def test_same_body_under_a_corrected_date_is_edited_dates_not_removed_and_added():
    corrected = entry("昭和61年10月", *C.body, start="1986-10", end="1986-10")
    diff = diff_entries(known_from(PAGE), [A, B, corrected, D, E])
    assert kinds(diff) == [("edited", 3, 2)]
    assert diff.changes[0].fields == ("date_text", "start", "end")


def test_corrected_date_with_a_reworded_body_is_still_one_edit():
    changed = entry(
        "昭和61年10月",
        "小林市長一行6名が本渓市を表敬訪問した。(写真あり)",
        start="1986-10",
        end="1986-10",
    )
    diff = diff_entries(known_from(PAGE), [A, B, changed, D, E])
    assert kinds(diff) == [("edited", 3, 2)]
    assert diff.changes[0].fields == ("date_text", "start", "end", "body")


# One JIS character, two code points: Shift_JIS/EUC-JP bytes read as Windows-31J give ～ － ∥ ￢
# ― where the UTF-8 page (or a JIS decoder) had 〜 − ‖ ¬ —, and JIS-Roman gives \\ ~ for ¥ ‾.
SPELLED_BY_JIS = entry("昭和61年9月〜10月", "一行6名−¥100‖¬—‾¢£", start="1986-09", end="1986-10")
SPELLED_BY_CP932 = entry(
    "昭和61年9月～10月", "一行6名－\\100∥￢―~￠￡", start="1986-09", end="1986-10"
)


def test_the_same_character_spelled_by_another_encoding_is_no_change():
    diff = diff_entries(known_from([A, SPELLED_BY_JIS, E]), [A, SPELLED_BY_CP932, E])
    assert diff.changes == ()
    assert diff.kept == ((1, 0), (2, 1), (3, 2))
    back = diff_entries(known_from([A, SPELLED_BY_CP932, E]), [A, SPELLED_BY_JIS, E])
    assert back.changes == ()


def test_a_real_edit_beside_another_spelling_is_still_an_edit():
    edited = EntryRecord(
        SPELLED_BY_CP932.date_text, "1986-09", "1986-10", ("一行7名－\\100∥￢―~￠￡",)
    )
    diff = diff_entries(known_from([A, SPELLED_BY_JIS, E]), [A, edited, E])
    assert kinds(diff) == [("edited", 2, 1)]
    assert diff.changes[0].fields == ("body",)


def test_diff_lines_shows_a_line_spelled_another_way_as_equal_with_its_new_spelling():
    edited = EntryRecord(SPELLED_BY_CP932.date_text, "1986-09", "1986-10", ("一行7名",))
    assert diff_lines(SPELLED_BY_JIS, edited) == [
        LineChange("equal", SPELLED_BY_JIS.date_text, SPELLED_BY_CP932.date_text),
        LineChange("replace", SPELLED_BY_JIS.body[0], "一行7名"),
    ]


def test_page_text_spelled_by_another_encoding_is_no_page_change():
    before = PageInfo(title="交流経過〜概要", text=("※金額は¥表記−概算",))
    after = PageInfo(title="交流経過～概要", text=("※金額は\\表記－概算",))
    assert diff_page_info(before, after) == ()
    assert diff_page_info(before, PageInfo(title="交流経過～概要")) == ("text",)


def test_added_note_is_an_edit_of_the_note_field():
    noted = EntryRecord(C.date_text, C.start, C.end, C.body, note="※日付は推定")
    diff = diff_entries(known_from(PAGE), [A, B, noted, D, E])
    assert kinds(diff) == [("edited", 3, 2)]
    assert diff.changes[0].fields == ("note",)


def test_two_entries_under_one_heading_with_one_edited():
    first = entry(
        "平成12年1月10日(成人の日)",
        "成人式に本渓市代表団が出席した。",
        start="2000-01-10",
        end="2000-01-10",
    )
    second = entry(
        "平成12年1月10日(成人の日)", "記念植樹を行った。", start="2000-01-10", end="2000-01-10"
    )
    second_edited = entry(
        "平成12年1月10日(成人の日)",
        "市役所前で記念植樹を行った。",
        start="2000-01-10",
        end="2000-01-10",
    )
    diff = diff_entries(known_from([A, first, second, E]), [A, first, second_edited, E])
    assert kinds(diff) == [("edited", 3, 2)]
    assert diff.changes[0].fields == ("body",)


def test_edited_entry_is_matched_to_the_similar_one_under_a_shared_heading():
    first = entry(
        "平成12年1月10日", "成人式に本渓市代表団が出席した。", start="2000-01-10", end="2000-01-10"
    )
    second = entry(
        "平成12年1月10日", "市役所前で記念植樹を行った。", start="2000-01-10", end="2000-01-10"
    )
    first_edited = entry(
        "平成12年1月10日",
        "成人式に本渓市代表団8名が出席した。",
        start="2000-01-10",
        end="2000-01-10",
    )
    # The edited first entry now sits after the second one: body similarity decides the match.
    diff = diff_entries(known_from([first, second]), [second, first_edited])
    assert [(c.kind, c.entry_id, c.fields) for c in diff.changes] == [("edited", 1, ("body",))]
    assert dict(diff.kept) == {1: 1, 2: 0}


def test_edited_entry_that_also_moved_is_reported_as_edited_only():
    moved_and_edited = entry(
        "平成3年7月",
        "船田市長を団長とする友好訪中団が本渓市を訪問した。",
        start="1991-07",
        end="1991-07",
    )
    diff = diff_entries(known_from(PAGE), [moved_and_edited, A, B, C, D])
    assert kinds(diff) == [("edited", 5, 0)]
    assert diff.counts["moved"] == 0


def filler(count: int) -> list[EntryRecord]:
    """Distinct unrelated entries, to put distance between the ones a test is about."""
    return [
        entry(
            f"令和{n + 1}年{n % 12 + 1}月",
            f"第{n + 1}回の記念行事「{'祭典' * (n % 3 + 1)}」を開催。",
        )
        for n in range(count)
    ]


def test_same_date_far_away_with_an_unrelated_body_is_added_and_removed():
    first = entry(
        "平成8年4月", "友好都市締結十周年の記念式典を行った。", start="1996-04", end="1996-04"
    )
    far = entry("平成8年4月", "本渓市の少年サッカー団と親善試合。", start="1996-04", end="1996-04")
    middle = filler(20)
    diff = diff_entries(known_from([first, *middle]), [*middle, far])
    assert diff.counts == {"added": 1, "edited": 0, "removed": 1, "moved": 0}


def _split_heisei4_september() -> tuple[list[EntryRecord], int, list[EntryRecord]]:
    """P-4103 v2, and the same page with 平成4年9月's two visits as two entries of that date."""
    records = list(golden("v2").entries)
    at = next(i for i, r in enumerate(records) if r.date_text == "平成4年9月")
    whole = records[at]
    assert len(whole.body) == 4
    first, second = replace(whole, body=whole.body[:2]), replace(whole, body=whole.body[2:])
    return records, at, [*records[:at], first, second, *records[at + 1 :]]


def test_an_entry_split_in_two_continues_as_its_first_part_and_the_second_is_added():
    records, at, split = _split_heisei4_september()
    diff = diff_entries(known_from(records), split)
    assert kinds(diff) == [("edited", at + 1, at), ("added", None, at + 1)]
    assert diff.changes[0].after.body[0] == records[at].body[0]


def test_two_entries_merged_continue_as_the_first_and_the_second_is_removed():
    records, at, split = _split_heisei4_september()
    diff = diff_entries(known_from(split), records)
    assert kinds(diff) == [("edited", at + 1, at), ("removed", at + 2, None)]


def test_same_body_far_away_under_a_new_date_is_one_edit():
    first = entry(
        "平成8年4月", "友好都市締結十周年の記念式典を行った。", start="1996-04", end="1996-04"
    )
    corrected = entry("平成9年4月", *first.body, start="1997-04", end="1997-04")
    middle = filler(20)
    diff = diff_entries(known_from([first, *middle]), [*middle, corrected])
    assert [(c.kind, c.entry_id, c.position, c.fields) for c in diff.changes] == [
        ("edited", 1, 20, ("date_text", "start", "end"))
    ]


def test_large_page_with_a_removed_block_still_pairs_the_edit_after_it():
    page = filler(40)
    edited = entry(page[30].date_text, page[30].body[0].replace("開催", "盛大に開催"))
    new = [*page[:10], *page[25:30], edited, *page[31:]]
    diff = diff_entries(known_from(page), new)
    assert diff.counts == {"added": 0, "edited": 1, "removed": 15, "moved": 0}
    (change,) = [c for c in diff.changes if c.kind == "edited"]
    assert (change.entry_id, change.position, change.fields) == (31, 15, ("body",))


# --- duplicates ---------------------------------------------------------------------------


def test_identical_records_are_separate_entries_matched_in_order():
    diff = diff_entries(known_from([A, B, B, C]), [A, B, B, C])
    assert diff.changes == ()
    assert diff.kept == ((1, 0), (2, 1), (3, 2), (4, 3))


def test_one_of_two_identical_records_removed_removes_the_later_one():
    diff = diff_entries(known_from([A, B, B, C]), [A, B, C])
    assert kinds(diff) == [("removed", 3, None)]


def test_a_third_copy_of_a_duplicate_is_added():
    diff = diff_entries(known_from([A, B, B, C]), [A, B, B, B, C])
    assert kinds(diff) == [("added", None, 3)]


def test_duplicate_headings_with_one_body_edited():
    heading = "平成5年8月"
    first = entry(heading, "本渓市少年団が来訪した。", start="1993-08", end="1993-08")
    again = entry(heading, "本渓市少年団が来訪した。", start="1993-08", end="1993-08")
    again_edited = entry(heading, "本渓市少年団18名が来訪した。", start="1993-08", end="1993-08")
    diff = diff_entries(known_from([A, first, again, B]), [A, first, again_edited, B])
    assert kinds(diff) == [("edited", 3, 2)]


# --- moved --------------------------------------------------------------------------------


def test_swapping_two_neighbours_moves_exactly_one_of_them():
    diff = diff_entries(known_from(PAGE), [A, C, B, D, E])
    assert diff.counts == {"added": 0, "edited": 0, "removed": 0, "moved": 1}
    change = diff.changes[0]
    assert change.kind == "moved"
    assert change.before == change.after
    assert change.fields == ()
    assert (change.entry_id, change.position) in {(2, 2), (3, 1)}


def test_moving_one_entry_far_reports_only_that_entry():
    diff = diff_entries(known_from(PAGE), [B, C, D, E, A])
    assert kinds(diff) == [("moved", 1, 4)]
    assert diff.kept == ((2, 0), (3, 1), (4, 2), (5, 3), (1, 4))


def test_reversed_page_moves_all_but_one():
    diff = diff_entries(known_from(PAGE), list(reversed(PAGE)))
    assert diff.counts["moved"] == 4
    assert len(diff.kept) == 5


# --- real data: Oyama P-4103 goldens --------------------------------------------------------


def test_oyama_v1_to_v2_one_addition_two_edits_and_a_swap():
    v1, v2 = golden("v1"), golden("v2")
    diff = diff_entries(known_from(v1.entries, first_id=100), v2.entries)
    assert diff.counts["added"] == 1
    assert diff.counts["edited"] == 2
    assert diff.counts["removed"] == 0
    assert diff.counts["moved"] <= 1  # 平成15年5月10日 and 平成15年4月13日 swapped places

    (added,) = [c for c in diff.changes if c.kind == "added"]
    assert added.after.date_text == "平成22年10月21日から10月22日まで"
    assert diff.added_positions == (added.position,)

    edits = {c.after.date_text: c for c in diff.changes if c.kind == "edited"}
    body_edit = edits["平成19年2月21日から2月22日まで"]
    assert body_edit.fields == ("body",)
    assert body_edit.before.date_text == body_edit.after.date_text
    date_fix = edits["平成17年11月4日から11月5日まで"]
    assert date_fix.before.date_text == "平成17年11月5日から11月6日まで"
    assert date_fix.fields == ("date_text", "start", "end")

    for moved in (c for c in diff.changes if c.kind == "moved"):
        assert moved.after.date_text in {"平成15年5月10日", "平成15年4月13日"}
    assert len(diff.kept) == len(v1.entries)


def test_oyama_v1_to_v2_shows_the_second_line_of_the_edited_entry_changed():
    v1, v2 = golden("v1"), golden("v2")
    diff = diff_entries(known_from(v1.entries), v2.entries)
    (change,) = [c for c in diff.changes if c.kind == "edited" and c.fields == ("body",)]
    lines = diff_lines(change.before, change.after)
    assert [line.op for line in lines] == ["equal", "equal", "replace"]
    assert lines[2] == LineChange(
        "replace",
        "小山市長への表敬訪問を行った。",
        "小山市長への表敬訪問を始め、小松製作所を視察した。",
    )


@pytest.mark.parametrize("name", ["v2-noise", "v2-renewal"])
def test_oyama_noise_and_renewal_give_no_entry_changes(name):
    v2, other = golden("v2"), golden(name)
    diff = diff_entries(known_from(v2.entries), other.entries)
    assert diff.changes == ()
    assert len(diff.kept) == len(v2.entries)


def test_oyama_v2_to_v3_two_added_one_removed_one_typo_fixed():
    v2, v3 = golden("v2"), golden("v3")
    diff = diff_entries(known_from(v2.entries), v3.entries)
    assert diff.counts == {"added": 2, "edited": 1, "removed": 1, "moved": 0}
    (removed,) = [c for c in diff.changes if c.kind == "removed"]
    assert removed.before.date_text == "平成13年9月"
    (edited,) = [c for c in diff.changes if c.kind == "edited"]
    assert edited.fields == ("body",)
    assert edited.before.date_text == edited.after.date_text == "昭和60年5月"
    assert sorted(c.after.date_text for c in diff.changes if c.kind == "added") == [
        "令和7年10月15日から10月17日まで",
        "平成20年8月",
    ]


def test_oyama_changes_come_in_new_page_order_with_the_removal_where_it_was():
    v2, v3 = golden("v2"), golden("v3")
    diff = diff_entries(known_from(v2.entries), v3.entries)
    order = [(c.after or c.before).date_text for c in diff.changes]
    assert order == ["昭和60年5月", "平成13年9月", "平成20年8月", "令和7年10月15日から10月17日まで"]


# --- changed_fields, diff_lines, diff_page_info ---------------------------------------------


def test_changed_fields_lists_contract_fields_in_contract_order():
    after = EntryRecord("昭和60年7月", "1985-07", "1985-07", ("別の本文",), note="注")
    assert changed_fields(A, after) == ("date_text", "start", "end", "body", "note")
    assert changed_fields(A, A) == ()


def test_changed_fields_sees_an_added_body_line():
    after = EntryRecord(A.date_text, A.start, A.end, (*A.body, "追記。"))
    assert changed_fields(A, after) == ("body",)


def test_diff_lines_of_an_added_entry_is_all_inserts():
    assert diff_lines(None, B) == [
        LineChange("insert", None, "昭和60年6月"),
        LineChange("insert", None, "小林武夫市長より返書を送った。"),
    ]


def test_diff_lines_of_a_removed_entry_is_all_deletes():
    assert [line.op for line in diff_lines(B, None)] == ["delete", "delete"]


def test_diff_lines_pairs_replaced_lines_and_reports_extra_ones():
    before = entry("平成3年10月", "一行目。", "二行目。")
    after = entry("平成3年10月", "一行目(改)。", "二行目(改)。", "三行目。")
    assert diff_lines(before, after) == [
        LineChange("equal", "平成3年10月", "平成3年10月"),
        LineChange("replace", "一行目。", "一行目(改)。"),
        LineChange("replace", "二行目。", "二行目(改)。"),
        LineChange("insert", None, "三行目。"),
    ]


def test_page_metadata_changes_are_reported_separately_from_entries():
    v2, noise = golden("v2"), golden("v2-noise")
    assert diff_page_info(v2.page, noise.page) == ("updated",)
    assert diff_page_info(v2.page, v2.page) == ()
    assert diff_entries(known_from(v2.entries), noise.entries).changes == ()


def test_page_info_without_a_previous_one_lists_what_is_set():
    info = PageInfo(id="P-4103", title="本渓市との交流経過", updated="2021-11-01")
    assert diff_page_info(None, info) == ("id", "title", "updated")
    assert diff_page_info(info, PageInfo(id="P-4103", title="本渓市との交流経過")) == ("updated",)


def test_entry_change_defaults_to_no_fields():
    change = EntryChange("added", None, None, A, 0)
    assert change.fields == ()


# --- invariants over arbitrary pages --------------------------------------------------------

LINES = (
    "訪問した。",
    "視察した。",
    "交流会を開いた。",
    "記念品を贈呈した。",
    "調印式を行った。",
    "7日〜10日滞在した。",
    "7日～10日滞在した。",
)
DATES = ("平成3年7月", "平成3年10月", "平成4年11月", "令和元年5月")
any_record = st.builds(
    lambda date, body: entry(date, *body),
    st.sampled_from(DATES),
    st.lists(st.sampled_from(LINES), min_size=0, max_size=3).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(any_record, max_size=25),
    st.lists(any_record, max_size=25),
    st.lists(any_record, max_size=5),
)
def test_every_entry_is_accounted_for_exactly_once(old, new, gone):
    known = known_from(old)
    removed_before = known_from(gone, first_id=100)
    diff = diff_entries(known, new, removed=removed_before)
    by_id = {k.entry_id: k.record for k in known}
    gone_by_id = {k.entry_id: k.record for k in removed_before}
    removed = [c.entry_id for c in diff.changes if c.kind == "removed"]
    kept_ids = [entry_id for entry_id, _ in diff.kept]
    assert sorted(kept_ids + removed) == sorted(by_id)
    kept_positions = [j for _, j in diff.kept]
    assert sorted(kept_positions + list(diff.added_positions)) == list(range(len(new)))
    back = [c.entry_id for c in diff.changes if c.kind == "added" and c.entry_id is not None]
    assert len(back) == len(set(back)) and set(back) <= set(gone_by_id)

    kept = dict(diff.kept)
    edited = {c.entry_id for c in diff.changes if c.kind == "edited"}
    for change in diff.changes:
        if change.kind in ("edited", "moved"):
            assert kept[change.entry_id] == change.position
            assert change.before == by_id[change.entry_id]
            assert change.after == new[change.position]
        if change.kind == "edited":
            assert change.fields == changed_fields(change.before, change.after) != ()
        if change.kind == "moved":
            assert changed_fields(change.before, change.after) == ()
        if change.kind == "added" and change.entry_id is not None:
            assert changed_fields(gone_by_id[change.entry_id], change.after) == ()
    for entry_id, j in diff.kept:
        if entry_id not in edited:
            assert changed_fields(by_id[entry_id], new[j]) == ()
    positions = [c.position for c in diff.changes if c.position is not None]
    assert positions == sorted(positions)
    assert sum(diff.counts.values()) == len(diff.changes)
