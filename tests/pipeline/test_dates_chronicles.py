"""Date forms real chronology pages use, read since session 8: a range to the present
(平成15年4月～現在), a date of effect or as of which (平成3年4月1日付で, 令和5年4月1日現在), a
lunisolar leap month (天保3年閏11月), a year written twice before its month (慶応4年（明治元年）
9月8日), and English decades (1970s, the early 1990s)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dates import ERAS, era_dates, read_date

from pipeline.dates import (
    OLD_ERA_FIRST_YEAR,
    DateError,
    DateSpan,
    YearContext,
    era_context,
    match_date,
    normalize_date,
    year_context,
)


def _reading(line: str, context: YearContext | None = None) -> tuple:
    found = read_date(line, context)
    return found.date_text, found.span, found.rest


def _era_year_text(era: str, era_year: int) -> str:
    return f"{era}{'元' if era_year == 1 else era_year}年"


# --- a range to the present ---------------------------------------------------------------------

TO_THE_PRESENT = [
    (
        "平成15年4月～現在　日本語教室を開催",
        "平成15年4月～現在",
        "2003-04",
        "以降",
        "日本語教室を開催",
    ),
    ("2015年〜現在", "2015年〜現在", "2015", "以降", ""),
    ("平成28年4月から現在まで", "平成28年4月から現在まで", "2016-04", "以降", ""),
    ("昭和50年～今日", "昭和50年～今日", "1975", "以降", ""),
    ("平成元年から現在に至る", "平成元年から現在に至る", "1989", "以降", ""),
    ("平成元年～現在に至るまで 継続", "平成元年～現在に至るまで", "1989", "以降", "継続"),
    ("2013/2/21 ～ 現在　運行", "2013/2/21 ～ 現在", "2013-02-21", "以降", "運行"),
    ("2015年 - 現在 開始", "2015年 - 現在", "2015", "以降", "開始"),  # a dash before 現在 only
    ("平成15年度～現在", "平成15年度～現在", "2003-04", "年度・以降", ""),
    ("平成15年4月上旬～現在", "平成15年4月上旬～現在", "2003-04", "上旬・以降", ""),
    ("天保14年5月～現在", "天保14年5月～現在", "1843-05", "以降", ""),
]


@pytest.mark.parametrize(("line", "date_text", "start", "note", "rest"), TO_THE_PRESENT)
def test_a_range_to_the_present_reads_as_a_range_with_no_end(
    line: str, date_text: str, start: str, note: str, rest: str
) -> None:
    """The same reading as 平成15年4月～ (the start, note 以降), the words kept in the date's
    text: a page that later writes the end edits the entry's date."""
    end = f"{int(start[:4]) + 1:04d}-03" if "年度" in note else start
    assert _reading(line) == (date_text, DateSpan(start, end, note), rest)
    assert not match_date(line).year_only


@pytest.mark.parametrize(
    ("line", "near_miss"),
    [
        ("平成15年4月から現在まで　継続", "平成15年4月から現在も継続"),  # a sentence
        ("平成15年4月～現在", "平成15年4月～現在地"),
        ("平成15年4月～現在 継続", "平成15年4月～現在、継続"),  # as 平成15年4月から、… is
        ("平成15年4月－現在", "平成15年4月－現在地で"),
        ("昭和40年～現在", "昭和40年代～現在"),  # a decade opens no open range (昭和40年代～)
        ("平成4年～現在", "4月～現在"),  # no year
    ],
)
def test_a_range_to_the_present_ends_with_its_words(line: str, near_miss: str) -> None:
    assert read_date(line).span.note == "以降"
    assert match_date(near_miss) is None


def test_a_range_to_the_present_under_a_year_heading() -> None:
    found = read_date("4月～現在　運行", YearContext(2003))
    assert (found.date_text, found.span, found.rest) == (
        "4月～現在",
        DateSpan("2003-04", "2003-04", "以降"),
        "運行",
    )


