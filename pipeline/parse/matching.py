"""Dates in lines: `_match` (match_date, remembered), the cheap prefilters before it,
`_strict_match` (bullets, brackets, numbers, ordinals, a remark, a date running into text) and
a date in brackets ending a line."""

from __future__ import annotations

import functools
import re

from pipeline.dates import (
    AS_OF_PARTICLES,
    FISCAL_NOTE,
    OLD_ERA_HEADS,
    OLD_ERA_PATTERN,
    OPEN_END_NOTE,
    DateMatch,
    DayOrder,
    YearContext,
    match_date,
)
from pipeline.parse.day_order import _PAGE_ORDER
from pipeline.parse.noise import (
    _EN_CIRCA,
    _EN_MONTHS,
    _EN_SEASONS,
    _EN_THE_DECADE,
    _EN_WEEKDAYS,
)
from pipeline.parse.text import _SEPARATOR_CHARS, SEPARATORS

# A line of a day and an update label after it alone (2023.4.1 更新, 令和5年4月1日掲載): the
# page's update stamp (`_updated` reads it), metadata as 更新日：… is, never an entry; so is a
# blog post's stamp (2023年5月10日 投稿), as 投稿日：2023年5月10日 is.
_STAMP_ENDS = frozenset(("更新", "掲載", "公開", "投稿"))


def _stamp_after_date(line: str) -> bool:
    found = _match(line, None)
    return (
        found is not None
        and found.rest in ("更新", "最終更新", "掲載", "公開", "投稿")
        and len(found.span.start) == 10
        and found.span.start == found.span.end
    )


# A heading that starts like a date is never taken for a furniture heading (お問い合わせ …).
# (A prefilter only: pipeline.dates decides. 西 for 西暦1998年; Latin era letters for H15年.)
# (The eras before Meiji by their whole names: 寛永, 天保 …)
# (grouped by first character: `OLD_ERA_PATTERN`, from 大化 to 慶応; 應 as dates.py reads it)
_OLD_ERAS = f"{OLD_ERA_PATTERN}|慶應"
# The dates opening with a word (an old era's name, an English month, weekday or season) behind
# one test of their first characters: a line opening otherwise is passed over at that test, not
# at one per name (the eras alone are 40 groups).
_WORD_HEADS = "".join(sorted({head[0] for head in OLD_ERA_HEADS} | {"慶"}))
_WORD_DATES = (
    f"(?=[{_WORD_HEADS}acdefjlmnostwACDEFJLMNOSTW])"
    f"(?:{_OLD_ERAS}|{_EN_MONTHS}|{_EN_WEEKDAYS}|{_EN_SEASONS}|{_EN_THE_DECADE}|{_EN_CIRCA})"
)
_DATE_START_RE = re.compile(
    rf"^(?:[0-9０-９〇一二三四五六七八九十明大昭平令\uf9a8㍾㍽㍼㍻㋿西MTSHRＭＴＳＨＲ]|{_WORD_DATES})"
)


# A list, a block of <br> lines or like paragraphs whose lines END with their date in brackets
# (姉妹都市提携調印（昭和59年5月）): `_dates_at_line_end`. The closing bracket, and what a date
# ends with before it (a digit, 年月日, 年度, 頃, 年代, 上旬): the cheap test on each line.
_TRAILING_OPENERS = {"）": "（(", ")": "（(", "］": "［[", "]": "［[", "】": "【", "〕": "〔"}
_TRAILING_CLOSERS = {"）": "）)", ")": "）)", "］": "］]", "]": "］]", "】": "】", "〕": "〕"}
_TRAILING_LAST = frozenset("0123456789０１２３４５６７８９年月日度頃代旬")
_TRAILING_SPAN = 40  # the longest bracket read as a date (a range with its years)
# An update stamp written so (更新日（令和5年4月1日）, ページ公開 (2023/4/1)): no event.
_STAMP_RE = re.compile(
    r"[【\[［(（]?\s*(?:最終|ページ)?(?:更新|掲載|公開|登録|作成|投稿)(?:日時?|日付)?\s*[】\]］)）]?"
    r"\s*[:：]?"
)


