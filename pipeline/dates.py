"""Japanese date expressions on chronology pages, normalised to ISO 8601 spans.

Municipal history pages head each entry with a date written the way the clerk wrote it:
era years (平成12年), western years with the era beside them (2015年（平成27年）), full-width or
kanji numerals, ranges (から…まで, ～), fiscal years (年度), qualifiers (上旬, 頃) and holiday or
weekday annotations. This module turns such a date into a `DateSpan` at the precision written:
"平成5年10月上旬" stays a month ("1993-10", note 上旬) and is never given an invented day.

Everything here is a pure function on strings. Decisions taken where pages are ambiguous:

* An era year and a western year written together must agree (令和元(2019)年); if they do not,
  the date is rejected (`DateError`, or `None` from `match_date`) rather than guessing which
  of the two numbers is the typo.
* Era years may overflow the era by up to `ERA_OVERFLOW` years (平成32年 appears in plans
  written before the era changed); year 0 and negative years are rejected, 元 is year 1.
* A range end written without a year that falls before its start wraps to the next year
  (12月26日～1月4日); an end written as a bare day before the start day wraps to the next month.
  Ranges whose ends share a unit (平成15年8月3〜7日, 令和2年4〜6月, 12〜1月, 昭和55〜57年) follow
  the same rules.
* Weekday annotations ((木曜日), (金), （水・祝）) are dropped, also before a holiday's name
  ((日曜日・文化の日) notes 文化の日); any other short parenthesised text right after a date
  (成人の日, 予定) becomes the note. Several notes are joined with "・". A year in parentheses
  after a date is the year written the other way (1989年1月8日（平成元年）, 昭和29年6月(1954),
  2019年(平成31年・令和元年)) and must agree, as in 令和元(2019)年; so must one written before
  the month (慶応4年（明治元年）9月8日, 1868年（慶応4年・明治元年）9月8日).
* Qualifiers go into the note as written, ごろ as 頃: 上旬, 中旬頃, 3月末, 3月初め, 3月半ば, 秋頃,
  平成10年末, 平成10年初め, 平成30年度末 (the fiscal year, note 年度・末), and a year's half or
  quarter (2020年度上半期, 2020年度上期, 令和2年度第1四半期: the year, note 年度・上半期), as a
  season is. A range from a part of a month to a later one (4月上旬～中旬, 4月中旬から下旬まで)
  is the month with both parts in the note (上旬・中旬), as 5月下旬～6月上旬 is two months with
  下旬・上旬; a part no later than the start's (4月中旬～上旬) is no date.
* A range's end may be written from its start: 同年 (its year), 翌年 (the next) before a month,
  同月 (its month) before a day (平成10年4月から同年9月まで, 12月～翌年3月, 4月1日～同月10日);
  such an end does not wrap, and one before the start is no date.
* A time of day may follow a day directly (2020年4月1日10時30分, 令和2年4月1日(水)13:30～): it
  opens the body. A dash between spaces after a date (1947年11月3日 - 市制施行) separates it
  from the body, as a Wikipedia chronology writes it, also before an ordinal opening the body
  (`June 2, 1998 – 10th anniversary`, 平成10年6月2日 - 10周年記念式典); before another number it
  stays in the text (平成10年5月1日 - 35日 may be a range whose end is no day).
* Days listed with ・ (平成19年2月21日・22日, 4月30日・5月1日) span the first listed day to the
  last, with the range rules for a day written without its month.
* A range's precision is kept per end: "平成4年11月～平成5年" gives "1992-11".."1993".
* A range with no end written (平成15年4月～, 平成15年4月から, 2013/2/21 ～, then the end of the
  text or a space: 平成15年4月～　運行開始) is its start with note 以降 (`OPEN_END_NOTE`): the
  span is the start alone, the note qualifying it as 頃 does, since the module has no open
  span and an end invented (today's date) would be wrong. ～ or から running into text is no
  open end (平成15年4月から運行を開始: a sentence, no date), nor is a dash (a separator), and
  something after it like an end that is none (平成15年4月～ 15日) leaves the line undated.
  An end written as the present (～現在, から現在まで, ～今日, から現在に至る; after a dash only
  現在 or 今日) is the same open range, its words in the date's text; so it is after a western
  year written alone (1998～現在, 1998–present: note Onward after English words, as after
  Since 1998), which only a range to the present makes a date.
* 付 (付け, with で, にて or をもって) or 現在 right after a date (平成3年4月1日付で, 令和5年4月1日
  現在) says what the date is to the text: part of the date's text, the span the date's.
* `year_only` is true only for a single year or fiscal year without qualifiers (a heading
  that supplies a year to lines below it); a range of years is not `year_only`.
* Dates before the solar calendar (明治5年12月2日 and earlier) are kept as written, month and
  day of the old lunisolar calendar, with no conversion: 明治5年12月2日 is "1872-12-02". The
  eras from 大化 (645) to 慶応 are read too (天保14年5月3日 is "1843-05-03", 天平15年10月15日
  "0743-10-15"), by full name and with a year only (`EARLY_ERA_YEARS` says why and whence);
  a western year of three digits in parentheses beside such a year must agree with it
  (天平15年（743年）), and after a year past 999 is no year (平成15年10月1日(100): text).
  A day the old calendar has but the ISO one does not (2月30日) is no date: the span must stay
  a valid ISO date, and a wrong date is worse than none. Nor is a day it never had,
  written with an era: a 31日 (its months had 29 or 30 days), a 晦日 (the 29th or the 30th,
  which only its tables tell) or 明治5年12月3日 to 31日 (skipped: the next day was 明治6年1月1日).
  The same holds for a month line under a year heading written with such an era (5月31日 under
  天保14年: `YearContext.lunisolar`); under a western year (1843年) the days are ISO days.
  A leap month of that calendar (天保3年閏11月) is the month it follows with note 閏
  (`LEAP_NOTE`), never under a western year or after 1872; a range may not leave or enter
  it (its span could not say which end is the leap one).
* A decade is its ten years (昭和30年代: 1955-1964, note 年代), or five (1990年代後半: 1995-1999);
  an era's decade ends with the era (昭和60年代: 1985-1989) and starts at an era year ending in
  0 (昭和35年代, 平成元年代 are no decades); 昭和40年代から50年代 spans both. A decade is a
  period, not `year_only`: lines under it give it no year.
* 晦日 and 末日 are the last day of their month (平成20年2月晦日 is 2008-02-29), 朔日 the first,
  and 元日 or 元旦 the first of January.
* A 〇 in a kanji numeral with units only holds places the units skip (二千〇五, 二千〇十);
  any other 〇 there (二十〇, 〇十) makes the numeral, and so the date, invalid.
* Era initials are read only when a number follows at once: a Latin letter (H15年8月, H24.8.15)
  needs 年 or a dotted date after the number, a kanji initial (平15.8.3, 昭50) needs digits
  (or 元 in a dotted date: 令元.5.1); 明 and 大 are read only in a dotted date (大12.9.1),
  昭, 平 and 令 also before 年 or alone (昭50年, 昭50). A full era name with its year and no
  年 (明治22, 令和元, as a 和暦 column writes it) is a year when nothing but text follows.
* A heading naming an era alone (平成, 天保; not an era before 天正: those are often words,
  文明, 大化) gives its era to the years below it written without one (元年4月, 5年10月:
  `era_context`), with the era's limits and, before Meiji, the
  lunisolar rules; it dates no month line (an era is no year). An era's Latin initial and its
  year alone (H30, R1) is no date here: `letter_era_year` gives its year for a run of them.
* Digits spaced out by PDF conversion (2 0 0 3 年 8 月) are read only when the date opens with
  four of them and 年: "2 0 0 人が参加" stays body text.
* A western year of four digits (1000-2999, as a bare year in pipeline.parse), a space and a
  month with 月 (2003 8月, 2003 8月15日,
  ２００３　８月: a timeline's year and month columns side by side, as pipeline.parse writes
  them) is that month, as 2003年8月 is; but no text may run into it (2003 8月号, 2003 8月開館
  stay undated), and without 月 (2003 8) it is two numbers.
* English pages write the same dates with month names (May 1985, May 10, 1985, 10 May 1985,
  Apr. 27, 2019, April 27-29, 2019, November 1989 to March 1990, weekdays dropped, after the
  date (Sat.) or before a day: Saturday, April 27, 2019): read with a four-digit year only,
  never from a year heading, and a month name only as a word. A weekday is not checked
  against its date. The year may come first (1985, April 3; 1985 Apr. 3), a month alone after
  it only where nothing could continue it (1985, April: …). A season and its year (Spring 1985,
  Summer of 1998, Fall 2003) is the year with the season in the note, as 1998年春; a winter
  naming its two years (Winter 1999-2000) spans them, as 1999～2000年冬 does. Early, mid or
  late before a month and year or a year (early March 2024, mid-April 2019, Late 1985) is the
  month or year with the part in the note (Early, Mid, Late), as 2024年3月上旬 or 1985年末.
  A decade (1970s, 1990's, the 1980s, Early 1990s) is its ten years, note Decade after the part.
* A day and a month in figures before a four-digit year (04/12/2015, 12.04.2015, 4-12-2015)
  are read only in an order given (`order`: "dmy" or "mdy", which pipeline.parse decides for
  a page), never guessed: April 12 in the US is 4 December in the UK. A year first
  (2015/04/12) is never ambiguous and read as before.
* A season, a school or a financial year across two years (2021–22, 2021/22, 2011/12 season,
  2021-2022 academic year) spans the two years when the second is exactly the next
  (`_year_pair`); the two digits of a month (2011/12, 2008-09) are read so only before such a
  word, which is the note.
* A western year may have its era in parentheses before a dotted date, or the era year the
  western one (2019(H31).4.1, H31(2019).4.1); as with 令和元(2019)年, the two must agree.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import re
from dataclasses import dataclass, field
from typing import Literal

ERA_FIRST_YEAR = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
ERA_LAST_YEAR = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31, "令和": 99}
ERA_OVERFLOW = 5
# The eras before Meiji that local histories still date things by (a temple founded 寛永元年, a
# domain school opened 天保14年), each with the western year its first year mostly falls in.
# An era's last year is the next one's first (the name changed within the year), so 慶応4年 and
# 明治元年 are both 1868. Month and day stay as written in the old calendar, and no overflow
# is allowed: nobody wrote 慶応5年 in advance.
OLD_ERA_FIRST_YEAR = {
    **{"天正": 1573, "文禄": 1592, "慶長": 1596, "元和": 1615, "寛永": 1624, "正保": 1644},
    **{"慶安": 1648, "承応": 1652, "明暦": 1655, "万治": 1658, "寛文": 1661, "延宝": 1673},
    **{"天和": 1681, "貞享": 1684, "元禄": 1688, "宝永": 1704, "正徳": 1711, "享保": 1716},
    **{"元文": 1736, "寛保": 1741, "延享": 1744, "寛延": 1748, "宝暦": 1751, "明和": 1764},
    **{"安永": 1772, "天明": 1781, "寛政": 1789, "享和": 1801, "文化": 1804, "文政": 1818},
    **{"天保": 1830, "弘化": 1844, "嘉永": 1848, "安政": 1854, "万延": 1860, "文久": 1861},
    **{"元治": 1864, "慶応": 1865},
}
# The eras before 天正 (大化 645 to 元亀, 1570-1573), by which city histories and the 由緒 of
# shrines and temples date things (天平15年, 建久3年, 応仁元年), each with its first and last
# western year: those its first and last lunisolar years mostly fall in, so an era proclaimed in
# a 12th month that fell in the next January (天延, 973) starts in the earlier year, as 天保 (1830)
# does above. The last years are given, not derived from the next era's first, because the two
# courts of 1331-1392 dated by eras of their own at once (南朝: 元弘 … 元中, 北朝: 正慶 … 明徳;
# 元弘 and 建武 were both's, and 建武 lasted to 1338 in the north) and 654-686 and 686-701 had
# no era. The names are read only with a year (天平15年, 文明元年), never alone as a heading's
# era: many are words (文明, 大化, 天平, 永久, 保安, 治安, 延長).
# Data: tk1024/gen5 gengou.js (each era's start and end date, each court's apart), cross-checked
# with richardjharris/japanese_year_calculator era_data.dart (each era's first year; each court's
# eras follow each other there). The two agree on every first year; for the nine eras proclaimed
# in a 12th month (天延, 長和, 嘉保, 永長, 建保, 安貞, 徳治, 正平, 寛正) both give the next year,
# their start date's, as both give 天保 1831: here the earlier one, as for 天保.
EARLY_ERA_YEARS = {
    **{"大化": (645, 650), "白雉": (650, 654), "朱鳥": (686, 686), "大宝": (701, 704)},
    **{"慶雲": (704, 708), "和銅": (708, 715), "霊亀": (715, 717), "養老": (717, 724)},
    **{"神亀": (724, 729), "天平": (729, 749), "天平感宝": (749, 749), "天平勝宝": (749, 757)},
    **{"天平宝字": (757, 765), "天平神護": (765, 767), "神護景雲": (767, 770), "宝亀": (770, 781)},
    **{"天応": (781, 782), "延暦": (782, 806), "大同": (806, 810), "弘仁": (810, 824)},
    **{"天長": (824, 834), "承和": (834, 848), "嘉祥": (848, 851), "仁寿": (851, 854)},
    **{"斉衡": (854, 857), "天安": (857, 859), "貞観": (859, 877), "元慶": (877, 885)},
    **{"仁和": (885, 889), "寛平": (889, 898), "昌泰": (898, 901), "延喜": (901, 923)},
    **{"延長": (923, 931), "承平": (931, 938), "天慶": (938, 947), "天暦": (947, 957)},
    **{"天徳": (957, 961), "応和": (961, 964), "康保": (964, 968), "安和": (968, 970)},
    **{"天禄": (970, 973), "天延": (973, 976), "貞元": (976, 978), "天元": (978, 983)},
    **{"永観": (983, 985), "寛和": (985, 987), "永延": (987, 989), "永祚": (989, 990)},
    **{"正暦": (990, 995), "長徳": (995, 999), "長保": (999, 1004), "寛弘": (1004, 1012)},
    **{"長和": (1012, 1017), "寛仁": (1017, 1021), "治安": (1021, 1024), "万寿": (1024, 1028)},
    **{"長元": (1028, 1037), "長暦": (1037, 1040), "長久": (1040, 1044), "寛徳": (1044, 1046)},
    **{"永承": (1046, 1053), "天喜": (1053, 1058), "康平": (1058, 1065), "治暦": (1065, 1069)},
    **{"延久": (1069, 1074), "承保": (1074, 1077), "承暦": (1077, 1081), "永保": (1081, 1084)},
    **{"応徳": (1084, 1087), "寛治": (1087, 1094), "嘉保": (1094, 1096), "永長": (1096, 1097)},
    **{"承徳": (1097, 1099), "康和": (1099, 1104), "長治": (1104, 1106), "嘉承": (1106, 1108)},
    **{"天仁": (1108, 1110), "天永": (1110, 1113), "永久": (1113, 1118), "元永": (1118, 1120)},
    **{"保安": (1120, 1124), "天治": (1124, 1126), "大治": (1126, 1131), "天承": (1131, 1132)},
    **{"長承": (1132, 1135), "保延": (1135, 1141), "永治": (1141, 1142), "康治": (1142, 1144)},
    **{"天養": (1144, 1145), "久安": (1145, 1151), "仁平": (1151, 1154), "久寿": (1154, 1156)},
    **{"保元": (1156, 1159), "平治": (1159, 1160), "永暦": (1160, 1161), "応保": (1161, 1163)},
    **{"長寛": (1163, 1165), "永万": (1165, 1166), "仁安": (1166, 1169), "嘉応": (1169, 1171)},
    **{"承安": (1171, 1175), "安元": (1175, 1177), "治承": (1177, 1181), "養和": (1181, 1182)},
    **{"寿永": (1182, 1184), "元暦": (1184, 1185), "文治": (1185, 1190), "建久": (1190, 1199)},
    **{"正治": (1199, 1201), "建仁": (1201, 1204), "元久": (1204, 1206), "建永": (1206, 1207)},
    **{"承元": (1207, 1211), "建暦": (1211, 1213), "建保": (1213, 1219), "承久": (1219, 1222)},
    **{"貞応": (1222, 1224), "元仁": (1224, 1225), "嘉禄": (1225, 1227), "安貞": (1227, 1229)},
    **{"寛喜": (1229, 1232), "貞永": (1232, 1233), "天福": (1233, 1234), "文暦": (1234, 1235)},
    **{"嘉禎": (1235, 1238), "暦仁": (1238, 1239), "延応": (1239, 1240), "仁治": (1240, 1243)},
    **{"寛元": (1243, 1247), "宝治": (1247, 1249), "建長": (1249, 1256), "康元": (1256, 1257)},
    **{"正嘉": (1257, 1259), "正元": (1259, 1260), "文応": (1260, 1261), "弘長": (1261, 1264)},
    **{"文永": (1264, 1275), "建治": (1275, 1278), "弘安": (1278, 1288), "正応": (1288, 1293)},
    **{"永仁": (1293, 1299), "正安": (1299, 1302), "乾元": (1302, 1303), "嘉元": (1303, 1306)},
    **{"徳治": (1306, 1308), "延慶": (1308, 1311), "応長": (1311, 1312), "正和": (1312, 1317)},
    **{"文保": (1317, 1319), "元応": (1319, 1321), "元亨": (1321, 1324), "正中": (1324, 1326)},
    **{"嘉暦": (1326, 1329), "元徳": (1329, 1332), "元弘": (1331, 1334), "正慶": (1332, 1333)},
    **{"建武": (1334, 1338), "延元": (1336, 1340), "興国": (1340, 1346), "正平": (1346, 1370)},
    **{"建徳": (1370, 1372), "文中": (1372, 1375), "天授": (1375, 1381), "弘和": (1381, 1384)},
    **{"元中": (1384, 1392), "暦応": (1338, 1342), "康永": (1342, 1345), "貞和": (1345, 1350)},
    **{"観応": (1350, 1352), "文和": (1352, 1356), "延文": (1356, 1361), "康安": (1361, 1362)},
    **{"貞治": (1362, 1368), "応安": (1368, 1375), "永和": (1375, 1379), "康暦": (1379, 1381)},
    **{"永徳": (1381, 1384), "至徳": (1384, 1387), "嘉慶": (1387, 1389), "康応": (1389, 1390)},
    **{"明徳": (1390, 1394), "応永": (1394, 1428), "正長": (1428, 1429), "永享": (1429, 1441)},
    **{"嘉吉": (1441, 1444), "文安": (1444, 1449), "宝徳": (1449, 1452), "享徳": (1452, 1455)},
    **{"康正": (1455, 1457), "長禄": (1457, 1460), "寛正": (1460, 1466), "文正": (1466, 1467)},
    **{"応仁": (1467, 1469), "文明": (1469, 1487), "長享": (1487, 1489), "延徳": (1489, 1492)},
    **{"明応": (1492, 1501), "文亀": (1501, 1504), "永正": (1504, 1521), "大永": (1521, 1528)},
    **{"享禄": (1528, 1532), "天文": (1532, 1555), "弘治": (1555, 1558), "永禄": (1558, 1570)},
    **{"元亀": (1570, 1573)},
}
# era -> (first western year, its last era year), for the eras from 大化 to 慶応
_OLD_ERA_YEARS = {
    **{era: (first, last - first + 1) for era, (first, last) in EARLY_ERA_YEARS.items()},
    **{  # from 天正, each era lasts until the next one's first year
        era: (first, following - first + 1)
        for (era, first), following in zip(
            OLD_ERA_FIRST_YEAR.items(),
            [*list(OLD_ERA_FIRST_YEAR.values())[1:], ERA_FIRST_YEAR["明治"]],
            strict=True,
        )
    },
}
# Every era name before Meiji, the longest first (天平勝宝 before 天平), and what they open with:
# all are two characters or four (天平感宝, 天平勝宝, 天平宝字, 天平神護, 神護景雲), so the first
# two characters of a text tell whether it may open with one.
OLD_ERA_NAMES = tuple(sorted(_OLD_ERA_YEARS, key=len, reverse=True))
OLD_ERA_HEADS = frozenset(era[:2] for era in OLD_ERA_NAMES)
assert {len(era) for era in OLD_ERA_NAMES} == {2, 4}


def _alternation(names: tuple[str, ...]) -> str:
    """A regex alternation of `names` grouped by their first character (天(?:平勝宝|平|…)|…),
    each group's names in the order given (the longest first): a text that opens with none of
    the first characters is passed over at one test per group, not one per name."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(re.escape(name[1:]))
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