@settings(max_examples=200)
@given(
    era_dates(),
    st.sampled_from(["year", "month", "day"]),
    st.sampled_from(["～現在", "〜現在", "から現在まで", "～今日", "から現在に至る", " ～ 現在"]),
    st.sampled_from(["", "　運行開始", " 運行開始"]),
)
def test_any_date_to_the_present_is_its_open_range(
    era_date: tuple, precision: str, mark: str, rest: str
) -> None:
    (era, _letter, _first, _last), era_year, day = era_date
    date = _era_year_text(era, era_year)
    iso = f"{day.year:04d}"
    if precision != "year":
        date, iso = f"{date}{day.month}月", f"{iso}-{day.month:02d}"
    if precision == "day":
        date, iso = f"{date}{day.day}日", f"{iso}-{day.day:02d}"
    assert _reading(f"{date}{mark}{rest}") == (
        f"{date}{mark}",
        DateSpan(iso, iso, "以降"),
        rest.strip(" \u3000"),
    )


ENGLISH_TO_THE_PRESENT = [
    ("May 2019 – Present", "May 2019 – Present", "2019-05", ""),
    ("April 1998 to present: Sister city", "April 1998 to present", "1998-04", "Sister city"),
    ("May 10, 2019 - today, exchange", "May 10, 2019 - today", "2019-05-10", "exchange"),
    ("June 2020 – now", "June 2020 – now", "2020-06", ""),
    ("March 1985 until the present", "March 1985 until the present", "1985-03", ""),
]


@pytest.mark.parametrize(("line", "date_text", "start", "rest"), ENGLISH_TO_THE_PRESENT)
def test_an_english_range_to_the_present_reads_as_a_range_with_no_end(
    line: str, date_text: str, start: str, rest: str
) -> None:
    """As ～現在 does, with the English note Onward: before, "May 2019 – Present" read May
    2019 with its body opening "Present", the dash lost."""
    assert _reading(line) == (date_text, DateSpan(start, start, "Onward"), rest)


@pytest.mark.parametrize(
    ("line", "near_miss"),
    [
        ("May 2019 – present", "May 2019 – presently"),
        ("May 2019 – present: talks", "May 2019 – present day talks"),  # a sentence after it
    ],
)
def test_an_english_range_to_the_present_ends_with_its_words(line: str, near_miss: str) -> None:
    assert read_date(line).span.note == "Onward"
    assert read_date(near_miss).span.note is None


# --- a date of effect (付), a date as of which (現在) --------------------------------------------

AS_OF = [
    ("平成3年4月1日付で姉妹都市提携", "平成3年4月1日付で", "1991-04-01", "姉妹都市提携"),
    ("平成3年4月1日付けで 提携", "平成3年4月1日付けで", "1991-04-01", "提携"),
    ("平成3年4月1日付　提携", "平成3年4月1日付", "1991-04-01", "提携"),
    ("令和5年4月1日付をもって廃止", "令和5年4月1日付をもって", "2023-04-01", "廃止"),
    ("令和5年4月1日現在", "令和5年4月1日現在", "2023-04-01", ""),
    ("令和5年4月1日現在　会員数120名", "令和5年4月1日現在", "2023-04-01", "会員数120名"),
    ("令和5年4月現在", "令和5年4月現在", "2023-04", ""),
    ("2023年現在", "2023年現在", "2023", ""),
    ("R5.4.1現在", "R5.4.1現在", "2023-04-01", ""),
    ("2023.4.1付で採用", "2023.4.1付で", "2023-04-01", "採用"),
]


@pytest.mark.parametrize(("line", "date_text", "iso", "rest"), AS_OF)
def test_tsuke_and_genzai_after_a_date_are_the_dates_words(
    line: str, date_text: str, iso: str, rest: str
) -> None:
    found = read_date(line)
    assert (found.date_text, found.span, found.rest) == (date_text, DateSpan(iso, iso), rest)
    assert not found.year_only  # 2023年現在 is no year heading