def _trailing_bracket(line: str, *, any_end: bool = False) -> int:
    """Where the bracket closing a line after what may end a date (a digit, 年, 月 …; with
    `any_end`, after anything) opens, or -1. A bracket inside it (1984年（昭和59年）5月) is
    passed over, either width."""
    openers = _TRAILING_OPENERS.get(line[-1:])
    if openers is None or (line[-2:-1] not in _TRAILING_LAST and not any_end):
        return -1
    closers = _TRAILING_CLOSERS[line[-1]]
    depth = 0
    for k in range(len(line) - 2, max(-1, len(line) - 2 - _TRAILING_SPAN), -1):
        c = line[k]
        if c in closers:
            depth += 1
        elif c in openers:
            if depth == 0:
                return k
            depth -= 1
    return -1


def _trailing_date(line: str) -> tuple[str, DateMatch] | None:
    """A line ending with a whole date in brackets, the bracket holding the date and nothing
    else (協会設立（平成2年4月1日）, half-width or ［…］ too, a space before it or none): the text
    before the bracket (without a bullet) and the date. Not a bracket holding more than a date
    (（昭和59年5月、本渓市にて）, （令和5年4月1日更新）), nor a date with no text before it, nor
    an update stamp (更新日（令和5年4月1日）)."""
    start = _trailing_bracket(line)
    if start < 0:
        return None
    inner = line[start + 1 : -1].strip()
    found = _match(inner, None) if inner else None
    if found is None or found.rest:
        return None
    text = line[:start].rstrip(_SEPARATOR_CHARS)
    if text[:1] in _BULLET_FIRSTS:
        bullet = _BULLET_RE.match(text)
        if bullet:
            text = text[bullet.end() :]
    if not text or _STAMP_RE.fullmatch(text) or "。" in text:
        return None  # (a sentence dated at its end: prose and the day it was written)
    return text, found


# An office holder's succession ordinal (初代, 第2代, 3代目): a roster's line or row (歴代会長:
# 初代 山田太郎（平成元年～平成5年）), whose span is the holder's term of office, no event. A
# single date beside it (第2代会長に就任（平成5年4月）) is the event of taking office.
_SUCCESSION_RE = re.compile(
    r"(?:初代|第[0-9０-９一二三四五六七八九十]{1,3}代目?|[0-9０-９一二三四五六七八九十]{1,3}代目?"
    r"(?=[ \u3000]|$))"
)
_SUCCESSION_FIRSTS = frozenset("初第0123456789０１２３４５６７８９一二三四五六七八九十")


def _term_of_office(holder: str, found: DateMatch) -> bool:
    """Whether a date beside a succession ordinal is a term (a span, or one open at its end)."""
    if holder[:1] not in _SUCCESSION_FIRSTS or not _SUCCESSION_RE.match(holder):
        return False
    span = found.span
    note = span.note or ""
    return OPEN_END_NOTE in note or (span.start != span.end and FISCAL_NOTE not in note)


def _year_titled(line: str) -> bool:
    """A line opening with a year or fiscal year and ending with a finer date in brackets
    (令和5年度 交流事業の参加者を募集します（令和5年4月）): the year names what the line is
    about, the bracket dates it, so it does not make its list one dated at its start."""
    found = _match(line, None)
    if found is None or not found.year_only or not found.rest:
        return False
    read = _trailing_date(line)
    return read is not None and not read[1].year_only


# A line that may open with a date: only such lines are tried when cutting a block into
# several entries (a cheap filter before the date parser).
_DATE_LINE_RE = re.compile(
    r"^(?:[■□●○◆◇▲△▼▽★☆・※◎◉▶▷►→＊*\-‐－]+[ \u3000\xa0]*)?[【［\[〔＜<≪《]?"
    rf"(?:[0-9０-９明大昭平令\uf9a8〇一二三四五六七八九十㍾㍽㍼㍻㋿西MTSHRＭＴＳＨＲ壱弐参(（NＮ第同閏]"
    r"|[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]"  # and a numbered line's (`_ENUMERATOR_RE`)
    rf"|{_WORD_DATES})"
)


def _own_year(found: DateMatch, era: YearContext | None = None) -> int | None:
    """The year a dated line writes itself (1951年3月, not 4月 read under a year above it),
    for the year-less lines after it in the same list; 0 when the date spans two years (no
    one year to give); None when it writes no year (or only a year: a year section's).
    `era`: the context of an era named alone above the line (5年10月 under 平成 writes 1993)."""
    span = found.span
    if found.year_only or (
        _match(found.date_text, None) is None
        and (era is None or _match(found.date_text, era) is None)
    ):
        return None
    year = span.start[:4]
    if not year.isdigit():
        return None
    return int(year) if span.end[:4] == year else 0


