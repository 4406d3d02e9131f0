"""Japanese date normalisation: the forms real chronology pages use, and their edges."""

from __future__ import annotations

import datetime
import itertools
import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import dates
from pipeline.dates import (
    ERA_FIRST_YEAR,
    ERA_LAST_YEAR,
    ERA_OVERFLOW,
    OLD_ERA_FIRST_YEAR,
    DateError,
    DateMatch,
    DateSpan,
    YearContext,
    _general_match,
    carried_year,
    era_context,
    letter_era_year,
    match_date,
    normalize_date,
    within_era,
    year_context,
)

# Every date heading in the hand-checked goldens (oyama P-4103 v1..v3 and P-4105, minatogawa
# koryu, sakurano ayumi), with the start, end and note the goldens give it.


def read_date(line: str, context: YearContext | None = None) -> DateMatch:
    """match_date's reading of a line that must read as a date (the line names the failure)."""
    found = match_date(line, context=context)
    assert found is not None, line
    return found


GOLDEN_DATES = [
    ("令和2(2020)年2月", "2020-02", "2020-02", None),
    ("令和6(2024)年11月14日(木曜日)", "2024-11-14", "2024-11-14", None),
    ("令和7年10月15日から10月17日まで", "2025-10-15", "2025-10-17", None),
    ("令和元(2019)年10月23日", "2019-10-23", "2019-10-23", None),
    ("平成10年10月", "1998-10", "1998-10", None),
    ("平成10年3月", "1998-03", "1998-03", None),
    ("平成11年10月3日から10月18日まで", "1999-10-03", "1999-10-18", None),
    ("平成11年11月13日", "1999-11-13", "1999-11-13", None),
    ("平成12年10月17日から10月20日まで", "2000-10-17", "2000-10-20", None),
    ("平成12年1月10日(成人の日)", "2000-01-10", "2000-01-10", "成人の日"),
    ("平成13年10月16日から10月20日まで", "2001-10-16", "2001-10-20", None),
    ("平成13年11月2日から11月5日まで", "2001-11-02", "2001-11-05", None),
    ("平成13年9月", "2001-09", "2001-09", None),
    ("平成15年10月9日から10月13日まで", "2003-10-09", "2003-10-13", None),
    ("平成15年4月13日", "2003-04-13", "2003-04-13", None),
    ("平成15年5月10日", "2003-05-10", "2003-05-10", None),
    ("平成16年5月13日から5月17日まで", "2004-05-13", "2004-05-17", None),
    ("平成17年11月17日から11月22日まで", "2005-11-17", "2005-11-22", None),
    ("平成17年11月4日から11月5日まで", "2005-11-04", "2005-11-05", None),
    ("平成17年11月5日から11月6日まで", "2005-11-05", "2005-11-06", None),
    ("平成19年10月23日から10月25日まで", "2007-10-23", "2007-10-25", None),
    ("平成19年2月21日から2月22日まで", "2007-02-21", "2007-02-22", None),
    ("平成20年11月", "2008-11", "2008-11", None),
    ("平成20年8月", "2008-08", "2008-08", None),
    ("平成21年10月22日", "2009-10-22", "2009-10-22", None),
    ("平成22年10月21日から10月22日まで", "2010-10-21", "2010-10-22", None),
    ("平成22年4月26日(月曜日)から4月28日(水曜日)まで", "2010-04-26", "2010-04-28", None),
    ("平成23年3月", "2011-03", "2011-03", None),
    ("平成26年度", "2014-04", "2015-03", "年度"),
    ("平成2年11月", "1990-11", "1990-11", None),
    ("平成30年12月26日から平成31年1月4日まで", "2018-12-26", "2019-01-04", None),
    ("平成3年10月", "1991-10", "1991-10", None),
    ("平成3年11月", "1991-11", "1991-11", None),
    ("平成3年7月", "1991-07", "1991-07", None),
    ("平成4年11月から12月まで", "1992-11", "1992-12", None),
    ("平成4年8月", "1992-08", "1992-08", None),
    ("平成4年9月", "1992-09", "1992-09", None),
    ("平成5年10月", "1993-10", "1993-10", None),
    ("平成6年10月", "1994-10", "1994-10", None),
    ("平成7年7月", "1995-07", "1995-07", None),
    ("平成8年7月", "1996-07", "1996-07", None),
    ("平成9年8月", "1997-08", "1997-08", None),
    ("昭和60年5月", "1985-05", "1985-05", None),
    ("昭和60年6月", "1985-06", "1985-06", None),
    ("昭和61年9月", "1986-09", "1986-09", None),
    ("平成12年9月", "2000-09", "2000-09", None),
    ("平成14年8月", "2002-08", "2002-08", None),
    ("平成17年3月", "2005-03", "2005-03", None),
    ("平成22年9月1日～9月4日", "2010-09-01", "2010-09-04", None),
    ("2015年（平成27年）10月", "2015-10", "2015-10", None),
    ("令和元年7月", "2019-07", "2019-07", None),
    ("令和4年11月", "2022-11", "2022-11", None),
    ("昭和63年４月", "1988-04", "1988-04", None),
    ("平成元年８月", "1989-08", "1989-08", None),
    ("平成２年７月２１日～８月３日", "1990-07-21", "1990-08-03", None),
    ("平成７年１０月", "1995-10", "1995-10", None),
    ("平成１０年５月１日～５日", "1998-05-01", "1998-05-05", None),
    ("平成１８年１１月", "2006-11", "2006-11", None),
    ("平成３０年１０月", "2018-10", "2018-10", None),
    ("平成３１年４月２０日", "2019-04-20", "2019-04-20", None),
]


@pytest.mark.parametrize(("text", "start", "end", "note"), GOLDEN_DATES)
def test_golden_date_headings(text: str, start: str, end: str, note: str | None) -> None:
    assert normalize_date(text) == DateSpan(start, end, note)


@pytest.mark.parametrize(("text", "start", "end", "note"), GOLDEN_DATES)
def test_golden_date_headings_match_at_line_start(
    text: str, start: str, end: str, note: str | None
) -> None:
    found = match_date(f"{text}　交流事業を行った。")
    year_only = text.endswith("年度")
    assert found == DateMatch(text, DateSpan(start, end, note), "交流事業を行った。", year_only)


SPANS = [
    # eras and 元年
    ("明治元年", "1868", "1868", None),
    ("明治45年7月", "1912-07", "1912-07", None),
    ("大正元年8月", "1912-08", "1912-08", None),
    ("大正15年", "1926", "1926", None),
    ("昭和元年12月25日", "1926-12-25", "1926-12-25", None),
    ("昭和64年1月7日", "1989-01-07", "1989-01-07", None),
    ("平成元年1月8日", "1989-01-08", "1989-01-08", None),
    ("令和元年5月1日", "2019-05-01", "2019-05-01", None),
    ("令和６年", "2024", "2024", None),
    ("平成7年", "1995", "1995", None),
    ("昭和60年", "1985", "1985", None),
    ("㍻7年", "1995", "1995", None),
    ("㋿元年", "2019", "2019", None),
    # full-width and kanji numerals
    ("平成３年７月", "1991-07", "1991-07", None),
    ("平成三年七月", "1991-07", "1991-07", None),
    ("昭和六十年十月十日", "1985-10-10", "1985-10-10", None),
    ("平成二十年十二月三十一日", "2008-12-31", "2008-12-31", None),
    ("令和元年十月二十日", "2019-10-20", "2019-10-20", None),
    ("二〇一九年十月二十三日", "2019-10-23", "2019-10-23", None),
    ("千九百八十五年五月", "1985-05", "1985-05", None),
    ("平成 2年 7月", "1990-07", "1990-07", None),
    ("平成　2年11月", "1990-11", "1990-11", None),
    # western years, alone or with the era beside them
    ("2019年10月23日", "2019-10-23", "2019-10-23", None),
    ("2015年(平成27年)10月", "2015-10", "2015-10", None),
    ("2015年（平成27年）10月", "2015-10", "2015-10", None),
    ("2015(平成27)年10月", "2015-10", "2015-10", None),
    ("令和元(2019)年10月23日", "2019-10-23", "2019-10-23", None),
    ("令和元年(2019年)10月23日", "2019-10-23", "2019-10-23", None),
    ("令和6(2024)年11月14日(木曜日)", "2024-11-14", "2024-11-14", None),
    ("２０１９年５月１日", "2019-05-01", "2019-05-01", None),
    # ranges
    ("平成10年5月1日～5日", "1998-05-01", "1998-05-05", None),
    ("平成10年5月1日〜5日", "1998-05-01", "1998-05-05", None),
    ("平成10年5月1日~5日", "1998-05-01", "1998-05-05", None),
    ("平成10年5月1日-5日", "1998-05-01", "1998-05-05", None),
    ("平成10年5月1日－5日", "1998-05-01", "1998-05-05", None),
    ("平成10年5月1日ー5日", "1998-05-01", "1998-05-05", None),
    ("平成10年5月1日 ～ 5日", "1998-05-01", "1998-05-05", None),
    ("平成4年11月から12月まで", "1992-11", "1992-12", None),
    ("平成11年10月3日から10月18日まで", "1999-10-03", "1999-10-18", None),
    ("平成11年10月3日から10月18日", "1999-10-03", "1999-10-18", None),
    ("平成22年9月1日～9月4日", "2010-09-01", "2010-09-04", None),
    ("平成30年12月26日から平成31年1月4日まで", "2018-12-26", "2019-01-04", None),
    ("平成31年4月27日から令和元年5月6日まで", "2019-04-27", "2019-05-06", None),
    ("平成22年4月26日(月曜日)から4月28日(水曜日)まで", "2010-04-26", "2010-04-28", None),
    ("平成22年4月26日(月)～28日(水)", "2010-04-26", "2010-04-28", None),
    ("平成22年4月26日（月）～4月28日（水）", "2010-04-26", "2010-04-28", None),
    ("平成30年12月26日～1月4日", "2018-12-26", "2019-01-04", None),
    ("平成30年12月～1月", "2018-12", "2019-01", None),
    ("平成10年5月28日～3日", "1998-05-28", "1998-06-03", None),
    ("平成10年12月28日～3日", "1998-12-28", "1999-01-03", None),
    ("平成5年～7年", "1993", "1995", None),
    ("平成5年から平成7年まで", "1993", "1995", None),
    ("平成4年11月～平成5年", "1992-11", "1993", None),
    ("2019年5月1日～2019年5月3日", "2019-05-01", "2019-05-03", None),
    # abbreviated eras and dotted western dates
    ("H24.8.15～25", "2012-08-15", "2012-08-25", None),
    ("H24.8.15～8.25", "2012-08-15", "2012-08-25", None),
    ("H24.8.15～H24.9.2", "2012-08-15", "2012-09-02", None),
    ("R1.5.1", "2019-05-01", "2019-05-01", None),
    ("S60.7", "1985-07", "1985-07", None),
    ("H.24.8.15", "2012-08-15", "2012-08-15", None),
    ("H24/8/15", "2012-08-15", "2012-08-15", None),
    ("h24.8.15", "2012-08-15", "2012-08-15", None),
    ("Ｈ２４．８．１５", "2012-08-15", "2012-08-15", None),
    ("2019.5.1", "2019-05-01", "2019-05-01", None),
    ("2019/5/1", "2019-05-01", "2019-05-01", None),
    ("2019-05-01", "2019-05-01", "2019-05-01", None),
    ("2019/5", "2019-05", "2019-05", None),
    ("2019.5.1(水)", "2019-05-01", "2019-05-01", None),
    ("2019.5.1-5.3", "2019-05-01", "2019-05-03", None),
    ("2019.5.28～3", "2019-05-28", "2019-06-03", None),
    ("2019.5～7", "2019-05", "2019-07", None),
    # fiscal years
    ("平成26年度", "2014-04", "2015-03", "年度"),
    ("2018年度", "2018-04", "2019-03", "年度"),
    ("令和元年度", "2019-04", "2020-03", "年度"),
    ("令和元(2019)年度", "2019-04", "2020-03", "年度"),
    ("平成26年度から平成28年度まで", "2014-04", "2017-03", "年度"),
    # qualifiers at the precision written
    ("平成5年10月上旬", "1993-10", "1993-10", "上旬"),
    ("平成5年10月中旬", "1993-10", "1993-10", "中旬"),
    ("平成5年10月下旬", "1993-10", "1993-10", "下旬"),
    ("平成5年10月初旬", "1993-10", "1993-10", "初旬"),
    ("平成5年10月末", "1993-10", "1993-10", "末"),
    ("平成5年10月頃", "1993-10", "1993-10", "頃"),
    ("平成5年10月ごろ", "1993-10", "1993-10", "頃"),
    ("平成5年10月5日頃", "1993-10-05", "1993-10-05", "頃"),
    ("平成5年頃", "1993", "1993", "頃"),
    ("平成5年春", "1993", "1993", "春"),
    ("平成5年冬", "1993", "1993", "冬"),
    ("平成12年1月10日(成人の日)", "2000-01-10", "2000-01-10", "成人の日"),
    ("平成12年1月10日（成人の日）", "2000-01-10", "2000-01-10", "成人の日"),
    ("平成14年8月（予定）", "2002-08", "2002-08", "予定"),
    ("平成5年10月上旬(予定)", "1993-10", "1993-10", "上旬・予定"),
    ("令和3年5月3日(月・祝)", "2021-05-03", "2021-05-03", None),
    ("令和3年5月3日(祝)", "2021-05-03", "2021-05-03", None),
    # era years that overflow the era a little (plans written before 令和)
    ("平成32年", "2020", "2020", None),
    ("平成31年5月", "2019-05", "2019-05", None),
    ("昭和65年", "1990", "1990", None),
    # leap days
    ("平成12年2月29日", "2000-02-29", "2000-02-29", None),
    ("令和2年2月29日", "2020-02-29", "2020-02-29", None),
]


@pytest.mark.parametrize(("text", "start", "end", "note"), SPANS)
def test_normalize_date(text: str, start: str, end: str, note: str | None) -> None:
    assert normalize_date(text) == DateSpan(start, end, note)


def test_surrounding_whitespace_is_ignored() -> None:
    assert normalize_date("\u3000 平成7年7月 \n") == DateSpan("1995-07", "1995-07")