# The eras before Meiji as a regex alternation (for pipeline.parse's prefilters too).
OLD_ERA_PATTERN = _alternation(OLD_ERA_NAMES)
_ERA_ALIASES = {
    "㍾": "明治",
    "㍽": "大正",
    "㍼": "昭和",
    "㍻": "平成",
    "㋿": "令和",
    "M": "明治",
    "T": "大正",
    "S": "昭和",
    "H": "平成",
    "R": "令和",
    "明": "明治",
    "大": "大正",
    "昭": "昭和",
    "平": "平成",
    "令": "令和",
}
# Kanji initials that may stand for their era without dots or 年 (昭50): the initials of the eras
# still in living memory, and never followed by a kanji (平和, 昭和, 大正 are words).
_BARE_INITIALS = frozenset("昭平令")

FISCAL_NOTE = "年度"
# A leap month of the lunisolar calendar (天保3年閏11月): its span is the month it follows, which
# ISO 8601 has no other way to write, and its note says it is the leap one, so 閏11月 and 11月
# of a year are two dates that differ (in the note and the date's text), never one.
LEAP_NOTE = "閏"
NOTE_JOINER = "・"


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date or range at the precision written: "1995", "1985-05" or "1999-10-03"."""

    start: str
    end: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class YearContext:
    """The year a heading like 2018年度 or 平成30年 supplies to dated lines below it, or the
    era a heading naming it alone (平成) supplies to the era years below it (5年10月)."""

    year: int | None  # None: an era alone (`era_context`), which dates no month line (4月)
    fiscal: bool = False  # fiscal year: April..March, so 1月-3月 belong to year+1
    # The heading wrote an era year before 1873 (天保14年): the month lines below it give days of
    # the lunisolar calendar, checked as such (no 31st, no 晦日), as a date writing its era is.
    lunisolar: bool = False
    # The era of a heading naming it alone (平成, 天保), above this year or as the context
    # itself: a year written without its era below it (元年4月, 5年) is a year of that era.
    era: str | None = None


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found at the start of a line, with the text that follows it."""

    date_text: str
    span: DateSpan
    rest: str
    year_only: bool


class DateError(ValueError):
    """Text that is not a (valid) date expression."""


# --- text preparation -------------------------------------------------------------------------
# One-for-one character mapping, so positions in the folded text are positions in the original.

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII, ～ becomes ~
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"})
_FOLD.update({ord("\u301c"): "~", ord("\u00a0"): " "})
# Angle brackets around a year's other writing (1873年〈明治6年〉1月15日), the compatibility
# ideograph of 令 (U+F9A8, left by some converters) and the old form of 慶応 (慶應4年).
_FOLD.update({ord("\u3008"): "(", ord("\u3009"): ")", ord("\uf9a8"): "令", ord("應"): "応"})
# Korean writes a date with its own year, month and day words (1998년 5월 12일): read as 年月日.
_FOLD.update({ord("년"): "年", ord("월"): "月", ord("일"): "日"})
for _letter in "mtshr":  # era initials in either case and width
    _FOLD[ord(_letter)] = _FOLD[ord(_letter) + 0xFEE0] = ord(_letter.upper())


# str.translate looks every character up in _FOLD (~0.2 µs each); most text has nothing to fold.
_FOLDABLE_RE = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")


def _fold(text: str) -> str:
    return text.translate(_FOLD) if _FOLDABLE_RE.search(text) else text


# --- numerals ---------------------------------------------------------------------------------

_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_DIGITS["零"] = 0
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_PLACES = {"十": 1, "百": 2, "千": 3}  # the place each unit stands for (10**place)
# Old-style numerals (大字 and the contractions 廿 = 20, 卅 = 30), read as the common ones.
_OLD_NUMERALS = str.maketrans(
    {"壱": "一", "弐": "二", "参": "三", "拾": "十", "廿": "二十", "卅": "三十"}
)
_OLD_NUMERAL_CHARS = frozenset("壱弐参拾廿卅")


def _number(token: str) -> int:
    """Value of an ASCII or kanji numeral (二十, 三十一, 一九九五, 千九百八十五); 元 is 1.

    In a numeral with units, 〇 only holds the places a unit skips: 二千〇五 is 2005,
    二千〇十 is 2010. A 〇 that holds no place (二十〇, 〇十, 二〇千, 百〇〇五) makes the
    numeral malformed rather than a number nobody wrote.
    """
    if token == "元":
        return 1
    if token.isascii():
        return int(token)
    if not _OLD_NUMERAL_CHARS.isdisjoint(token):
        token = token.translate(_OLD_NUMERALS)
    if not any(c in _KANJI_UNITS for c in token):
        return int("".join(str(_KANJI_DIGITS[c]) for c in token))
    total = 0
    digit: int | None = None
    place = 6  # the place of the last unit read
    zeros = 0  # 〇 read since that unit: places it skipped
    for c in token:
        if c in _KANJI_UNITS:
            unit_place = _KANJI_PLACES[c]
            if unit_place >= place or zeros > place - unit_place - 1:
                raise DateError(f"malformed kanji numeral: {token}")
            total += (1 if digit is None else digit) * _KANJI_UNITS[c]
            digit, place, zeros = None, unit_place, 0
        elif _KANJI_DIGITS[c] == 0:
            if digit is not None or place == 6:  # 〇 after a digit or before any unit
                raise DateError(f"malformed kanji numeral: {token}")
            zeros += 1
        else:
            if digit is not None:
                raise DateError(f"malformed kanji numeral: {token}")
            digit = _KANJI_DIGITS[c]
    if zeros and (digit is None or zeros > place - 1):
        raise DateError(f"malformed kanji numeral: {token}")
    return total + (digit or 0)


# --- patterns ---------------------------------------------------------------------------------

_SP = r"[ \t\u3000]*"
_NUM = r"(?:[0-9]{1,4}|[〇零一二三四五六七八九十百千壱弐参拾廿卅]{1,7})"
_WEST = (
    r"(?:[0-9]{4}|[〇零一二三四五六七八九壱弐参]{4}"
    r"|[〇零一二三四五六七八九十百千壱弐参拾]{3,7}|[一二三四五六七八九壱弐参]千)"
)
# An era year's western year in parentheses (令和元(2019)年, 天平15年(743年)): before 1000 too,
# for the eras of 645-999, as it must equal the era year (a western year alone needs four digits).
_ERA_WEST = rf"(?:{_WEST}|[0-9]{{3}})"
# An era name, or its initial (H15年, S五十年, 平15年) when a number follows at once.
_ERA = (
    r"(?:明治|大正|昭和|平成|令和|[㍾㍽㍼㍻㋿]|" + OLD_ERA_PATTERN + ""
    r"|[MTSHR](?=[0-9元〇零一二三四五六七八九十百千壱弐参拾廿卅])|[昭平令](?=[0-9]))"
)
# Two numbers sharing the unit after them: 昭和55〜57年, 4〜6月, 3〜7日 (〜 and ～ are folded to ~)
_SHARED = rf"{_SP}[~\-ー]{_SP}"
_YEAR_TAIL = rf"(?:{_SP}年度?)?"
# A decade (昭和30年代, 1960年代, 1990年代後半): the ten years from a year ending in 0, or the first
# or last five of them; an era's decade ends with the era (昭和60年代: 1985-1989).
_DECADE = "代(?:前半|後半)?"
DECADE_NOTE = "年代"
# The year written again in parentheses right after 年 (平成元年（1989年）, 2019年(令和元年),
# 慶応4年（明治元年）9月8日, 1868年（慶応4年・明治元年）): one or more years, each of which must be
# the same year (`_again_year`); a bracket holding anything else (平成元年（2回目）) is none.
_YEAR_AGAIN = rf"(?:{_ERA_WEST}|{_ERA}{_SP}(?:元|{_NUM})){_YEAR_TAIL}"
_YEARS_AGAIN = rf"{_YEAR_AGAIN}(?:{_SP}[・/、,]{_SP}{_YEAR_AGAIN})*"
_YEAR_AGAIN_RE = re.compile(rf"(?:({_ERA_WEST})|({_ERA}){_SP}(元|{_NUM})){_YEAR_TAIL}")

_YEAR = rf"""
(?:
  (?P<era>{_ERA}){_SP}(?P<ey>元|{_NUM})(?:{_SHARED}(?P<eyt>{_NUM}))?{_SP}
  (?:\({_SP}(?P<wy1>{_ERA_WEST}){_YEAR_TAIL}{_SP}\){_SP})?
  年(?:(?P<fy1>度)|(?P<dc1>{_DECADE}))?
  (?:{_SP}\({_SP}(?P<ya1>{_YEARS_AGAIN}){_SP}\)|{_SP}(?P<ybs>[/・]){_SP}(?P<yb1>{_ERA}{_SP}(?:元|{_NUM}){_SP}年)(?P<fyb>度)?)?
|
  (?P<wy>{_WEST})(?:{_SHARED}(?P<wyt>{_WEST}))?{_SP}
  (?:\({_SP}(?P<era2>{_ERA}){_SP}(?P<ey2>元|{_NUM}){_YEAR_TAIL}{_SP}\){_SP})?
  年(?:(?P<fy2>度)|(?P<dc2>{_DECADE}))?
  (?:{_SP}\({_SP}(?P<ya2>{_YEARS_AGAIN}){_SP}\))?
|
  (?P<by>元|{_NUM}){_SP}年(?:(?P<fy3>度)|(?P<dc3>{_DECADE}))?
|
  (?P<sy>{_WEST})(?=[春夏秋冬])
|
  (?P<gy>[12][0-9]{{3}})[ \t\u3000]+(?=[0-9]{{1,2}}月)
)
"""


# A date written with unit characters (年, 月, 日), every part optional; checked after matching.
_UNIT_POINT_RE = re.compile(
    rf"""
    (?:{_YEAR})?
    (?:
      (?:(?<=年)/)?{_SP}(?P<leap>閏{_SP})?(?P<m>{_NUM})(?:{_SHARED}(?P<m2>{_NUM}))?{_SP}月
      (?P<mq>(?:上旬|中旬|下旬|初旬|末(?!日)|初め|半ば)(?:頃|ごろ)?|頃|ごろ)?
      (?:(?:{_SP}(?P<d>{_NUM})(?:{_SHARED}(?P<d2>{_NUM}))?{_SP}日|(?P<dk>朔日|晦日|末日|元日|元旦))
         (?P<dq>頃|ごろ)?)?
    | {_SP}(?P<sm>[0-9]{{1,2}})/(?P<sd>[0-9]{{1,2}})(?![0-9/.])
    | (?P<yq>(?:春|夏|秋|冬|末|初め|初頭|[上下]半?期|第[1-4一二三四]四半期)(?:頃|ごろ)?|頃|ごろ)
    | (?P<yk>元日|元旦)
    | {_SP}(?P<od>{_NUM})(?:{_SHARED}(?P<od2>{_NUM}))?{_SP}日(?P<odq>頃|ごろ)?
    )?
    """,
    re.VERBOSE,
)