def _match(text: str, context: YearContext | None) -> DateMatch | None:
    """`match_date`, remembered: a watched page is re-parsed with mostly the same date lines,
    and the values are frozen, so sharing them is safe. A day and a month in figures before
    the year (04/12/2015) are read in the page's order (`pipeline.parse.day_order`)."""
    return _match_in(text, context, _PAGE_ORDER.get())


@functools.lru_cache(maxsize=16384)
def _match_in(text: str, context: YearContext | None, order: DayOrder | None) -> DateMatch | None:
    return match_date(text, context=context, order=order)


# Bullets written before a date (■平成12年9月, ・平成13年) and brackets around one
# (【平成12年9月】本文): the date is what is inside, the bullet or bracket is not part of it. A
# word processor's list pads its bullet with no-break spaces (・&nbsp;&nbsp;&nbsp;平成13年).
_BULLET_RE = re.compile(r"^[■□●○◯◆◇▲△▼▽★☆・※◎◉▶▷►→➤➢＊*\-‐－]+[ \u3000\xa0]*")
_BULLET_FIRSTS = frozenset("■□●○◯◆◇▲△▼▽★☆・※◎◉▶▷►→➤➢＊*-‐－")  # what _BULLET_RE can open with
_BRACKETS = {
    "【": "】",
    "［": "］",
    "[": "]",
    "〔": "〕",
    "＜": "＞",
    "<": ">",
    "≪": "≫",
    "《": "》",
}
# The number of a numbered chronology before its date (①昭和60年5月, 1. 平成3年, (1) 令和2年4月,
# No.1 …, 1　昭和60年): its place in the list, not part of the date, as a bullet is not. Tried
# only when the line does not read as it is (2019.4.1 and 2 0 0 3 年 are dates).
_ENUMERATOR_RE = re.compile(
    r"(?:[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]"  # ①-⑳, ㉑-㉟, ㊱-㊿
    r"|[0-9０-９]{1,3}[.．、)）]"
    r"|[(（][0-9０-９]{1,3}[)）]"
    r"|(?:No|NO|Ｎｏ)[.．]?[ \u3000]*[0-9０-９]{1,3}(?=[ \u3000])"
    r"|[0-9０-９]{1,3}(?=[ \u3000]+[明大昭平令])"  # 1　昭和60年5月: before an era's name only
    r"|〇(?=[ \u3000]))[ \u3000]*"  # 〇 typed as a bullet, with a space after it
)
_ENUMERATOR_FIRSTS = frozenset(
    "0123456789０１２３４５６７８９(（NＮ〇"
    + "".join(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)]))
)


def _enumerated_match(text: str, context: YearContext | None) -> DateMatch | None:
    """`_strict_match` of a line after its number (`_ENUMERATOR_RE`), if it opens with one."""
    enumerator = _ENUMERATOR_RE.match(text) if text[:1] in _ENUMERATOR_FIRSTS else None
    if enumerator is None:
        return None
    rest = text[enumerator.end() :]
    found = _strict_match(rest, context, numbered=True)
    if (
        found is not None
        and len(found.span.start) == 7  # a month with no day: 1989-04
        and "A" <= rest[:1].upper() <= "Z"  # a month's name (平成2年11月 is no day's)
        and _DOTTED_DAY_RE.match(text)
    ):
        return None  # 12. April 1989: a day as German (Danish, Czech …) writes it, not a number
    return found


# A day written with a dot before a month's name (12. April 1989, 3. Oktober 1990): no list's
# number, and the line is no date keika reads (not April 1989, a wrong date; the month's name
# is often of another language).
_DOTTED_DAY_RE = re.compile(r"(?:0?[1-9]|[12][0-9]|3[01])\.[ \u00a0]")


# The ordinal of an event series before its date (第1回　平成15年8月3日　交流会), with the year
# and the name of the event (令和5年第2回定例会　令和5年6月5日～6月20日, 第3回総会　…), as a
# council's sessions are listed: the date opens the entry, and the ordinal, which names the
# event (unlike a list's number), opens its body.
_ORDINAL_LABEL_RE = re.compile(
    r"(?:(?:明治|大正|昭和|平成|令和)(?:元|[0-9０-９]{1,2})年度?|[0-9０-９]{4}年度?)?"
    r"第[0-9０-９一二三四五六七八九十百]{1,4}回[\u4e00-\u9fff\u30a1-\u30fa]{0,10}[ \u3000]+"
)
_LABEL_REACH = 10  # where the 第 of such a label may stand at the latest (after its year)
_YEAR_LABEL_FIRSTS = frozenset("0123456789０１２３４５６７８９")  # (a western year's label)