INVALID = [
    "",
    "   ",
    "平成",
    "平成年",
    "平成0年",
    "平成00年5月",
    "平成-1年",
    "平成37年",  # beyond the allowed overflow
    "大正21年",
    "平成5年13月",
    "平成5年0月",
    "平成5年2月29日",  # 1993 is no leap year
    "平成5年4月31日",
    "平成5年4月0日",
    "令和元(2020)年10月",  # era and western year disagree
    "2015年(平成28年)10月",
    "令和元年(2018年)",
    "3年",
    "15名",
    "5月",  # no year and no context
    "5月12日",
    "12日",
    "平成5年10月上旬5日",
    "平成5年10月5日～4日(水)x",
    "平成10年5月1日～35日",
    "平成30年12月26日から平成29年1月4日まで",  # explicit end before start
    "平成5年度10月",
    "2019.13.1",
    "2019.2.30",
    "0285-22-9278",
    "H24",
    "H99.1.1",
    "X24.8.15",
    "令和元年5月1日は晴れ",
    "二十年",
    "平成三十年度十",
    "１２３４５年",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_dates_raise_date_error(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


# --- match_date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date_text", "start", "end", "note", "rest"),
    [
        (
            "平成12年9月　友好都市協定を締結",
            "平成12年9月",
            "2000-09",
            "2000-09",
            None,
            "友好都市協定を締結",
        ),
        (
            "平成17年3月 町長ほか6名が訪問",
            "平成17年3月",
            "2005-03",
            "2005-03",
            None,
            "町長ほか6名が訪問",
        ),
        (
            "令和4年11月：オンラインで開催",
            "令和4年11月",
            "2022-11",
            "2022-11",
            None,
            "オンラインで開催",
        ),
        ("令和4年11月:オンライン", "令和4年11月", "2022-11", "2022-11", None, "オンライン"),
        ("令和4年11月、会議を開催", "令和4年11月", "2022-11", "2022-11", None, "会議を開催"),
        (
            "平成12年9月バレンシア市を訪問",
            "平成12年9月",
            "2000-09",
            "2000-09",
            None,
            "バレンシア市を訪問",
        ),
        ("平成12年9月友好協定", "平成12年9月", "2000-09", "2000-09", None, "友好協定"),
        (
            "平成4年11月から12月まで訪問",
            "平成4年11月から12月まで",
            "1992-11",
            "1992-12",
            None,
            "訪問",
        ),
        (
            "平成22年9月1日～9月4日　訪問団を派遣",
            "平成22年9月1日～9月4日",
            "2010-09-01",
            "2010-09-04",
            None,
            "訪問団を派遣",
        ),
        (
            "2015年（平成27年）10月　書画展を開催",
            "2015年（平成27年）10月",
            "2015-10",
            "2015-10",
            None,
            "書画展を開催",
        ),
        (
            "  平成12年1月10日(成人の日)　式典  ",
            "平成12年1月10日(成人の日)",
            "2000-01-10",
            "2000-01-10",
            "成人の日",
            "式典",
        ),
        (
            "平成22年4月26日(月曜日)から4月28日(水曜日)まで 来訪",
            "平成22年4月26日(月曜日)から4月28日(水曜日)まで",
            "2010-04-26",
            "2010-04-28",
            None,
            "来訪",
        ),
        ("H24.8.15～25 研修", "H24.8.15～25", "2012-08-15", "2012-08-25", None, "研修"),
        ("2019/5/1 開催", "2019/5/1", "2019-05-01", "2019-05-01", None, "開催"),
        ("平成7年", "平成7年", "1995", "1995", None, ""),
        ("平成5年10月上旬　視察", "平成5年10月上旬", "1993-10", "1993-10", "上旬", "視察"),
        # A note mark or a square bracket right after a whole date opens the body.
        ("令和2年4月1日※延期", "令和2年4月1日", "2020-04-01", "2020-04-01", None, "※延期"),
        (
            "令和2年3月1日（日）～5月6日（水・祝）※臨時休館のため中止",
            "令和2年3月1日（日）～5月6日（水・祝）",
            "2020-03-01",
            "2020-05-06",
            None,
            "※臨時休館のため中止",
        ),
        ("平成30年7月[第2回]　開催", "平成30年7月", "2018-07", "2018-07", None, "[第2回]　開催"),
        ("平成30年7月〔第2回〕", "平成30年7月", "2018-07", "2018-07", None, "〔第2回〕"),
    ],
)
def test_match_date_splits_date_from_body(
    line: str, date_text: str, start: str, end: str, note: str | None, rest: str
) -> None:
    found = read_date(line)
    span = DateSpan(start, end, note)
    assert (found.date_text, found.span, found.rest) == (date_text, span, rest)


@pytest.mark.parametrize(
    ("line", "year_only"),
    [
        ("平成26年度", True),
        ("平成26年度　中学生訪問団を受け入れ", True),
        ("2018年度", True),
        ("令和元年", True),
        ("令和元年度", True),
        ("平成7年 交流", True),
        ("平成7年7月", False),
        ("平成5年～7年", False),
        ("平成5年春", False),
        ("平成5年頃　交流開始", False),
    ],
)
def test_year_only(line: str, year_only: bool) -> None:
    found = read_date(line)
    assert found.year_only is year_only


BODY_LINES = [
    "第1回さくら野市中学生海外派遣(20名)。",
    "15名",
    "8月7日%",
    "8月7日％",
    "10月の雨",
    "5月は雨",
    "3年生が参加",
    "2018年生まれ",
    "平成12年に中国・青石県と友好都市の協定を結びました。",
    "平成26年4月から、市内小学校で実施",
    "平成26年3月まで",
    "平成12年中国を訪問",  # a year alone needs a separator
    "平成12年※参考",  # ... before a note mark too
    "平成5年10月5日が初回",
    "2019.5.1名古屋",  # dotted dates need a separator
    "2019.5.1 - 3名参加",
    "0285-22-9278",
    "電話:0285-22-9278",
    "令和元(2020)年10月　式典",  # era and western year disagree
    "平成5年13月　式典",
    "平成10年5月1日～35日",
    "12345",
    "100年の歴史",
    "大正時代",
    "平和記念式典",
    "",
    "　",
]


@pytest.mark.parametrize("line", BODY_LINES)
def test_match_date_ignores_body_text(line: str) -> None:
    assert match_date(line) is None


@pytest.mark.parametrize(
    "line", ["5月12日　式典", "1月 新年会", "10月", "12月26日～1月4日　派遣", "5月上旬　視察"]
)
def test_year_less_dates_need_a_context(line: str) -> None:
    assert match_date(line) is None
    with pytest.raises(DateError):
        normalize_date(line.split()[0].split("\u3000")[0])


FISCAL_2018 = YearContext(2018, fiscal=True)
CALENDAR_2018 = YearContext(2018)


@pytest.mark.parametrize(
    ("line", "context", "start", "end", "rest"),
    [
        ("5月12日　式典", FISCAL_2018, "2018-05-12", "2018-05-12", "式典"),
        ("1月 新年会", FISCAL_2018, "2019-01", "2019-01", "新年会"),
        ("3月31日 年度末", FISCAL_2018, "2019-03-31", "2019-03-31", "年度末"),
        ("4月1日 年度初め", FISCAL_2018, "2018-04-01", "2018-04-01", "年度初め"),
        ("1月 新年会", CALENDAR_2018, "2018-01", "2018-01", "新年会"),
        ("12月26日～1月4日　派遣", CALENDAR_2018, "2018-12-26", "2019-01-04", "派遣"),
        ("12月26日～1月4日　派遣", FISCAL_2018, "2018-12-26", "2019-01-04", "派遣"),
        ("3月28日～4月2日　派遣", FISCAL_2018, "2019-03-28", "2019-04-02", "派遣"),
        ("５月１２日　式典", FISCAL_2018, "2018-05-12", "2018-05-12", "式典"),
        ("十月十日　式典", CALENDAR_2018, "2018-10-10", "2018-10-10", "式典"),
        # an explicit year wins over the context
        ("平成12年9月　協定", FISCAL_2018, "2000-09", "2000-09", "協定"),
    ],
)
def test_context_supplies_the_year(
    line: str, context: YearContext, start: str, end: str, rest: str
) -> None:
    found = match_date(line, context=context)
    assert found is not None
    assert (found.span.start, found.span.end, found.rest) == (start, end, rest)


@pytest.mark.parametrize(
    "line",
    ["5月は雨", "10月の雨", "8月7日%", "5月12日式典", "12月29日から1月3日を除く", "15日　式典"],
)
def test_context_does_not_turn_body_text_into_dates(line: str) -> None:
    assert match_date(line, context=FISCAL_2018) is None


def test_normalize_date_uses_context() -> None:
    assert normalize_date("2月3日", context=FISCAL_2018) == DateSpan("2019-02-03", "2019-02-03")
    assert normalize_date("2月3日", context=CALENDAR_2018) == DateSpan("2018-02-03", "2018-02-03")
    with pytest.raises(DateError):
        normalize_date("2月30日", context=CALENDAR_2018)


# --- year_context -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "context"),
    [
        ("平成26年度", YearContext(2014, fiscal=True)),
        ("2018年度", YearContext(2018, fiscal=True)),
        ("令和元年度", YearContext(2019, fiscal=True)),
        ("平成30年", YearContext(2018)),
        ("令和元年", YearContext(2019)),
        ("2018年", YearContext(2018)),
    ],
)
def test_year_context_from_heading(heading: str, context: YearContext) -> None:
    found = match_date(heading)
    assert found is not None
    assert year_context(found) == context
    assert year_context(found.span) == context


def test_year_context_feeds_lines_below_a_heading() -> None:
    heading = match_date("平成30年度")
    assert heading is not None
    line = match_date("2月14日　交流会", context=year_context(heading))
    assert line is not None
    assert line.span == DateSpan("2019-02-14", "2019-02-14")


@pytest.mark.parametrize(
    ("heading", "line", "start"),
    [
        ("天保14年", "5月30日", "1843-05-30"),
        ("天保14年", "5月31日", None),  # a lunisolar month had 29 or 30 days
        ("天保14年", "5月晦日", None),  # the 29th or the 30th: only the calendar's tables tell
        ("慶応4年", "閏4月", "1868-04"),  # the leap month, note 閏 (test_dates_leap_months)
        ("明治5年", "12月2日", "1872-12-02"),
        ("明治5年", "12月3日", None),  # skipped when the calendar changed
        # The heading writes a western year: the page's days are read as the ISO calendar's.
        ("1843年", "5月31日", "1843-05-31"),
        ("明治6年", "5月31日", "1873-05-31"),  # the Gregorian calendar from 1873
    ],
)
def test_lines_under_an_old_era_heading_are_lunisolar_days(
    heading: str, line: str, start: str | None
) -> None:
    found = match_date(heading)
    assert found is not None
    below = match_date(line, context=year_context(found))
    assert (below.span.start if below else None) == start


def test_a_dated_line_that_writes_an_old_era_carries_the_lunisolar_calendar() -> None:
    found = match_date("天保14年5月3日")
    assert found is not None
    assert carried_year(found, 1843) == YearContext(1843, lunisolar=True)
    assert match_date("6月31日", context=carried_year(found, 1843)) is None
    western = match_date("1843年5月3日")
    assert western is not None and carried_year(western, 1843) == YearContext(1843)


# --- an era named alone over its years ----------------------------------------------------------


@pytest.mark.parametrize(
    ("era", "line", "start", "end", "rest"),
    [
        ("平成", "元年4月　開館", "1989-04", "1989-04", "開館"),
        ("平成", "5年10月　増築", "1993-10", "1993-10", "増築"),
        ("平成", "５年１０月３日：竣工", "1993-10-03", "1993-10-03", "竣工"),
        ("平成", "5年　記念式典", "1993", "1993", "記念式典"),
        ("平成", "5年～7年　改修", "1993", "1995", "改修"),  # the range's end is the era's too
        ("令和", "元年", "2019", "2019", ""),
        ("昭和", "三十年四月　開館", "1955-04", "1955-04", "開館"),
        ("天保", "14年5月30日　開塾", "1843-05-30", "1843-05-30", "開塾"),
    ],
)
def test_an_era_named_alone_gives_its_era_to_the_years_below_it(
    era: str, line: str, start: str, end: str, rest: str
) -> None:
    found = match_date(line, context=era_context(era))
    assert found is not None
    assert (found.span.start, found.span.end, found.rest) == (start, end, rest)
    assert match_date(line) is None  # no era: a bare era year is no date


@pytest.mark.parametrize(
    ("era", "line"),
    [
        ("平成", "40年4月　開館"),  # out of the era (平成 ends with 31, 36 with the overflow)
        ("天保", "16年1月　x"),  # 天保 had 15 years, and no overflow before Meiji
        ("平成", "10月　増築"),  # a month alone: an era is no year
        ("平成", "5年10月増築"),  # runs straight into text: the year is not written in full
        ("平成", "3年生が参加"),
        ("天保", "14年5月31日　x"),  # lunisolar: no 31st
        ("天保", "14年5月晦日　x"),  # nor a 晦日 (the 29th or the 30th)
        ("平成", "50年代　x"),  # a decade is not read under an era alone
    ],
)
def test_what_an_era_named_alone_does_not_date(era: str, line: str) -> None:
    assert match_date(line, context=era_context(era)) is None


def test_an_era_context_is_no_year_and_unknown_names_give_none() -> None:
    context = era_context("平成")
    assert context == YearContext(None, era="平成")
    assert era_context("天保") == YearContext(None, lunisolar=True, era="天保")
    assert era_context("平成の時代") is None and era_context("元年") is None
    assert YearContext(2018) == YearContext(2018, fiscal=False, lunisolar=False, era=None)


def test_a_year_within_an_era_keeps_its_era_and_the_lunisolar_calendar() -> None:
    """天保 above 14年: the year was written in the era, so its month lines are lunisolar days;
    平成 above 5年: 6年 below it is still 平成's."""
    old = within_era(YearContext(1843), "天保")
    assert old == YearContext(1843, lunisolar=True, era="天保")
    assert match_date("5月31日　x", context=old) is None
    assert match_date("5月30日　x", context=old) is not None
    heisei = within_era(YearContext(1993, fiscal=True), "平成")
    assert heisei == YearContext(1993, fiscal=True, era="平成")
    below = match_date("6年1月　x", context=heisei)
    assert below is not None and below.span.start == "1994-01"
    found = match_date("2月　x", context=heisei)
    assert found is not None and found.span.start == "1994-02"  # fiscal: 2月 is the next year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("H30", 2018),
        ("R1", 2019),
        ("R元", 2019),
        ("S50", 1975),
        ("Ｈ３０", 2018),
        ("ｒ２", 2020),
        ("M45", 1912),
        ("T15", 1926),
        ("H40", None),  # out of the era
        ("H30年", None),  # with 年 it is a date (`match_date`), not a bare era year
        ("H", None),
        ("X30", None),
        ("H300", None),
    ],
)
def test_a_latin_era_initial_with_its_year_stands_for_a_western_year(
    text: str, year: int | None
) -> None:
    assert letter_era_year(text) == year


def test_a_latin_era_year_alone_is_no_date() -> None:
    """R1 is also a road or a room: only a run of them in order is read (`pipeline.parse`)."""
    assert match_date("R1") is None and match_date("H30　開始") is None


@pytest.mark.parametrize("line", ["平成30年5月", "平成5年～7年", "平成5年頃"])
def test_year_context_rejects_non_year_headings(line: str) -> None:
    found = read_date(line)
    with pytest.raises(DateError):
        year_context(found)


# --- properties ----------------------------------------------------------------------------------

ERAS = [("明治", "M", 1868, 45), ("大正", "T", 1912, 15), ("昭和", "S", 1926, 64)]
ERAS += [("平成", "H", 1989, 31), ("令和", "R", 2019, 30)]
_KANJI = "〇一二三四五六七八九"


