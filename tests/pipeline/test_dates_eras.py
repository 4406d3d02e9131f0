"""The eras before 天正 (大化 645 to 元亀, 1570-1573), both courts of 1331-1392 included: read
with a year only, within each era's own first and last years, days of the lunisolar calendar
(see pipeline/dates.py's notes); and a page dated by them (see test_parse for whole pages)."""

from __future__ import annotations

import calendar
import itertools

import pytest
from conftest import html_page
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dates import read_date

from pipeline.dates import (
    EARLY_ERA_YEARS,
    OLD_ERA_FIRST_YEAR,
    DateError,
    DateSpan,
    era_context,
    match_date,
    normalize_date,
)
from pipeline.parse import parse_page


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("天平15年10月15日", "0743-10-15", "0743-10-15"),  # as written: no calendar conversion
        ("天平十五年十月十五日", "0743-10-15", "0743-10-15"),
        ("延喜5年", "0905", "0905"),
        ("天慶3年", "0940", "0940"),
        ("建久3年", "1192", "1192"),
        ("応仁元年", "1467", "1467"),
        ("永禄3年5月19日", "1560-05-19", "1560-05-19"),
        ("大化元年", "0645", "0645"),
        ("白雉5年", "0654", "0654"),  # then no era until 朱鳥 (686), and none again to 大宝 (701)
        ("朱鳥元年", "0686", "0686"),
        ("大宝元年", "0701", "0701"),
        ("天平21年", "0749", "0749"),  # 天平's last year: 天平感宝 and 天平勝宝 followed in 749
        # four-character eras, read whole (longest first): not 天平 (729) and then text
        ("天平感宝元年", "0749", "0749"),
        ("天平勝宝元年", "0749", "0749"),
        ("天平勝宝4年4月9日", "0752-04-09", "0752-04-09"),
        ("天平宝字2年", "0758", "0758"),
        ("天平神護元年", "0765", "0765"),
        ("神護景雲2年", "0768", "0768"),
        # proclaimed in a 12th month that fell in the next January: the 元年 is the earlier year
        ("天延元年", "0973", "0973"),
        ("長和元年", "1012", "1012"),
        ("寛正元年", "1460", "1460"),
        # the Northern and Southern Courts: each era its own years, overlapping
        ("元弘3年", "1333", "1333"),
        ("正慶2年", "1333", "1333"),
        ("建武3年", "1336", "1336"),
        ("建武5年", "1338", "1338"),  # the northern court kept 建武 until 暦応 (1338)
        ("延元元年", "1336", "1336"),
        ("正平元年", "1346", "1346"),
        ("正平23年", "1368", "1368"),
        ("応安元年", "1368", "1368"),
        ("元中9年", "1392", "1392"),
        ("明徳5年", "1394", "1394"),  # the north's last, after the union of 1392
        ("元亀4年", "1573", "1573"),  # 天正元年 too: the name changed within the year
        ("1443年（嘉吉3年）", "1443", "1443"),
        ("天平15年10月30日～11月2日", "0743-10-30", "0743-11-02"),
    ],
)
def test_eras_before_tensho_are_read(text: str, start: str, end: str) -> None:
    assert normalize_date(text) == DateSpan(start, end)


@pytest.mark.parametrize(
    "text",
    [
        "天平22年",  # 天平 had 21 years, and no overflow before Meiji
        "天平感宝2年",  # 749 only
        "朱鳥2年",
        "白雉6年",
        "建武6年",
        "正慶3年",
        "元中10年",
        "明徳6年",
        "元亀5年",
        "大化0年",
        "1443年（嘉吉4年）",  # the two years disagree
        "天平15年10月31日",  # a lunisolar month had 29 or 30 days
        "天平15年5月晦日",  # the 29th or the 30th: only the calendar's tables tell
        "天平15年2月30日",  # a day of the old calendar with no ISO date: not invented
    ],
)
def test_early_era_years_out_of_their_era_or_days_that_never_were_are_not_dates(
    text: str,
) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


@pytest.mark.parametrize(
    "line",
    [
        "文明",
        "文明開化の時代",
        "文明10年の歩み",
        "大化",
        "大化の改新",
        "天平",
        "天平文化",
        "永久保存版",
        "治安の維持",
        "延長戦",
        "保安検査",
        "大同生命",
        "平治の乱",
        "正和会",
        "天平の甍",
        "神護寺",
    ],
)
def test_early_era_names_that_are_words_are_no_dates(line: str) -> None:
    assert match_date(line) is None


@pytest.mark.parametrize("name", ["文明", "大化", "天平", "延長", "天平勝宝", "建武"])
def test_an_early_era_named_alone_gives_no_era_to_the_lines_below(name: str) -> None:
    """Only an era from 天正 on names a heading's era alone (天保): the earlier ones are too
    often words (文明, 大化) to date the lines below them."""
    assert era_context(name) is None


def test_an_early_era_date_heads_a_line_with_its_text() -> None:
    found = match_date("天平勝宝4年4月9日　大仏開眼供養")
    assert found is not None
    assert (found.date_text, found.span, found.rest) == (
        "天平勝宝4年4月9日",
        DateSpan("0752-04-09", "0752-04-09"),
        "大仏開眼供養",
    )


def test_every_early_era_is_read_from_its_first_year_to_its_last() -> None:
    for era, (first, last) in EARLY_ERA_YEARS.items():
        assert normalize_date(f"{era}元年") == DateSpan(f"{first:04d}", f"{first:04d}")
        years = last - first + 1
        assert normalize_date(f"{era}{years}年") == DateSpan(f"{last:04d}", f"{last:04d}")
        with pytest.raises(DateError):
            normalize_date(f"{era}{years + 1}年")