# H24.8.15, R1.5.1, S60.7, H.24.8.15, H24/8/15, 平15.8.3, 平成15/8/3, 令和2.4, R元.5.1 and,
# for the initials in _BARE_INITIALS only, a year alone: 昭50; the western year may follow the
# era year in parentheses before a dotted date, and must agree: H31(2019).4.1; in fixed-width
# lists, a one-digit year (after an era's name), month or day padded with a space, as a western
# one is: 昭和22. 4. 1, 平成 9.11. 3, S22. 4. 1 (only in a whole date with dots or slashes)
_ABBREVIATED_RE = re.compile(
    r"(?:(?P<era>[MTSHR])\.?|(?P<kera>明治|大正|昭和|平成|令和|[明大昭平令㍾㍽㍼㍻㋿]))"
    r"(?P<yp> (?=[0-9](?![0-9])))?"
    r"(?P<ey>[0-9]{1,2}|元)(?:\((?P<wy>[0-9]{4})年?\)(?=[./・][0-9]))?"
    r"(?:(?P<sep>[./・])(?P<mp> (?=[0-9](?![0-9])))?(?P<m>[0-9]{1,2})"
    r"(?:(?P=sep)(?P<dp> (?=[0-9](?![0-9])))?(?P<d>[0-9]{1,2}))?)?(?![0-9])"
)
# 2019.5.1, 2019/5/1, 2019-05-01, 2019/5, 1998・4・1
# and, in fixed-width lists, a month or day padded with a space: 2005. 1. 1, 2004. 7.16;
# the year's era may follow it in parentheses, and must agree: 2019(H31).4.1, 1989(昭和64).1.7
_DOTTED_RE = re.compile(
    r"(?P<wy>[0-9]{4})"
    r"(?:\((?P<era>明治|大正|昭和|平成|令和|[明大昭平令㍾㍽㍼㍻㋿MTSHR])(?P<ey>[0-9]{1,2}|元)年?\))?"
    r"(?P<sep>[./・-])(?P<mp> (?=[0-9](?![0-9])))?(?P<m>[0-9]{1,2})"
    r"(?:(?P=sep)(?P<dp> (?=[0-9](?![0-9])))?(?P<d>[0-9]{1,2}))?(?![0-9])"
)
# Korean writes a date with a dot and a space after each number, the last too: 2023. 4. 1.,
# 2021. 10. (a month). The dot after the month or day is required, so 2015. 3 members is none,
# and a fixed-width list's 2005. 1. 1 (no dot after the day) is read as before.
_KOREAN_DOTS_RE = re.compile(
    r"(?P<wy>[0-9]{4})\. (?P<m>[0-9]{1,2})\.(?: (?P<d>[0-9]{1,2})\.|(?! ?[0-9]))"
)
# The end of a dotted range written short: "25" after H24.8.15, "8.25" after 2019.8.15
_DOTTED_END_RE = re.compile(r"(?P<a>[0-9]{1,2})(?:[./・](?P<b>[0-9]{1,2}))?(?![0-9])")
_WESTERN_ERA = "西暦"  # 西暦1998年: what follows must be a western year
# Digits spaced out by PDF conversion (2 0 0 3 年 8 月): read once the spaces are closed, and
# only when the text opens with four such digits and 年.
_SPACED_YEAR_RE = re.compile(rf"[0-9](?:[ \u3000][0-9]){{3}}{_SP}年")
_DIGIT_GAP_RE = re.compile(r"(?<=[0-9])[ \u3000](?=[0-9])")
_DIGIT_GAPS = (" ", "\u3000")

# The parts of a month in order: a range from one to a later one of the same month (4月上旬～中旬,
# 4月中旬から下旬まで) spans that month, both parts in the note (上旬・中旬), as a range from
# one month's part to another's does (5月下旬～6月上旬: 下旬・上旬).
_MONTH_PARTS = {"上旬": 1, "初旬": 1, "初め": 1, "中旬": 2, "半ば": 2, "下旬": 3, "末": 3}
_MONTH_PART_END_RE = re.compile(r"(中旬|下旬|半ば|末(?!日))(頃|ごろ)?")
# A range's end written from its start: 同年 (the same year) or 翌年 (the next) before a month
# (平成10年4月から同年9月まで, 平成10年12月～翌年3月), 同月 (the same month) before a day
# (平成10年4月1日～同月10日); the end must then not come before the start.
_RELATIVE_END_RE = re.compile(rf"(同年|翌年|同月){_SP}")
_RANGE_SEP_RE = re.compile(rf"{_SP}(?:から|~|-|ー|―){_SP}")
# A range with no end written (平成15年4月～, 平成15年4月から, 2013/2/21 ～　運行開始): ～ or から
# before the end of the text or a space, and no date after it, is the start with note 以降 (a
# span of the start alone, qualified as 頃 qualifies it). から (or ～) running into text is a
# sentence (平成15年4月から運行を開始), a dash a separator (1947年11月3日 - 市制施行).
# The end may be written as the present (平成15年4月～現在, 2015年〜現在, 平成28年4月から現在まで,
# 昭和50年～今日, 平成元年から現在に至る, also after a dash: 2015年－現在): still open, the same
# reading, the words in the date's text, so that a page writing the end later edits the entry.
_OPEN_END_RE = re.compile(
    r"[ \t\u3000]*(?:(?:から|~)(?:[ \t\u3000]*(?=[現今])(?:現在|今日)"
    r"(?:[ \t\u3000]*(?:に至る(?:まで)?|まで))?)?"
    r"|[\-ー―][ \t\u3000]*(?=[現今])(?:現在|今日)(?:[ \t\u3000]*(?:に至る|まで))?)"
    r"(?=[ \t\u3000\r\n]|\Z)"
)
OPEN_END_NOTE = "以降"
_UNTIL_RE = re.compile(rf"{_SP}まで")
# Days listed with ・ (平成19年2月21日・22日, 4月1日・5月2日): the entry spans first to last.
_LIST_SEP_RE = re.compile(rf"{_SP}・{_SP}")
_PAREN_RE = re.compile(rf"{_SP}\({_SP}(?P<inner>[^()\n]{{1,20}}?){_SP}\)")
_WEEKDAY_RE = re.compile(
    r"(?:[月火水木金土日祝休](?:曜日|曜)?|祝日|休日|振休)"
    r"(?:[・、,~\-](?:[月火水木金土日祝休](?:曜日|曜)?|祝日|休日|振休))*"
)
_NOTE_TEXT_RE = re.compile(r"[^0-9。．.]{1,12}")
# A footnote's marker in parentheses (平成9年(注)　記念植樹): it points to a note under the
# list and qualifies nothing, so it is left to open the text, as (注1) is.
_FOOTNOTE_MARKERS = frozenset(("注", "※", "*", "脚注"))

_QUALIFIER_NOTES = {"ごろ": "頃"}

# Characters that may begin a date; anything else is rejected before any regex runs.
# (An era before Meiji is recognised by its whole name: OLD_ERA_HEADS, not these. A line that
# opens with 文, 天 or 安 is usually text, and pays only for a set look-up of its first two.)
_DATE_FIRST_CHARS = frozenset(
    "0123456789〇零一二三四五六七八九十百千壱弐参拾廿卅明大昭平令㍾㍽㍼㍻㋿MTSHR西元閏"
)
# (An English date opens with a day, a month's name or a weekday's: `_EN_FIRST_LETTERS`,
# `_EN_START_RE`.)
_SEPARATORS = frozenset(" \t\u3000\xa0：:、,，")  # (\xa0: &nbsp;, a gap as a space is)


# --- parsed pieces ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Point:
    """One end of a date expression as written, before years are resolved."""

    year: int | None = None
    era: str | None = None  # set when the year was written with an era (for bare range ends)
    bare_year: int | None = None  # "7年" in "平成5年～7年": an era year borrowed from the start
    fiscal: bool = False
    month: int | None = None
    day: int | None = None
    notes: list[str] = field(default_factory=list)
    qualified: bool = False  # carries 上旬/頃/春 ...: not a plain year heading
    dotted: bool = False
    western: bool = False  # the year was written as a western year (for 西暦)
    last_day: bool = False  # 晦日: the day is the month's last, known once the year is
    shared_end: _Point | None = None  # the end of 4〜6月 or 3〜7日, written before the unit
    decade: str | None = None  # 代, 代前半 or 代後半 after 年: the point is a decade's first year
    part: int = 0  # a month's part (上旬 1, 中旬 2, 下旬 3: `_MONTH_PARTS`) that may open a range
    gapped: bool = False  # "2003 8月": four digits, a space, a month with 月 (no 年)
    leap: bool = False  # 閏8月: the lunisolar calendar's leap month after 8月 (note 閏)


def _era_year(era: str, token: str, west: str | None) -> int:
    era = _ERA_ALIASES.get(era, era)
    number = _number(token)
    if era in ERA_FIRST_YEAR:
        first, last = ERA_FIRST_YEAR[era], ERA_LAST_YEAR[era] + ERA_OVERFLOW
    else:
        first, last = _OLD_ERA_YEARS[era]
    if number < 1 or number > last:
        raise DateError(f"{era}{token}年 is outside the era")
    year = first + number - 1
    if west is not None and _number(west) != year:
        raise DateError(f"{era}{token}年 is not {west}年")
    return year


def _western_year(token: str, era: str | None, era_token: str | None) -> int:
    year = _number(token)
    if not 1000 <= year <= 9999:
        raise DateError(f"{token} is not a western year")
    if era is not None and era_token is not None and _era_year(era, era_token, None) != year:
        raise DateError(f"{token}年 is not {era}{era_token}年")
    return year


def _unit_point(match: re.Match[str]) -> _Point | None:
    g = match.groupdict()
    point = _Point()
    if g["era"]:
        point.era = _ERA_ALIASES.get(g["era"], g["era"])
        point.year = _era_year(g["era"], g["ey"], g["wy1"])
        if g["ya1"]:  # 平成元年（1989年）, 慶応4年（明治元年）
            _again_year(g["ya1"], point.year)
        if g["yb1"]:  # 平成31年/令和元年, 平成31年・令和元年: the same year, as in brackets
            if g["dc1"] or bool(g["fyb"]) != bool(g["fy1"]):
                return None  # (平成31年度・令和元年度 is one fiscal year; 令和2年・3年度 none)
            again = _YEAR_AGAIN_RE.match(g["yb1"])
            next_era = again[2] if again is not None else None
            if (
                next_era
                and g["ybs"] == "・"
                and not (g["eyt"] or g["wy1"] or g["ya1"])
                and _era_year(next_era, again[3], None) == point.year + 1
            ):
                # 令和2年度・令和3年度: two years in a row listed, as days are (21日・22日): the
                # span of both (no month may follow: which year's would it be?)
                point.shared_end = _Point(
                    year=point.year + 1,
                    era=_ERA_ALIASES.get(next_era, next_era),
                    fiscal=bool(g["fy1"]),
                )
            else:
                _again_year(g["yb1"], point.year)
        point.fiscal = bool(g["fy1"])
        if g["dc1"] and (
            g["eyt"] or g["ey"] == "元" or not _decade(point, g["dc1"], _number(g["ey"]))
        ):
            return None  # (元年代 is no decade)
        if g["eyt"]:  # 昭和55〜57年: the end is a year of the same era
            if g["wy1"] or g["ya1"]:
                return None
            end_year = _era_year(g["era"], g["eyt"], None)
            point.shared_end = _Point(year=end_year, era=point.era, fiscal=point.fiscal)
    elif g["wy"]:
        era, era_token = g["era2"], g["ey2"]
        if era is None and g["ya2"]:  # 2019年(令和元年): the first era written beside it
            era, era_token = next(
                ((e, y) for _, e, y in _YEAR_AGAIN_RE.findall(g["ya2"]) if e), (None, None)
            )
        point.year = _western_year(g["wy"], era, era_token)
        if g["ya2"]:  # 1868年（慶応4年・明治元年）
            _again_year(g["ya2"], point.year)
        if era:
            point.era = _ERA_ALIASES.get(era, era)
        point.fiscal = bool(g["fy2"])
        if g["dc2"] and (g["wyt"] or era or not _decade(point, g["dc2"], point.year)):
            return None
        if g["wyt"]:  # 2019〜2021年
            if era or g["ya2"]:
                return None
            end_year = _western_year(g["wyt"], None, None)
            point.shared_end = _Point(year=end_year, fiscal=point.fiscal, western=True)
    elif g["by"]:
        point.bare_year = _number(g["by"])
        point.fiscal = bool(g["fy3"])
        if g["dc3"]:  # 50年代 after 昭和40年代から: resolved with the start's era
            if g["m"] or g["sm"] or g["od"] or g["yk"] or g["yq"]:
                return None
            point.decade = g["dc3"]
    elif g["sy"]:  # 1998春
        point.year = _western_year(g["sy"], None, None)
    elif g["gy"]:  # 2003 8月: a year and a month in a timeline's two columns
        point.year = _western_year(g["gy"], None, None)
        point.gapped = True
    point.western = bool(g["wy"] or g["sy"] or g["gy"])
    if point.shared_end is not None and (g["m"] or g["sm"] or g["od"] or g["yk"]):
        return None  # 昭和55〜57年4月: which year's April?
    if g["sm"]:  # 昭和50年 4/1: a year with 年, then month/day
        if point.year is None or point.fiscal:
            return None
        point.month, point.day, point.dotted = int(g["sm"]), int(g["sd"]), True
        return point
    if g["m"]:
        if g["mq"] and g["d"]:
            return None  # 10月上旬5日: a qualifier belongs after the finest part
        point.month = _number(g["m"])
        if g["leap"]:  # 閏8月: checked to be lunisolar once the year is known (`_check_point`)
            if g["m2"]:
                return None  # 閏8〜9月: which of the two is the leap month?
            point.leap = True
            point.notes.append(LEAP_NOTE)
            point.qualified = True
        if g["m2"]:
            if g["mq"] or g["d"]:
                return None  # 4〜6月上旬, 4〜6月3日: which month is meant?
            point.shared_end = _Point(month=_number(g["m2"]))
        if g["d"]:
            point.day = _number(g["d"])
            if g["d2"]:
                point.shared_end = _Point(day=_number(g["d2"]))
        elif g["dk"]:
            if g["mq"]:
                return None
            if g["dk"] in ("晦日", "末日"):
                point.last_day = True
            elif g["dk"] == "朔日" or point.month == 1:
                point.day = 1
            else:
                return None  # 元日 is in January
        qualifier = g["mq"] or g["dq"]
        if g["mq"] and point.day is None:  # 4月上旬: its end may be a later part (～中旬)
            point.part = _MONTH_PARTS.get(g["mq"], 0)
    elif g["od"]:
        point.day = _number(g["od"])
        if g["od2"]:
            point.shared_end = _Point(day=_number(g["od2"]))
        qualifier = g["odq"]
    elif g["yk"]:  # 元日, 元旦: the first of January
        point.month, point.day = 1, 1
        qualifier = None
    else:
        qualifier = g["yq"]
    if point.fiscal and (point.month is not None or point.day is not None):
        return None
    if qualifier:  # 上旬, 中旬ごろ, 末, 初め, 秋頃 … (ごろ written 頃)
        point.notes.append(qualifier.replace("ごろ", "頃"))
        point.qualified = True
    if (point.year, point.bare_year, point.month, point.day) == (None, None, None, None):
        return None
    return point


def _again_year(written: str, year: int) -> None:
    """Check the years written again in parentheses after a year (`_YEARS_AGAIN`: 1989年,
    明治元年, 慶応4年・明治元年): each must be `year`, else the date is none (DateError)."""
    for west, era, era_year in _YEAR_AGAIN_RE.findall(written):
        if (_number(west) if west else _era_year(era, era_year, None)) != year:
            raise DateError(f"({written}) is not the year {year}")


def _decade(point: _Point, written: str, number: int) -> bool:
    """Make `point` (a year ending in 0, as `number` is written: 30 of 昭和30年代, 1960) the start
    of its decade, with the decade's last year as its shared end; False when it is no decade
    (昭和35年代, 1965年代) or its half lies outside the era (昭和60年代後半)."""
    year = point.year
    if year is None or number % 10:
        return False
    first, last = year, year + 9
    if written.endswith("後半"):
        first += 5
    elif written.endswith("前半"):
        last -= 5
    if point.era in ERA_LAST_YEAR:  # 昭和60年代 ends with 昭和 (64), 平成30年代 with 平成31年
        last = min(last, year - number + ERA_LAST_YEAR[point.era])
    if first > last:
        return False
    point.year = first
    point.decade = written
    point.shared_end = _Point(year=last, era=point.era, western=point.era is None)
    point.notes.append(DECADE_NOTE + written[1:])
    point.qualified = True
    return True


# The lunisolar calendar's last day: 明治5年12月2日 was followed by 明治6年1月1日 (1873-01-01).
_LAST_LUNISOLAR_DAY = (1872, 12, 2)


def _check_lunisolar_day(year: int, point: _Point) -> None:
    """A date written with an era before 1873 is a day of the lunisolar calendar, whose months
    had 29 or 30 days: its 31日 never was, its 晦日 is the 29th or the 30th (which, only the
    calendar's tables tell), and 明治5年12月3日 to 31日 were skipped by the change of calendar."""
    if point.last_day:
        raise DateError("the last day of a lunisolar month is not known without its calendar")
    day = point.day
    if day is not None and (day > 30 or (year, point.month or 0, day) > _LAST_LUNISOLAR_DAY):
        raise DateError(f"{year}-{point.month}-{day} was no day of the lunisolar calendar")