def kanji_positional(n: int) -> str:
    """31 -> 三十一, 10 -> 十, 1985 -> 千九百八十五."""
    parts = []
    for unit, mark in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, unit)
        if digit:
            parts.append(("" if digit == 1 else _KANJI[digit]) + mark)
    if n:
        parts.append(_KANJI[n])
    return "".join(parts)


def full_width(n: int) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in str(n))


NUMERAL_STYLES = {
    "ascii": str,
    "full_width": full_width,
    "kanji": kanji_positional,
    "kanji_digits": lambda n: "".join(_KANJI[int(c)] for c in str(n)),
}


@st.composite
def era_dates(draw: st.DrawFn) -> tuple[tuple[str, str, int, int], int, datetime.date]:
    era = draw(st.sampled_from(ERAS))
    era_year = draw(st.integers(1, era[3]))
    year = era[2] + era_year - 1
    day = draw(st.dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    if year <= 1872:  # a lunisolar day: months of 29 or 30 days, ending on 明治5年12月2日
        day = min(day.replace(day=min(day.day, 30)), datetime.date(1872, 12, 2))
    return era, era_year, day


def iso(day: datetime.date, precision: str) -> str:
    return {"year": f"{day.year:04d}", "month": f"{day:%Y-%m}", "day": day.isoformat()}[precision]


def written(day: datetime.date, year_text: str, precision: str, number) -> str:
    text = f"{year_text}年"
    if precision != "year":
        text += f"{number(day.month)}月"
    if precision == "day":
        text += f"{number(day.day)}日"
    return text


@settings(max_examples=300)
@given(
    era_dates(),
    st.sampled_from(sorted(NUMERAL_STYLES)),
    st.sampled_from(["year", "month", "day"]),
    st.booleans(),
)
def test_era_and_western_forms_agree(
    dated: tuple[tuple[str, str, int, int], int, datetime.date],
    style: str,
    precision: str,
    gannen: bool,
) -> None:
    (era, _letter, _first, _last), era_year, day = dated
    number = NUMERAL_STYLES[style]
    era_number = "元" if era_year == 1 and gannen else number(era_year)
    expected = DateSpan(iso(day, precision), iso(day, precision))
    western = written(
        day, number(day.year) if style != "kanji" else str(day.year), precision, number
    )
    as_era = written(day, f"{era}{era_number}", precision, number)
    both = written(day, f"{day.year}({era}{era_number}年)", precision, number)
    assert normalize_date(western) == expected
    assert normalize_date(as_era) == expected
    assert normalize_date(both) == expected
    assert normalize_date(f"{era}{era_number}({day.year})年" + as_era.split("年", 1)[1]) == expected


@settings(max_examples=200)
@given(era_dates(), st.sampled_from([".", "/"]))
def test_abbreviated_era_matches_western(
    dated: tuple[tuple[str, str, int, int], int, datetime.date], sep: str
) -> None:
    (_era, letter, _first, _last), era_year, day = dated
    expected = DateSpan(day.isoformat(), day.isoformat())
    assert normalize_date(f"{letter}{era_year}{sep}{day.month}{sep}{day.day}") == expected
    assert normalize_date(f"{day.year}{sep}{day.month}{sep}{day.day}") == expected


@settings(max_examples=300)
@given(
    st.dates(datetime.date(1900, 1, 1), datetime.date(2040, 12, 31)),
    st.integers(0, 400),
    st.sampled_from(["～", "〜", "から", "-"]),
    st.booleans(),
)
def test_written_ranges_round_trip(
    first: datetime.date, length: int, sep: str, until: bool
) -> None:
    last = first + datetime.timedelta(days=length)
    if last.year > 2040:
        return
    end_text = (
        f"{last.month}月{last.day}日"
        if last.year == first.year
        else f"{last.year}年{last.month}月{last.day}日"
    )
    text = f"{first.year}年{first.month}月{first.day}日{sep}{end_text}"
    if until and sep == "から":
        text += "まで"
    assert normalize_date(text) == DateSpan(first.isoformat(), last.isoformat())


DATEISH = st.lists(
    st.sampled_from(
        [
            "平成",
            "令和",
            "昭和",
            "元",
            "0",
            "1",
            "2",
            "12",
            "31",
            "99",
            "2019",
            "１",
            "十",
            "三",
            "年",
            "月",
            "日",
            "度",
            "から",
            "まで",
            "～",
            "-",
            "ー",
            "(",
            ")",
            "（",
            "）",
            "木",
            "曜日",
            "上旬",
            "頃",
            "春",
            "H",
            "R",
            ".",
            "/",
            " ",
            "　",
            "：",
            "成人の日",
            # the forms of issue 13
            *("〜", "・", "西暦", "晦日", "朔日", "元日", "〇", "千", "弐", "拾", "廿", "卅"),
            *("S", "平", "昭", "令", "1998", "2 0 0 3", "五十"),
        ]
    ),
    max_size=14,
).map("".join)


def _key(iso_text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in iso_text.split("-"))


ISO = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def check_span(span: DateSpan) -> None:
    assert ISO.fullmatch(span.start) and ISO.fullmatch(span.end)
    common = min(len(_key(span.start)), len(_key(span.end)))
    assert _key(span.start)[:common] <= _key(span.end)[:common]


@settings(max_examples=1000)
@given(
    st.one_of(st.text(), DATEISH),
    st.none() | st.builds(YearContext, st.integers(1, 9999), st.booleans()),
)
def test_arbitrary_text_only_ever_raises_date_error(text: str, context: YearContext | None) -> None:
    try:
        span = normalize_date(text, context=context)
    except DateError:
        pass
    else:
        check_span(span)
    found = match_date(text, context=context)
    if found is not None:
        check_span(found.span)
        assert text.strip().startswith(found.date_text)
        assert found.rest in text


# --- the common-form readers agree with the scanner -----------------------------------------
# match_date reads the common forms (平成12年, 昭和60年5月, 平成11年10月3日から10月18日まで, 5月12日
# under a year heading, 令和6(2024)年, 平成9年7月上旬 …) in one step and leaves everything else
# to the scanner; they must give the same answer.

COMMON_PIECES = st.lists(
    st.sampled_from(
        [
            *("平成", "令和", "昭和", "明治", "大正", "㍻", "H", "元", "0", "1", "2", "3", "9"),
            *("10", "12", "13", "29", "30", "31", "32", "36", "60", "64", "70", "99", "2019"),
            *("0999", "1868", "9999", "１２", "十", "二十", "年", "年度", "月", "日", "から"),
            *("~", "～", "〜", "-", "ー", "―", "まで", "(", ")", "（", "）", "成人の日", "木"),
            *("上旬", "頃", "ごろ", "末", "春", "度", " ", "　", "\t", "\n", "：", ":", "、"),
            *("，", "本文", "交流", "ア", "ー", "a", "M", "「", "々", "の", "。", ".", "/"),
            *("年代", "代", "後半", "上半期", "第1四半期", "第"),
            *(
                "〜",
                "・",
                "西暦",
                "晦日",
                "末日",
                "朔日",
                "元日",
                "元旦",
                "〇",
                "千",
                "弐",
                "拾",
                "廿",
            ),
            *("S", "R", "平", "昭", "令", "和", "2 0 0 3", "五十", "十五", "字", "O"),
            *("中学生", "下", "初", "\r", "%", "に"),
            *("中旬", "初め", "半ば", "初頭", "10時", "10:00", " - ", "・令和元年", "/"),
        ]
    ),
    max_size=14,
).map("".join)
# Numbers a month or day may be, then the edges: as often one as the other, or (for ranges,
# where every number must be right for the common path to answer) mostly good ones.
GOOD_NUMBERS = ["1", "2", "3", "04", "9", "10", "12", "28"]
EDGE_NUMBERS = ["0", "13", "29", "30", "31", "32", "99"]
NUMBERS = st.sampled_from(GOOD_NUMBERS) | st.sampled_from(EDGE_NUMBERS)
RANGE_NUMBERS = st.sampled_from(GOOD_NUMBERS * 4 + EDGE_NUMBERS)
# What follows a date: body text after a separator, or any pieces.
TAILS = (
    st.sampled_from(
        ["", "　本文", " 総会を開催", "：本文", "、本文", "本文", "　中学生", " (予定)"]
    )
    | COMMON_PIECES
)


YEARS = st.sampled_from(["平成", "令和", "昭和", "明治", "大正"]).flatmap(
    lambda era: st.sampled_from(["元", "1", "01", "5", "12", "31", "36", "37", "64"]).map(
        lambda number: era + number
    )
) | st.sampled_from(["2019", "１９９９", "0999", "1868", "9998", "9999"])


def _era_number(year: str) -> tuple[str, int] | None:
    """平成12 → ("平成", 12), 令和元 → ("令和", 1); None for a western year."""
    if year[:2] not in ERA_FIRST_YEAR:
        return None
    return year[:2], 1 if year[2:] == "元" else int(year[2:])


def _shifted(year: str, shift: int) -> str:
    """`year` written the same way, `shift` years on: 平成12 → 平成13, 2019 → 2020."""
    era = _era_number(year)
    if era is None:
        return str(int(year) + shift)
    return f"{era[0]}{max(era[1] + shift, 0)}"


def _other_writing(year: str, shift: int) -> str:
    """`year` in the other writing, `shift` years on: 平成12 → 2000, 2019 → 令和元."""
    era = _era_number(year)
    if era is not None:
        return str(ERA_FIRST_YEAR[era[0]] + era[1] - 1 + shift)
    west = int(year) + shift
    name, first = max(
        ((name, first) for name, first in ERA_FIRST_YEAR.items() if first <= west),
        key=lambda era_first: era_first[1],
        default=("明治", west),
    )
    return name + ("元" if west == first else str(west - first + 1))


@st.composite
def _common_shaped(
    draw: st.DrawFn, tail: st.SearchStrategy[str], year_less: bool = False, ranges: bool = False
) -> str:
    """Text shaped like a common form with its edges (bad years, days and ranges, a year's
    other writing that disagrees, qualifiers, parentheses before a range end), then `tail`;
    `year_less`: written without a year (5月12日, 12月～3月), as under a year heading;
    `ranges`: always a range, with mostly good numbers."""
    numbers = RANGE_NUMBERS if ranges else NUMBERS
    # Long leads push the date across the 48 characters match_date looks at first.
    text = draw(
        st.just("") | st.sampled_from([" ", "　", "\n", "　" * 30, " " * 36, " " * 40, " " * 44])
    )
    if not year_less:
        year = draw(YEARS)
        where = draw(st.sampled_from([None, None, "before 年", "after 年", "after 年, with 年"]))
        other = _other_writing(year, draw(st.sampled_from([0, 0, 1]))) if where else ""
        text += year + (f"({other})" if where == "before 年" else "")
        text += draw(st.sampled_from(["年", "年度"]))
        text += {"after 年": f"({other})", "after 年, with 年": f"({other}年)"}.get(where, "")
        text += draw(st.sampled_from(["", "", "", "頃", "ごろ", "春", "末", "秋頃", "初め"]))
    if year_less or ranges or draw(st.booleans()):
        if draw(st.integers(0, 3)):
            text += f"{draw(numbers)}月" + draw(
                st.sampled_from(["", "", "", "上旬", "末", "頃", "中旬頃", "初め", "半ば"])
            )
            if draw(st.booleans()):
                text += f"{draw(numbers)}日" + draw(st.sampled_from(["", "", "", "頃", "ごろ"]))
        else:  # the ends of months, in leap years or not
            text += draw(st.sampled_from(["2月28日", "2月29日", "2月30日", "4月30日", "4月31日"]))
        if ranges or draw(st.booleans()):
            text += draw(st.sampled_from(["", "", "", "(月曜日)", "(予定)", " (金)", "(2000)"]))
            text += draw(st.sampled_from(["から", "~", "～", "-"]))
            if draw(st.integers(0, 3)) == 0:  # an end with its own year
                end_year = draw(YEARS) if year_less else _shifted(year, draw(st.integers(-1, 1)))
                text += end_year + "年"
            if draw(st.integers(0, 3)):
                text += f"{draw(numbers)}月"
            if draw(st.booleans()):
                text += f"{draw(numbers)}日"
            text += draw(st.sampled_from(["", "", "", "(水曜日)", "(予定)", "(頃)"]))
            text += draw(st.sampled_from(["", "まで"]))
            text += draw(st.sampled_from(["", "", "", "(水曜日)", "(予定)"]))
            text += draw(st.sampled_from(["", "", "", "", "から12月", "~1月4日"]))  # and another
    return text + draw(tail)


COMMON_SHAPED = _common_shaped(TAILS) | _common_shaped(TAILS, ranges=True)
# A common form followed by parentheses: weekdays and notes the common path reads itself
# (平成12年1月10日(成人の日)), and the parentheses it must leave to the scanner.
PARENTHESES = st.lists(
    st.tuples(
        st.sampled_from(["", " ", "　"]),
        st.sampled_from(["(", "（"]),
        st.sampled_from(
            [
                *("成人の日", "月", "金・祝", "木曜日", "予定", "ＡＢ", "2000", "平成十二年"),
                *("二〇〇〇年", " 予定 ", "", "あ" * 12, "あ" * 13, "あ" * 21, "頃", "。"),
            ]
        ),
        st.sampled_from([")", "）", " )", ""]),
    ).map("".join),
    min_size=1,
    max_size=3,
).map("".join)
COMMON_NOTED = _common_shaped(
    st.tuples(PARENTHESES, st.sampled_from(["", "本文", "　本文", "：本文"]) | COMMON_PIECES).map(
        "".join
    )
)
# The year a heading gives the lines below it, with its edges: years out of range, the last
# fiscal year that can end, leap years (2020, and fiscal 2019 whose 2月 is in 2020).
COMMON_CONTEXTS = st.sampled_from(
    [None, YearContext(2018), YearContext(2018, fiscal=True), YearContext(2019, fiscal=True)]
) | st.builds(YearContext, st.sampled_from([0, 1, 999, 2020, 9998, 9999]), st.booleans())
# The same shapes without a year: 5月12日, 1月, 4月1日から4月3日まで, 12月～3月 …
YEAR_LESS_SHAPED = _common_shaped(TAILS, year_less=True) | _common_shaped(
    TAILS, year_less=True, ranges=True
)
YEAR_LESS_NOTED = _common_shaped(
    st.tuples(PARENTHESES, st.sampled_from(["", "本文", "　本文", "：本文"]) | COMMON_PIECES).map(
        "".join
    ),
    year_less=True,
)


def assert_read_as_the_scanner_reads(text: str, context: YearContext | None) -> None:
    """match_date answers for `text` as the scanner does: with both readers of the common
    forms, and with the rarer-form reader alone (which reads the usual forms too)."""
    expected = _general_match(text, context)
    assert match_date(text, context=context) == expected
    with mock.patch.object(dates, "_common_match", lambda *args: None):
        assert match_date(text, context=context) == expected


@settings(max_examples=3000)
@given(COMMON_PIECES | COMMON_SHAPED | COMMON_NOTED, COMMON_CONTEXTS)
def test_common_forms_read_as_the_scanner_reads_them(
    text: str, context: YearContext | None
) -> None:
    assert_read_as_the_scanner_reads(text, context)


@settings(max_examples=3000)
@given(YEAR_LESS_SHAPED | YEAR_LESS_NOTED, COMMON_CONTEXTS)
def test_year_less_forms_read_as_the_scanner_reads_them(
    text: str, context: YearContext | None
) -> None:
    assert_read_as_the_scanner_reads(text, context)


@settings(max_examples=1000)
@given(
    era_dates(),
    st.sampled_from(["month", "day"]),
    st.sampled_from(["ascii", "full_width"]),
    PARENTHESES,
    st.sampled_from(["", "本文", "　本文", "：本文", "から12月まで", " まで", "(", "1", "　" * 40]),
)
def test_parenthesised_notes_read_as_the_scanner_reads_them(
    date: tuple[tuple[str, str, int, int], int, datetime.date],
    precision: str,
    style: str,
    parentheses: str,
    tail: str,
) -> None:
    (era, _, _, _), era_year, day = date
    text = written(day, f"{era}{era_year}", precision, NUMERAL_STYLES[style])
    text += parentheses + tail
    assert_read_as_the_scanner_reads(text, None)


@pytest.mark.parametrize(
    "line",
    [
        *(golden[0] for golden in GOLDEN_DATES),
        "平成4年11月から12月まで",
        "平成12年12月26日～1月4日",
        "平成12年12月26日から4日まで",
        "平成12年1月26日から4日まで",
        "平成12年9月　交流事業",
        "2021年11月1日",
        "平成12年",
        "平成30年度",
        " 平成元年5月：本文",
        "平成12年9月交流",
        "平成12年9月の交流",
        "平成12年9月 (予定)",
        "平成12年1月10日(成人の日)",
        "平成12年1月10日（成人の日）本文",
        "平成12年1月10日 (月)(予定)　本文",
        "平成12年1月10日(予定)(予定)",
        "平成12年1月10日(2000)",
        "平成12年1月10日(成人の日)から1月12日まで",
        "平成12年1月10日から1月12日(金)まで",
        "平成12年1月10日から1月12日まで(予定)",
        "平成12年(予定)",
        "2000年(平成十二年)",
        "平成12年9月(予定)" + "　" * 40 + "(延期)",
        "平成12年2月30日",
        "平成12年13月",
        "平成37年1月",
        "平成12年9月" + "　" * 60 + "本文",
        "　" * 60 + "平成12年9月",
    ],
)
def test_common_forms_on_known_lines(line: str) -> None:
    assert_read_as_the_scanner_reads(line, None)


@pytest.mark.parametrize(
    ("line", "context"),
    [
        ("5月12日\u3000総会を開催", FISCAL_2018),
        ("1月20日\u3000留学生との新年交流会", FISCAL_2018),
        ("3月\u3000交流会を中止", YearContext(2019, fiscal=True)),
        ("4月3日：新役員体制で活動を開始", YearContext(2019, fiscal=True)),
        ("7月28日～7月29日\u3000国際交流フェスティバルを開催", FISCAL_2018),
        ("12月～3月", YearContext(1989)),
        ("11月", YearContext(1970)),
        ("11月", None),
        ("8月7日%", FISCAL_2018),
        ("12月26日～1月4日", YearContext(1)),
        ("12月31日から1日まで", YearContext(1)),
        ("3月", YearContext(9999, fiscal=True)),
        ("12月～1月", YearContext(9999)),
        ("2月29日", YearContext(2019, fiscal=True)),
        ("2月29日", YearContext(2020, fiscal=True)),
        ("令和2年度", None),
        ("2018年度", FISCAL_2018),
        ("9998年度", None),
        ("9999年度", None),
        ("平成30年度4月", None),
        ("平成19年8月\u3000中学生交流事業を開始", None),
        ("平成19年8月\u3000 3日", None),
        ("令和6(2024)年11月14日(木曜日)", None),
        ("令和6(2023)年11月14日", None),
        ("2015年（平成27年）10月\u3000青石県書画展を町民ホールで開催", None),
        ("2015(平成27)年10月", None),
        ("2015(平成27)年(平成99年)10月", None),
        ("平成15年(2003年)9月", None),
        ("平成26年度(2014)", None),
        ("平成9年7月上旬", None),
        ("平成9年7月上旬5日", None),
        ("令和元年頃", None),
        ("令和元年頃5月", None),
        ("平成26年度頃本文", None),
        ("5月上旬　視察", FISCAL_2018),
        ("平成30年12月26日から平成31年1月4日まで", None),
        ("平成24年2月1日から平成25年2月29日まで", None),
        ("平成4年11月～平成5年", None),
        ("平成5年11月～平成4年", None),
        ("平成30年12月26日から平成31年4日", None),
        ("12月26日から平成31年1月4日まで", FISCAL_2018),
        ("平成22年4月26日(月曜日)から4月28日(水曜日)まで", None),
        ("平成12年1月10日から1月12日まで(予定)　本文", None),
        ("平成12年1月10日から1月12日まで(金)まで", None),
        ("平成12年1月10日から1月12日(金)から1月14日まで", None),
    ],
)
def test_common_forms_on_known_lines_with_a_context(line: str, context: YearContext | None) -> None:
    assert_read_as_the_scanner_reads(line, context)


# --- kanji numerals: 〇 as a placeholder, short years, old-style numerals (issue 13) ------------


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("二千〇五年", "2005"),
        ("二千〇〇五年", "2005"),
        ("二千〇十年", "2010"),  # the 〇 holds the hundreds; once read as 2000
        ("千九百〇五年", "1905"),
        ("二千年", "2000"),
        ("二千年十月一日", "2000-10-01"),
        ("二〇〇五年", "2005"),
        ("平成弐拾年", "2008"),
        ("平成弐年", "1990"),
        ("昭和参拾年", "1955"),
        ("平成廿年", "2008"),
        ("平成卅年", "2018"),
        ("昭和五十年四月廿五日", "1975-04-25"),
        ("平成元年壱月卅壱日", "1989-01-31"),
        ("令和弐年拾弐月参日", "2020-12-03"),
    ],
)
def test_kanji_numerals(text: str, start: str) -> None:
    assert normalize_date(text) == DateSpan(start, start)