def _labelled_match(text: str, context: YearContext | None) -> DateMatch | None:
    """`_strict_match` of a line after its ordinal (`_ORDINAL_LABEL_RE`), the ordinal put
    before the rest of the line."""
    label = _ORDINAL_LABEL_RE.match(text)
    found = _strict_match(text[label.end() :], context, numbered=True) if label else None
    if label is None or found is None:
        return None
    rest = label.group(0).rstrip(" \u3000") + (f" {found.rest}" if found.rest else "")
    return DateMatch(found.date_text, found.span, rest, found.year_only)


def _strict_match(
    line: str, context: YearContext | None, *, numbered: bool = False
) -> DateMatch | None:
    """A date that opens `line` and is followed by the end or a separator (not direct text).
    `numbered`: the line's number is read already (`_enumerated_match`)."""
    text = line.strip()
    if text[:1] in _BULLET_FIRSTS:
        bullet = _BULLET_RE.match(text)
        if bullet:
            text = text[bullet.end() :]
    close = _BRACKETS.get(text[:1])
    if close is not None:
        end = text.find(close, 1, 40)
        found = _match(text[1:end], context) if end > 1 else None
        if found is None or found.rest:
            return None
        rest = text[end + 1 :].lstrip(_SEPARATOR_CHARS).strip()
        return DateMatch(found.date_text, found.span, rest, found.year_only)
    found = _match(text, context)
    if found is None:
        if context is not None and text[:1] in _RUNS_ON_FIRSTS:
            found = _runs_on(text, context)
            if found is None:
                found = _month_day_line(text, context)
            if found is not None:
                return found
        if text[:2] == "同年" and not numbered:
            return _same_year_match(text, context)
        head = text[:_FOOTNOTE_REACH]
        if "*" in head or "＊" in head or "注" in head:
            found = _footnoted_match(text, head, context)
            if found is not None:
                return found
        if numbered:
            return None
        if text[:1] in _ENUMERATOR_FIRSTS:
            found = _enumerated_match(text, context)
            if found is not None or text[:1] not in _YEAR_LABEL_FIRSTS:
                return found
        return _labelled_match(text, context) if "第" in text[:_LABEL_REACH] else None
    after = text[len(found.date_text) :]
    if (
        after
        and after[0] not in SEPARATORS
        and after[0] != "※"
        and not found.date_text.endswith(AS_OF_PARTICLES)  # 平成3年4月1日付で提携
        and not (after[0] in "…‥・.．" and _LEADER_RE.match(after) is not None)
        and not _bracketed_remark(after)
        and not (after[0] in _TIME_FIRSTS and _time_after_day(found, after))
    ):  # (※ opens a note, never a sentence: 令和2年4月1日※延期; leader dots: 4月……開館)
        return None
    return found


# A time of day run on after a day and standing apart from the text after it (令和5年8月2日
# （水曜日）午後2時　式典, 8月2日10:00　開会): the body opens with it, as under a labelled date
# (日時：…午後2時～4時). A time running on into a sentence (…午前6時から午前9時までの予定です)
# leaves the line prose.
# The time's range may follow, left open or not (14時～, 14:00～16:00, 午後2時から): the day is
# the date, the time and its range the body's.
_TIME_OF_DAY = r"(?:午前|午後)?[0-9０-９]{1,2}(?:時(?:[0-9０-９]{1,2}分|半)?|[:：][0-9０-９]{2})"
_TIME_AFTER_DAY_RE = re.compile(
    rf"{_TIME_OF_DAY}(?:(?:[~～〜\-－]|から)(?:{_TIME_OF_DAY})?(?:まで)?)?"
)
_TIME_FIRSTS = frozenset("午0123456789０１２３４５６７８９")


def _time_after_day(found: DateMatch, after: str) -> bool:
    """Whether `after`, what runs on after a date, opens with a time of day followed by the
    end or a separator, the date a day."""
    if len(found.span.end) != 10:
        return False
    time = _TIME_AFTER_DAY_RE.match(after)
    return time is not None and after[time.end() : time.end() + 1] in _TIME_ENDS