def _check_point(year: int, point: _Point, era_written: bool) -> None:
    """Check the month and day of `point` in `year`, resolving 晦日 (`_check_day`); a date whose
    year was written with an era (`era_written`) before 1873 is in the lunisolar calendar."""
    if era_written and year <= _LAST_LUNISOLAR_DAY[0]:
        _check_lunisolar_day(year, point)
    elif point.leap:
        raise DateError("a leap month (閏) is one of the lunisolar calendar, written with an era")
    if point.last_day and point.month is not None and 1 <= point.month <= 12:
        point.day = calendar.monthrange(year, point.month)[1]
    _check_day(year, point.month, point.day)


def _check_day(year: int, month: int | None, day: int | None) -> None:
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist")
    if day is not None:
        if month is None:
            raise DateError("a day needs a month")
        try:
            datetime.date(year, month, day)
        except ValueError as exc:
            raise DateError(f"{year}-{month}-{day} does not exist") from exc


@dataclass(frozen=True, slots=True)
class _Parsed:
    end: int  # index in the text just after the date expression
    span: DateSpan
    year_only: bool
    unit_final: bool  # ends in 年/月/日/まで/qualifier/paren, so body text may follow directly
    explicit_year: bool


def _parens(s: str, pos: int, notes: list[str], year: int | None = None) -> int:
    """Consume weekday and note parentheses at `pos` in `s`, adding the notes to `notes`;
    return the new position. Weekdays are dropped: (木), (金・祝), and before a holiday's name
    (日曜日・文化の日). A parenthesis holding a year is the date's year written the other way
    (1989年1月8日（平成元年）, 昭和29年6月(1954)): consumed when it is `year`, a DateError when
    it is another; with no `year` to compare, left where it is."""
    while True:
        m = _PAREN_RE.match(s, pos)
        if not m:
            return pos
        inner = m["inner"].strip()
        if _WEEKDAY_RE.fullmatch(inner):
            pass
        elif inner[:1] in _YEAR_FIRST_CHARS and (written := _PAREN_YEARS_RE.fullmatch(inner)):
            if year is None or (year >= 1000 and inner[:3].isdigit() and not inner[3:4].isdigit()):
                return pos  # (no year to compare; three digits after a year past 999: no year)
            for west, era, era_year in _PAREN_YEAR_RE.findall(written[0]):
                if (_number(west) if west else _era_year(era, era_year, None)) != year:
                    raise DateError(f"({inner}) is not the year {year}")
        elif _NOTE_TEXT_RE.fullmatch(inner) and inner not in _FOOTNOTE_MARKERS:
            if NOTE_JOINER in inner:  # (日曜日・文化の日): the weekday goes, the name stays
                parts = inner.split(NOTE_JOINER)
                while len(parts) > 1 and _WEEKDAY_RE.fullmatch(parts[0]):
                    del parts[0]
                inner = NOTE_JOINER.join(parts)
            notes.append(inner)
        else:
            return pos
        pos = m.end()


# A year in parentheses after a date (its other writing): 1954, 1954年, 平成元年, H1, or several
# joined (平成31年・令和元年, 昭和64年/平成元年).
_PAREN_YEAR = rf"(?:({_ERA_WEST})|({_ERA}){_SP}(元|{_NUM})){_SP}年?"
_PAREN_YEAR_RE = re.compile(_PAREN_YEAR)
_PAREN_YEARS_RE = re.compile(rf"{_PAREN_YEAR}(?:{_SP}[・/、,]{_SP}{_PAREN_YEAR})*")
# What such a year may open with (a quick reject of notes like 成人の日 before the regex).
_YEAR_FIRST_CHARS = frozenset(
    "0123456789〇零一二三四五六七八九十百千壱弐参拾明大昭平令㍾㍽㍼㍻㋿MTSHR"
) | frozenset(era[0] for era in OLD_ERA_NAMES)


# What may not follow an era year written without 年 (明治22): 年 or a parenthesis (the unit
# pattern reads 昭和50 年, 昭和50(1975)年), a range (昭和55〜57年) or more digits.
_AFTER_BARE_ERA_YEAR = frozenset("年(~-ー―0123456789")


class _Scanner:
    """Reads one date expression from a folded string, starting at a position."""

    def __init__(self, folded: str, context: YearContext | None) -> None:
        self.s = folded
        self.context = context

    def point(self, pos: int, start: _Point | None) -> tuple[_Point, int] | None:
        s = self.s
        if s.startswith(_WESTERN_ERA, pos):
            pos += len(_WESTERN_ERA)
            while pos < len(s) and s[pos] in _SPACES:
                pos += 1
            found = self.point(pos, start)
            if found is None or not found[0].western:
                return None
            return found
        m = _ABBREVIATED_RE.match(s, pos)
        if (
            m
            and (m["yp"] or m["mp"] or m["dp"])
            and (m["d"] is None or m["sep"] not in "./" or (m["yp"] and m["era"]))
        ):
            m = None  # padding only in a whole date with dots or slashes
        if m and (m["sep"] or self._bare_initial(m)):
            era = m["era"] or m["kera"]
            point = _Point(
                year=_era_year(era, m["ey"], m["wy"]),
                era=_ERA_ALIASES.get(era, era),
                month=int(m["m"]) if m["m"] else None,
                day=int(m["d"]) if m["d"] else None,
                dotted=True,
            )
            return point, m.end()
        if s[pos + 4 : pos + 6] == ". " and (m := _KOREAN_DOTS_RE.match(s, pos)):
            month, day = int(m["m"]), m["d"]
            return _Point(
                year=int(m["wy"]), month=month, day=int(day) if day else None, western=True
            ), m.end()
        m = _DOTTED_RE.match(s, pos)
        if m:
            if (m["mp"] or m["dp"]) and (m["d"] is None or m["sep"] not in "./"):
                return None  # padding only in a whole date with dots or slashes
            point = _Point(
                year=_western_year(m["wy"], m["era"], m["ey"]),
                month=int(m["m"]),
                day=int(m["d"]) if m["d"] else None,
                dotted=True,
                western=True,
            )
            return point, m.end()
        if start is not None and start.dotted:
            m = _DOTTED_END_RE.match(s, pos)
            if not m:
                return None
            a, b = int(m["a"]), m["b"]
            if b is not None:
                if start.day is None:
                    return None
                return _Point(month=a, day=int(b), dotted=True), m.end()
            if start.day is not None:
                return _Point(day=a, dotted=True), m.end()
            return _Point(month=a, dotted=True), m.end()
        m = _UNIT_POINT_RE.match(s, pos)
        if not m or m.end() == pos:
            return None
        point = _unit_point(m)
        if point is None:
            return None
        return point, m.end()

    def _bare_initial(self, m: re.Match[str]) -> bool:
        """昭50 alone, or an era name with its year and no 年, as a 和暦 column of a table
        writes it (明治22, 令和元); not 昭50年, 昭和50 年 or 昭50(1975)年, which the unit
        pattern reads."""
        kera = m["kera"]
        if kera in ERA_FIRST_YEAR:
            after = m.end()
            while after < len(self.s) and self.s[after] in _SPACES:
                after += 1
            return self.s[after : after + 1] not in _AFTER_BARE_ERA_YEAR
        return (
            kera in _BARE_INITIALS
            and m["ey"] != "元"
            and self.s[m.end() : m.end() + 1] not in ("年", "(")
        )

    def parens(self, pos: int, point: _Point, year: int) -> int:
        """Consume weekday and note parentheses after a date in `year` (and that year written
        the other way); return the new position."""
        read = len(point.notes)
        pos = _parens(self.s, pos, point.notes, year)
        if len(point.notes) > read:
            point.qualified = True
        return pos

    def _era_written(self, point: _Point) -> bool:
        """Whether the year of `point` was written with an era: its own, or that of the year
        heading it takes its year from (`YearContext.lunisolar`)."""
        if point.era is not None:
            return True
        return point.year is None and self.context is not None and self.context.lunisolar

    def start_year(self, point: _Point) -> int:
        if point.year is not None:
            return point.year
        context = self.context
        if point.bare_year is not None:
            if context is None or context.era is None:
                raise DateError("a year needs an era or four digits")
            # 5年10月 under a heading naming 平成 alone: written in that era (so range ends
            # after it are too, and before 1873 its days are lunisolar ones)
            if point.decade is not None:
                raise DateError("a decade under an era heading is not read")
            point.era = context.era
            return _era_year(context.era, str(point.bare_year), None)
        if context is None or point.month is None or context.year is None:
            raise DateError("a date without a year needs a year context")
        year = context.year
        if self.context.fiscal and point.month <= 3:
            year += 1
        return year

    def expression(self, pos: int) -> _Parsed | None:
        """Parse the longest date expression at pos, or None (raises DateError when invalid)."""
        first = self.point(pos, None)
        if first is None:
            return None
        start, pos = first
        if start.day is not None and start.month is None:
            return None
        start_year = self.start_year(start)
        pos = self.parens(pos, start, start_year)
        _check_point(start_year, start, self._era_written(start))
        end: _Point | None = None
        end_year = start_year
        if start.shared_end is not None:  # 8月3〜7日: the range is read already
            end = start.shared_end
            end_year = self._end_year(start, start_year, end)
            sep = None
            if start.decade is not None:  # 昭和40年代から50年代: to the end of the last decade
                end, pos = self._decades_to(pos, start, end)
                end_year = end.year or end_year
        else:
            sep = _RANGE_SEP_RE.match(self.s, pos)
        if sep and start.part:
            part = _MONTH_PART_END_RE.match(self.s, sep.end())
            if part is not None and _MONTH_PARTS[part[1]] > start.part:
                end = _Point(month=start.month, notes=[part[0].replace("ごろ", "頃")])
                pos = self.parens(part.end(), end, start_year)
                until = _UNTIL_RE.match(self.s, pos)
                if until:
                    pos = self.parens(until.end(), end, start_year)
                sep = None
        if sep:
            try:
                found = None
                if self.s.startswith(("同", "翌"), sep.end()):
                    found = self._relative_end(sep.end(), start, start_year)
                if found is None:
                    found = self.point(sep.end(), start)
                if found is not None:
                    candidate, after = found
                    candidate_year = self._end_year(start, start_year, candidate)
                    after = self.parens(after, candidate, candidate_year)
                    until = _UNTIL_RE.match(self.s, after)
                    if until:
                        after = self.parens(until.end(), candidate, candidate_year)
                    end_year = candidate_year
                    end, pos = candidate, after
                elif start.decade is None and (open_end := _OPEN_END_RE.match(self.s, pos)):
                    # 平成15年4月～, 2013/2/21 ～　運行開始: no end written, the start with 以降
                    start.notes.append(OPEN_END_NOTE)
                    start.qualified = True
                    pos = open_end.end()
            except DateError:
                pass  # not a valid range end: the date is the start alone
        if end is None and not start.dotted and start.shared_end is None:
            listed = self._listed_days(pos, start, start_year)
            if listed is not None:
                end, end_year, pos = listed
        span = self._span(start, start_year, end, end_year)
        single_year = end is None and start.month is None
        return _Parsed(
            end=pos,
            span=span,
            year_only=single_year and not start.qualified,
            # (2003 8月 is no heading that text may run into: 2003 8月号 stays undated)
            unit_final=not (end or start).dotted and not start.gapped,
            explicit_year=start.year is not None,
        )

    def _relative_end(self, pos: int, start: _Point, start_year: int) -> tuple[_Point, int] | None:
        """A range end written from its start (`_RELATIVE_END_RE`: 同年9月, 翌年3月, 同月10日)
        at `pos`, its year (and month) set from the start's; None when there is none."""
        m = _RELATIVE_END_RE.match(self.s, pos)
        found = self.point(m.end(), None) if m is not None else None
        if m is None or found is None:
            return None
        end, after = found
        if end.year is not None or end.bare_year is not None or end.shared_end is not None:
            return None  # 同年平成11年, 同年4〜6月
        if m[1] == "同月":  # a day of the start's month
            if start.month is None or start.day is None or end.month is not None:
                return None
            if end.day is None:
                return None
            end.month = start.month
            end.year = start_year
        else:  # a month (and day) of the start's year or the next
            if end.month is None or start.fiscal:
                return None
            end.year = start_year + (m[1] == "翌年")
        end.era = start.era  # (the same calendar: lunisolar days stay so)
        return end, after

    def _decades_to(self, pos: int, start: _Point, end: _Point) -> tuple[_Point, int]:
        """After a decade, a range to a later one (昭和40年代から50年代, 1960年代～1980年代): its
        last year, and the position after it; else the decade's own (`end`, `pos`)."""
        sep = _RANGE_SEP_RE.match(self.s, pos)
        try:
            found = self.point(sep.end(), None) if sep is not None else None
            if found is None or found[0].decade is None:
                return end, pos
            later, after = found
            if later.year is None:  # 50年代: a decade of the start's era
                if later.bare_year is None or start.era is None:
                    return end, pos
                later.year, later.era = _era_year(start.era, str(later.bare_year), None), start.era
                if not _decade(later, later.decade, later.bare_year):
                    return end, pos
        except DateError:
            return end, pos
        last = later.shared_end
        if last is None or last.year is None or end.year is None or last.year <= end.year:
            return end, pos
        last.notes.extend(later.notes)  # 1990年代後半から2000年代前半: both halves
        until = _UNTIL_RE.match(self.s, after)
        return last, until.end() if until else after

    def _listed_days(
        self, pos: int, start: _Point, start_year: int
    ) -> tuple[_Point, int, int] | None:
        """The last of the days listed after a day with ・ (21日・22日・23日), its year and the
        position after it; None when no day (or month and day) follows the ・."""
        if start.day is None:
            return None
        last: tuple[_Point, int, int] | None = None
        previous = start
        while (sep := _LIST_SEP_RE.match(self.s, pos)) is not None:
            found = self.point(sep.end(), previous)
            if found is None:
                break
            candidate, after = found
            if candidate.day is None or candidate.dotted or candidate.shared_end is not None:
                break
            try:
                year = self._end_year(previous, start_year, candidate)
            except DateError:
                break
            after = self.parens(after, candidate, year)
            last = (candidate, year, after)
            previous, start_year, pos = candidate, year, after
        return last

    def _end_year(self, start: _Point, start_year: int, end: _Point) -> int:
        # An end without its own year is in the start's calendar.
        if (start.leap or end.leap) and not (
            start.leap and end.year is None and end.bare_year is None and end.month is None
        ):
            # 閏8月3日～20日 stays in the leap month; 閏8月～9月 or 8月～閏8月 would need a note
            # for one end only, which a span has not: no date rather than a misleading one
            raise DateError("a range may not leave or enter a leap month")
        era_written = self._era_written(end if end.year is not None else start)
        if end.year is not None:
            year = end.year
        elif end.bare_year is not None:
            if start.era is None:
                raise DateError("a bare range-end year needs an era at the start")
            year = _era_year(start.era, str(end.bare_year), None)
        else:
            if end.month is None:  # bare day: same month as the start
                if start.day is None or start.month is None:
                    raise DateError("a range ending in a day needs a start day")
                end.month = start.month
                if end.day is not None and end.day < start.day:
                    if start.leap:
                        raise DateError("a range may not leave a leap month")
                    end.month += 1
                    if end.month == 13:
                        end.month = 1
                        _check_point(start_year + 1, end, era_written)
                        return start_year + 1
                _check_point(start_year, end, era_written)
                return start_year
            if start.month is None:
                raise DateError("a range ending in a month needs a start month")
            year = start_year
            if end.day is not None and start.day is not None:
                if (end.month, end.day) < (start.month, start.day):
                    year += 1
            elif end.month < start.month:
                year += 1
        _check_point(year, end, era_written)
        return year

    @staticmethod
    def _span(start: _Point, start_year: int, end: _Point | None, end_year: int) -> DateSpan:
        notes = list(start.notes)
        first = _iso(start_year, start.month, start.day, start.fiscal, at_end=False)
        if end is None:
            last = _iso(start_year, start.month, start.day, start.fiscal, at_end=True)
        else:
            notes += end.notes
            last = _iso(end_year, end.month, end.day, end.fiscal, at_end=True)
            common = min(len(_key(first)), len(_key(last)))
            if _key(last)[:common] < _key(first)[:common]:
                raise DateError(f"range ends ({last}) before it starts ({first})")
        if start.fiscal or (end is not None and end.fiscal):
            notes.insert(0, FISCAL_NOTE)
        unique = list(dict.fromkeys(notes))
        return DateSpan(first, last, NOTE_JOINER.join(unique) if unique else None)