@pytest.mark.parametrize(
    "text",
    [
        "二千〇年",  # a 〇 that holds no place
        "二十〇年",
        "〇十年",
        "二〇千年",
        "二千〇〇〇五年",  # more 〇 than places skipped
        "二千〇〇十年",
        "平成二十〇年",
        "平成十〇年",
        "平成〇十年",
        "平成二年十〇月",
        "平成二年十月二十〇日",
        "千年",  # a thousand years, not the year 1000
        "百年",
        "参拾年",  # a bare year needs an era
        "平成廿廿年",
        "平成二廿年",
    ],
)
def test_kanji_numerals_that_hold_no_number_are_rejected(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


@pytest.mark.parametrize("line", ["千年の歴史", "百年の森", "参加者 20名", "拾った"])
def test_kanji_numeral_words_are_not_dates(line: str) -> None:
    assert match_date(line) is None


def kanji_with_zeros(n: int) -> str:
    """2005 -> 二千〇五, 2010 -> 二千〇十, 1905 -> 千九百〇五: one 〇 for the skipped places."""
    text = kanji_positional(n)
    if n >= 1000 and (n // 100) % 10 == 0 and n % 100:
        text = text.replace("千", "千〇", 1)
    elif n >= 100 and (n // 10) % 10 == 0 and n % 10:
        text = text.replace("百", "百〇", 1)
    return text


_OLD_DIGITS = {"一": "壱", "二": "弐", "三": "参", "十": "拾"}


def old_style(n: int) -> str:
    """20 -> 弐拾, 31 -> 参拾壱: the numerals of old documents."""
    return "".join(_OLD_DIGITS.get(c, c) for c in kanji_positional(n))


def contracted(n: int) -> str:
    """20 -> 廿, 25 -> 廿五, 31 -> 卅一; other numbers as usual."""
    if 20 <= n < 40:
        return "廿卅"[n // 10 - 2] + kanji_positional(n % 10)
    return kanji_positional(n)


@settings(max_examples=300)
@given(era_dates(), st.sampled_from([kanji_with_zeros, old_style, contracted]), st.booleans())
def test_zero_placeholders_and_old_numerals_round_trip(
    dated: tuple[tuple[str, str, int, int], int, datetime.date], number, western: bool
) -> None:
    (era, _letter, _first, _last), era_year, day = dated
    year_text = kanji_with_zeros(day.year) if western else f"{era}{number(era_year)}"
    text = f"{year_text}年{number(day.month)}月{number(day.day)}日"
    assert normalize_date(text) == DateSpan(day.isoformat(), day.isoformat())


# --- ranges whose ends share a unit: 8月3〜7日, 4〜6月 (issue 13) -------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "note"),
    [
        ("平成15年8月3〜7日", "2003-08-03", "2003-08-07", None),
        ("平成15年8月3～7日", "2003-08-03", "2003-08-07", None),
        ("平成15年8月3~7日", "2003-08-03", "2003-08-07", None),
        ("平成15年8月3-7日", "2003-08-03", "2003-08-07", None),
        ("平成15年8月3 〜 7日", "2003-08-03", "2003-08-07", None),
        ("平成１５年８月３〜７日", "2003-08-03", "2003-08-07", None),
        ("平成十五年八月三〜七日", "2003-08-03", "2003-08-07", None),
        ("令和2年4〜6月", "2020-04", "2020-06", None),
        ("令和2年4～6月", "2020-04", "2020-06", None),
        ("2020年4〜6月", "2020-04", "2020-06", None),
        ("平成15年8月3〜7日頃", "2003-08-03", "2003-08-07", "頃"),
        ("平成15年8月3〜7日(木)", "2003-08-03", "2003-08-07", None),
        ("平成15年8月28〜3日", "2003-08-28", "2003-09-03", None),  # wraps as 28日～3日 does
        ("令和2年12〜1月", "2020-12", "2021-01", None),
        ("昭和55〜57年", "1980", "1982", None),
        ("昭和５５～５７年", "1980", "1982", None),
        ("令和元〜3年", "2019", "2021", None),
        ("S55-57年", "1980", "1982", None),
        ("2019〜2021年", "2019", "2021", None),
        ("平成2〜4年度", "1990-04", "1993-03", "年度"),
        ("昭和55〜57年頃", "1980", "1982", "頃"),
    ],
)
def test_shared_unit_ranges(text: str, start: str, end: str, note: str | None) -> None:
    assert normalize_date(text) == DateSpan(start, end, note)
    found = match_date(f"{text}　交流事業")
    assert found is not None
    assert (found.date_text, found.span, found.rest) == (
        text,
        DateSpan(start, end, note),
        "交流事業",
    )


@pytest.mark.parametrize(
    "text",
    [
        "平成15年8月3〜32日",
        "平成15年2月27〜29日",
        "令和2年4〜13月",
        "令和2年4〜6月上旬",
        "令和2年4〜6月3日",
        "昭和57〜55年",  # ends before it starts
        "平成30〜40年",  # beyond the era
        "昭和55〜57年4月",  # which year's April?
        "2019〜21年",  # a western end needs its four digits
    ],
)
def test_shared_unit_ranges_with_a_bad_end_are_rejected(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


def test_shared_unit_day_range_takes_the_month_from_context() -> None:
    found = match_date("8月3〜7日 合宿", context=FISCAL_2018)
    assert found is not None
    assert found.span == DateSpan("2018-08-03", "2018-08-07")
    assert match_date("3〜7日 合宿", context=FISCAL_2018) is None


@settings(max_examples=300)
@given(
    st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 12, 31)),
    st.integers(0, 27),
    st.sampled_from(["〜", "～", "~", "-"]),
    st.sampled_from(sorted(NUMERAL_STYLES)),
    st.booleans(),
)
def test_shared_unit_ranges_round_trip(
    first: datetime.date, length: int, sep: str, style: str, months: bool
) -> None:
    number = NUMERAL_STYLES[style]
    if months:
        last_month = min(12, first.month + length % 12)
        text = f"{first.year}年{number(first.month)}{sep}{number(last_month)}月"
        expected = DateSpan(f"{first:%Y-%m}", f"{first.year}-{last_month:02d}")
    else:
        last = min(first + datetime.timedelta(days=length), first.replace(day=28))
        last = max(first, last)
        text = f"{first.year}年{number(first.month)}月{number(first.day)}{sep}{number(last.day)}日"
        expected = DateSpan(first.isoformat(), last.isoformat())
    assert normalize_date(text) == expected


@settings(max_examples=200)
@given(
    era_dates(),
    st.integers(0, 10),
    st.sampled_from(["〜", "～", "-"]),
    st.sampled_from(sorted(NUMERAL_STYLES)),
)
def test_shared_unit_year_ranges_round_trip(
    dated: tuple[tuple[str, str, int, int], int, datetime.date], length: int, sep: str, style: str
) -> None:
    (era, _letter, first_year, last_era_year), era_year, _day = dated
    number = NUMERAL_STYLES[style]
    end_year = min(era_year + length, last_era_year)
    text = f"{era}{number(era_year)}{sep}{number(end_year)}年"
    start = first_year + era_year - 1
    expected = DateSpan(f"{start:04d}", f"{first_year + end_year - 1:04d}")
    assert normalize_date(text) == expected


# --- era initials and era names written with separators (issue 13) ----------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "note"),
    [
        # a Latin era letter followed by a number and 年
        ("H15年8月", "2003-08", "2003-08", None),
        ("h15年8月", "2003-08", "2003-08", None),
        ("Ｒ２年", "2020", "2020", None),
        ("R元年5月1日", "2019-05-01", "2019-05-01", None),
        ("S五十年四月", "1975-04", "1975-04", None),
        ("H27年度", "2015-04", "2016-03", "年度"),
        ("2015年(H27年)10月", "2015-10", "2015-10", None),
        ("H15年8月3〜7日", "2003-08-03", "2003-08-07", None),
        ("H15年～H17年", "2003", "2005", None),
        # kanji initials (JIS X 0301 style, with the era's first kanji)
        ("平15.8.3", "2003-08-03", "2003-08-03", None),
        ("令２．４．１", "2020-04-01", "2020-04-01", None),
        ("昭50", "1975", "1975", None),
        ("昭50年4月", "1975-04", "1975-04", None),
        ("平15年8月3日", "2003-08-03", "2003-08-03", None),
        ("大12.9.1", "1923-09-01", "1923-09-01", None),
        ("平15.8.3～7", "2003-08-03", "2003-08-07", None),
        ("昭50～昭60", "1975", "1985", None),
        ("R元.5.1", "2019-05-01", "2019-05-01", None),
        ("H24・8・15", "2012-08-15", "2012-08-15", None),
        ("㍻24.8.15", "2012-08-15", "2012-08-15", None),
        # full era names with separators instead of 年月日
        ("平成15/8/3", "2003-08-03", "2003-08-03", None),
        ("令和2.4", "2020-04", "2020-04", None),
        ("令和元.5.1", "2019-05-01", "2019-05-01", None),
        ("平成15.8.3～8.5", "2003-08-03", "2003-08-05", None),
    ],
)
def test_era_initials_and_separators(text: str, start: str, end: str, note: str | None) -> None:
    assert normalize_date(text) == DateSpan(start, end, note)


@pytest.mark.parametrize(
    "text",
    [
        "H24",  # a letter needs 年 or a dotted date
        "H 15年",
        "H15",
        "R0年",
        "R0.4.1",
        "平0.4.1",
        "令和0.4.1",
        "H37年",
        "H12年13月",
        "H12.13.1",
        "平12.2.30",
        "平成12/2/30",
        "X15年",
        "Q15.8.3",
        "令元",
        "明5",  # only 昭, 平 and 令 stand alone or before 年
        "大12",
        "明5年",
        "大12年",
        "平元年",
        "平15.",
        "平１５年十三月",
    ],
)
def test_era_initials_that_are_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


@pytest.mark.parametrize(
    "line",
    [
        "H2O",
        "Ｈ２Ｏ",
        "S字カーブ",
        "H2Oの実験",
        "R2年度予算",  # a fiscal year runs straight into a word: not a heading
        "平和",
        "平和記念式典",
        "昭和",
        "昭和の日",
        "令和の時代",
        "大3年生",
        "昭50本文",
        "平15.5%",
        "M5ボルト",
        "T2000",
        "S50mm",
    ],
)
def test_era_initials_do_not_turn_body_text_into_dates(line: str) -> None:
    assert match_date(line) is None


@pytest.mark.parametrize(
    ("line", "date_text", "start", "rest"),
    [
        ("H15年8月研修", "H15年8月", "2003-08", "研修"),
        ("昭50　開園", "昭50", "1975", "開園"),
        ("平15.8.3 開催", "平15.8.3", "2003-08-03", "開催"),
        ("令和2.4：開始", "令和2.4", "2020-04", "開始"),
    ],
)
def test_era_initials_head_lines(line: str, date_text: str, start: str, rest: str) -> None:
    found = read_date(line)
    assert (found.date_text, found.span.start, found.rest) == (date_text, start, rest)


ERA_INITIALS = {"明治": "明", "大正": "大", "昭和": "昭", "平成": "平", "令和": "令"}


@settings(max_examples=300)
@given(
    era_dates(),
    st.sampled_from(["letter", "initial", "name"]),
    st.sampled_from([".", "/", "・"]),
    st.sampled_from(["ascii", "full_width"]),
)
def test_era_initials_with_separators_round_trip(
    dated: tuple[tuple[str, str, int, int], int, datetime.date], prefix: str, sep: str, style: str
) -> None:
    (era, letter, _first, _last), era_year, day = dated
    number = NUMERAL_STYLES[style]
    head = {"letter": letter, "initial": ERA_INITIALS[era], "name": era}[prefix]
    if style == "full_width" and prefix == "letter":
        head = full_width_letter(head)
    expected = DateSpan(day.isoformat(), day.isoformat())
    text = f"{head}{number(era_year)}{sep}{number(day.month)}{sep}{number(day.day)}"
    assert normalize_date(text) == expected
    month_text = f"{head}{number(era_year)}{sep}{number(day.month)}"
    assert normalize_date(month_text) == DateSpan(f"{day:%Y-%m}", f"{day:%Y-%m}")


def full_width_letter(letter: str) -> str:
    return chr(ord(letter) + 0xFEE0)


@settings(max_examples=300)
@given(
    era_dates(), st.sampled_from(sorted(NUMERAL_STYLES)), st.sampled_from(["year", "month", "day"])
)
def test_era_letter_with_units_round_trip(
    dated: tuple[tuple[str, str, int, int], int, datetime.date], style: str, precision: str
) -> None:
    (era, letter, _first, _last), era_year, day = dated
    number = NUMERAL_STYLES[style]
    expected = DateSpan(iso(day, precision), iso(day, precision))
    assert (
        normalize_date(written(day, f"{letter}{number(era_year)}", precision, number)) == expected
    )
    if style == "ascii" and era in ("昭和", "平成", "令和"):
        initial = ERA_INITIALS[era]
        assert normalize_date(written(day, f"{initial}{era_year}", precision, number)) == expected


# --- 西暦, other separators, seasons without 年 (issue 13) ---------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "note"),
    [
        ("西暦1998年", "1998", "1998", None),
        ("西暦1998/4/1", "1998-04-01", "1998-04-01", None),
        ("西暦 1998年4月", "1998-04", "1998-04", None),
        ("西暦１９９８年（平成10年）", "1998", "1998", None),
        ("西暦一九九八年", "1998", "1998", None),
        ("西暦1998年～西暦2000年", "1998", "2000", None),
        ("西暦1998春", "1998", "1998", "春"),
        ("1998・4・1", "1998-04-01", "1998-04-01", None),
        ("1998・4・1～4・5", "1998-04-01", "1998-04-05", None),
        ("1998年/4月", "1998-04", "1998-04", None),
        ("1998年/4月1日", "1998-04-01", "1998-04-01", None),
        ("昭和50年 4/1", "1975-04-01", "1975-04-01", None),
        ("昭和50年4/1", "1975-04-01", "1975-04-01", None),
        ("1998春", "1998", "1998", "春"),
        ("１９９８秋", "1998", "1998", "秋"),
        ("一九九八冬", "1998", "1998", "冬"),
        ("1998夏～1999春", "1998", "1999", "夏・春"),
    ],
)
def test_western_era_separators_and_seasons(
    text: str, start: str, end: str, note: str | None
) -> None:
    assert normalize_date(text) == DateSpan(start, end, note)


