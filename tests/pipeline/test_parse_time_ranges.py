"""A time of day with a range mark after a day (2023年8月2日(水)14時～ 交流会, 令和5年8月2日
14:00～16:00　式典, 8月2日（水）午後2時から): the date is the day, the time and its range open the
body, as a time alone does; a time running into a sentence leaves the line prose."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.dates import match_date, normalize_date, year_context
from pipeline.parse import parse_page

_2023 = year_context(normalize_date("2023年"))


@pytest.mark.parametrize(
    ("line", "date_text", "rest"),
    [
        ("2023年8月2日(水)14時～ 交流会", "2023年8月2日(水)", "14時～ 交流会"),
        ("2023年8月2日(水)14時から", "2023年8月2日(水)", "14時から"),
        ("2023年8月2日(水)14:00-　交流会", "2023年8月2日(水)", "14:00-　交流会"),
        ("8月2日（水）午後2時から", "8月2日（水）", "午後2時から"),
        ("8月2日(水)14時～16時まで　交流会", "8月2日(水)", "14時～16時まで　交流会"),
    ],
)
def test_a_time_with_a_range_mark_after_a_day_is_the_days_text(
    line: str, date_text: str, rest: str
) -> None:
    found = match_date(line, context=_2023)
    assert found is not None
    assert (found.date_text, found.span.start, found.span.end, found.rest) == (
        date_text,
        "2023-08-02",
        "2023-08-02",
        rest,
    )


@pytest.mark.parametrize(
    "line",
    [
        "2023年8月2日14時から雨が降った",
        "8月2日午後2時から雨",
        "8月2日14時式典",
        "8月2日14時～ 交流会",
    ],
)
def test_a_time_running_into_text_is_no_date_heading(line: str) -> None:
    assert match_date(line, context=_2023) is None


def test_times_with_range_marks_after_days_open_the_entries_bodies() -> None:
    data = html_page(
        "<main><h1>夏のつどい</h1><ul><li>2023年7月1日　開会式</li>"
        "<li>2023年8月2日(水)14時～ 交流会</li>"
        "<li>令和5年8月3日 14:00～16:00　式典</li>"
        "<li>2023年8月4日(金)午後2時から 見学会</li>"
        "<li>2023年8月5日(土)午後2時から開会しました。</li></ul>"
        "<h2>2024年</h2><ul><li>8月2日（金）午後2時から</li><li>8月3日 閉会</li></ul></main>",
        "夏のつどい",
    )
    parsed = parse_page(data)
    assert [(e.date_text, e.start, e.end, e.body) for e in parsed.entries] == [
        ("2023年7月1日", "2023-07-01", "2023-07-01", ("開会式",)),
        ("2023年8月2日(水)", "2023-08-02", "2023-08-02", ("14時～ 交流会",)),
        ("令和5年8月3日", "2023-08-03", "2023-08-03", ("14:00～16:00　式典",)),
        (
            "2023年8月4日(金)",
            "2023-08-04",
            "2023-08-04",
            ("午後2時から 見学会", "2023年8月5日(土)午後2時から開会しました。"),
        ),
        ("8月2日（金）", "2024-08-02", "2024-08-02", ("午後2時から",)),
        ("8月3日", "2024-08-03", "2024-08-03", ("閉会",)),
    ]
