"""Date forms read since session 7: a western year with its era in parentheses before a dotted
date, ranges of parts of a month, English seasons, year-first English dates, range ends written
同年 (the same year), 翌年 (the next) or 同月 (the same month), 上期/下期, and early, mid or late
in an English month or year."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dates import EN_MONTH_NAMES, ERAS

from pipeline.dates import (
    DateError,
    DateSpan,
    YearContext,
    match_date,
    normalize_date,
)


def _read(line: str, context: YearContext | None = None) -> tuple[str, str, str | None, str]:
    found = match_date(line, context=context)
    assert found is not None, line
    return found.span.start, found.span.end, found.span.note, found.rest


def _no_date(line: str, context: YearContext | None = None) -> None:
    assert match_date(line, context=context) is None, line
    with pytest.raises(DateError):
        normalize_date(line, context=context)


# --- a western year with its era in parentheses, in a dotted date ------------------------------

WESTERN_WITH_ERA = [
    ("2019(H31).4.1", "2019-04-01", "2019-04-01", ""),
    ("2019（H31）.4.1 新元号発表", "2019-04-01", "2019-04-01", "新元号発表"),
    ("1989(昭和64).1.7", "1989-01-07", "1989-01-07", ""),
    ("1989(平成元).1.8", "1989-01-08", "1989-01-08", ""),
    ("2019(令和元年)/5/1", "2019-05-01", "2019-05-01", ""),
    ("2019(R1).5.1～5.3", "2019-05-01", "2019-05-03", ""),
    ("2019(H31).4", "2019-04", "2019-04", ""),
    # and the era year first, the western year in parentheses
    ("H31(2019).4.1", "2019-04-01", "2019-04-01", ""),
    ("平成31(2019).4.1　開庁", "2019-04-01", "2019-04-01", "開庁"),
    # (read before, with 年: unchanged)
    ("2019（平成31）年4月1日", "2019-04-01", "2019-04-01", ""),
]


@pytest.mark.parametrize(("line", "start", "end", "rest"), WESTERN_WITH_ERA)
def test_a_western_year_with_its_era_in_parentheses(
    line: str, start: str, end: str, rest: str
) -> None:
    assert _read(line) == (start, end, None, rest)


@pytest.mark.parametrize(
    "line",
    [
        "2019(H30).4.1",  # the era year is another year
        "1989(昭和63).1.7",
        "2019(令和2).5.1",
        "H30(2019).4.1",
        "平成31(2018).4.1",
        "2019(H99).4.1",  # out of its era
        "2019(X31).4.1",
        "2019(H31)",  # no month: a year and a note, not a dotted date
        "H31(2019)",
        "2019(H31).13.1",
        "2019(H31).2.30",
    ],
)
def test_a_western_year_with_a_disagreeing_or_broken_era_is_no_date(line: str) -> None:
    _no_date(line)


@settings(max_examples=300)
@given(
    st.sampled_from(ERAS),
    st.data(),
    st.sampled_from([".", "/"]),
    st.booleans(),
    st.booleans(),
    st.integers(-2, 2),
)
def test_western_and_era_years_in_parentheses_round_trip(
    era: tuple[str, str, int, int],
    data: st.DataObject,
    sep: str,
    letter: bool,
    western_first: bool,
    shift: int,
) -> None:
    name, initial, first, last = era
    era_year = data.draw(st.integers(1, last))
    year = max(first + era_year - 1, 1873)  # (no lunisolar days here)
    era_year = year - first + 1
    day = data.draw(st.dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    written_era = f"{initial if letter else name}{era_year}"
    other = year + shift
    if western_first:
        text = f"{other}({written_era}){sep}{day.month}{sep}{day.day}"
    else:
        text = f"{written_era}({other}){sep}{day.month}{sep}{day.day}"
    if shift == 0:
        assert normalize_date(text) == DateSpan(day.isoformat(), day.isoformat())
        assert _read(text + " 本文") == (day.isoformat(), day.isoformat(), None, "本文")
    else:
        _no_date(text)


# --- a range of parts of a month ---------------------------------------------------------------
# 4月上旬～中旬 spans its month with both parts in the note, as 5月下旬～6月上旬 (read before)
# spans two months with 下旬・上旬.

MONTH_PART_RANGES = [
    ("平成10年4月上旬～中旬", "1998-04", "1998-04", "上旬・中旬", ""),
    ("平成10年4月中旬から下旬", "1998-04", "1998-04", "中旬・下旬", ""),
    ("平成10年4月中旬から下旬まで　田植え", "1998-04", "1998-04", "中旬・下旬", "田植え"),
    ("1998年4月上旬-下旬 工事", "1998-04", "1998-04", "上旬・下旬", "工事"),
    ("平成10年4月初旬〜中旬頃", "1998-04", "1998-04", "初旬・中旬頃", ""),
    ("平成10年4月上旬～中旬ごろ", "1998-04", "1998-04", "上旬・中旬頃", ""),
    ("平成10年4月中旬～末", "1998-04", "1998-04", "中旬・末", ""),
    ("平成10年4月初め～半ば", "1998-04", "1998-04", "初め・半ば", ""),
    ("平成10年4月上旬～中旬(予定)", "1998-04", "1998-04", "上旬・中旬・予定", ""),
    ("天保14年4月上旬～中旬", "1843-04", "1843-04", "上旬・中旬", ""),
    # (read before: one month's part to another's)
    ("平成10年5月下旬〜6月上旬", "1998-05", "1998-06", "下旬・上旬", ""),
]


@pytest.mark.parametrize(("line", "start", "end", "note", "rest"), MONTH_PART_RANGES)
def test_a_range_of_parts_of_a_month(line: str, start: str, end: str, note: str, rest: str) -> None:
    assert _read(line) == (start, end, note, rest)


@pytest.mark.parametrize(
    ("line", "start", "end", "note"),
    [
        ("4月上旬～中旬", "2000-04", "2000-04", "上旬・中旬"),
        ("5月下旬〜6月上旬", "2000-05", "2000-06", "下旬・上旬"),
        ("12月下旬～1月上旬", "2000-12", "2001-01", "下旬・上旬"),
    ],
)
def test_a_range_of_parts_of_a_month_under_a_year_heading(
    line: str, start: str, end: str, note: str
) -> None:
    assert _read(line, YearContext(2000)) == (start, end, note, "")
    assert match_date(line) is None  # no year: no date


@pytest.mark.parametrize(
    "line",
    [
        "平成10年4月下旬から中旬",  # the end before the start
        "平成10年4月中旬～上旬",
        "平成10年4月上旬から上旬",
        "平成10年4月中旬～半ば",  # the same part
        "平成10年4月上旬頃～中旬",  # an approximate start opens no range of parts
        "平成10年4月5日～中旬",  # a day is no part
        "平成10年4月～中旬",
        "平成10年度4月上旬～中旬",
        "平成10年4月中旬～末日",  # (a day: no part)
    ],
)
def test_what_is_no_range_of_parts_of_a_month(line: str) -> None:
    _no_date(line)


MONTH_PARTS = ["上旬", "初旬", "初め", "中旬", "半ば", "下旬", "末"]
_RANK = {"上旬": 1, "初旬": 1, "初め": 1, "中旬": 2, "半ば": 2, "下旬": 3, "末": 3}


@settings(max_examples=300)
@given(
    st.integers(1873, 2100),
    st.integers(1, 12),
    st.sampled_from(MONTH_PARTS),
    st.sampled_from(MONTH_PARTS),
    st.sampled_from(["～", "〜", "から", "-"]),
    st.sampled_from(["", "頃", "まで"]),
    st.booleans(),
)
def test_month_part_ranges_round_trip(
    year: int, month: int, first: str, last: str, sep: str, tail: str, under_heading: bool
) -> None:
    text = f"{month}月{first}{sep}{last}{tail}"
    context = YearContext(year) if under_heading else None
    if not under_heading:
        text = f"{year}年{text}"
    iso = f"{year:04d}-{month:02d}"
    if _RANK[last] > _RANK[first]:  # (～…まで is read too, as for other ranges)
        note = f"{first}・{last}{'頃' if tail == '頃' else ''}"
        assert _read(text + "　行事", context) == (iso, iso, note, "行事")
        assert normalize_date(text, context=context) == DateSpan(iso, iso, note)
    else:
        with pytest.raises(DateError):
            normalize_date(text, context=context)


# --- English seasons ----------------------------------------------------------------------------
# A season and its four-digit year is the year with the season in the note, as 1998年春 is; a
# winter may name both years it spans (Winter 1999-2000), as 1999～2000年冬 does.

ENGLISH_SEASONS = [
    ("Spring 1985", "1985", "1985", "Spring", ""),
    ("Summer of 1998", "1998", "1998", "Summer", ""),
    ("Autumn 2003", "2003", "2003", "Autumn", ""),
    ("Fall 2003 semester", "2003", "2003", "Fall", "semester"),
    ("fall, 2003: exchange", "2003", "2003", "Fall", "exchange"),
    ("SPRING 1985 - First delegation", "1985", "1985", "Spring", "First delegation"),
    ("Winter 1999", "1999", "1999", "Winter", ""),
    ("Winter 1999-2000", "1999", "2000", "Winter", ""),
    ("Winter 1999/2000 ski camp", "1999", "2000", "Winter", "ski camp"),
    ("Winter 1999–2000: ski camp", "1999", "2000", "Winter", "ski camp"),
    ("Winter 1999-00", "1999", "2000", "Winter", ""),
    ("Winter of 2009-10", "2009", "2010", "Winter", ""),
    ("Ｓｐｒｉｎｇ １９８５", "1985", "1985", "Spring", ""),
    # a dash between spaces separates: what follows is the body
    ("Winter 1999 - 2000 people took part", "1999", "1999", "Winter", "- 2000 people took part"),
]


@pytest.mark.parametrize(("line", "start", "end", "note", "rest"), ENGLISH_SEASONS)
def test_english_seasons(line: str, start: str, end: str, note: str, rest: str) -> None:
    assert _read(line) == (start, end, note, rest)
    found = match_date(line)
    assert found is not None and not found.year_only  # a season is no year heading
    if not rest:
        assert normalize_date(line) == DateSpan(start, end, note)


@pytest.mark.parametrize(
    "line",
    [
        "Spring",
        "Spring 85",  # a two-digit year
        "Spring 0985",
        "Spring 19850",
        "Springfield 1985",
        "Falls 2019",
        "Winterfest 2019",
        "Winter festival 2019",
        "Summer of love 1969",
        "Spring 1985th anniversary",
        "Spring 1985年",  # runs into text
        "Summer 1998-2000",  # not one season
        "Summer 1998-1999",  # only a winter spans two years
        "Winter 1999-2001",
        "Winter 1999-01",
        "Winter 2000-1999",
        "Winter 1999-1999",
        "Winter 9999-10000",
    ],
)
def test_what_is_no_english_season(line: str) -> None:
    _no_date(line)


def test_a_season_without_a_year_takes_none_from_a_context() -> None:
    assert match_date("Spring festival", context=YearContext(2019)) is None
    assert match_date("Summer 1985", context=YearContext(2019)).span.start == "1985"


_SEASON_KANJI = {"Spring": "春", "Summer": "夏", "Autumn": "秋", "Fall": "秋", "Winter": "冬"}


@settings(max_examples=300)
@given(
    st.integers(1000, 9998),
    st.sampled_from(sorted(_SEASON_KANJI)),
    st.sampled_from([" ", " of ", ", ", "\u3000"]),
    st.sampled_from([str.lower, str.upper, str.title]),
    st.sampled_from(["", " Festival", ": Festival", " – Festival"]),
)
def test_english_seasons_round_trip_as_japanese_ones(
    year: int, season: str, between: str, case, tail: str
) -> None:
    text = f"{case(season)}{between}{year}"
    found = match_date(text + tail)
    assert found is not None
    assert (found.span, found.rest) == (DateSpan(f"{year}", f"{year}", season), tail.lstrip(" :–"))
    japanese = match_date(f"{year}年{_SEASON_KANJI[season]}")
    assert (japanese.span.start, japanese.span.end) == (found.span.start, found.span.end)
    assert japanese.year_only == found.year_only is False


@settings(max_examples=200)
@given(st.integers(1000, 9998), st.integers(-3, 3), st.sampled_from(["-", "/", "–"]), st.booleans())
def test_a_winter_spans_the_two_years_it_names(
    year: int, shift: int, sep: str, short: bool
) -> None:
    after = year + 1 + shift
    written_after = f"{after % 100:02d}" if short else f"{after}"
    text = f"Winter {year}{sep}{written_after}"
    if shift == 0:
        assert normalize_date(text) == DateSpan(f"{year}", f"{after}", "Winter")
        japanese = normalize_date(f"{year}～{after}年冬")
        assert (japanese.start, japanese.end) == (f"{year}", f"{after}")
    else:
        _no_date(text)
        _no_date(f"Summer {year}{sep}{year + 1}")


# --- year-first English dates ------------------------------------------------------------------
# 1985, April 3 and 1985 Apr. 3 as some English timelines write them; a month alone after its
# year only where nothing could continue it (1985, April: …), so prose is left alone.

YEAR_FIRST_ENGLISH = [
    ("1985, April 3", "1985-04-03", "1985-04-03", ""),
    ("1985 April 3", "1985-04-03", "1985-04-03", ""),
    ("1985 Apr. 3", "1985-04-03", "1985-04-03", ""),
    ("1985 apr 3rd: Agreement signed", "1985-04-03", "1985-04-03", "Agreement signed"),
    ("1985 April 3 (Wed.) signing", "1985-04-03", "1985-04-03", "signing"),
    (
        "1985, April 3, the agreement was signed",
        "1985-04-03",
        "1985-04-03",
        "the agreement was signed",
    ),
    ("1985 April 3 – Sister city agreement", "1985-04-03", "1985-04-03", "Sister city agreement"),
    ("1985, April", "1985-04", "1985-04", ""),
    ("1985 April", "1985-04", "1985-04", ""),
    ("1985, April: Sister city agreement", "1985-04", "1985-04", "Sister city agreement"),
    ("1985 April - Sister city agreement", "1985-04", "1985-04", "Sister city agreement"),
    ("１９８５ Ａｐｒｉｌ ３", "1985-04-03", "1985-04-03", ""),
    # ranges, the year written once at the start
    ("1985 April 3-5", "1985-04-03", "1985-04-05", ""),
    ("1985 April 3 - May 2 exhibition", "1985-04-03", "1985-05-02", "exhibition"),
    ("1985 December 28 - January 3", "1985-12-28", "1986-01-03", ""),
    ("1985 April 3 - 1986 May 2", "1985-04-03", "1986-05-02", ""),
    ("1985 April - 1986 May", "1985-04", "1986-05", ""),
]


@pytest.mark.parametrize(("line", "start", "end", "rest"), YEAR_FIRST_ENGLISH)
def test_year_first_english_dates(line: str, start: str, end: str, rest: str) -> None:
    assert _read(line) == (start, end, None, rest)
    if not rest:
        assert normalize_date(line) == DateSpan(start, end)


@pytest.mark.parametrize(
    "line",
    [
        "2019 may be the year",  # a month alone before a word
        "1985 May I help",
        "1985 May Day parade",
        "1985 May - June",  # a range whose end has no year
        "1985 April 31",
        "1985 Feb. 29",
        "1985 April 3, 1986",  # a second year
        "1985, April, 1986",
        "1986 April 3 - 1985 May 2",  # ends before it starts
        "1985 April3",
        "1985 Apr 3rdly",
        "1985April 3",
        "12345 April 3",
        "0985 April 3",
        "85 April 3",
        "2019 April 3年",
        "1985 Mayor visit",
        "1985 people in April",
        "1985 – First delegation",  # a bare year (a run of them is read by the parser)
    ],
)
def test_what_is_no_year_first_english_date(line: str) -> None:
    _no_date(line)


@settings(max_examples=300)
@given(
    st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)),
    st.integers(0, 2),
    st.sampled_from([", ", " ", ","]),
    st.sampled_from([str.lower, str.upper, str.title]),
    st.sampled_from(["", " Ceremony", ": Ceremony", " – Ceremony", " (Sat.) Ceremony"]),
)
def test_year_first_english_dates_read_as_the_month_first_ones(
    day: datetime.date, abbreviation: int, after_year: str, case, tail: str
) -> None:
    month = case(EN_MONTH_NAMES[day.month - 1][abbreviation])
    found = match_date(f"{day.year}{after_year}{month} {day.day}{tail}")
    month_first = match_date(f"{month} {day.day}, {day.year}{tail}")
    assert found is not None and month_first is not None
    assert (found.span, found.rest) == (month_first.span, month_first.rest)
    assert found.span == DateSpan(day.isoformat(), day.isoformat())
    alone = match_date(f"{day.year}{after_year}{month}")
    assert alone is not None and alone.span.start == day.isoformat()[:7]


YEAR_FIRST_ISH = st.lists(
    st.sampled_from(
        [
            *("May", "Sept.", "april", "Feb", "June", "Mayor", "of", "to", "th", "rd"),
            *("Spring", "summer", "Fall", "winter", "Winterfest", "(Sat.)", "early", "Mid-"),
            *(" ", ",", ", ", "-", " - ", " – ", ":", "/", "."),
            *("0", "1", "3", "29", "30", "31", "32", "85", "00", "1985", "1986", "2019", "0985"),
        ]
    ),
    max_size=10,
).map("".join)


@settings(max_examples=1000)
@given(YEAR_FIRST_ISH, st.none() | st.builds(YearContext, st.integers(1, 9999), st.booleans()))
def test_season_and_year_first_like_text_only_ever_gives_valid_spans(
    text: str, context: YearContext | None
) -> None:
    found = match_date(text, context=context)
    if found is not None:
        assert text.strip().startswith(found.date_text)
        for iso in (found.span.start, found.span.end):
            parts = [int(p) for p in iso.split("-")]
            datetime.date(parts[0], *[*parts[1:], 1, 1][:2])
        assert found.span.start <= found.span.end
        assert any(c.isdigit() for c in found.date_text)


# --- range ends written from their start: 同年, 翌年, 同月 -------------------------------------
# Chronologies write a range's end as "the same year", "the next year" or "the same month" of its
# start (平成10年4月から同年9月まで); before, the whole line was no date.

RELATIVE_ENDS = [
    ("平成10年4月から同年9月まで", "1998-04", "1998-09", None, ""),
    ("平成10年4月から同年9月まで　調査", "1998-04", "1998-09", None, "調査"),
    ("平成10年12月～翌年3月", "1998-12", "1999-03", None, ""),
    ("平成10年12月26日～翌年1月4日", "1998-12-26", "1999-01-04", None, ""),
    ("平成10年～翌年3月", "1998", "1999-03", None, ""),
    ("平成10年4月1日～同月10日", "1998-04-01", "1998-04-10", None, ""),
    ("平成10年4月1日(水)～同月10日(金)", "1998-04-01", "1998-04-10", None, ""),
    ("平成10年4月～同年9月頃", "1998-04", "1998-09", "頃", ""),
    ("平成10年4月上旬～同年5月", "1998-04", "1998-05", "上旬", ""),
    ("1998年4月から同年 9月", "1998-04", "1998-09", None, ""),
    ("天保14年4月1日～同月30日", "1843-04-01", "1843-04-30", None, ""),
]


@pytest.mark.parametrize(("line", "start", "end", "note", "rest"), RELATIVE_ENDS)
def test_range_ends_written_from_their_start(
    line: str, start: str, end: str, note: str | None, rest: str
) -> None:
    assert _read(line) == (start, end, note, rest)


@pytest.mark.parametrize(
    ("line", "context", "start", "end"),
    [
        ("12月～翌年3月", YearContext(2000), "2000-12", "2001-03"),
        ("4月1日～同月10日", YearContext(2000), "2000-04-01", "2000-04-10"),
        ("1月～同年3月", YearContext(2000, fiscal=True), "2001-01", "2001-03"),
    ],
)
def test_range_ends_written_from_a_start_under_a_year_heading(
    line: str, context: YearContext, start: str, end: str
) -> None:
    assert _read(line, context) == (start, end, None, "")


@pytest.mark.parametrize(
    "line",
    [
        "平成10年9月から同年4月まで",  # the end before the start (no wrap into the next year)
        "平成10年4月10日～同月1日",  # nor into the next month
        "平成10年4月から同年",  # no month after 同年
        "平成10年4月～同月",
        "平成10年4月～同月10日",  # 同月 after a month alone
        "平成10年4月1日～同月31日",  # April has no 31st
        "天保14年4月1日～同月31日",  # nor a lunisolar month
        "平成10年度～翌年3月",  # a fiscal year's next year is ambiguous
        "平成10年4月～同年平成11年3月",
        "平成10年4月～同年5〜6月",
        "平成10年12月～翌年2月30日",
    ],
)
def test_what_is_no_range_end_written_from_its_start(line: str) -> None:
    _no_date(line)


@settings(max_examples=300)
@given(
    st.dates(datetime.date(1873, 1, 1), datetime.date(2100, 12, 31)),
    st.integers(0, 500),
    st.sampled_from(["～", "から", "-"]),
    st.sampled_from(["month", "day"]),
)
def test_relative_range_ends_round_trip(
    first: datetime.date, length: int, sep: str, precision: str
) -> None:
    last = first + datetime.timedelta(days=length)
    start = f"{first.year}年{first.month}月" + (f"{first.day}日" if precision == "day" else "")
    day = f"{last.day}日" if precision == "day" else ""
    iso = (lambda d: d.isoformat()) if precision == "day" else (lambda d: d.isoformat()[:7])
    expected = DateSpan(iso(first), iso(last))
    if last.year == first.year:
        assert normalize_date(f"{start}{sep}同年{last.month}月{day}") == expected
        if precision == "day" and last.month == first.month:
            assert normalize_date(f"{start}{sep}同月{day}") == expected
    elif last.year == first.year + 1:
        assert normalize_date(f"{start}{sep}翌年{last.month}月{day}") == expected
        key = (lambda d: (d.month, d.day)) if precision == "day" else (lambda d: (d.month,))
        if key(last) < key(first):  # 同年: the same year, where the end comes before the start
            with pytest.raises(DateError):
                normalize_date(f"{start}{sep}同年{last.month}月{day}")


# --- a half of a (fiscal) year written 上期, 下期 -------------------------------------------------


@pytest.mark.parametrize(
    ("line", "start", "end", "note"),
    [
        ("2020年度上期", "2020-04", "2021-03", "年度・上期"),
        ("令和2年度下期", "2020-04", "2021-03", "年度・下期"),
        ("2020年上期", "2020", "2020", "上期"),
        ("平成30年下期頃", "2018", "2018", "下期頃"),
    ],
)
def test_a_half_year_written_short(line: str, start: str, end: str, note: str) -> None:
    """As 上半期 and 下半期: the year, the half in the note; no year heading."""
    found = match_date(line)
    assert found is not None and not found.year_only
    assert found.span == DateSpan(start, end, note)
    long = match_date(line.replace("上期", "上半期").replace("下期", "下半期"))
    assert (long.span.start, long.span.end) == (start, end)


@pytest.mark.parametrize("line", ["上期", "2020年度中期", "2020年度第上期"])
def test_what_is_no_half_year_written_short(line: str) -> None:
    _no_date(line)


# --- early, mid or late in an English month or year ---------------------------------------
# As natural-language date parsers read them (early March 2024, mid-April): the month or the
# year, the part in the note, as 2024年3月上旬 or 1985年末 is.

ENGLISH_PARTS = [
    ("early March 2024", "2024-03", "Early", ""),
    ("early-March 2024", "2024-03", "Early", ""),
    ("Mid-April 2019: festival", "2019-04", "Mid", "festival"),
    ("mid April, 2019", "2019-04", "Mid", ""),
    ("LATE MAY 2019 – Students arrived", "2019-05", "Late", "Students arrived"),
    ("Late 1985", "1985", "Late", ""),
    ("mid-1990", "1990", "Mid", ""),
    ("Early 2019 the plan was approved", "2019", "Early", "the plan was approved"),
]


@pytest.mark.parametrize(("line", "iso", "note", "rest"), ENGLISH_PARTS)
def test_early_mid_or_late_in_an_english_month_or_year(
    line: str, iso: str, note: str, rest: str
) -> None:
    assert _read(line) == (iso, iso, note, rest)
    assert not match_date(line).year_only


@pytest.mark.parametrize(
    "line",
    [
        "late April",  # no year
        "early 85",
        "Earlybird 2019",
        "Late arrivals 2019",
        "Middle 2019",
        "mid 1995s",  # (mid 1990s is a decade's part: test_dates_decades_en.py)
        "Early April 3, 2019",  # a day has no part
        "mid-April 31 2019",
        "early April - late May 2019",  # a range: not read
        "early April 2019 - May 2019",
        "Late 1985年",
    ],
)
def test_what_is_no_part_of_an_english_month_or_year(line: str) -> None:
    _no_date(line)


@settings(max_examples=200)
@given(
    st.integers(1000, 9999),
    st.integers(1, 12),
    st.sampled_from(["Early", "Mid", "Late"]),
    st.sampled_from([" ", "-"]),
    st.booleans(),
    st.sampled_from([str.lower, str.upper, str.title]),
)
def test_english_parts_round_trip(
    year: int, month: int, part: str, joint: str, with_month: bool, case
) -> None:
    name = EN_MONTH_NAMES[month - 1][0]
    text = case(f"{part}{joint}{name} {year}" if with_month else f"{part}{joint}{year}")
    iso = f"{year}-{month:02d}" if with_month else f"{year}"
    assert normalize_date(text) == DateSpan(iso, iso, part)
    assert _read(text + ": Ceremony") == (iso, iso, part, "Ceremony")


# --- what is no date stays so ---------------------------------------------------------------

NEW_FORMS_ISH = st.lists(
    st.sampled_from(
        [
            *("平成", "昭和", "令和", "天保", "H", "S", "元", "1", "3", "4", "9", "10", "12", "13"),
            *("29", "30", "31", "64", "1989", "2019", "2020", "年", "年度", "月", "日", "("),
            *(")", "（", "）", ".", "/", "～", "から", "-", "まで", "上旬", "中旬", "下旬", "初め"),
            *(
                "半ば",
                "末",
                "頃",
                "同年",
                "翌年",
                "同月",
                "同",
                "上期",
                "下期",
                "春",
                "冬",
                " ",
                "　",
            ),
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=1000)
@given(NEW_FORMS_ISH, st.none() | st.builds(YearContext, st.integers(1, 9999), st.booleans()))
def test_text_of_the_new_forms_only_ever_gives_valid_spans(
    text: str, context: YearContext | None
) -> None:
    for read in (
        lambda: normalize_date(text, context=context),
        lambda: (found := match_date(text, context=context)) and found.span,
    ):
        try:
            span = read()
        except DateError:
            continue
        if span:
            ends = [[int(p) for p in iso.split("-")] for iso in (span.start, span.end)]
            for parts in ends:
                datetime.date(parts[0], *[*parts[1:], 1, 1][:2])
            common = min(map(len, ends))
            assert ends[0][:common] <= ends[1][:common]