@pytest.mark.parametrize(
    "text",
    [
        "西暦",
        "西暦10年",  # not four digits
        "西暦平成10年",  # 西暦 before an era year
        "西暦H10.4.1",
        "西暦0999年",
        "1998・4・31",
        "1998・13・1",
        "1998年/13月",
        "1998年度/4月",
        "昭和50年 4/31",
        "昭和50年 13/1",
        "昭和50年 4/1/2",
        "平成10年度 4/1",
        "10年 4/1",
        "98春",
        "0999春",
        "1998春5月",
    ],
)
def test_western_era_separators_and_seasons_that_are_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


@pytest.mark.parametrize(
    ("line", "date_text", "start", "rest"),
    [
        ("西暦1998年 開業", "西暦1998年", "1998", "開業"),
        ("1998春　開園", "1998春", "1998", "開園"),
        ("1998・4・1 開校", "1998・4・1", "1998-04-01", "開校"),
        ("昭和50年 4/1 開館", "昭和50年 4/1", "1975-04-01", "開館"),
        ("1998年/4月 開校", "1998年/4月", "1998-04", "開校"),
        ("1998年/4月1日", "1998年/4月1日", "1998-04-01", ""),
    ],
)
def test_western_era_separators_and_seasons_head_lines(
    line: str, date_text: str, start: str, rest: str
) -> None:
    found = read_date(line)
    assert (found.date_text, found.span.start, found.rest) == (date_text, start, rest)


@pytest.mark.parametrize(
    "line",
    [
        "西日本",
        "西暦とは",
        "西暦の計算",
        "1998春の",
        "2019・2020年度",
        "4/1 式典",
        "昭和50年 3/4が賛成",
    ],
)
def test_western_era_and_seasons_do_not_turn_body_text_into_dates(line: str) -> None:
    assert match_date(line) is None
    assert match_date(line, context=CALENDAR_2018) is None


@settings(max_examples=300)
@given(
    st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)),
    st.sampled_from(["西暦", "西暦 ", ""]),
    st.sampled_from([".", "/", "・", "-", "年/", "年 "]),
    st.sampled_from(["ascii", "full_width"]),
)
def test_western_dates_with_separators_round_trip(
    day: datetime.date, prefix: str, sep: str, style: str
) -> None:
    number = NUMERAL_STYLES[style]
    if sep == "年/":  # 1998年/4月1日
        text = f"{prefix}{number(day.year)}年/{number(day.month)}月{number(day.day)}日"
    elif sep == "年 ":  # 1998年 4/1
        text = f"{prefix}{number(day.year)}年 {number(day.month)}/{number(day.day)}"
    else:
        text = f"{prefix}{number(day.year)}{sep}{number(day.month)}{sep}{number(day.day)}"
    assert normalize_date(text) == DateSpan(day.isoformat(), day.isoformat())


# --- an era year without 年, as a 和暦 column writes it ----------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("明治22", "1889"),
        ("昭和30", "1955"),
        ("平成元", "1989"),
        ("令和元", "2019"),
        ("平成15", "2003"),
    ],
)
def test_an_era_year_without_its_unit_is_a_year(text: str, year: str) -> None:
    assert normalize_date(text) == DateSpan(year, year)
    found = match_date(f"{text}　町制施行")
    assert found is not None
    assert (found.date_text, found.span.start, found.year_only) == (text, year, True)


@pytest.mark.parametrize(
    "line", ["昭和30周年記念", "平成30の計画", "昭和0", "平成37", "昭和30 1955", "明治22～大正3"]
)
def test_an_era_year_without_its_unit_needs_to_stand_alone(line: str) -> None:
    assert match_date(line) is None


def test_an_era_year_followed_by_a_spaced_unit_keeps_its_month() -> None:
    found = match_date("令和2 年4月　開所")
    assert found is not None and found.span == DateSpan("2020-04", "2020-04")


# --- a year's halves and quarters: 2020年度上半期, 令和2年度第1四半期 ---------------------------


@pytest.mark.parametrize(
    ("line", "start", "end", "note"),
    [
        ("2020年度上半期", "2020-04", "2021-03", "年度・上半期"),
        ("令和2年度下半期", "2020-04", "2021-03", "年度・下半期"),
        ("令和２年度第１四半期", "2020-04", "2021-03", "年度・第1四半期"),
        ("2020年第四四半期", "2020", "2020", "第四四半期"),
        ("平成30年上半期", "2018", "2018", "上半期"),
    ],
)
def test_a_half_or_quarter_of_a_year_is_its_year_with_a_note(
    line: str, start: str, end: str, note: str
) -> None:
    """As a season is (1998年春): the note says which part, the span stays the year written."""
    found = match_date(f"{line}　事業報告")
    assert found is not None
    assert (found.span, found.rest, found.year_only) == (
        DateSpan(start, end, note),
        "事業報告",
        False,
    )


@pytest.mark.parametrize("line", ["2020年度第5四半期", "2020年度上半期に実施", "上半期"])
def test_what_is_no_half_or_quarter_of_a_year(line: str) -> None:
    assert match_date(line) is None


# --- decades: 昭和30年代, 1960年代, 1990年代後半 ------------------------------------------------


@pytest.mark.parametrize(
    ("line", "start", "end", "note", "rest"),
    [
        ("昭和30年代", "1955", "1964", "年代", ""),
        ("昭和30年代　団地の造成が進む", "1955", "1964", "年代", "団地の造成が進む"),
        ("1960年代", "1960", "1969", "年代", ""),
        ("１９６０年代：高度成長", "1960", "1969", "年代", "高度成長"),
        ("1990年代前半", "1990", "1994", "年代前半", ""),
        ("1990年代後半", "1995", "1999", "年代後半", ""),
        ("平成10年代", "1998", "2007", "年代", ""),
        ("明治30年代", "1897", "1906", "年代", ""),
        # An era's decade ends with the era: 昭和64年 (1989), 平成31年 (2019).
        ("昭和60年代", "1985", "1989", "年代", ""),
        ("平成30年代", "2018", "2019", "年代", ""),
        ("昭和60年代前半", "1985", "1989", "年代前半", ""),
        # From one decade to a later one: to the end of the later.
        ("昭和40年代から50年代", "1965", "1984", "年代", ""),
        ("昭和40年代から50年代まで　人口が急増", "1965", "1984", "年代", "人口が急増"),
        ("昭和60年代～平成10年代", "1985", "2007", "年代", ""),
        ("1960年代〜1980年代", "1960", "1989", "年代", ""),
        ("1990年代後半から2000年代前半", "1995", "2004", "年代後半・年代前半", ""),
    ],
)
def test_a_decade_is_its_ten_years(line: str, start: str, end: str, note: str, rest: str) -> None:
    found = read_date(line)
    assert (found.span, found.rest) == (DateSpan(start, end, note), rest)
    assert not found.year_only  # a period of its own: it opens an entry, it dates no lines
    assert normalize_date(found.date_text) == found.span


@pytest.mark.parametrize(
    "line",
    [
        "昭和35年代",  # a decade starts at a year ending in 0
        "1965年代",
        "平成元年代",
        "昭和60年代後半",  # 昭和65-69: after the era
        "昭和30年代4月",  # which year's April?
        "昭和30年代に入ると",  # a sentence, not a heading
        "1960年代の写真",
        "30年代",  # no era, no four digits
        "昭和50年代から40年代",  # ends before it starts
        "昭和40年代から50年",  # a decade to a year: not a range this reader knows
    ],
)
def test_what_is_no_decade(line: str) -> None:
    assert match_date(line) is None


@given(
    st.sampled_from(sorted(ERA_FIRST_YEAR)),
    st.integers(1, 9),
    st.sampled_from(["", "前半", "後半"]),
)
def test_era_decades_round_trip(era: str, tens: int, half: str) -> None:
    """An era's decade covers the western years of its era years, as far as the era goes."""
    number = tens * 10
    first_era_year = number + (5 if half == "後半" else 0)
    last_era_year = min(number + (4 if half == "前半" else 9), ERA_LAST_YEAR[era])
    found = match_date(f"{era}{number}年代{half}")
    if first_era_year > ERA_LAST_YEAR[era]:
        assert found is None
        return
    first = ERA_FIRST_YEAR[era] - 1
    assert found is not None
    assert found.span == DateSpan(
        str(first + first_era_year), str(first + last_era_year), f"年代{half}"
    )


# --- eras before Meiji (天正 to 慶応) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("天保14年5月3日", "1843-05-03", "1843-05-03"),  # as written: no calendar conversion
        ("寛永元年", "1624", "1624"),
        ("元禄15年12月14日", "1702-12-14", "1702-12-14"),
        ("慶応4年", "1868", "1868"),  # 明治元年 too: the name changed within the year
        ("慶長20年", "1615", "1615"),
        ("元和元年", "1615", "1615"),
        ("天正10年6月2日", "1582-06-02", "1582-06-02"),
        ("文久3年5月10日～6月1日", "1863-05-10", "1863-06-01"),
        ("安政元〜3年", "1854", "1856"),
        ("1843年（天保14年）", "1843", "1843"),
        ("天保十四年五月三日", "1843-05-03", "1843-05-03"),
    ],
)
def test_eras_before_meiji_are_read_as_written(text: str, start: str, end: str) -> None:
    assert normalize_date(text) == DateSpan(start, end)


@pytest.mark.parametrize(
    "text",
    [
        "慶応5年",  # no overflow before Meiji
        "慶長21年",
        "寛永0年",
        "1843年（天保15年）",  # the two years disagree
        "天保14年2月30日",  # a day of the old calendar with no ISO date: not invented
    ],
)
def test_eras_before_meiji_out_of_range_are_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