def _iso(year: int, month: int | None, day: int | None, fiscal: bool, *, at_end: bool) -> str:
    if not 1 <= year <= 9999 or (fiscal and year >= 9999):
        raise DateError(f"year {year} is out of range")
    if fiscal:
        return f"{year + 1:04d}-03" if at_end else f"{year:04d}-04"
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _key(iso: str) -> tuple[int, ...]:
    return tuple(int(part) for part in iso.split("-"))


# --- English month-name dates -------------------------------------------------------------------
# The English version of a chronology page (a city's sister-city page, an organisation's
# History page) writes the same dates with month names: May 1985, May 10, 1985, 10 May 1985,
# Apr. 27, 2019, April 27-29, 2019, May 10 - June 2, 1985, November 1989 to March 1990, with a
# weekday in parentheses, (Sat.), after the day or the year, or before the date as blog themes
# print it (Saturday, April 27, 2019, Sat. 27 April 2019). Only western years of four digits:
# a month without a year is no date (an English page has no year headings keika reads), nor is
# a two-digit year ('85), and a month name must stand as a word (Mayor, March of the Penguins
# and May I help have no day or year after them). The text is folded, which capitalises some
# ASCII letters (m, s, t, h, r): the patterns ignore case.

_EN_MONTHS = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
]
_EN_MONTH_NUMBERS = {name: n for n, names in enumerate(_EN_MONTHS, start=1) for name in names}
# A full name, or an abbreviation with or without its dot (Sept., Apr), as a whole word
_EN_MONTH = (
    "(?:(?:" + "|".join(names[0] for names in _EN_MONTHS) + ")"
    "|(?:" + "|".join(name for names in _EN_MONTHS for name in names[1:]) + r")\.?)(?![a-z])"
)
_EN_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?(?![0-9a-z])"
_EN_WEEKDAY_NAME = (
    r"(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs?|rsday)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)\.?"
)
# (Sat.), (Saturday), (Sat.-Mon.): dropped, as Japanese weekdays are
_EN_WEEKDAY = rf"{_SP}\({_SP}{_EN_WEEKDAY_NAME}(?:{_SP}[-~,/・]{_SP}{_EN_WEEKDAY_NAME})*{_SP}\)"
# Saturday, April 27, 2019 and Monday 1 May 2023: a weekday and a comma or space before a day.
# Dropped too, and not checked against the date: pages often print a wrong weekday, and the date
# is what they state. A weekday before a month alone (Mon. May 1985) dates nothing.
_EN_WEEKDAY_LEAD_RE = re.compile(rf"{_EN_WEEKDAY_NAME}(?:{_SP},{_SP}|[ \t\u3000]+)", re.IGNORECASE)
_EN_WEEKDAY_INITIALS = frozenset("MTWwFfS")  # (folded: m, t and s are capitals)
_EN_POINT_RE = re.compile(
    rf"""
    (?:(?P<m1>{_EN_MONTH})(?:[ \t\u3000]+(?P<d1>{_EN_DAY}))?
      |(?P<d0>{_EN_DAY})(?:[ \t\u3000]+(?P<m0>{_EN_MONTH}))?)
    (?:{_EN_WEEKDAY})?
    (?:(?:{_SP},{_SP}|[ \t\u3000]+)(?P<y>[1-9][0-9]{{3}})(?![0-9]))?
    (?:{_EN_WEEKDAY})?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_EN_RANGE_SEP_RE = re.compile(
    rf"{_SP}[~\-]{_SP}|[ \t\u3000]+(?:to|through|until|till)[ \t\u3000]+", re.IGNORECASE
)
# Cheap filters: the letters an English date may open with (a month's or a weekday's initial,
# folded: m, s and t are M, S and T), then a month's first three letters or a weekday's name as
# a word (Friendship Walk, Wedding and Monument go no further); a date that opens with its day
# is tried after the Japanese reader, when a space or a range's dash follows the day.
_EN_FIRST_LETTERS = frozenset("AaCcDdEeFfJjLlMNnOoSTWw")
_EN_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
_EN_PARTS = ("early", "mid", "late")
_EN_START_RE = re.compile(
    "|".join(sorted({name[:3] for name in _EN_MONTH_NUMBERS}))
    + rf"|{_EN_WEEKDAY_NAME}(?![a-z])|"
    + "|".join(_EN_SEASONS + _EN_PARTS)
    + r"|the[ \t\u3000]+(?:early|mid|late|[12][0-9]{2}0)|since[ \t\u3000]"
    + r"|c(?:irca|a?\.)",
    re.IGNORECASE,
)
# A year about which an event happened (c. 1890, ca. 1890, circa 1890), as a history or a
# Wikipedia timeline writes it: the year, note Circa, as 明治23年頃 is read with 頃. A decade
# (c. 1890s) or a range after it (c. 1890 - 1900, c. 1890-95) is not read: which end is the
# circa one is not written.
_EN_CIRCA_RE = re.compile(
    r"(?:circa|ca?\.)[ \t\u3000]*(?P<y>[1-9][0-9]{3})(?![0-9a-z'’])"
    rf"(?!{_SP}[~\-/]{_SP}[0-9])",
    re.IGNORECASE,
)
EN_CIRCA_NOTE = "Circa"
# A decade (1970s, 1990's, the 1980s), perhaps early, mid or late in it (Early 1990s, Mid-1970s,
# the late 1960s; with "the" only before the end, a colon, a comma or a dash, as "The 1970s
# saw …" is a sentence): its ten years, as 1970年代 is read, note Decade, after the part written
# before it (Early・Decade). The part does not narrow the span: unlike 前半 and 後半 (1990年代
# 後半: 1995-1999), early, mid and late name no agreed years, as in early March 2024.
_EN_DECADE_RE = re.compile(
    rf"(?:the[ \t\u3000]+)?(?:(?P<part>{'|'.join(_EN_PARTS)})(?:-|[ \t\u3000]+))?"
    r"(?P<y>[12][0-9]{2}0)['’]?s(?![0-9a-z])",
    re.IGNORECASE,
)
EN_DECADE_NOTE = "Decade"
# A range to the present (May 2019 - present, April 1998 to the present, June 2020 - today): the
# start with note Onward, the English twin of 以降 (`OPEN_END_NOTE`), the words in the date's
# text, so that an end written later edits the entry. A colon, a comma, a dash or the end must
# follow (May 2019 - present day events: a sentence).
_EN_PRESENT_RE = re.compile(r"(?:the[ \t\u3000]+)?(?:present|today|now)(?![0-9a-z])", re.I)
EN_OPEN_END_NOTE = "Onward"
# A year written alone before a range to the present (1998–present, 2005 - Present, 2010 to
# the present, 1998～現在, 1998から現在まで): a span only a time can have, so the four digits are
# a year here, though alone they are no date (`pipeline.parse` reads bare years only in runs).
# The start with note Onward after English words, 以降 after Japanese ones, the words in the
# date's text, as after May 2019 - present; what follows must end the date as there (a colon,
# a comma, a dash or the end; in Japanese a space or the end, as after 2015年～現在): 1998 -
# present value … and 1998～現在の… are no dates.
_BARE_YEAR_PRESENT_RE = re.compile(
    r"[12][0-9]{3}(?:"
    r"(?:[ \t\u3000]*[~\-][ \t\u3000]*|[ \t\u3000]+(?:to|until|till)[ \t\u3000]+)"
    r"(?P<en>(?:the[ \t\u3000]+)?(?:present|today|now))(?![0-9a-z])"
    r"|[ \t\u3000]*(?:~|から|[\-ー―])[ \t\u3000]*(?P<ja>現在|今日)"
    r"(?:[ \t\u3000]*(?:に至る(?:まで)?|まで))?(?=[ \t\u3000\r\n]|\Z))",
    re.IGNORECASE,
)
_BARE_YEAR_PRESENT_MARKS = frozenset(" \t\u3000~-ーか―")  # what may follow its four digits
# Since and a year (Since 1998, Since May 2019): the same open span, note Onward. Only before
# a colon, a dash or the end: Since 1998, the festival has … is a sentence.
_EN_SINCE_RE = re.compile(r"since[ \t\u3000]+", re.IGNORECASE)
_EN_SINCE_YEAR_RE = re.compile(r"[12][0-9]{3}(?![0-9])")
_EN_SINCE_END_RE = re.compile(r"$|[ \t\u3000]*[:：]|[ \t\u3000]+[-~][ \t\u3000]")
# Early, mid or late in a month or a year (early March 2024, mid-April 2019, late 1985): the
# month or the year, the part in the note (Early, Mid, Late), as 2024年3月上旬 or 1985年末 is.
_EN_PART_RE = re.compile(
    rf"(?P<part>{'|'.join(_EN_PARTS)})(?:-|[ \t\u3000]+)"
    rf"(?:(?P<m>{_EN_MONTH})(?:{_SP},{_SP}|[ \t\u3000]+))?(?P<y>[1-9][0-9]{{3}})(?![0-9])",
    re.IGNORECASE,
)
# A season and its four-digit year (Spring 1985, Summer of 1998, Autumn 2003, Fall, 2003): the
# year, the season in the note, as 1998年春 is read. A winter may name the two years it spans,
# written at once (Winter 1999-2000, Winter 1999/2000, Winter 1999-00): those years, as
# 1999～2000年冬 is read; another season, or years that do not follow each other, dates nothing.
_EN_SEASON_RE = re.compile(
    rf"(?P<season>{'|'.join(_EN_SEASONS)})(?:[ \t\u3000]+of)?(?:{_SP},{_SP}|[ \t\u3000]+)"
    r"(?P<y>[1-9][0-9]{3})(?![0-9])(?:[-/](?P<y2>[0-9]{4}|[0-9]{2})(?![0-9]))?",
    re.IGNORECASE,
)
# (a space, a dash or ~, or an ordinal's st, nd, rd, th: folded, S, T and R are capitals)
_EN_AFTER_DAY = frozenset(" \t\u3000~-SsTnNRrd")
# The year first, as some English timelines write it (1985, April 3; 1985 Apr. 3; 1985, April):
# tried after the Japanese reader, when a space or a comma follows four digits. A month alone
# after its year must end the date: the text ends, or a colon or comma follows (1985, April:
# …), or a dash between spaces before what is no date (1985 May - Sister city agreement), so
# that "2019 may be" or "1985 May - June" is no date.
_EN_YEAR_FIRST_RE = re.compile(
    rf"(?P<y>[1-9][0-9]{{3}})(?:{_SP},{_SP}|[ \t\u3000]+)(?P<m>{_EN_MONTH})"
    rf"(?:[ \t\u3000]+(?P<d>{_EN_DAY}))?(?:{_EN_WEEKDAY})?",
    re.IGNORECASE,
)
# A range's end that is a year alone (May 2019 - 2021, 3 June 2015 to 2018): the year, when
# the end, a colon, a comma or a dash between spaces follows (June 2, 1998 - 2000 visitors is
# a count; May 2019 - 2021年, - 2021/22 are no date's end here).
_EN_YEAR_END_RE = re.compile(
    r"(?P<y>[1-9][0-9]{3})(?=$|[ \t\u3000]*[:：,、)）]|[ \t\u3000]+[-–—][ \t\u3000])"
)
# (A year after a year-first date makes it no date: 1985 April 3, 1986.)
_EN_YEAR_AGAIN_RE = re.compile(rf"(?:{_SP},{_SP}|[ \t\u3000]+)[0-9]{{4}}(?![0-9])")
_EN_MONTH_ALONE_END_RE = re.compile(rf"$|{_SP}[:：,、]|[ \t\u3000]+[-~][ \t\u3000]")
_EN_YEAR_FIRST_FOLLOWERS = frozenset(" ,\t\u3000")
_EN_DECADE_MARKS = frozenset("sS'’")  # (folded: s is S)


@dataclass(slots=True)
class _EnglishPoint:
    """One end of an English date as written: month, day and year, each perhaps missing."""

    month: int | None
    day: int | None
    year: int | None
    end: int
    year_first: bool = False  # 1985 April 3: a bare day may end its range (1985 April 3-5)


def _english_year_first(s: str, pos: int) -> _EnglishPoint | None:
    """The year-first English date at `pos` (`_EN_YEAR_FIRST_RE`), or None."""
    m = _EN_YEAR_FIRST_RE.match(s, pos)
    if m is None or _EN_YEAR_AGAIN_RE.match(s, m.end()):
        return None
    day = m["d"]
    if day is None:
        end = _EN_MONTH_ALONE_END_RE.match(s, m.end())
        if end is None:
            return None
        if end[0].strip() in ("-", "~") and _english_point(s, end.end()) is not None:
            return None  # 1985 May - June: a range whose end has no year
    return _EnglishPoint(
        _EN_MONTH_NUMBERS[m["m"].rstrip(".").lower()],
        int(day.lower().rstrip("stndrh")) if day else None,
        int(m["y"]),
        m.end(),
        year_first=True,
    )


def _english_point(s: str, pos: int) -> _EnglishPoint | None:
    m = _EN_POINT_RE.match(s, pos)
    lead = None
    if m is None:  # perhaps a weekday first (a month's or a day's point never opens with one)
        if s[pos : pos + 1] in _EN_WEEKDAY_INITIALS:
            lead = _EN_WEEKDAY_LEAD_RE.match(s, pos)
        if lead is None or (m := _EN_POINT_RE.match(s, lead.end())) is None:
            return None
    month_name = m["m1"] or m["m0"]
    day = m["d1"] or m["d0"]
    if lead is not None and day is None:
        return None  # Mon. May 1985: a weekday names a day
    month = _EN_MONTH_NUMBERS[month_name.rstrip(".").lower()] if month_name else None
    return _EnglishPoint(
        month,
        int(day.lower().rstrip("stndrh")) if day else None,
        int(m["y"]) if m["y"] else None,
        m.end(),
    )


def _english_expression(s: str, pos: int) -> _Parsed | None:
    """The English date at `pos` in the folded `s`, or None; DateError for a day that does
    not exist or a range that ends before it starts. A range's ends share the year written
    once, at the end (May 10 - June 2, 1985), or at the start when the end has none; a start
    after its end then belongs to the year before (December 28 - January 3, 2020), an end
    before its start to the year after, as in Japanese ranges. A season with its year
    (`_EN_SEASON_RE`) is read here too."""
    if s[pos] in "Cc":
        return _english_circa(s, pos)
    if s[pos] in "AaFfSsWw" and (season := _english_season(s, pos)) is not None:
        return season
    if s[pos] in "Ss" and (since := _english_since(s, pos)) is not None:
        return since
    if s[pos] in "EeLlMmTt" and (decade := _english_decade(s, pos)) is not None:
        return decade  # Early 1990s, Mid-1970s, the 1980s (before Early 1990, a year's part)
    if s[pos] in "EeLlMm" and (part := _english_part(s, pos)) is not None:
        return part
    if s[pos + 4 : pos + 5] in _EN_YEAR_FIRST_FOLLOWERS and s[pos : pos + 4].isdigit():
        start = _english_year_first(s, pos)  # 1985, April 3
    else:
        start = _english_point(s, pos)
    if start is None:
        return None
    end: _EnglishPoint | None = None
    open_end: int | None = None
    year_end: re.Match[str] | None = None
    sep = _EN_RANGE_SEP_RE.match(s, start.end)
    if sep is not None:
        candidate = _english_point(s, sep.end())
        if candidate is None and start.year_first:  # 1985 April 3 - 1986 May 2
            candidate = _english_year_first(s, sep.end())
        if candidate is not None and _english_range_fits(start, candidate):
            end = candidate
        elif (
            candidate is None
            and start.year is not None
            and start.month is not None
            and (year_end := _EN_YEAR_END_RE.match(s, sep.end())) is not None
        ):
            pass  # May 2019 - 2021: to a year, as 平成4年11月～平成5年 is
        elif (
            start.year is not None
            and (present := _EN_PRESENT_RE.match(s, sep.end())) is not None
            and _EN_MONTH_ALONE_END_RE.match(s, present.end()) is not None
        ):
            open_end = present.end()  # May 2019 - present: open, as 2019年5月～現在 is
    if start.month is None:  # a bare day opens a range only (27-29 April 2019)
        if end is None or end.month is None or end.day is None or start.year is not None:
            return None
        start.month = end.month
    if end is not None and end.month is None:  # April 27-29, 2019: the start's month
        end.month = start.month
    if start.year is None:
        if end is None or end.year is None:
            return None  # no year written: no date
        start.year = end.year
        if _english_before(end, start):
            start.year -= 1
    if end is not None and end.year is None:
        end.year = start.year
        if _english_before(end, start):
            end.year += 1
    assert start.month is not None
    _check_day(start.year, start.month, start.day)
    first = _iso(start.year, start.month, start.day, False, at_end=False)
    last = first
    if end is not None:
        assert end.year is not None
        _check_day(end.year, end.month, end.day)
        last = _iso(end.year, end.month, end.day, False, at_end=True)
    elif year_end is not None:
        last = _iso(int(year_end["y"]), None, None, False, at_end=True)
    common = min(len(first), len(last))
    if last[:common] < first[:common]:
        raise DateError(f"range ends ({last}) before it starts ({first})")
    if year_end is not None and last[:4] == first[:4]:
        raise DateError(f"range ends in its own year ({last})")  # May 2019 - 2019
    return _Parsed(
        end=open_end or (year_end.end() if year_end is not None else (end or start).end),
        span=DateSpan(first, last, EN_OPEN_END_NOTE if open_end else None),
        year_only=False,
        unit_final=False,  # text may not run on from an English date: a separator first
        explicit_year=True,
    )


def _english_since(s: str, pos: int) -> _Parsed | None:
    """Since and a year at `pos` in the folded `s` (`_EN_SINCE_RE`: Since 1998, Since May
    2019), the start with note Onward; or None."""
    lead = _EN_SINCE_RE.match(s, pos)
    if lead is None:
        return None
    year = _EN_SINCE_YEAR_RE.match(s, lead.end())
    if year is not None:
        start = _EnglishPoint(None, None, int(year[0]), year.end())
    else:
        start = _english_point(s, lead.end())
        if start is None or start.year is None or start.month is None:
            return None  # (Since May: no year; Since 10 May: no year either)
    if _EN_SINCE_END_RE.match(s, start.end) is None:
        return None
    _check_day(start.year, start.month, start.day)
    iso = _iso(start.year, start.month, start.day, False, at_end=False)
    return _Parsed(
        end=start.end,
        span=DateSpan(iso, iso, EN_OPEN_END_NOTE),
        year_only=False,
        unit_final=False,
        explicit_year=True,
    )


def _bare_year_to_present(s: str, pos: int) -> _Parsed | None:
    """A bare year and a range to the present at `pos` in the folded `s`
    (`_BARE_YEAR_PRESENT_RE`: 1998–present, 1998～現在), or None."""
    m = _BARE_YEAR_PRESENT_RE.match(s, pos)
    if m is None or (m["en"] and _EN_MONTH_ALONE_END_RE.match(s, m.end()) is None):
        return None
    year = s[pos : pos + 4]
    return _Parsed(
        end=m.end(),
        span=DateSpan(year, year, EN_OPEN_END_NOTE if m["en"] else OPEN_END_NOTE),
        year_only=False,
        unit_final=False,
        explicit_year=True,
    )


# A season, a school or a financial year across two years (2021–22, 2021/22, 2021-2022 season):
# a year and the next one, written whole or by its last two digits, is the span of the two
# (2021 to 2022) only when the second is exactly the next: 2021–23 is none. Read alone when the
# two digits can be no month (2021–22, 1998/99); 2011/12 and 2008-09 are a year's month (as a
# Japanese page writes them) unless a season's or a year's word follows (2011/12 season,
# 2008-09 academic year), as four digits after the dash (2021-2022 season) need one too:
# without it they are two bare years, which pipeline.parse reads in runs. The word, in the
# date's text, is the note (Season, Academic year, School year, Financial year, Fiscal year).
_YEAR_PAIR_RE = re.compile(
    r"([12][0-9]{3})([\-/])([0-9]{2}(?:[0-9]{2})?)(?![0-9./\-])"
    r"(?:[ \t\u3000]+(?P<word>season|(?:academic|school|financial|fiscal)[ \t\u3000]+year)"
    r"(?![0-9a-z]))?",
    re.IGNORECASE,
)
_YEAR_PAIR_SEPARATORS = frozenset("-/")


def _year_pair(s: str, pos: int) -> _Parsed | None:
    """A year and the next at `pos` in the folded `s` (`_YEAR_PAIR_RE`), or None."""
    m = _YEAR_PAIR_RE.match(s, pos)
    if m is None:
        return None
    first, second, word = int(m[1]), m[3], m["word"]
    if int(second) != (first + 1 if len(second) == 4 else (first + 1) % 100):
        return None
    if word is None and (len(second) == 4 or int(second) <= 12):
        return None  # two bare years (2021-2022), or a year's month (2011/12)
    note = " ".join(word.lower().split()).capitalize() if word else None
    return _Parsed(
        end=m.end(),
        span=DateSpan(f"{first:04d}", f"{first + 1:04d}", note),
        year_only=False,
        unit_final=False,
        explicit_year=True,
    )


def _english_season(s: str, pos: int) -> _Parsed | None:
    """The season and year at `pos` in the folded `s` (`_EN_SEASON_RE`), or None."""
    m = _EN_SEASON_RE.match(s, pos)
    if m is None:
        return None
    season = m["season"].capitalize()  # (folded: sUMMeR)
    year = last = int(m["y"])
    end = m.end()
    if m["y2"] is not None:
        after = int(m["y2"])
        if len(m["y2"]) == 2:  # 1999-00: the next year ending in those digits
            after += year - year % 100 + (100 if after <= year % 100 else 0)
        if season != "Winter" or after != year + 1:
            return None  # Summer 1998-2000, Winter 1999-2001: not one season
        last = after
    first = _iso(year, None, None, False, at_end=False)
    return _Parsed(
        end=end,
        span=DateSpan(first, _iso(last, None, None, False, at_end=True), season),
        year_only=False,
        unit_final=False,
        explicit_year=True,
    )


def _english_circa(s: str, pos: int) -> _Parsed | None:
    """The year about which, at `pos` in the folded `s` (`_EN_CIRCA_RE`: c. 1890), or None."""
    m = _EN_CIRCA_RE.match(s, pos)
    if m is None:
        return None
    iso = _iso(int(m["y"]), None, None, False, at_end=False)
    return _Parsed(
        end=m.end(),
        span=DateSpan(iso, iso, EN_CIRCA_NOTE),
        year_only=False,
        unit_final=False,
        explicit_year=True,
    )


def _english_part(s: str, pos: int) -> _Parsed | None:
    """The part of a month or year at `pos` in the folded `s` (`_EN_PART_RE`), or None; also
    when a range seems to follow (early April - late May 2019: not read)."""
    m = _EN_PART_RE.match(s, pos)
    if m is None:
        return None
    sep = _EN_RANGE_SEP_RE.match(s, m.end())
    if sep is not None and (
        _EN_PART_RE.match(s, sep.end()) or _english_point(s, sep.end()) is not None
    ):
        return None
    month = _EN_MONTH_NUMBERS[m["m"].rstrip(".").lower()] if m["m"] else None
    iso = _iso(int(m["y"]), month, None, False, at_end=False)
    return _Parsed(
        end=m.end(),
        span=DateSpan(iso, iso, m["part"].capitalize()),
        year_only=False,
        unit_final=False,
        explicit_year=True,
    )


def _english_decade(s: str, pos: int) -> _Parsed | None:
    """The decade at `pos` in the folded `s` (`_EN_DECADE_RE`: 1970s, the early 1990s), or
    None."""
    m = _EN_DECADE_RE.match(s, pos)
    if m is None:
        return None
    if s[pos] in "Tt" and _EN_MONTH_ALONE_END_RE.match(s, m.end()) is None:
        return None  # The 1970s were quiet years: a sentence, unless a colon or dash follows
    first = int(m["y"])
    note = EN_DECADE_NOTE
    if m["part"]:
        note = m["part"].capitalize() + NOTE_JOINER + note
    return _Parsed(
        end=m.end(),
        span=DateSpan(f"{first:04d}", f"{first + 9:04d}", note),
        year_only=False,
        unit_final=False,
        explicit_year=True,
    )


def _english_range_fits(start: _EnglishPoint, end: _EnglishPoint) -> bool:
    """Whether `end` can close a range opened by `start` (the parts each may leave out)."""
    if end.year is None and (start.year is None or end.day is None):
        # May 10 - June 2: no year, no date; and a month alone ends no range without its
        # year (May 2019 - March for peace: a word, not the next March)
        return False
    if end.month is None:  # a bare day after a month and day, the year after it: April 27-29, 2019
        # (or before them: 1985 April 3-5)
        return (
            start.month is not None
            and start.day is not None
            and (start.year is None or start.year_first)
        )
    if start.month is None:  # a bare day before a day, month and year: 27-29 April 2019
        return end.day is not None and end.year is not None
    return True  # each end at its precision: May 10 - June 1985, November 1989 to March 1990


def _english_before(a: _EnglishPoint, b: _EnglishPoint) -> bool:
    """Whether `a` comes before `b` within a year, at the precision both have."""
    if a.day is None or b.day is None:
        return (a.month or 0) < (b.month or 0)
    return (a.month or 0, a.day) < (b.month or 0, b.day)


# --- a day and a month in figures before the year ----------------------------------------------
# 04/12/2015, 12.04.2015, 4-12-2015: the US writes the month first (April 12), the UK, Europe
# and most of the world the day (4 December). The text does not say which: only a page does,
# when some of its dates can be read one way only (13/04/2015, 04/13/2015) or its language
# says (pipeline.parse decides it for the page). So these are read only with an `order`
# given, "dmy" or "mdy", and then as that order reads them (13/04/2015 is no date in "mdy").
# A range of two such dates (04/12/2015 - 04/15/2015, 1.7.2012 to 8.7.2012) must run forward.

DayOrder = Literal["dmy", "mdy"]
DAY_ORDERS: tuple[DayOrder, ...] = ("dmy", "mdy")
_FIGURES_RE = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([12][0-9]{3})(?![0-9])")
# Between a range's two dates: a dash or ~ (spaced or not) or a word (to, until, through).
_FIGURES_RANGE_SEP_RE = re.compile(
    r"[ \t\u3000]*(?:-|~|(?i:to|until|till|through|thru)(?![A-Za-z]))[ \t\u3000]*"
)


def figures_order(first: int, second: int) -> DayOrder | None:
    """The only order a day and month written `first`/`second` can be read in: "dmy" when the
    first is past 12 (13/04), "mdy" when the second is (04/13); None when either can (04/12)
    or neither (13/13)."""
    if first > 12 >= second >= 1:
        return "dmy"
    if second > 12 >= first >= 1:
        return "mdy"
    return None


def _figures_point(m: re.Match[str], order: DayOrder) -> str | None:
    """The ISO day of a `_FIGURES_RE` match read in `order`, or None (no such day)."""
    a, b, year = int(m[1]), int(m[3]), int(m[4])
    day, month = (a, b) if order == "dmy" else (b, a)
    if not 1 <= month <= 12 or day < 1 or day > calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _figures_match(text: str, order: DayOrder) -> DateMatch | bool | None:
    """`match_date` for a day and month in figures before the year (04/12/2015) opening
    `text`, read in `order`: the match, False when the line opens with such a date that is
    none in this order (or not followed as a date must be), None when it opens otherwise."""
    head = _fold(text[:_HEAD_LENGTH])
    offset = len(head) - len(head.lstrip(" \t\r\n\u3000"))
    m = _FIGURES_RE.match(head, offset)
    if m is None:
        return None
    start = _figures_point(m, order)
    if start is None:
        return False
    end, last = start, m.end()
    sep = _FIGURES_RANGE_SEP_RE.match(head, last)
    if sep is not None:
        other = _FIGURES_RE.match(head, sep.end())
        if other is not None and other[2] == m[2]:
            end_day = _figures_point(other, order)
            if end_day is None or end_day < start:
                return False  # a range whose end is no day, or before its start
            end, last = end_day, other.end()
    rest_start = last
    follower = head[last : last + 1]
    if follower and follower not in _SEPARATORS:
        return False  # 04/12/2015年, 12.04.2015.
    if follower:
        dash = _DASH_SEPARATOR_RE.match(head, last)
        if dash is not None:
            rest_start = dash.end()
    rest = text[rest_start:].lstrip(" \t\r\n\u3000：:、,，").strip()
    return DateMatch(
        date_text=text[offset:last].strip(),
        span=DateSpan(start, end),
        rest=rest,
        year_only=False,
    )


# --- public functions -------------------------------------------------------------------------


def _expression(folded: str, context: YearContext | None, pos: int) -> _Parsed | None:
    """The date expression at `pos` in `folded` (see `_Scanner.expression`), or an English
    one (`_english_expression`)."""
    first = folded[pos]
    if first in _EN_FIRST_LETTERS and _EN_START_RE.match(folded, pos):
        english = _english_expression(folded, pos)
        if english is not None or first not in "MST":  # (S60.7, T12.9.1: the scanner's)
            return english
    if folded[pos + 1 : pos + 2] in _DIGIT_GAPS and _SPACED_YEAR_RE.match(folded, pos):
        # 2 0 0 3 年 8 月: read "2003 年 8 月", then map its end back onto the spaced text
        gaps = {m.start() for m in _DIGIT_GAP_RE.finditer(folded, pos)}
        where = [i for i in range(pos, len(folded)) if i not in gaps]
        parsed = _Scanner("".join(folded[i] for i in where), context).expression(0)
        if parsed is None:
            return None
        end = where[parsed.end - 1] + 1 if parsed.end else pos
        return dataclasses.replace(parsed, end=end)
    if folded[pos + 4 : pos + 5] in _YEAR_PAIR_SEPARATORS and "0" <= first <= "9":
        pair = _year_pair(folded, pos)  # 2021–22, 2011/12 season (not 2011年12月)
        if pair is not None:
            return pair
    parsed = _Scanner(folded, context).expression(pos)
    if parsed is None and "0" <= first <= "9":
        after = folded[pos + 1 : pos + 2]
        if after in _EN_AFTER_DAY or (
            "0" <= after <= "9" and folded[pos + 2 : pos + 3] in _EN_AFTER_DAY
        ):
            return _english_expression(folded, pos)  # 10 May 1985
        fifth = folded[pos + 4 : pos + 5]
        if after.isdigit() and fifth in _EN_YEAR_FIRST_FOLLOWERS:
            parsed = _english_expression(folded, pos)  # 1985, April 3
            if parsed is not None:
                return parsed
        if folded[pos + 3 : pos + 4] == "0" and fifth in _EN_DECADE_MARKS:
            return _english_decade(folded, pos)  # 1970s, 1990's
        if fifth in _BARE_YEAR_PRESENT_MARKS and after.isdigit():
            return _bare_year_to_present(folded, pos)  # 1998–present, 1998～現在
    return parsed


def normalize_date(
    text: str, *, context: YearContext | None = None, order: DayOrder | None = None
) -> DateSpan:
    """The span of `text`, which (trimmed) must be exactly one date expression. `order`: how
    a day and month in figures before the year are read (`_figures_match`), or not at all."""
    if order is not None:
        figures = _figures_match(text, order)
        if figures is not None:
            if figures is False or figures.rest:
                raise DateError(f"not a date: {text!r}")
            return figures.span
    folded = _fold(text).strip(" \t\r\n\u3000")
    if not folded or (
        folded[0] not in _DATE_FIRST_CHARS
        and folded[:2] not in OLD_ERA_HEADS
        and not (folded[0] in _EN_FIRST_LETTERS and _EN_START_RE.match(folded))
    ):
        raise DateError(f"not a date: {text!r}")
    parsed = _expression(folded, context, 0)
    if parsed is None or parsed.end != len(folded):
        raise DateError(f"not a date: {text!r}")
    return parsed.span


def match_date(
    text: str, *, context: YearContext | None = None, order: DayOrder | None = None
) -> DateMatch | None:
    """The date heading the line `text`, or None when the line does not start with a date.

    The date must be followed by the end of the text, a separator (space, full-width space,
    ：, :, 、) or, for a date written with an explicit year and at least a month, directly by
    body text that does not continue a number (a kanji, katakana, Latin letter or bracket).
    `order` ("dmy" or "mdy"): the order in which a day and a month in figures before the year
    (04/12/2015) are read, as the page writes them; None (the default): not read at all.
    """
    if order is not None:
        figures = _figures_match(text, order)
        if figures is not None:
            return figures or None
    m = _COMMON_RE.match(text)
    if m is not None and (
        m.end() == len(text) or not _FOLDABLE_RE.search(text, m.end(), _HEAD_LENGTH)
    ):
        # The usual heading opens the line and nothing after it folds (the date itself never
        # does): the head of the text is its own folded head.
        head = text[:_HEAD_LENGTH]
        found = _common_match(text, head, m, context)
    else:
        head = _fold(text[:_HEAD_LENGTH])
        stripped = head.lstrip(" \t\r\n\u3000")
        if not stripped:
            return _general_match(text, context)
        if stripped[0] not in _DATE_FIRST_CHARS and stripped[:2] not in OLD_ERA_HEADS:
            if stripped[0] in _EN_FIRST_LETTERS and _EN_START_RE.match(stripped):
                return _general_match(text, context)  # October 1986, Friday, May 3, 2019
            return None
        m = _COMMON_RE.match(head, len(head) - len(stripped))
        found = None if m is None else _common_match(text, head, m, context)
    if found is None:
        # Not a usual form (or not sure of it): perhaps a rarer one, else the scanner decides.
        lead = len(head) - len(head.lstrip(" \t\r\n\u3000"))
        m = _RARER_RE.match(head, lead)
        found = None if m is None else _rarer_match(text, head, m, context)
        if found is None:
            return _general_match(text, context)
    return found or None  # False: surely not a dated line


def _general_match(text: str, context: YearContext | None) -> DateMatch | None:
    """`match_date` for every form: the scanner over the whole folded line."""
    folded = _fold(text)
    offset = len(folded) - len(folded.lstrip(" \t\r\n\u3000"))
    if offset == len(folded) or (
        folded[offset] not in _DATE_FIRST_CHARS
        and folded[offset : offset + 2] not in OLD_ERA_HEADS
        and not (folded[offset] in _EN_FIRST_LETTERS and _EN_START_RE.match(folded, offset))
    ):
        return None
    try:
        parsed = _expression(folded, context, offset)
    except DateError:
        return None
    if parsed is None:
        return None
    end = rest_start = parsed.end
    follower = folded[end : end + 1]
    year_only = parsed.year_only
    if follower in _AS_OF_FIRSTS and (as_of := _AS_OF_RE.match(folded, end)) is not None:
        # 平成3年4月1日付で, 令和5年4月1日現在: the date's own words (a date of effect, a date
        # as of which), not its text's first; what follows is checked by the regex
        end = rest_start = as_of.end()
        follower, year_only = "", False
    leader = _LEADER_RE.match(folded, end) if follower in _LEADER_FIRSTS else None
    if leader is not None:  # 平成3年4月……開館: leader dots, as a table of contents sets them
        rest_start = leader.end()
    elif follower and follower not in _SEPARATORS:
        # (a time of day opens the body after a day of the year above too, when a weekday in
        # parentheses closes the day: 8月2日（水）午後2時から; 4月1日10時 may be a sentence's)
        direct = (
            parsed.unit_final
            and not parsed.year_only
            and parsed.span.start[4:5] == "-"
            and (
                (parsed.explicit_year and _opens_body(follower))
                or (
                    follower in _TIME_FIRSTS
                    and (parsed.explicit_year or folded[end - 1] == ")")
                    and _time_follows(folded, parsed)
                )
            )
        )
        if not direct:
            return None
    elif follower:
        # 1947年（昭和22年）11月3日 - 武蔵野市市制施行: a dash between spaces only separates
        dash = _DASH_SEPARATOR_RE.match(folded, end)
        if dash is not None:
            rest_start = dash.end()
    rest = text[rest_start:].lstrip(" \t\r\n\u3000：:、,，").strip()
    return DateMatch(
        date_text=text[offset:end].strip(),
        span=parsed.span,
        rest=rest,
        year_only=year_only,
    )


# After a date, 付 (付け) or 現在 saying what the date is to the text: the day something took
# effect (平成3年4月1日付で姉妹都市提携, 4月1日付けで, 令和5年4月1日付をもって) or the day a figure
# holds as of (令和5年4月1日現在). Part of the date's text, with its particle (で, にて, をもって);
# without one, the end of the text or a separator must follow: 付近, 付き, 付属, 現在地 and
# 現在の are words of the text, as before.
_AS_OF_RE = re.compile(
    r"(?:付け?(?:で|にて|をもって|を以て)|(?:付け?|現在)(?=[ \t\u3000：:、,，]|\Z))"
)
_AS_OF_FIRSTS = frozenset("付現")
# The particles such a date's text may end with (pipeline.parse: text may follow at once).
AS_OF_PARTICLES = ("付で", "付けで", "にて", "をもって", "を以て")


# A time of day right after a day (2020年4月1日10時30分, 令和2年4月1日(水)13:30～15:00): the body
# opens with it, when what follows the time could follow a date. Its range may be left open
# (14時～, 午後2時から): a time still, not the date's range; a day's date is the day.
_TIME_RE = re.compile(
    r"(?:午前|午後)?(?:[0-9]{1,2}時(?:[0-9]{1,2}分|半)?|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)"
    r"(?:(?:[~\-]|から)(?:(?:午前|午後)?(?:[0-9]{1,2}時(?:[0-9]{1,2}分|半)?|[0-9]{1,2}:[0-9]{2}))?"
    r"(?:まで)?)?"
)
_TIME_FIRSTS = frozenset("0123456789午")
# Leader dots between a date and its text (平成3年4月……開館, 平成3年4月・・・開館, 1998.4...開館):
# a run of ellipses, two or more ・, or three or more dots, before text.
_LEADER_RE = re.compile(r"(?:[…‥]+|・{2,}|\.{3,})[ \t\u3000]*(?=[^ \t\u3000.…‥・])")
_LEADER_FIRSTS = frozenset("…‥・.")
# (not before a number: 平成10年5月1日 - 35日 is a range whose end is no day; but an ordinal,
# `June 2, 1998 – 10th anniversary`, 平成10年6月2日 - 10周年記念式典, is no date's end)
_DASH_SEPARATOR_RE = re.compile(
    r"[ \t\u3000]+-[ \t\u3000]+"
    r"(?=[^ \t\u30000-9]|[0-9]{1,3}(?:(?i:st|nd|rd|th)(?![A-Za-z])|周年))"
)


def _time_follows(folded: str, parsed: _Parsed) -> bool:
    """Whether a time of day opens the body after the date `parsed`, which ends with a day."""
    if len(parsed.span.end) != 10 or not parsed.unit_final:
        return False
    time = _TIME_RE.match(folded, parsed.end)
    if time is None:
        return False
    after = folded[time.end() : time.end() + 1]
    if not after or after in _SEPARATORS:
        return True
    # Text right after the time: only after a whole time (14時式典), of a day with its year;
    # after a range mark (14時から雨) or under a year heading it may be a sentence.
    return parsed.explicit_year and folded[time.end() - 1] not in "~-らで" and _opens_body(after)


# --- the common forms, read in one step ---------------------------------------------------------
# Most dated lines are written one of a few ways: 平成12年, 平成26年度, 昭和60年5月, 2021年11月1日,
# 平成11年10月3日から10月18日まで and, under a year heading, 5月12日 or 12月26日～1月4日.
# `_common_match` reads these with a single regex and a few table look-ups (1-2 µs, against
# 8-17 µs for the scanner). A line it does not read goes to `_rarer_match`, which reads these
# and some rarer forms (令和6(2024)年11月14日, 2015年(平成27年)10月, 平成9年7月上旬, 令和元年頃,
# 平成30年12月26日から平成31年1月4日まで, 平成22年4月26日(月曜日)から4月28日(水曜日)まで) the
# same way (2-4 µs), and then to the scanner. Two readers, so that the usual forms do not pay
# for trying the rarer parts (some 0.1-0.2 µs a line). Each answers only when it is sure the
# scanner would answer the same: a date it cannot vouch for (a year out of its era, a day
# that does not exist, anything that might continue the date: more of it after spaces, a
# parenthesis that is not a weekday or a short note, a kanji numeral …) goes to the scanner.
# tests/pipeline/test_dates.py checks that they agree.

_HEAD_LENGTH = 48  # longer than any common form with its follower
_COMMON_ERA_YEAR = r"(?:明治|大正|昭和|平成|令和)(?:元|[0-9]{1,2}+)"
# Possessive (`{1,2}+`, `?+`): no part ever gives back what it read (a number is followed by
# its unit, and everything after 年 is optional), so the regexes keep no backtracking state:
# the same matches, 15-25% sooner.
# The usual forms: 平成12年, 令和2年度, 昭和60年5月, 2021年11月1日, 平成11年10月3日から10月18日まで
# and, under a year heading, 5月12日 or 12月26日～1月4日.
_COMMON_RE = re.compile(
    rf"(?:(?:({_COMMON_ERA_YEAR})|([0-9]{{4}}))年(度)?+"
    r"|(?=[0-9]{1,2}+月))"  # or no year (5月12日): the year heading above gives it
    r"(?:([0-9]{1,2}+)月(?:([0-9]{1,2}+)日)?+"
    r"(?:(から|~)(?:([0-9]{1,2}+)月)?+(?:([0-9]{1,2}+)日)?+(?:まで)?+)?+)?+"
)
# A range's end: から or ~, then 10月18日, 18日, 平成31年1月4日 or 平成5年, and まで.
_COMMON_END = rf"""
  (から|~)(?:({_COMMON_ERA_YEAR})年|([0-9]{{4}})年)?+
  (?:([0-9]{{1,2}}+)月)?+(?:([0-9]{{1,2}}+)日)?+(まで)?+
"""
# The usual forms and the rarer ones: a year written twice, a qualifier, a range's end with its
# own year. (Each of the rarer parts costs some 20 ns when tried and not there.)
_RARER_RE = re.compile(
    rf"""
    (?:
      (?:({_COMMON_ERA_YEAR})(?:\(([0-9]{{4}})\))?+  # 令和6, 令和6(2024)
      |([0-9]{{4}})(?:\(({_COMMON_ERA_YEAR})\))?+    # 2015, 2015(平成27)
      )年(度)?+
      (?:\((?:([0-9]{{4}})|({_COMMON_ERA_YEAR}))年?\))?+  # 平成15年(2003年), 2015年(平成27年)
      (頃|ごろ|春|夏|秋|冬)?+
    | (?=[0-9]{{1,2}}+月)  # or no year
    )
    (?:
      ([0-9]{{1,2}}+)月
      (?:([0-9]{{1,2}}+)日(頃|ごろ)?+|(上旬|中旬|下旬|初旬|頃|ごろ|末(?!日)))?+  # 5日頃, 7月上旬
      (?:{_COMMON_END})?+
    )?+
    """,
    re.VERBOSE,
)
# A range after the start's parentheses: 平成22年4月26日(月曜日)から4月28日(水曜日)まで
_COMMON_END_RE = re.compile(_COMMON_END, re.VERBOSE)
# After a common form, these may continue the date in the scanner's reading (a day after
# spaces, a parenthesis, a range, a qualifier, まで, 年度, a season, and 付 or 現在: `_AS_OF_RE`).
_CONTINUES = frozenset(
    "(か~-ー―上中下初半頃ご末ま度代第春夏秋冬元朔晦0123456789〇零一二三四五六七八九十百千壱弐参拾廿卅/・"
    "付現"
)
# After spaces, only these may: a number (a day), a parenthesis, a range or まで.
_CONTINUES_AFTER_SPACES = frozenset("(か~-ー―ま0123456789〇零一二三四五六七八九十百千壱弐参拾廿卅")
_SPACES = " \t\u3000"
_PAREN_OR_SPACE = frozenset("( \t\u3000")
_LINK_SEPARATORS = frozenset("：:、,，")


def _numbers_as_written(low: int, high: int) -> dict[str, tuple[int, str]]:
    """Numbers low..high as a common form writes them: "5" and "05" both give (5, "05")."""
    table = {}
    for n in range(low, high + 1):
        table[str(n)] = table[f"{n:02d}"] = (n, f"{n:02d}")
    return table


def _era_years_as_written() -> dict[str, tuple[int, str]]:
    """Every year an era may take (see `_era_year`), written with one or two digits as
    `_COMMON_RE` reads them: "平成12", "平成05", "令和元" … → (2000, "2000"), …; not the years
    of the lunisolar calendar (明治5年 and before), whose days the scanner checks."""
    table = {}
    for era, first in ERA_FIRST_YEAR.items():
        for written, (n, _) in [("元", (1, "01")), *_numbers_as_written(1, 99).items()]:
            year = first + n - 1
            if n <= ERA_LAST_YEAR[era] + ERA_OVERFLOW and year > _LAST_LUNISOLAR_DAY[0]:
                table[era + written] = (year, str(year))
    return table


# Table look-ups instead of int() and range checks: a number missing from a table is out of
# range, and the scanner gives the answer for it.
_MONTHS = _numbers_as_written(1, 12)
_DAYS = _numbers_as_written(1, 31)  # a day over 28 is checked against its month
_ERA_YEARS = _era_years_as_written()


# A frozen dataclass's __init__ sets each field through object.__setattr__: ~0.28 µs for a
# DateSpan, and a dated line makes two values. The common path instead fills a plain class with
# the same slots and then makes it the frozen class: the same value in ~0.07 µs (setting the
# slots one by one through their descriptors takes ~0.15). The plain classes take their slots
# from the dataclasses, and CPython checks on every __class__ change that the layouts agree.
# This skips __post_init__, which neither dataclass has.
assert not hasattr(DateSpan, "__post_init__") and not hasattr(DateMatch, "__post_init__")


class _SpanSlots:
    """A DateSpan being built (see above)."""

    __slots__ = DateSpan.__slots__


class _MatchSlots:
    """A DateMatch being built (see above)."""

    __slots__ = DateMatch.__slots__


def _common_year(
    era_year: str | None, west: str | None, month: str | None, context: YearContext | None
) -> tuple[int, str] | Literal[False] | None:
    """The year of a common form and how it is written: an era year (平成12), four digits, or
    for a year-less 5月12日 the year heading's (in a fiscal year, the next calendar year's for
    1月-3月). False: surely no dated line (no year anywhere); None: ask the scanner; KeyError:
    a number out of range."""
    if era_year is not None:
        return _ERA_YEARS[era_year]
    if west is not None:
        return None if west[0] == "0" else (int(west), west)  # under 1000: not a western year
    if context is None:
        return False  # 5月12日 with no year heading above: the scanner needs a year
    if context.lunisolar:
        return None  # a day of the lunisolar calendar: the scanner checks it
    year = context.year
    if year is None:
        return False  # under an era alone (平成), a month line has no year
    if context.fiscal and _MONTHS[month][0] <= 3:  # type: ignore[index]
        year += 1
    if not 1 <= year <= 9999:
        return None
    return year, f"{year:04d}"


def _common_point(
    year: int, year_text: str, month: str, day: str | None
) -> tuple[str, int, int | None] | None:
    """The ISO start of a month (and day) in `year`, with the month and day as numbers; None
    for a day its month does not have. KeyError: a number out of range."""
    m_start, mm = _MONTHS[month]
    if day is None:
        return f"{year_text}-{mm}", m_start, None
    d_start, dd = _DAYS[day]
    if d_start > 28 and not _valid_day(year, m_start, d_start):
        return None  # every month has its first 28 days
    return f"{year_text}-{mm}-{dd}", m_start, d_start


def _common_match(
    text: str, head: str, m: re.Match[str], context: YearContext | None
) -> DateMatch | Literal[False] | None:
    """The common form `m` read in `head` (the folded head of `text`): its DateMatch, or False
    when the line is surely not a dated line (the scanner says None), or None: ask the scanner."""
    era_year, west, fiscal, month, day, sep, end_month, end_day = m.groups()
    end = m.end()
    if end == len(head) < len(text):
        return None  # the date runs up to where the head was cut: it may go on past it
    # A number missing from its table (KeyError) is out of range: the scanner rejects it.
    try:
        read = _common_year(era_year, west, month, context)
        if not read:
            return read
        year, year_text = read
        if fiscal is not None:  # 令和2年度: April to March
            if month is not None or year >= 9999:
                return None  # 令和2年度4月 is no date to the scanner; 9999年度 ends in 10000
            first, last = f"{year_text}-04", f"{year + 1}-03"
        elif month is None:
            first = last = year_text
        else:
            point = _common_point(year, year_text, month, day)
            if point is None:
                return None
            first, m_start, d_start = point
            last = first
            if sep is not None:
                # An end that would come before the start wraps to the next month or year,
                # so the range never ends before it starts.
                last = _common_range_end(year, year_text, m_start, d_start, end_month, end_day)
                if last is None:
                    return None
    except KeyError:
        return None
    note = FISCAL_NOTE if fiscal is not None else None
    year_only = month is None
    if end < len(head):
        if month is not None and head[end] in _PAREN_OR_SPACE:
            # 平成12年1月10日(成人の日): weekdays dropped, short text a note, as the scanner
            # reads them. (After a year alone, a parenthesis may hold the year's other writing:
            # 2000年(平成十二年); the scanner reads that.)
            notes: list[str] = []
            after_parens = _parens(head, end, notes)
            if after_parens > end:
                if after_parens == len(head) < len(text):
                    return None  # more parentheses may follow past the folded head
                end = after_parens
                if notes:
                    note = NOTE_JOINER.join(dict.fromkeys(notes))
        if end < len(head):
            # Body text may follow a date directly when the date has an explicit year and a
            # month (`_general_match`).
            direct = not year_only and (era_year is not None or west is not None)
            ends = _ends_dated_line(text, head, end, direct)
            if not ends:
                return ends
    # DateMatch(date_text, DateSpan(first, last, note), rest, year_only), built as said above
    span = _SpanSlots()
    span.start, span.end, span.note = first, last, note
    span.__class__ = DateSpan  # type: ignore[assignment]
    found = _MatchSlots()
    if end == len(text) and not m.start():
        found.date_text, found.rest = text, ""
    else:
        found.date_text = text[m.start() : end].strip()
        found.rest = text[end:].lstrip(" \t\r\n\u3000：:、,，").strip()
    found.span, found.year_only = span, year_only
    found.__class__ = DateMatch  # type: ignore[assignment]
    return found  # type: ignore[return-value]


def _rarer_match(
    text: str, head: str, m: re.Match[str], context: YearContext | None
) -> DateMatch | Literal[False] | None:
    """`_common_match` for `_RARER_RE`: the usual forms and the rarer ones (a year written
    twice, a qualifier, a range's end with its own year or after the start's parentheses)."""
    (
        era_year,
        era_west,
        west,
        west_era,
        fiscal,
        after_west,
        after_era,
        year_note,
        month,
        day,
        day_note,
        month_note,
        sep,
        end_era,
        end_west,
        end_month,
        end_day,
        until,
    ) = m.groups()
    end = m.end()
    if end == len(head) < len(text):
        return None  # the date runs up to where the head was cut: it may go on past it
    # A number missing from its table (KeyError) is out of range: the scanner rejects it.
    try:
        if (era_west or west_era or after_west or after_era) and not _written_twice_agrees(
            era_year, era_west, west, west_era, after_west, after_era
        ):
            return None
        read = _common_year(era_year, west, month, context)
        if not read:
            return read
        year, year_text = read
        if fiscal is not None:
            if month is not None or year >= 9999:
                return None
            first, last = f"{year_text}-04", f"{year + 1}-03"
        elif month is None:
            first = last = year_text
        else:
            if year_note is not None:
                return None  # 平成12年頃5月: no date to the scanner
            point = _common_point(year, year_text, month, day)
            if point is None:
                return None
            first, m_start, d_start = point
            last = first
    except KeyError:
        return None
    notes = [FISCAL_NOTE] if fiscal is not None else []
    qualifier = year_note or month_note or day_note
    if qualifier is not None:  # 平成9年7月上旬, 5日頃, 令和元年頃, 平成10年春
        notes.append(_QUALIFIER_NOTES.get(qualifier, qualifier))
    year_only = month is None and qualifier is None
    if end < len(head) and not year_only and head[end] in _PAREN_OR_SPACE:
        # The parentheses after a date with a month or qualifier (not a year alone: see
        # `_common_match`) may be a range end's, before or after its まで, or the start's,
        # before the range: 平成22年4月26日(月曜日)から4月28日(水曜日)まで.
        start_end = end
        end = _parens(head, end, notes)
        if end > start_end:
            r = _COMMON_END_RE.match(head, end) if sep is None and month is not None else None
            if r is not None:
                sep, end_era, end_west, end_month, end_day, until = r.groups()
                end = r.end()
                if end < len(head) and head[end] in _PAREN_OR_SPACE:
                    end = _parens(head, end, notes)
            if sep is not None and until is None and head.startswith("まで", end):
                end = _parens(head, end + 2, notes)
            if end == len(head) < len(text):
                return None  # more may follow past the folded head
    if sep is not None:
        try:
            if end_era is None and end_west is None:
                last = _common_range_end(year, year_text, m_start, d_start, end_month, end_day)
            else:
                last = _range_end_with_year(first, end_era, end_west, end_month, end_day)
        except KeyError:
            return None
        if last is None:
            return None
    if end < len(head):
        # The scanner's rule (`_general_match`), on the span: an explicit year, and a start
        # with a month (which a fiscal year with a qualifier has: April).
        direct = (era_year is not None or west is not None) and (
            month is not None or (fiscal is not None and qualifier is not None)
        )
        ends = _ends_dated_line(text, head, end, direct)
        if not ends:
            return ends
    note = None
    if notes:
        note = notes[0] if len(notes) == 1 else NOTE_JOINER.join(dict.fromkeys(notes))
    rest = text[end:].lstrip(" \t\r\n\u3000：:、,，").strip()
    return DateMatch(text[m.start() : end].strip(), DateSpan(first, last, note), rest, year_only)


def _written_twice_agrees(
    era_year: str | None,
    era_west: str | None,
    west: str | None,
    west_era: str | None,
    after_west: str | None,
    after_era: str | None,
) -> bool:
    """Whether a year written twice (令和6(2024)年, 平成15年(2003年), 2015(平成27)年,
    2015年(平成27年)) is one year as the scanner reads it: a western year in parentheses after
    an era year, an era year after a western one. Raises KeyError for an era year out of range.
    """
    if era_year is not None:
        year_text = _ERA_YEARS[era_year][1]
        return (
            after_era is None and era_west in (None, year_text) and after_west in (None, year_text)
        )
    if after_west is not None or (west_era and after_era):
        return False  # 2015年(2015年); 2015(平成27)年(平成27年) (the scanner checks one)
    era = west_era or after_era
    return era is not None and _ERA_YEARS[era][1] == west


def _common_range_end(
    year: int,
    year_text: str,
    m_start: int,
    d_start: int | None,
    end_month: str | None,
    end_day: str | None,
) -> str | None:
    """The ISO end of a common range (…から10月18日まで), placed as `_Scanner._end_year` does;
    None when it does not exist. Raises KeyError for a number out of range."""
    if end_day is not None:
        d_end, end_dd = _DAYS[end_day]
    elif end_month is None:
        return None
    else:
        d_end = None
    end_year = year
    if end_month is None:  # a bare day: the start's month, or the next
        if d_start is None or d_end is None:
            return None
        m_end = m_start
        if d_end < d_start:
            m_end += 1
            if m_end == 13:
                m_end, end_year = 1, year + 1
                if end_year > 9999:
                    return None
                year_text = f"{end_year:04d}"
        end_mm = _TWO_DIGITS[m_end]
    else:
        m_end, end_mm = _MONTHS[end_month]
        if d_end is not None and d_start is not None:
            wraps = (m_end, d_end) < (m_start, d_start)
        else:
            wraps = m_end < m_start
        if wraps:  # 12月26日～1月4日: into the next year
            end_year += 1
            if end_year > 9999:
                return None
            year_text = f"{end_year:04d}"
    if d_end is None:
        return f"{year_text}-{end_mm}"
    if d_end > 28 and not _valid_day(end_year, m_end, d_end):
        return None
    return f"{year_text}-{end_mm}-{end_dd}"


def _range_end_with_year(
    first: str,
    end_era: str | None,
    end_west: str | None,
    end_month: str | None,
    end_day: str | None,
) -> str | None:
    """The ISO end of a range whose end has its own year (平成30年12月26日から平成31年1月4日まで,
    平成4年11月～平成5年), kept as written, as `_Scanner._end_year` does; None when it does not
    exist or comes before `first`, the start. Raises KeyError for a number out of range."""
    if end_era is not None:
        year, year_text = _ERA_YEARS[end_era]
    elif end_west is None or end_west[0] == "0":
        return None  # (no year, or not a western one: under 1000)
    else:
        year, year_text = int(end_west), end_west
    if end_month is None:
        if end_day is not None:
            return None  # a day needs a month
        last = year_text
    else:
        month, mm = _MONTHS[end_month]
        if end_day is None:
            last = f"{year_text}-{mm}"
        else:
            day, dd = _DAYS[end_day]
            if day > 28 and not _valid_day(year, month, day):
                return None
            last = f"{year_text}-{mm}-{dd}"
    # The scanner rejects a range that ends before it starts, compared at the precision both
    # ends have (ISO texts of 4, 7 or 10 characters).
    common = min(len(first), len(last))
    return None if last[:common] < first[:common] else last


def _ends_dated_line(text: str, head: str, end: int, direct: bool) -> bool | None:
    """Whether the line is a dated line, when the common date ends at `end`, before
    `head[end]`: None when the scanner may read the date on past `end`; else whether the
    date's follower lets it head the line (`direct`: body text may follow at once)."""
    follower = head[end]
    if follower in _SPACES:
        after = end + 1
        while after < len(head) and head[after] in _SPACES:
            after += 1
        if after == len(head):
            # The spaces end the text, or run on past the folded head: the scanner looks on
            return True if len(text) == len(head) else None
        return None if head[after] in _CONTINUES_AFTER_SPACES else True
    if follower in _CONTINUES or follower in _LEADER_FIRSTS:
        return None  # (leader dots: the scanner reads them)
    if follower == "午" and not direct:
        return None  # 8月2日午後2時から: a time of day after a day (the scanner reads it)
    return follower in _LINK_SEPARATORS or (direct and _opens_body(follower))