def test_early_eras_follow_each_other_but_in_the_two_courts_and_the_gaps() -> None:
    """Outside 1331-1392 each era ends in the year the next begins (the name changed within
    the year); the two courts' eras overlap; 654-686 and 686-701 had no era."""
    eras = [*EARLY_ERA_YEARS.items(), ("天正", (OLD_ERA_FIRST_YEAR["天正"], 0))]
    assert eras[0] == ("大化", (645, 650))
    gaps = {("白雉", "朱鳥"), ("朱鳥", "大宝")}
    courts = {era for era, (first, last) in eras if last >= 1331 and first <= 1392}
    for (era, (_, last)), (following, (first, _)) in itertools.pairwise(eras):
        if (era, following) in gaps:
            assert first > last + 1
        elif era not in courts and following not in courts:
            assert last == first, (era, following)
    south = ["元弘", "建武", "延元", "興国", "正平", "建徳", "文中", "天授", "弘和", "元中"]
    north = ["元徳", "正慶", "建武", "暦応", "康永", "貞和", "観応", "文和", "延文", "康安"]
    north += ["貞治", "応安", "永和", "康暦", "永徳", "至徳", "嘉慶", "康応", "明徳"]
    assert courts == {*south, *north}
    for line in (south[1:], north[2:]):  # (建武 is both's: it lasted to 1338 in the north)
        for era, following in itertools.pairwise(line):
            assert EARLY_ERA_YEARS[era][1] == EARLY_ERA_YEARS[following][0] or era == "建武"
    assert EARLY_ERA_YEARS["元中"][1] == 1392 and EARLY_ERA_YEARS["明徳"][1] == 1394
    assert EARLY_ERA_YEARS["元亀"][1] == OLD_ERA_FIRST_YEAR["天正"]


def test_a_temple_history_dated_by_early_eras_is_cut_into_entries() -> None:
    """The parser's prefilters let the early eras through, four-character ones too."""
    data = html_page(
        "<main><h1>寺の由緒</h1>"
        "<p>天平15年10月15日　大仏造立の詔<br>神護景雲2年　本堂を創建<br>"
        "応仁元年　兵火により焼失<br>永禄3年　再建</p>"
        "<h2>天平勝宝4年</h2><p>開眼供養を行う。</p><p>文明開化の時代に修復した。</p></main>",
        "由緒｜どこか寺",
    )
    assert [(e.date_text, e.start, e.body) for e in parse_page(data).entries] == [
        ("天平15年10月15日", "0743-10-15", ("大仏造立の詔",)),
        ("神護景雲2年", "0768", ("本堂を創建",)),
        ("応仁元年", "1467", ("兵火により焼失",)),
        ("永禄3年", "1560", ("再建",)),
        ("天平勝宝4年", "0752", ("開眼供養を行う。", "文明開化の時代に修復した。")),
    ]


@pytest.mark.parametrize(
    ("line", "date_text", "start", "rest"),
    [
        ("天平15年（743年）", "天平15年（743年）", "0743", ""),
        ("天平15年(743)　大仏造立の詔", "天平15年(743)", "0743", "大仏造立の詔"),
        ("天平15年（743年）10月15日　詔", "天平15年（743年）10月15日", "0743-10-15", "詔"),
        ("天平15年10月15日（743年）　詔", "天平15年10月15日（743年）", "0743-10-15", "詔"),
        ("長保元年(999)", "長保元年(999)", "0999", ""),
        # three digits after a year past 999 are no year: as they were, text after the date
        ("平成15年10月1日(100)", "平成15年10月1日", "2003-10-01", "(100)"),
    ],
)
def test_an_early_era_year_with_its_western_year_of_three_digits(
    line: str, date_text: str, start: str, rest: str
) -> None:
    found = read_date(line)
    assert (found.date_text, found.span.start, found.rest) == (date_text, start, rest)


@pytest.mark.parametrize(
    "line", ["天平15年（744年）", "天平15年10月15日（744年）　詔", "寛弘元年(999)"]
)
def test_an_early_era_year_with_another_western_year_is_no_date(line: str) -> None:
    assert match_date(line) is None


@st.composite
def early_era_dates(draw: st.DrawFn) -> tuple[str, int, int, int, int]:
    """An early era, a year of it, and a month and day both calendars have (1-30, and a day
    the ISO year has: 2月29日 only in its leap years, no 2月30日)."""
    era, (first, last) = draw(st.sampled_from(sorted(EARLY_ERA_YEARS.items())))
    era_year = draw(st.integers(1, last - first + 1))
    month = draw(st.integers(1, 12))
    year = first + era_year - 1
    day = draw(st.integers(1, min(30, calendar.monthrange(year, month)[1])))
    return era, era_year, year, month, day


_KANJI_DIGITS = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (
        ("" if tens < 2 else _KANJI_DIGITS[tens])
        + ("十" if tens else "")
        + (_KANJI_DIGITS[ones] if ones else "")
    )


@settings(max_examples=300)
@given(early_era_dates(), st.booleans(), st.booleans())
def test_early_era_dates_round_trip(
    parts: tuple[str, int, int, int, int], kanji: bool, gan: bool
) -> None:
    era, era_year, year, month, day = parts
    number = _kanji if kanji else str
    written_year = "元" if gan and era_year == 1 else number(era_year)
    text = f"{era}{written_year}年{number(month)}月{number(day)}日"
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    assert normalize_date(text) == DateSpan(iso, iso)
    found = match_date(f"{text}　本文")
    assert found is not None and (found.span, found.rest) == (DateSpan(iso, iso), "本文")