_TIME_ENDS = frozenset(("", *SEPARATORS))


# A footnote marker right after a date (昭和61年10月*1　来訪, 平成7年（注2）　式典; ※1 and [1]
# `pipeline.dates` leaves after the date already): it refers to a note under the list, and
# opens the body as ※ does. Looked for only in a line's first characters.
_FOOTNOTE_RE = re.compile(r"[*＊][0-9０-９]{1,2}|[（(]注[0-9０-９]{0,2}[）)]")
_FOOTNOTE_REACH = 20


def _footnoted_match(text: str, head: str, context: YearContext | None) -> DateMatch | None:
    """`_strict_match` of a line whose date is followed by a footnote marker
    (`_FOOTNOTE_RE`) and then the end or a separator: the date, the marker opening the rest."""
    marker = _FOOTNOTE_RE.search(head)
    if marker is None or marker.start() == 0:
        return None
    after = text[marker.end() : marker.end() + 1]
    if after and after not in SEPARATORS:
        return None
    found = _match(text[: marker.start()].rstrip(), context)
    if found is None or found.rest:
        return None
    return DateMatch(found.date_text, found.span, text[marker.start() :], found.year_only)


# Leader dots between a date and its text (as `pipeline.dates` reads them: 平成3年4月……開館).
_LEADER_RE = re.compile(r"(?:[…‥]+|・{2,}|[.．]{3,})[ \t\u3000]*[^ \t\u3000.．…‥・]")


def _single_year(found: DateMatch) -> int | None:
    """The year a year-only date is (平成15年), or None (a fiscal year, a decade)."""
    span = found.span
    if not found.year_only or span.start != span.end or not span.start.isdigit():
        return None
    return int(span.start)


def _same_year_match(text: str, context: YearContext | None) -> DateMatch | None:
    """A line dated 同年10月 (the same year as the dated line above it, or the year heading over
    it): the month of the year that `context` carries. Without one, or under a fiscal year or an
    era alone (no one year to be the same as), the line is text."""
    if context is None or context.year is None or context.fiscal:
        return None
    found = _strict_match(text[2:], context, numbered=True)
    if found is None or found.year_only or not found.span.start.startswith(f"{context.year:04d}"):
        return None
    return DateMatch("同年" + found.date_text, found.span, found.rest, False)


# A line may run its date straight into its text when the year comes from above: an era year
# under an era named alone (<h2>平成</h2>, then 5年10月増築, 12年3月1日閉館), or a month under a
# year heading (<h3>平成15年</h3>, then 4月開館), as a 年表 is often typed. The date must end with
# its month or day, and the text open as a body does (a kanji or katakana that is no unit or
# qualifier of the date): a year alone (5年間続いた) or a particle (4月に) leaves the line text.
_RUNS_ON_RE = re.compile(
    r"((?:元|[0-9０-９]{1,2})年)?[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?"
    r"(?=[\u30a1-\u30fa\u4e00-\u9fff])"
)
_RUNS_ON_FIRSTS = frozenset("元0123456789０１２３４５６７８９")
# (units, qualifiers, and what may go on with the date: 晦日, 朔日, a day in kanji numerals)
_NOT_A_BODY_OPENING = frozenset(
    "年月日旬頃度末間目分時期上中下初半号代第元朔晦〇零一二三四五六七八九十百千壱弐参拾廿卅"
)


def _runs_on(text: str, context: YearContext) -> DateMatch | None:
    """A date whose year `context` gives (an era's year, or a year heading's month) running
    straight into its text (`_RUNS_ON_RE`): the date, and the text as the rest."""
    m = _RUNS_ON_RE.match(text)
    if m is None or text[m.end()] in _NOT_A_BODY_OPENING:
        return None
    if (context.era is None) if m.group(1) else (context.year is None):
        return None  # an era year needs its era above; a month, its year
    found = _match(m.group(0), context)
    if found is None or found.rest or found.year_only:
        return None
    return DateMatch(found.date_text, found.span, text[m.end() :].strip(), False)