@pytest.mark.parametrize(
    ("suffix", "word"),
    [
        ("付", "付近"),
        ("付けで", "付き添い"),
        ("付で", "付属病院開院"),
        ("現在", "現在の会員数"),
        ("現在", "現在地へ移転"),
    ],
)
def test_words_that_open_with_tsuke_or_genzai_stay_the_texts(suffix: str, word: str) -> None:
    date = "令和2年4月1日"
    assert _reading(f"{date}{suffix}　開院")[0] == date + suffix
    found = read_date(date + word)
    assert (found.date_text, found.rest) == (date, word)


def test_a_date_of_effect_under_a_year_heading() -> None:
    """4月1日付けで: the 付けで parts the date from its text, as a space would (a year-less date
    may not run straight into its text)."""
    found = read_date("4月1日付けで提携", YearContext(1991))
    assert (found.date_text, found.span, found.rest) == (
        "4月1日付けで",
        DateSpan("1991-04-01", "1991-04-01"),
        "提携",
    )
    assert match_date("4月1日付近で", context=YearContext(1991)) is None


@settings(max_examples=200)
@given(era_dates(), st.sampled_from(["付で", "付けで", "付", "現在"]), st.booleans())
def test_any_date_of_effect_or_as_of_reads_as_the_date(
    era_date: tuple, suffix: str, with_text: bool
) -> None:
    (era, _letter, _first, _last), era_year, day = era_date
    date = f"{_era_year_text(era, era_year)}{day.month}月{day.day}日"
    body = "姉妹都市提携" if with_text else ""
    if body and not suffix.endswith("で"):
        body = "　" + body
    assert _reading(date + suffix + body) == (
        date + suffix,
        DateSpan(day.isoformat(), day.isoformat()),
        body.strip("\u3000"),
    )


# --- a leap month of the lunisolar calendar -----------------------------------------------------

LEAP_MONTHS = [
    ("天保3年閏11月", "1832-11", "1832-11", "閏"),
    ("文久2年閏8月15日", "1862-08-15", "1862-08-15", "閏"),
    ("文久2年閏8月15日～20日", "1862-08-15", "1862-08-20", "閏"),
    ("文久2年閏8月上旬", "1862-08", "1862-08", "閏・上旬"),
    ("文久2年閏8月～", "1862-08", "1862-08", "閏・以降"),
    ("慶応4年（明治元年）閏4月", "1868-04", "1868-04", "閏"),
    ("1862年（文久2年）閏8月15日", "1862-08-15", "1862-08-15", "閏"),  # the era writes it
    ("天平15年閏3月", "0743-03", "0743-03", "閏"),
]


@pytest.mark.parametrize(("line", "start", "end", "note"), LEAP_MONTHS)
def test_a_leap_month_is_its_month_with_the_note_leap(
    line: str, start: str, end: str, note: str
) -> None:
    assert _reading(line) == (line, DateSpan(start, end, note), "")


def test_a_leap_month_under_a_lunisolar_year_or_era_heading() -> None:
    under_year = year_context(read_date("文久2年"))
    assert read_date("閏8月15日　出来事", under_year).span == DateSpan(
        "1862-08-15", "1862-08-15", "閏"
    )
    under_era = read_date("2年閏8月", era_context("文久"))
    assert (under_era.date_text, under_era.span.note) == ("2年閏8月", "閏")
    # under a western year the days are ISO days, which have no leap month
    assert match_date("閏8月15日　出来事", context=year_context(read_date("1862年"))) is None