# "01".."12", for a month computed as a number (the month after a range's start month)
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(13))


def _valid_day(year: int, month: int, day: int) -> bool:
    """Whether `day` exists in `month` (1..12) of `year`."""
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _opens_body(char: str) -> bool:
    """Whether `char`, right after a date, can begin body text (not a unit or a particle)."""
    if char in "年月日旬頃度末間目分時":
        return False
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF  # kanji
        or char == "々"
        or (0x30A1 <= code <= 0x30FA)  # katakana, not the long vowel mark
        or (char.isascii() and char.isalpha())
        or char in '「『【〈《("“[〔※'  # ※: a note (2020年4月1日※延期)
    )


def _writes_era(date_text: str) -> bool:
    """Whether a date's text writes its year with an era (天保14年, not 1843年)."""
    try:
        found = _Scanner(_fold(date_text).strip(" \t\u3000"), None).point(0, None)
    except DateError:
        return False
    return found is not None and found[0].era is not None


# A month and a day written with a dot or a slash alone (4.1, 4/1, 10.15), as a timeline sets
# them in an element of their own before the text, under a year heading (<h3>2021年</h3>, then
# <span class="date">4.1</span><span class="txt">電子申請を開始</span>). In a line such digits
# are no date (a version, a figure, a section's number: 4.1 概要, 4.1%): only markup setting
# them apart makes them one, so `pipeline.parse` asks for this reading there alone.
_MONTH_DAY_ALONE_RE = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})")
# So is an English month and day alone (Apr 6, April 6th, 6 April) set in an element of its own
# under a year heading (<h2>2019</h2>, then <li><time>Apr 6</time> …</li>); in running text it
# stays no date (May 6 students visited…: May is a verb too), as `match_date` leaves it.
_EN_MONTH_DAY_ALONE_RE = re.compile(
    rf"(?:(?P<m1>{_EN_MONTH})[ \t\u3000]+(?P<d1>{_EN_DAY})"
    rf"|(?P<d0>{_EN_DAY})[ \t\u3000]+(?P<m0>{_EN_MONTH}))",
    re.IGNORECASE,
)