# A month and day written with figures opening a line under a year heading (<h3>2019年</h3>,
# then 4/1 開館, 7/20　…, 4/1(土) 式典, 7/25～8/3　派遣, or <dt>4.1</dt>): that day (or days) of
# the year above, as 4月1日 開館 is. Only a whole line (4.1, 4/1) or, before a separator and
# text that opens as a body does, a slash form or one with its weekday: 4.1 概要 is a section's
# number as often as a day; and a figure stays a figure (4.1倍, 3.2%, 1/3 程度, 4/1の予定). A
# line in English after it is left alone: 1/4 is 4 January or 1 April as the page's country goes.
_WEEKDAY_MARK = r"[(（][月火水木金土日](?:曜日?)?[)）]"
_MONTH_DAY_LINE_RE = re.compile(
    r"([0-9０-９]{1,2})(?:([/／])|[.．])([0-9０-９]{1,2})(?![0-9０-９/／.．])"
    rf"({_WEEKDAY_MARK})?"
    r"(?:[ \u3000]*[~～〜\-－][ \u3000]*([0-9０-９]{1,2})[/／]([0-9０-９]{1,2})(?![0-9０-９/／.．])"
    rf"(?:{_WEEKDAY_MARK})?)?"
)
# What a body never opens with after a month and day's separator (a figure's unit, a range
# left open, a list's comma)
_NO_BODY_FIRSTS = frozenset("%％.．,，、~～〜-－/／")
# The units or words after a figure that could open a body as a kanji does (1/3 程度)
_FIGURE_WORD_RE = re.compile(
    r"[倍割億円個歳才枚秒]|[万千百十][人件円台世個本部冊回戸名]|程度|以上|以下|未満|前後|ずつ"
)


def _month_day_line(text: str, context: YearContext) -> DateMatch | None:
    """`_strict_match` of a line opening with a month and day in figures (`_MONTH_DAY_LINE_RE`)
    under the year `context` gives."""
    m = _MONTH_DAY_LINE_RE.match(text)
    if m is None or context.year is None:
        return None
    slash = m.group(2) is not None
    if m.group(5) is not None and not slash:
        return None  # (4.1～4/5: no one way of writing)
    end = m.end()
    rest = ""
    if end < len(text):
        if not (slash or m.group(4)) or text[end] not in SEPARATORS:
            return None
        rest = text[end:].lstrip(_SEPARATOR_CHARS).strip()
        first = rest[:1]
        if (
            not first
            or first.isdigit()
            or "\u3041" <= first <= "\u309f"  # a particle: 4/1 に開館
            or first in _NO_BODY_FIRSTS
            or _FIGURE_WORD_RE.match(rest)
            or rest.isascii()  # (1/4 Opening: a British page's 1 April as often)
        ):
            return None
    written = f"{int(m.group(1))}月{int(m.group(3))}日"
    if m.group(5) is not None:
        written += f"～{int(m.group(5))}月{int(m.group(6))}日"
    found = _match(written, context)  # (checked as written so)
    if found is None or found.rest:
        return None
    return DateMatch(m.group(0), found.span, rest, False)


_REMARK_BRACKETS = {"（": "）", "(": ")", "【": "】", "［": "］", "[": "]", "〔": "〕"}


def _bracketed_remark(after: str) -> bool:
    """Whether the text after a date opens with a remark in brackets that ends at the line's
    end or a separator (平成30年7月（第1回）, …7月29日（土）【第3回】): the date ends there. A
    sentence running on after the brackets (令和2年（第1回）の大会は…) is not such a line."""
    close = _REMARK_BRACKETS.get(after[0])
    if close is None:
        return False
    end = after.find(close, 1)
    return end > 1 and (end + 1 == len(after) or after[end + 1] in SEPARATORS)


# A western year written alone in a cell of its own: 1889, 1889年, (1889), （1889年）.
_WESTERN_YEAR_RE = re.compile(r"[(（]?([0-9０-９]{4})年?[)）]?")


def _same_year(found: DateMatch, cell: str) -> bool:
    """Whether `cell` only restates the year `found` starts in, in the other calendar: the
    西暦 column beside a 和暦 one (1889, 1889年) or the 和暦 beside a 西暦 (明治22年)."""
    if not cell:
        return False
    western = _WESTERN_YEAR_RE.fullmatch(cell)
    if western is not None:
        return int(western.group(1)) == int(found.span.start[:4])
    if not found.year_only:
        return False
    other = _match(cell, None)
    return other is not None and other.year_only and not other.rest and other.span == found.span