@pytest.mark.parametrize(
    ("line", "near_miss"),
    [
        ("文久2年閏8月", "平成2年閏8月"),  # the solar calendar has no leap month
        ("1862年（文久2年）閏8月", "1862年閏8月"),  # nor has a western year's (ISO) calendar
        ("文久2年閏8月30日", "文久2年閏8月31日"),  # a lunisolar month had 29 or 30 days
        # a range out of the leap month: which end is the leap one?
        ("文久2年閏8月15日～30日", "文久2年閏8月15日～9月1日"),
        ("文久2年閏8月25日～29日", "文久2年閏8月25日～3日"),  # (into the next month)
        ("文久2年閏8月～", "文久2年8月～閏8月"),
        ("文久2年閏8月", "文久2年閏8～9月"),
        ("文久2年閏8月", "閏8月"),  # no year
    ],
)
def test_a_leap_month_only_where_its_calendar_has_one(line: str, near_miss: str) -> None:
    assert "閏" in read_date(line).span.note
    assert match_date(near_miss) is None
    with pytest.raises(DateError):
        normalize_date(near_miss)


_OLD_ERAS = list(OLD_ERA_FIRST_YEAR.items())
_OLD_ERA_LAST = {
    era: following - first + 1
    for (era, first), following in zip(
        _OLD_ERAS, [*list(OLD_ERA_FIRST_YEAR.values())[1:], 1868], strict=True
    )
}


@settings(max_examples=200)
@given(st.sampled_from(_OLD_ERAS), st.data(), st.integers(1, 12), st.integers(0, 28))
def test_a_leap_month_never_reads_as_its_month(
    era_first: tuple[str, int], data: st.DataObject, month: int, day: int
) -> None:
    """閏N月 and N月 of a year have the same span (ISO 8601 has no leap month) but never the
    same reading: the note 閏 and the date's text tell them apart, so two entries, one in each,
    are two entries."""
    era, first = era_first
    era_year = data.draw(st.integers(1, _OLD_ERA_LAST[era]))
    year = _era_year_text(era, era_year)
    days = f"{day}日" if day else ""
    plain = read_date(f"{year}{month}月{days}")
    leap = read_date(f"{year}閏{month}月{days}")
    iso = f"{first + era_year - 1:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    assert plain.span == DateSpan(iso, iso)
    assert leap.span == DateSpan(iso, iso, "閏")
    assert leap.date_text != plain.date_text


# --- a year written twice before its month -----------------------------------------------------

WRITTEN_TWICE = [
    ("慶応4年（明治元年）9月8日", "1868-09-08"),
    ("明治元年（慶応4年）9月8日", "1868-09-08"),
    ("1868年（慶応4年・明治元年）9月8日", "1868-09-08"),
    ("平成31年（令和元年）5月1日", "2019-05-01"),
    ("昭和64年（平成元年）1月7日", "1989-01-07"),
    ("平成元年（1989年）2月24日", "1989-02-24"),  # as 平成元年（1989年） alone reads
    ("2019年（平成31年・令和元年）5月1日", "2019-05-01"),
]


@pytest.mark.parametrize(("line", "iso"), WRITTEN_TWICE)
def test_a_year_written_twice_before_its_month_is_one_date(line: str, iso: str) -> None:
    assert _reading(line + "　改元") == (line, DateSpan(iso, iso), "改元")


@pytest.mark.parametrize(
    ("line", "near_miss"),
    [
        ("平成31年（令和元年）5月1日", "平成31年（令和2年）5月1日"),  # the two disagree
        ("慶応4年（明治元年）9月8日", "慶応3年（明治元年）9月8日"),
        ("1868年（慶応4年・明治元年）9月8日", "1868年（慶応4年・明治2年）9月8日"),
        ("平成31年（令和元年）5月1日", "平成31年（2回目）5月1日"),  # a bracket saying else
    ],
)
def test_a_bracket_that_is_no_restatement_makes_no_date(line: str, near_miss: str) -> None:
    assert read_date(line).date_text == line
    assert match_date(near_miss) is None
    assert match_date("平成元年（2回目）") is None  # (as before: not a year written again)