def month_day_alone(text: str, follower: str, context: YearContext | None) -> DateMatch | None:
    """`text`, a month and a day alone (`_MONTH_DAY_ALONE_RE`), as that day of the year
    `context` gives (a fiscal year's 1-3月 the next year's, an old year's days lunisolar), when
    `follower`, the first character of the text after it, can open a body (a kanji, katakana,
    a letter or a bracket; not a digit, a unit like % or a particle); else None. An English
    month and day (`_EN_MONTH_DAY_ALONE_RE`) likewise, in a year that is no lunisolar one."""
    if context is None or context.year is None or not follower or not _opens_body(follower):
        return None
    folded = _fold(text).strip(" \t\u3000")
    m = _MONTH_DAY_ALONE_RE.fullmatch(folded)
    if m is not None:
        month, day = int(m[1]), int(m[2])
    else:
        m = _EN_MONTH_DAY_ALONE_RE.fullmatch(folded)
        if m is None or context.lunisolar:  # (an English month is a Gregorian one)
            return None
        month = _EN_MONTH_NUMBERS[(m["m1"] or m["m0"]).rstrip(".").lower()]
        day = int((m["d1"] or m["d0"]).rstrip("stndrhSTNDRH"))
    found = match_date(f"{month}月{day}日", context=context)  # (checked as written so)
    if found is None or found.rest:
        return None
    return DateMatch(text.strip(" \t\u3000"), found.span, "", False)