@pytest.mark.parametrize(
    "line", ["文化祭", "文化10年の歩み", "安政の大獄", "天明の飢饉", "寛政の改革"]
)
def test_words_that_begin_with_an_era_name_are_not_dates(line: str) -> None:
    assert match_date(line) is None


def test_every_old_era_ends_where_the_next_begins() -> None:
    eras = [*OLD_ERA_FIRST_YEAR.items(), ("明治", ERA_FIRST_YEAR["明治"])]
    for (era, first), (_, following) in itertools.pairwise(eras):
        last_year = following - first + 1
        assert normalize_date(f"{era}元年") == DateSpan(f"{first}", f"{first}")
        assert normalize_date(f"{era}{last_year}年") == DateSpan(f"{following}", f"{following}")
        with pytest.raises(DateError):
            normalize_date(f"{era}{last_year + 1}年")


# --- days listed with ・ --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context", "start", "end"),
    [
        ("平成19年2月21日・22日", None, "2007-02-21", "2007-02-22"),
        ("2019年4月1日・2日・3日", None, "2019-04-01", "2019-04-03"),
        ("令和元年5月1日（水）・2日（木）", None, "2019-05-01", "2019-05-02"),
        ("２０１９年４月１日・２日", None, "2019-04-01", "2019-04-02"),
        ("4月30日・5月1日", CALENDAR_2018, "2018-04-30", "2018-05-01"),
        ("4月1日 ・ 8日", CALENDAR_2018, "2018-04-01", "2018-04-08"),
        ("平成30年12月31日・1月1日", None, "2018-12-31", "2019-01-01"),
    ],
)
def test_days_listed_with_a_middle_dot_span_first_to_last(
    text: str, context: YearContext | None, start: str, end: str
) -> None:
    assert normalize_date(text, context=context) == DateSpan(start, end)


@pytest.mark.parametrize(
    ("line", "date_text", "rest"),
    [
        ("平成19年2月21日・22日　市長が来訪", "平成19年2月21日・22日", "市長が来訪"),
        ("2019年4月1日・2日、交流会を開催", "2019年4月1日・2日", "交流会を開催"),
    ],
)
def test_days_listed_with_a_middle_dot_head_lines(line: str, date_text: str, rest: str) -> None:
    found = read_date(line)
    assert (found.date_text, found.rest) == (date_text, rest)


@pytest.mark.parametrize(
    "line",
    [
        "2019年4月1日・32日",  # no 32nd: not the 1st alone either
        "2019年4月1日・本市で式典",
        "平成19年2月21日・22日の両日",
        "2019年・2020年",
        "2019年4月・5月",  # months are not listed days
    ],
)
def test_middle_dot_lists_that_do_not_head_lines(line: str) -> None:
    assert match_date(line) is None


@settings(max_examples=200)
@given(
    st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)),
    st.integers(1, 3),
    st.sampled_from(["ascii", "full_width", "kanji"]),
)
def test_listed_days_round_trip(day: datetime.date, count: int, style: str) -> None:
    number = NUMERAL_STYLES[style]
    days = [day + datetime.timedelta(days=n) for n in range(count + 1)]
    if days[-1].month != day.month:
        days = [day - datetime.timedelta(days=n) for n in range(count, -1, -1)]
    first, last = days[0], days[-1]
    text = f"{number(first.year)}年{number(first.month)}月" + "・".join(
        f"{number(d.day)}日" for d in days
    )
    assert normalize_date(text) == DateSpan(first.isoformat(), last.isoformat())
    found = match_date(f"{text}　記念式典")
    assert found is not None and found.rest == "記念式典"


# --- 元日, 朔日, 晦日 (issue 13) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("令和2年元日", "2020-01-01"),
        ("令和2年元旦", "2020-01-01"),
        ("令和2年1月元日", "2020-01-01"),
        ("平成20年2月晦日", "2008-02-29"),  # a leap year
        ("平成21年2月晦日", "2009-02-28"),
        ("平成12年2月晦日", "2000-02-29"),  # divisible by 400
        ("2100年2月晦日", "2100-02-28"),  # divisible by 100 only
        ("平成13年4月晦日", "2001-04-30"),
        ("平成13年十二月晦日", "2001-12-31"),
        ("平成13年4月朔日", "2001-04-01"),
        ("平成10年3月末日", "1998-03-31"),  # before: not read
        ("平成12年2月末日", "2000-02-29"),
        ("令和3年2月末日", "2021-02-28"),
    ],
)
def test_named_days(text: str, day: str) -> None:
    assert normalize_date(text) == DateSpan(day, day)


@pytest.mark.parametrize(
    ("text", "start", "end", "note"),
    [
        ("平成13年4月晦日頃", "2001-04-30", "2001-04-30", "頃"),
        ("平成13年4月1日～4月晦日", "2001-04-01", "2001-04-30", None),
        ("平成11年12月1日～2月晦日", "1999-12-01", "2000-02-29", None),  # the end's year leaps
        ("平成13年12月1日～2月晦日", "2001-12-01", "2002-02-28", None),
        ("平成13年12月28日～元日", "2001-12-28", "2002-01-01", None),
    ],
)
def test_named_days_in_ranges(text: str, start: str, end: str, note: str | None) -> None:
    assert normalize_date(text) == DateSpan(start, end, note)


@pytest.mark.parametrize(
    ("text", "context", "day"),
    [
        ("十月朔日", CALENDAR_2018, "2018-10-01"),
        ("元日", CALENDAR_2018, "2018-01-01"),
        ("元日", FISCAL_2018, "2019-01-01"),
        ("2月晦日", YearContext(2019, fiscal=True), "2020-02-29"),
        ("2月晦日", CALENDAR_2018, "2018-02-28"),
    ],
)
def test_named_days_take_the_year_from_context(text: str, context: YearContext, day: str) -> None:
    assert normalize_date(text, context=context) == DateSpan(day, day)
    found = match_date(f"{text}　式典", context=context)
    assert found is not None
    assert (found.span, found.rest) == (DateSpan(day, day), "式典")


@pytest.mark.parametrize(
    "text",
    [
        "令和2年2月元日",
        "平成13年晦日",
        "晦日",
        "朔日",
        "元日",
        "平成13年13月晦日",
        "平成13年4月上旬晦日",
        "平成13年末日",
        "天保14年5月末日",  # a lunisolar month's last day: the 29th or the 30th
    ],
)
def test_named_days_that_are_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


@pytest.mark.parametrize("line", ["元気な子", "元年", "元日 式典", "晦日に大掃除"])
def test_named_day_words_need_a_year(line: str) -> None:
    assert match_date(line) is None


@settings(max_examples=200)
@given(st.integers(1873, 2100), st.integers(1, 12), st.sampled_from(sorted(NUMERAL_STYLES)))
def test_last_day_of_the_month_round_trips(year: int, month: int, style: str) -> None:
    number = NUMERAL_STYLES[style]
    last = datetime.date(year, month, 1) + datetime.timedelta(days=31)
    last = last.replace(day=1) - datetime.timedelta(days=1)
    assert normalize_date(f"{year}年{number(month)}月晦日") == DateSpan(
        last.isoformat(), last.isoformat()
    )
    assert normalize_date(f"{year}年{number(month)}月朔日") == DateSpan(
        f"{last:%Y-%m}-01", f"{last:%Y-%m}-01"
    )


# --- dates before the solar calendar -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("明治5年12月2日", "1872-12-02"),  # the last day of the lunisolar calendar, as written
        ("明治元年9月8日", "1868-09-08"),
        ("明治6年1月1日", "1873-01-01"),  # the first day of the Gregorian calendar in Japan
    ],
)
def test_dates_before_1873_are_kept_as_written(text: str, day: str) -> None:
    assert normalize_date(text) == DateSpan(day, day)


@pytest.mark.parametrize(
    "text",
    [
        # skipped by the change of calendar: the day after 明治5年12月2日 was 明治6年1月1日
        # (the wareki gem and ya-wareki reject these too)
        "明治5年12月3日",
        "明治5年12月12日",
        "明治5年12月31日",
        "㍾5年12月3日",
        "M5.12.3",
        "明治5年12月1日～3日",
        "明治5年12月3日～5日",
        "明治5年12月晦日",
        # a lunisolar month had 29 or 30 days: no 31日, and which is its 晦日 only the
        # calendar's tables tell (the ISO month's last day would be invented)
        "天保14年5月31日",
        "明治3年12月31日",
        "慶応3年12月31日",
        "1843年（天保14年）5月31日",
        "天保14年5月1日～31日",
        "天保14年5月晦日",
        "元禄15年12月晦日",
    ],
)
def test_days_the_lunisolar_calendar_never_had_are_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)
    assert match_date(f"{text}　本文") is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("明治5年12月", "1872-12", "1872-12"),  # its 1st and 2nd were
        ("明治5年11月30日", "1872-11-30", "1872-11-30"),
        ("天保14年5月30日", "1843-05-30", "1843-05-30"),
        ("明治5年12月2日～明治6年1月1日", "1872-12-02", "1873-01-01"),
        ("明治6年1月31日", "1873-01-31", "1873-01-31"),  # Gregorian from here on
        ("明治6年2月晦日", "1873-02-28", "1873-02-28"),
        ("1872年12月31日", "1872-12-31", "1872-12-31"),  # a western year may be Gregorian
    ],
)
def test_lunisolar_days_that_were_are_read(text: str, start: str, end: str) -> None:
    assert normalize_date(text) == DateSpan(start, end)
    found = match_date(f"{text}　本文")
    assert found is not None and found.span == DateSpan(start, end)


# --- digits spaced out by PDF conversion (issue 13) -------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "note"),
    [
        ("2 0 0 3 年 8 月", "2003-08", "2003-08", None),
        ("2 0 0 3 年", "2003", "2003", None),
        ("2 0 0 3年8月", "2003-08", "2003-08", None),
        ("２　０　０　３　年　８　月", "2003-08", "2003-08", None),
        ("2 0 0 3 年 1 2 月 1 5 日", "2003-12-15", "2003-12-15", None),
        ("2 0 0 3 年 8 月上旬", "2003-08", "2003-08", "上旬"),
        ("2 0 0 3 年 8 月 1 日 （ 金 ）", "2003-08-01", "2003-08-01", None),
        ("2 0 0 3 年 8 月 ～ 1 0 月", "2003-08", "2003-10", None),
        ("2 0 0 3 年 8 月 1 ～ 5 日", "2003-08-01", "2003-08-05", None),
    ],
)
def test_spaced_digits(text: str, start: str, end: str, note: str | None) -> None:
    assert normalize_date(text) == DateSpan(start, end, note)


@pytest.mark.parametrize(
    "text", ["2 0 0 3", "0 1 2 3 年", "2 0 0 3 年 2 月 3 0 日", "2 0 0 3 年 1 3 月", "2 0 0 年"]
)
def test_spaced_digits_that_are_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


@pytest.mark.parametrize(
    ("line", "date_text", "rest"),
    [
        ("2 0 0 3 年 8 月 開催", "2 0 0 3 年 8 月", "開催"),
        ("2 0 0 3 年 8 月 1 日 2 0 名参加", "2 0 0 3 年 8 月 1 日", "2 0 名参加"),
        ("  2 0 0 3 年　本文", "2 0 0 3 年", "本文"),
    ],
)
def test_spaced_digits_head_lines(line: str, date_text: str, rest: str) -> None:
    found = read_date(line)
    assert (found.date_text, found.rest) == (date_text, rest)


@pytest.mark.parametrize(
    "line",
    ["2 0 0 人が参加", "1 2 3 4 5 年", "2 0 0 3 名", "2 0 0 3", "1 2 月 式典", "2 0 1 9 . 5 . 1"],
)
def test_spaced_digits_without_a_year_are_body_text(line: str) -> None:
    assert match_date(line) is None
    assert match_date(line, context=CALENDAR_2018) is None


@settings(max_examples=200)
@given(
    st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)),
    st.sampled_from([" ", "\u3000"]),
    st.sampled_from(["year", "month", "day"]),
)
def test_spaced_digits_round_trip(day: datetime.date, gap: str, precision: str) -> None:
    def spaced(n: int) -> str:
        return gap.join(str(n))

    text = f"{spaced(day.year)}{gap}年"
    if precision != "year":
        text += f"{gap}{spaced(day.month)}{gap}月"
    if precision == "day":
        text += f"{gap}{spaced(day.day)}{gap}日"
    assert normalize_date(text) == DateSpan(iso(day, precision), iso(day, precision))
    found = match_date(f"{text}{gap}本文")
    assert found is not None
    assert (found.date_text, found.rest) == (text, "本文")


# --- headings that are not dates stay not dates, in every form (issue 13) -----------------------


def _bad_parts(draw: st.DrawFn) -> tuple[str, int, int, int | None]:
    """An era, and an era year, month and day of which at least one does not exist."""
    era = draw(st.sampled_from(ERAS))[0]
    flaw = draw(st.sampled_from(["year", "month", "day"]))
    beyond = ERA_LAST_YEAR[era] + ERA_OVERFLOW + 1
    era_year = draw(st.sampled_from([0, beyond, beyond + 1, beyond + 40])) if flaw == "year" else 10
    month = draw(st.sampled_from([0, 13, 14, 20, 99])) if flaw == "month" else 2
    day = draw(st.sampled_from([0, 30, 31, 32, 99])) if flaw == "day" else None
    return era, era_year, month, day


@st.composite
def not_dates(draw: st.DrawFn) -> str:
    """A heading shaped like a date in one of the forms read, with a year, month or day that
    does not exist, or an era that does not exist."""
    era, era_year, month, day = _bad_parts(draw)
    letter = dict((e[0], e[1]) for e in ERAS)[era]
    initial = ERA_INITIALS[era]
    number = NUMERAL_STYLES[draw(st.sampled_from(["ascii", "full_width", "kanji"]))]
    day_part = f"{number(day)}日" if day is not None else ""
    d = 1 if day is None else day
    forms = [
        f"{era}{number(era_year)}年{number(month)}月{day_part}",
        f"{letter}{number(era_year)}年{number(month)}月{day_part}",
        f"{era}{era_year}/{month}/{d}",
        f"{initial}{era_year}.{month}.{d}",
        f"{letter}{era_year}.{month}.{d}",
        f"{era}{number(era_year)}年{number(month)}月{number(d)}〜{number(d)}日",
        f"{era}{number(era_year)}年 {month}/{d}",
        # eras that do not exist, or before 天正 had fewer than 10 years, in the same shapes
        f"{draw(st.sampled_from(['光文', '天平感宝', '正和', '大化', '昭平']))}10年2月",
        f"{draw(st.sampled_from('XQKAZ'))}10年2月",
        f"{draw(st.sampled_from('XQKAZ'))}10.2.3",
    ]
    if day is None:  # forms without a day: their flaw is the year or the month
        forms.append(f"{era}{number(era_year)}年{number(month)}〜{number(month)}月")
        forms.append(f"{era}{number(era_year)}年{number(month)}月晦日")
    return draw(st.sampled_from(forms))