# The years two eras share (the last of one, the first of the next: 慶応4年 and 明治元年 are 1868)
_SHARED_YEARS = [(e[0], e[2]) for e in ERAS]  # (each era's first year; the era before it)
_ERA_BEFORE = {"明治": ("慶応", 4), "大正": ("明治", 45), "昭和": ("大正", 15)}
_ERA_BEFORE |= {"平成": ("昭和", 64), "令和": ("平成", 31)}


@settings(max_examples=200)
@given(st.sampled_from(_SHARED_YEARS), st.integers(1, 12), st.integers(1, 28), st.booleans())
def test_a_year_two_eras_share_written_both_ways_before_its_month(
    era_first: tuple[str, int], month: int, day: int, older_first: bool
) -> None:
    era, year = era_first
    before, last = _ERA_BEFORE[era]
    older, newer = f"{before}{last}年", f"{era}元年"
    outer, inner = (older, newer) if older_first else (newer, older)
    for line in [
        f"{outer}（{inner}）{month}月{day}日",
        f"{year}年（{older}・{newer}）{month}月{day}日",
    ]:
        iso = f"{year:04d}-{month:02d}-{day:02d}"
        assert _reading(line + "　改元") == (line, DateSpan(iso, iso), "改元")


# --- English decades ----------------------------------------------------------------------------

ENGLISH_DECADES = [
    ("1970s", "1970", "1979", "Decade", ""),
    ("1970s: Sister city talks began", "1970", "1979", "Decade", "Sister city talks began"),
    ("the 1980s", "1980", "1989", "Decade", ""),
    ("The 1980s – Exchanges grew", "1980", "1989", "Decade", "Exchanges grew"),
    ("1990's", "1990", "1999", "Decade", ""),
    ("1990’s", "1990", "1999", "Decade", ""),
    ("Early 1990s", "1990", "1999", "Early・Decade", ""),
    ("Mid-1970s", "1970", "1979", "Mid・Decade", ""),
    ("mid 1990s", "1990", "1999", "Mid・Decade", ""),
    ("Late 1960s: Students came", "1960", "1969", "Late・Decade", "Students came"),
    ("the late 1960s", "1960", "1969", "Late・Decade", ""),
]


@pytest.mark.parametrize(("line", "start", "end", "note", "rest"), ENGLISH_DECADES)
def test_an_english_decade_is_its_ten_years(
    line: str, start: str, end: str, note: str, rest: str
) -> None:
    """As 1970年代 is (note 年代): the part written before it is noted, not narrowed to years
    (early, mid and late name none, as in early March 2024)."""
    found = read_date(line)
    assert (found.span, found.rest) == (DateSpan(start, end, note), rest)
    assert not found.year_only


@pytest.mark.parametrize(
    ("line", "near_miss"),
    [
        ("1970s", "1975s"),
        ("1970s", "1970st"),
        ("1970s: Tour", "1970s-1980s"),  # a range of decades: not read
        ("Early 1990s", "Early 1995s"),
        ("the 1970s", "the 1975s"),
        ("The 1980s – Exchanges grew", "The 1980s saw the exchanges grow"),  # a sentence
        ("1970s", "1970"),  # a bare year: pipeline.parse decides
    ],
)
def test_an_english_decade_starts_a_decade(line: str, near_miss: str) -> None:
    assert "Decade" in read_date(line).span.note
    assert match_date(near_miss) is None


@settings(max_examples=100)
@given(st.integers(100, 299), st.sampled_from(["s", "'s", "’s"]), st.sampled_from(["", "Late "]))
def test_any_english_decade_round_trips(tens: int, mark: str, part: str) -> None:
    note = "Late・Decade" if part else "Decade"
    found = read_date(f"{part}{tens}0{mark}: text")
    assert (found.span, found.rest) == (DateSpan(f"{tens}0", f"{tens}9", note), "text")