def carried_year(match: DateMatch, year: int) -> YearContext:
    """The year a dated line that writes it (1951年3月, 天保14年5月) gives the year-less lines
    after it in its list (4月, 6月30日): lunisolar when the line wrote an era before 1873."""
    lunisolar = year <= _LAST_LUNISOLAR_DAY[0] and _writes_era(match.date_text)
    return YearContext(year, lunisolar=lunisolar)


def year_context(span_or_match: DateMatch | DateSpan) -> YearContext:
    """The year a year-only heading (平成30年, 2018年度) gives to year-less dates below it."""
    if isinstance(span_or_match, DateMatch):
        if not span_or_match.year_only:
            raise DateError(f"not a year heading: {span_or_match.date_text!r}")
        span = span_or_match.span
    else:
        span = span_or_match
    if len(span.start) == 4 and span.start == span.end:
        year = int(span.start)
        lunisolar = (
            isinstance(span_or_match, DateMatch)
            and year <= _LAST_LUNISOLAR_DAY[0]
            and _writes_era(span_or_match.date_text)
        )
        return YearContext(year, lunisolar=lunisolar)
    year = int(span.start[:4]) if span.start[:4].isdigit() else 0
    fiscal_note = (span.note or "").split(NOTE_JOINER)[0] == FISCAL_NOTE
    if fiscal_note and span.start == f"{year:04d}-04" and span.end == f"{year + 1:04d}-03":
        return YearContext(year, fiscal=True)
    raise DateError(f"not a single year: {span}")


# --- eras named alone ---------------------------------------------------------------------------
# A long history grouped by era names each era alone (<h2>平成</h2>, <dt>明治</dt>, a 元号 column)
# and writes the years below it without the era (元年4月, 5年10月); a 年度 table writes its years
# with an era's Latin initial alone (H30, R1).

_ERA_CONTEXTS = {
    era: YearContext(None, lunisolar=era in OLD_ERA_FIRST_YEAR, era=era)
    for era in (*ERA_FIRST_YEAR, *OLD_ERA_FIRST_YEAR)
}
ERA_NAMES = frozenset(_ERA_CONTEXTS)


def era_context(name: str) -> YearContext | None:
    """The context a heading naming an era alone (平成, 天保) gives the lines below it: their
    era years written without the era (5年10月) are that era's; None when `name` is no era's
    full name. (It dates no month line: an era is no year.)"""
    return _ERA_CONTEXTS.get(name)


def within_era(context: YearContext, era: str) -> YearContext:
    """`context`, a year read below a heading naming `era` alone (平成, then 5年 or 5年4月),
    with that era: era years below it written without the era (6年) are the era's too, and a
    year before 1873 was written in an era, so its month lines are lunisolar days."""
    if context.era == era:
        return context
    year = context.year
    lunisolar = context.lunisolar or (year is not None and year <= _LAST_LUNISOLAR_DAY[0])
    return YearContext(year, context.fiscal, lunisolar, era)


_LETTER_ERA_YEAR_RE = re.compile(r"([MTSHR])([0-9]{1,2}|元)")


def letter_era_year(text: str) -> int | None:
    """The western year of an era year written with the era's Latin initial and no 年 (H30,
    R1, S50, Ｈ元, as a 年度 column writes them), or None: not so written, or out of its era.
    Alone such a text is no date (R1 is also a road, a room): `pipeline.parse` reads it only in
    a run of like ones in order."""
    m = _LETTER_ERA_YEAR_RE.fullmatch(_fold(text))
    if m is None:
        return None
    try:
        return _era_year(m[1], m[2], None)
    except DateError:
        return None