@settings(max_examples=500)
@given(not_dates())
def test_headings_that_are_not_dates_stay_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)
    assert match_date(f"{text}　本文") is None
    assert match_date(f"{text}　本文", context=CALENDAR_2018) is None


@settings(max_examples=300)
@given(st.dates(datetime.date(1873, 1, 1), datetime.date(2040, 12, 31)))
def test_days_past_the_end_of_the_month_are_not_dates(day: datetime.date) -> None:
    last = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last -= datetime.timedelta(days=1)
    past = last.day + 1
    for text in (
        f"{day.year}年{day.month}月{past}日",
        f"{day.year}年{day.month}月1〜{past}日",
        f"{day.year}.{day.month}.{past}",
        f"西暦{day.year}/{day.month}/{past}",
        f"{day.year}・{day.month}・{past}",
        f"{' '.join(str(day.year))} 年 {day.month} 月 {past} 日",
    ):
        with pytest.raises(DateError):
            normalize_date(text)
        assert match_date(f"{text} 本文") is None


# --- a year in parentheses after the date: its other writing -----------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1989年1月8日（平成元年）", "1989-01-08", "1989-01-08"),  # before: note 平成元年
        ("平成元年1月8日（1989年）", "1989-01-08", "1989-01-08"),  # before: not read
        ("昭和 29 年 6 月 (1954)", "1954-06", "1954-06"),  # a 市政主要年譜 row
        ("昭和29年6月(1954年)", "1954-06", "1954-06"),
        ("2019年5月1日（令和元年）", "2019-05-01", "2019-05-01"),
        ("令和元年5月1日(R1)", "2019-05-01", "2019-05-01"),
        ("令和元年5月1日(水)(2019年)", "2019-05-01", "2019-05-01"),
        # the year of a heading marking an era's change, with both its eras
        ("2019年(平成31年・令和元年)", "2019", "2019"),
        ("2019年（平成31年／令和元年）", "2019", "2019"),
        ("1989年(昭和64年・平成元年)", "1989", "1989"),
        ("平成31年（令和元年）", "2019", "2019"),  # before: note 令和元年
    ],
)
def test_a_year_in_parentheses_after_the_date_is_its_other_writing(
    text: str, start: str, end: str
) -> None:
    assert normalize_date(text) == DateSpan(start, end)
    found = match_date(f"{text}　市制施行")
    assert found is not None
    assert (found.date_text, found.span, found.rest) == (text, DateSpan(start, end), "市制施行")


@pytest.mark.parametrize(
    "text",
    [
        # before: read as the first year, the other left in the body
        "1989年1月8日（平成2年）",
        "平成元年1月8日（1990年）",
        "昭和 29 年 6 月 (1955)",
        "2019年5月1日（令和2年）",
        "2019年(平成31年・令和2年)",
        "平成31年（令和2年）",
        "令和元年5月1日～5月3日(2020年)",
    ],
)
def test_a_year_in_parentheses_that_disagrees_makes_no_date(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)
    assert match_date(f"{text}　本文") is None


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("令和元年11月3日(日曜日・文化の日)", "文化の日"),  # before: 日曜日・文化の日
        ("令和元年11月3日（日・文化の日）", "文化の日"),
        ("令和2年1月13日(月・祝・成人の日)", "成人の日"),
        ("令和元年10月14日（体育の日）", "体育の日"),
        ("平成14年8月（予定・中止）", "予定・中止"),
    ],
)
def test_a_weekday_before_a_holiday_name_is_dropped(text: str, note: str) -> None:
    assert normalize_date(text).note == note
    found = match_date(f"{text}　式典")
    assert found is not None and found.span.note == note


@settings(max_examples=300)
@given(era_dates(), st.sampled_from(["western", "era"]), st.sampled_from([0, 0, 1, -1, 2]))
def test_a_year_in_parentheses_round_trips(
    dated: tuple[tuple[str, str, int, int], int, datetime.date], first: str, shift: int
) -> None:
    (era, _letter, _first, _last), era_year, day = dated
    head = f"{day.year}年" if first == "western" else f"{era}{era_year}年"
    other = f"{era}{era_year + shift}年" if first == "western" else f"{day.year + shift}"
    text = f"{head}{day.month}月{day.day}日（{other}）"
    found = match_date(f"{text}　本文")
    if shift == 0:
        assert normalize_date(text) == DateSpan(day.isoformat(), day.isoformat())
        assert found is not None and (found.date_text, found.rest) == (text, "本文")
    else:  # the year written twice, two years
        with pytest.raises(DateError):
            normalize_date(text)
        assert found is None


# --- a time of day after the date, a dash between spaces, qualifiers together (issue 13) ------


@pytest.mark.parametrize(
    ("line", "date_text", "rest"),
    [
        ("2020年4月1日10時30分　説明会", "2020年4月1日", "10時30分　説明会"),
        ("2020年4月1日10時開会", "2020年4月1日", "10時開会"),
        ("2020年4月1日（水）10時", "2020年4月1日（水）", "10時"),
        ("令和2年4月1日(水)13:30～15:00 説明会", "令和2年4月1日(水)", "13:30～15:00 説明会"),
        ("2004年 11月 29日(月)23:20:01", "2004年 11月 29日(月)", "23:20:01"),  # a forum post
        ("平成12年1月10日(成人の日)10時半 式典", "平成12年1月10日(成人の日)", "10時半 式典"),
    ],
)
def test_a_time_of_day_may_follow_the_day(line: str, date_text: str, rest: str) -> None:
    found = read_date(line)
    assert (found.date_text, found.rest) == (date_text, rest)


@pytest.mark.parametrize(
    "line",
    [
        "2020年4月1日10時から式典",  # as 2020年4月1日から式典: a sentence, not a heading
        "2020年4月10時",  # no day
        "4月1日10時 開会",  # no year: under a heading too
        "2020年4月1日10",
        "2020年4月1日10分",
        "2020年4月1日123:00",
    ],
)
def test_a_time_of_day_does_not_make_a_sentence_a_heading(line: str) -> None:
    assert match_date(line) is None
    if line.startswith("4月"):
        assert match_date(line, context=CALENDAR_2018) is None


@settings(max_examples=200)
@given(
    st.dates(datetime.date(1873, 1, 1), datetime.date(2099, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(["{h}時", "{h}時{m}分", "{h}:{m:02d}", "{h}:{m:02d}～{h}:{m:02d}", "{h}時半"]),
    st.sampled_from(["", "（水）"]),
)
def test_a_time_of_day_after_the_day_round_trips(
    day: datetime.date, hour: int, minute: int, form: str, weekday: str
) -> None:
    date_text = f"{day.year}年{day.month}月{day.day}日{weekday}"
    time = form.format(h=hour, m=minute)
    found = match_date(f"{date_text}{time}　交流会")
    assert found is not None
    assert found.span == DateSpan(day.isoformat(), day.isoformat())
    assert (found.date_text, found.rest) == (date_text, f"{time}　交流会")


@pytest.mark.parametrize(
    ("line", "date_text", "rest"),
    [
        # Wikipedia-style chronologies
        (
            "1947年（昭和22年）11月3日 - 武蔵野市市制施行",
            "1947年（昭和22年）11月3日",
            "武蔵野市市制施行",
        ),
        ("1948年(昭和23年)2月 - 学校給食開始", "1948年(昭和23年)2月", "学校給食開始"),
        ("1949年(昭和24年) - 市営運動場を開設", "1949年(昭和24年)", "市営運動場を開設"),
        ("平成7年1月17日 – 阪神・淡路大震災", "平成7年1月17日", "阪神・淡路大震災"),
        ("平成7年1月17日 — 阪神・淡路大震災", "平成7年1月17日", "阪神・淡路大震災"),
        ("2019年5月1日 - 5月3日 式典", "2019年5月1日 - 5月3日", "式典"),  # still a range
        ("平成10年5月1日 - 35日 本文", "平成10年5月1日", "- 35日 本文"),  # as before
    ],
)
def test_a_dash_between_spaces_separates_the_date_from_the_body(
    line: str, date_text: str, rest: str
) -> None:
    found = read_date(line)
    assert (found.date_text, found.rest) == (date_text, rest)


@pytest.mark.parametrize(
    ("text", "start", "end", "note"),
    [
        ("平成10年3月中旬頃", "1998-03", "1998-03", "中旬頃"),
        ("平成10年3月下旬ごろ", "1998-03", "1998-03", "下旬頃"),
        ("平成10年3月末頃", "1998-03", "1998-03", "末頃"),
        ("平成10年3月初め", "1998-03", "1998-03", "初め"),  # before: 初め went to the body
        ("平成10年3月半ば", "1998-03", "1998-03", "半ば"),
        ("令和2年秋頃", "2020", "2020", "秋頃"),
        ("平成10年末", "1998", "1998", "末"),
        ("平成10年初め", "1998", "1998", "初め"),
        ("平成10年初頭", "1998", "1998", "初頭"),
        ("平成30年度末", "2018-04", "2019-03", "年度・末"),
        ("2020年度末", "2020-04", "2021-03", "年度・末"),
        ("平成10年3月中旬頃～4月初め", "1998-03", "1998-04", "中旬頃・初め"),
    ],
)
def test_qualifiers_together_and_at_the_end_or_start_of_a_year(
    text: str, start: str, end: str, note: str
) -> None:
    assert normalize_date(text) == DateSpan(start, end, note)
    found = match_date(f"{text}　完成")
    assert found is not None
    assert (found.date_text, found.span, found.rest, found.year_only) == (
        text,
        DateSpan(start, end, note),
        "完成",
        False,
    )


@pytest.mark.parametrize(
    "line",
    [
        "平成10年末年始",
        "平成10年3月中旬頃に",
        "平成10年3月半ばに",
        "平成10年初めて",
        "2020年度末の",
    ],
)
def test_qualifiers_do_not_make_sentences_headings(line: str) -> None:
    assert match_date(line) is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1873年〈明治6年〉1月15日", "1873-01-15", "1873-01-15"),  # 日本の自治体改編 lists
        ("1921年〈大正10年〉", "1921", "1921"),
        ("\uf9a8和3年5月4日", "2021-05-04", "2021-05-04"),  # the wareki gem's U+F9A8 case
        ("慶應4年9月8日", "1868-09-08", "1868-09-08"),
        ("慶應元年八月二十四日", "1865-08-24", "1865-08-24"),
    ],
)
def test_angle_brackets_and_variant_characters(text: str, start: str, end: str) -> None:
    assert normalize_date(text) == DateSpan(start, end)
    found = match_date(f"{text}　本文")
    assert found is not None
    assert (found.date_text, found.span, found.rest) == (text, DateSpan(start, end), "本文")


@pytest.mark.parametrize(
    "line", ["慶應義塾", "慶應義塾大学の創立", "〈予定〉", "1873年〈明治7年〉1月15日"]
)
def test_variant_characters_do_not_make_dates_of_words(line: str) -> None:
    assert match_date(line) is None


# --- dates written in an era after it ended, or before it began ---------------------------------
# When 令和 began, municipalities told residents that documents printed beforehand with
# 平成31年5月30日 or 平成32年 mean the same days of 令和 ("令和に読み替え": 港区, 墨田区, 奥州市,
# 美里町, 2019), and 昭和64年 dates on papers printed before 1989-01-07 likewise meant 1989.
# Such a date names one day; keika reads it as that day (within ERA_OVERFLOW years). A date
# named in an era before the era began (令和元年4月30日, written afterwards) names one day too.


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("平成31年5月1日", "2019-05-01"),
        ("平成31年5月30日", "2019-05-30"),
        ("平成32年3月31日", "2020-03-31"),
        ("H31.5.1", "2019-05-01"),
        ("昭和64年1月8日", "1989-01-08"),
        ("昭和64年2月", "1989-02"),
        ("令和元年4月30日", "2019-04-30"),
        ("平成元年1月7日", "1989-01-07"),
    ],
)
def test_dates_named_in_an_era_outside_its_days(text: str, day: str) -> None:
    assert normalize_date(text) == DateSpan(day, day)
    found = match_date(f"{text}　卒業")
    assert found is not None and found.span == DateSpan(day, day)


# --- dotted dates padded to a fixed width (2005. 1. 1), as lists of municipal changes write them


@settings(max_examples=200)
@given(st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)), st.sampled_from("./"))
def test_padded_dotted_dates_round_trip(day: datetime.date, sep: str) -> None:
    text = f"{day.year}{sep}{day.month:2d}{sep}{day.day:2d}"
    assert normalize_date(text) == DateSpan(day.isoformat(), day.isoformat())
    found = match_date(f"{text} 市制施行")
    assert found is not None and (found.date_text, found.rest) == (text, "市制施行")


@pytest.mark.parametrize(
    "line", ["2005. 1", "2019. 5 名", "2019. 5. 3名参加", "2005- 1- 1", "2005.  1. 1", "2005. 2.30"]
)
def test_padded_dotted_forms_that_are_not_dates(line: str) -> None:
    assert match_date(line) is None
    assert match_date(f"{line} 本文") is None


# --- English month-name dates ---------------------------------------------------------------
# The English version of a chronology page writes the same dates with month names. They are
# read at the precision written, with the text after them (past a space, a colon, a dash
# between spaces or a comma) as the rest.

ENGLISH_DATES = [
    ("May 1985", "1985-05", "1985-05", ""),
    ("May 10, 1985", "1985-05-10", "1985-05-10", ""),
    ("10 May 1985", "1985-05-10", "1985-05-10", ""),
    ("Apr. 27, 2019", "2019-04-27", "2019-04-27", ""),
    ("April 27-29, 2019", "2019-04-27", "2019-04-29", ""),
    ("April 27–29, 2019 Festival", "2019-04-27", "2019-04-29", "Festival"),
    ("May 10 - June 2, 1985", "1985-05-10", "1985-06-02", ""),
    ("May 10 – June 2, 1985: exhibition", "1985-05-10", "1985-06-02", "exhibition"),
    ("November 1989 to March 1990", "1989-11", "1990-03", ""),
    ("November 1989 - March 1990 study tour", "1989-11", "1990-03", "study tour"),
    ("September 2019", "2019-09", "2019-09", ""),
    ("September 2019: Mayor's visit", "2019-09", "2019-09", "Mayor's visit"),
    ("Sept. 2019 delegation", "2019-09", "2019-09", "delegation"),
    ("Jan. 15, 2020", "2020-01-15", "2020-01-15", ""),
    ("OCTOBER 3, 1999", "1999-10-03", "1999-10-03", ""),
    ("october 1999", "1999-10", "1999-10", ""),
    ("Dec 1, 2001 Signing", "2001-12-01", "2001-12-01", "Signing"),
    (
        "May 10, 1985, the agreement was signed",
        "1985-05-10",
        "1985-05-10",
        "the agreement was signed",
    ),
    ("May 1985 – Sister city agreement", "1985-05", "1985-05", "Sister city agreement"),
    ("May 1985 — Sister city agreement", "1985-05", "1985-05", "Sister city agreement"),
    ("April 27, 2019 (Sat.) Festival", "2019-04-27", "2019-04-27", "Festival"),
    ("April 27 (Sat.), 2019 Festival", "2019-04-27", "2019-04-27", "Festival"),
    ("April 27 (Sat.) - 29 (Mon.), 2019", "2019-04-27", "2019-04-29", ""),
    ("August 3 (Saturday), 2019", "2019-08-03", "2019-08-03", ""),
    ("1st May 1985", "1985-05-01", "1985-05-01", ""),
    ("May 10th, 1985", "1985-05-10", "1985-05-10", ""),
    ("April 27th, 2019", "2019-04-27", "2019-04-27", ""),
    ("27th April 2019 Festival", "2019-04-27", "2019-04-27", "Festival"),
    ("27-29 April 2019", "2019-04-27", "2019-04-29", ""),
    ("27 April - 3 May 2019", "2019-04-27", "2019-05-03", ""),
    ("December 28 - January 3, 2020", "2019-12-28", "2020-01-03", ""),
    ("December 2019 - January 2020", "2019-12", "2020-01", ""),
    ("Dec 28, 2019 – Jan 3, 2020", "2019-12-28", "2020-01-03", ""),
    ("June 2 - May 10, 1985", "1984-06-02", "1985-05-10", ""),  # the year is written once
    ("Feb. 29, 2020", "2020-02-29", "2020-02-29", ""),
    ("May, 1985", "1985-05", "1985-05", ""),
    ("May 10,1985 visit", "1985-05-10", "1985-05-10", "visit"),
    ("Ｍａｙ １９８５", "1985-05", "1985-05", ""),  # full-width, folded
    # a range end that is no date leaves the start alone
    ("May 10, 1985 - 12 people attended", "1985-05-10", "1985-05-10", "- 12 people attended"),
    ("March 2011 to help the victims", "2011-03", "2011-03", "to help the victims"),
    ("May 2019 - March for peace", "2019-05", "2019-05", "March for peace"),
    ("November 1989 to March", "1989-11", "1989-11", "to March"),
    # each end at its precision; an end without its year after the start in the next year
    ("May - June 2, 1985", "1985-05", "1985-06-02", ""),
    ("June 10 - June 1985", "1985-06-10", "1985-06", ""),
    ("December 28, 2019 - January 3", "2019-12-28", "2020-01-03", ""),
    ("May 10, 1985 to June 2 talks", "1985-05-10", "1985-06-02", "talks"),
]


@pytest.mark.parametrize(("line", "start", "end", "rest"), ENGLISH_DATES)
def test_english_dates(line: str, start: str, end: str, rest: str) -> None:
    found = read_date(line)
    assert (found.span, found.rest, found.year_only) == (DateSpan(start, end), rest, False)
    assert found == _general_match(line, None)  # the common readers leave them to the scanner


@pytest.mark.parametrize(("line", "start", "end", "rest"), [d for d in ENGLISH_DATES if not d[3]])
def test_english_dates_normalize(line: str, start: str, end: str, rest: str) -> None:
    assert normalize_date(line) == DateSpan(start, end)


ENGLISH_NON_DATES = [
    "May I help you?",
    "May 2",  # no year
    "May 10",
    "May 10 - June 2",
    "May 10, 1985 - June 31, 1985",  # an end that does not exist
    "May",
    "March of the Penguins",
    "March 5th Street",
    "Mayor Tanaka visited",
    "Mayor 2019",
    "Marching band 1985",
    "Junior high school 2019",
    "Decade 1990",
    "May 32, 2019",
    "Feb 30, 2020",
    "Feb. 29, 2019",
    "April 31, 2019",
    "Sept 0, 2019",
    "May 85",  # a two-digit year
    "May 10, '85",
    "May 10, 85",
    "May 0985",
    "May 19850",
    "May 1985th anniversary",
    "May 10 1985th",
    "10 people in May",
    "10 May",
    "May 10, 1985 - June 2, 1984",  # ends before it starts
    "November 1990 to March 1989",
    "January. 2020",  # a dot after a full name
    "May 1985年",  # runs into text
    "Mon. May 1985",
]


@pytest.mark.parametrize("line", ENGLISH_NON_DATES)
def test_english_non_dates(line: str) -> None:
    assert match_date(line) is None
    with pytest.raises(DateError):
        normalize_date(line)


@pytest.mark.parametrize("line", ["May 12 Festival", "10 May Festival", "May 2020年度"])
def test_english_month_without_year_takes_none_from_a_context(line: str) -> None:
    """An English page has no year heading keika reads (1985 alone is no date): a month and
    day without a year stays undated under a context, unlike 5月12日."""
    assert match_date(line, context=YearContext(2019)) is None


def test_english_dates_leave_japanese_ones_as_they_were() -> None:
    for line, start in [("S60.7", "1985-07"), ("M45.7.30", "1912-07-30"), ("10月1日", None)]:
        found = match_date(line)
        assert (found.span.start if found else None) == start


EN_MONTH_NAMES = [
    ("January", "Jan.", "Jan"),
    ("February", "Feb.", "Feb"),
    ("March", "Mar.", "Mar"),
    ("April", "Apr.", "Apr"),
    ("May", "May", "May"),
    ("June", "Jun.", "Jun"),
    ("July", "Jul.", "Jul"),
    ("August", "Aug.", "Aug"),
    ("September", "Sept.", "Sep."),
    ("October", "Oct.", "Oct"),
    ("November", "Nov.", "Nov"),
    ("December", "Dec.", "Dec"),
]


@settings(max_examples=300)
@given(
    st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)),
    st.integers(0, 2),
    st.sampled_from([str.lower, str.upper, str.title, lambda s: s]),
    st.sampled_from(["", " Ceremony", ": Ceremony", " – Ceremony", " (Sat.) Ceremony"]),
)
def test_english_dates_round_trip(day: datetime.date, abbreviation: int, case, tail: str) -> None:
    month = case(EN_MONTH_NAMES[day.month - 1][abbreviation])
    iso_day, iso_month = day.isoformat(), day.isoformat()[:7]
    rest = tail.lstrip(" :–").replace("(Sat.) ", "")
    for written, iso_text in [
        (f"{month} {day.day}, {day.year}", iso_day),
        (f"{day.day} {month} {day.year}", iso_day),
        (f"{month} {day.year}", iso_month),
    ]:
        found = match_date(written + tail)
        assert found is not None, written + tail
        assert (found.span, found.rest) == (DateSpan(iso_text, iso_text), rest)
        assert normalize_date(written) == DateSpan(iso_text, iso_text)


@settings(max_examples=200)
@given(
    st.dates(datetime.date(1000, 1, 1), datetime.date(9998, 12, 31)),
    st.integers(0, 400),
    st.sampled_from([" - ", "-", " – ", " to "]),
)
def test_english_ranges_round_trip(first: datetime.date, length: int, sep: str) -> None:
    last = first + datetime.timedelta(days=length)
    a, b = EN_MONTH_NAMES[first.month - 1][0], EN_MONTH_NAMES[last.month - 1][0]
    if sep != " to ":
        if (first.year, first.month) == (last.year, last.month):
            written = f"{a} {first.day}{sep}{last.day}, {first.year}"
        elif first.year == last.year:
            written = f"{a} {first.day}{sep}{b} {last.day}, {last.year}"
        else:
            written = f"{a} {first.day}, {first.year}{sep}{b} {last.day}, {last.year}"
        assert normalize_date(written) == DateSpan(first.isoformat(), last.isoformat())
    months = f"{a} {first.year}{sep}{b} {last.year}"
    assert normalize_date(months) == DateSpan(first.isoformat()[:7], last.isoformat()[:7])


# A weekday before the date, as English pages and blog themes print one (Saturday, April 27,
# 2019; Sat. 27 April 2019): the date reads as without it, and the weekday is not checked
# against it (a wrong weekday annotation is common; the date is what the page states).
ENGLISH_WEEKDAY_LED_DATES = [
    ("Saturday, April 27, 2019", "2019-04-27", "2019-04-27", ""),
    ("Sat, Apr 27, 2019 Festival", "2019-04-27", "2019-04-27", "Festival"),
    ("Sat. 27 April 2019", "2019-04-27", "2019-04-27", ""),
    ("Monday 1 May 2023", "2023-05-01", "2023-05-01", ""),
    ("Monday 1 May 2023: Opening ceremony", "2023-05-01", "2023-05-01", "Opening ceremony"),
    ("Sat., April 27, 2019 - Spring Festival", "2019-04-27", "2019-04-27", "Spring Festival"),
    ("Thursday, November 20, 2021 – Online meeting", "2021-11-20", "2021-11-20", "Online meeting"),
    ("Wed 3 July 2019", "2019-07-03", "2019-07-03", ""),
    ("Tues. Sept. 10, 2019 delegation", "2019-09-10", "2019-09-10", "delegation"),
    ("thurs, may 2, 2019", "2019-05-02", "2019-05-02", ""),
    ("SATURDAY, APRIL 27, 2019", "2019-04-27", "2019-04-27", ""),
    ("Saturday,April 27, 2019", "2019-04-27", "2019-04-27", ""),
    ("Saturday, April 27th, 2019", "2019-04-27", "2019-04-27", ""),
    ("Sat 27th April 2019", "2019-04-27", "2019-04-27", ""),
    ("Saturday, April 27, 2019 (Sat.) Festival", "2019-04-27", "2019-04-27", "Festival"),
    ("Monday, April 27, 2019", "2019-04-27", "2019-04-27", ""),  # (it was a Saturday)
    ("Saturday, April 27-29, 2019", "2019-04-27", "2019-04-29", ""),
    ("Sat. 27-29 April 2019", "2019-04-27", "2019-04-29", ""),
    ("Friday, April 26 - Sunday, April 28, 2019", "2019-04-26", "2019-04-28", ""),
    ("Sat, Dec 28, 2019 – Fri, Jan 3, 2020 Holidays", "2019-12-28", "2020-01-03", "Holidays"),
    ("Ｓａｔｕｒｄａｙ， Ａｐｒｉｌ ２７， ２０１９", "2019-04-27", "2019-04-27", ""),  # full-width
    # what follows a dash is the body unless it is a date's end
    (
        "Saturday, April 27, 2019 - Sunday Market opens",
        "2019-04-27",
        "2019-04-27",
        "Sunday Market opens",
    ),
]


@pytest.mark.parametrize(("line", "start", "end", "rest"), ENGLISH_WEEKDAY_LED_DATES)
def test_english_dates_after_a_weekday(line: str, start: str, end: str, rest: str) -> None:
    found = read_date(line)
    assert (found.span, found.rest, found.year_only) == (DateSpan(start, end), rest, False)
    assert line.startswith(found.date_text) and found.date_text[:2] == line[:2]  # weekday and all
    assert found == _general_match(line, None)
    if not rest:
        assert normalize_date(line) == DateSpan(start, end)


ENGLISH_WEEKDAY_NON_DATES = [
    "Saturday",
    "Sat.",
    "Sunday School",
    "Sunday Market 2019",
    "Saturday, 2019",
    "Monday 1 May",  # no year
    "Saturday, April 27",
    "Mon. May 1985",  # a weekday names a day: a month is no weekday's date
    "Saturday, May 32, 2019",
    "Sat, Feb 30, 2020",
    "Sat. 31 April 2019",
    "Sunday 10 people attended the 2019 market",
    "Sundays 1 May 2023",
    "Monk 1 May 2023",
    "Saturday April 27, 2019年",  # runs into text
    "Friday the 13th, 2019",
    "Thursday, November 20, 2021 - Monday, November 19, 2021",  # ends before it starts
    "Sat (Apr 27, 2019)",
]


@pytest.mark.parametrize("line", ENGLISH_WEEKDAY_NON_DATES)
def test_a_weekday_before_no_english_date_is_no_date(line: str) -> None:
    assert match_date(line) is None
    with pytest.raises(DateError):
        normalize_date(line)


EN_WEEKDAY_NAMES = [
    ("Monday", "Mon.", "Mon"),
    ("Tuesday", "Tues.", "Tue"),
    ("Wednesday", "Wed.", "Wed"),
    ("Thursday", "Thurs.", "Thu"),
    ("Friday", "Fri.", "Fri"),
    ("Saturday", "Sat.", "Sat"),
    ("Sunday", "Sun.", "Sun"),
]


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@settings(max_examples=300)
@given(
    st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)),
    st.sampled_from([n for names in EN_WEEKDAY_NAMES for n in names]),  # any, right or wrong
    st.integers(0, 2),
    st.booleans(),
    st.sampled_from([", ", " ", ","]),
    st.sampled_from([str.lower, str.upper, lambda s: s]),
    st.sampled_from(["", " Ceremony", ": Ceremony", " – Ceremony", " (Sat.) Ceremony"]),
)
def test_english_dates_after_a_weekday_round_trip(
    day: datetime.date, weekday: str, abbreviation: int, ordinal: bool, after: str, case, tail: str
) -> None:
    month = EN_MONTH_NAMES[day.month - 1][abbreviation]
    number = _ordinal(day.day) if ordinal else str(day.day)
    rest = tail.lstrip(" :–").replace("(Sat.) ", "")
    for date in (f"{month} {number}, {day.year}", f"{number} {month} {day.year}"):
        written = case(f"{weekday}{after}{date}")
        found = match_date(written + tail)
        assert found is not None, written + tail
        assert (found.span, found.rest) == (DateSpan(day.isoformat(), day.isoformat()), rest)
        assert found.date_text.startswith(case(weekday))
        assert normalize_date(written) == DateSpan(day.isoformat(), day.isoformat())


ENGLISHISH = st.lists(
    st.sampled_from(
        [
            *("May", "Sept.", "march", "Feb", "Dec.", "June", "Mayor", "of", "to", "th", "st"),
            *("Saturday", "Sat.", "mon", "Sunday", "Thurs", "wed."),
            *(" ", ",", ", ", "-", " - ", " – ", ":", "(Sat.)", " (Sun) ", "."),
            *("0", "1", "10", "29", "30", "31", "32", "85", "1985", "2019", "0985", "12345"),
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=1000)
@given(ENGLISHISH, st.none() | st.builds(YearContext, st.integers(1, 9999), st.booleans()))
def test_english_like_text_only_ever_gives_valid_spans(
    text: str, context: YearContext | None
) -> None:
    try:
        span = normalize_date(text, context=context)
    except DateError:
        pass
    else:
        check_span(span)
        assert re.search(r"[0-9]{4}", text)  # never without a four-digit year
    found = match_date(text, context=context)
    if found is not None:
        check_span(found.span)
        assert text.strip().startswith(found.date_text)
        assert re.search(r"[0-9]{4}", found.date_text)


@settings(max_examples=200)
@given(era_dates(), st.sampled_from(["year", "month", "day"]))
def test_a_bare_era_year_under_its_era_reads_as_the_era_year_written(
    drawn: tuple[tuple[str, str, int, int], int, datetime.date], precision: str
) -> None:
    (era, _, _, _), era_year, day = drawn
    year_text = "元" if era_year == 1 else str(era_year)
    bare = written(day, year_text, precision, str) + "　本文"
    found = match_date(bare, context=era_context(era))
    whole = match_date(era + bare)
    assert found is not None and whole is not None
    assert found.span == whole.span
    assert found.year_only == whole.year_only
