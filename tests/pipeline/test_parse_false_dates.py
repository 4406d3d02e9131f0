"""Numbers and date-like text that are no chronology entries: a statistics table's years and
figures, a roster's terms of office, a news line titled by its fiscal year, a sentence dated
where it was written, a notice's dateline, an update stamp. A wrong date is worse than none:
each stays page text or metadata, and the chronology beside it reads as before (see
tests/fixtures/synthetic/jinko-tokei-nenpyo.html and rekidai-kaicho-ayumi.html for whole pages)."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.parse import explain_page, parse_page

_CHRONOLOGY = (
    "<ul><li>昭和59年5月　友好都市提携調印</li><li>昭和60年8月　第1回青少年派遣団を派遣</li></ul>"
)
_CHRONOLOGY_ENTRIES = [
    ("昭和59年5月", "1984-05", ("友好都市提携調印",)),
    ("昭和60年8月", "1985-08", ("第1回青少年派遣団を派遣",)),
]


def _doc(body: str, title: str = "交流のあゆみ｜みずなら市", h1: str = "交流のあゆみ") -> bytes:
    return html_page(f"<main><h1>{h1}</h1>{body}</main>", title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.body) for e in parse_page(data).entries]


# --- a statistics table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        # years out of order, counts with commas
        [("令和2年", "21,000", "46,156"), ("平成22年", "23,500", "32,954")],
        # fiscal years in order, amounts with a unit, a dash for none
        [("平成30年度", "58,000百万円", "－"), ("令和元年度", "59,500百万円", "1,200百万円")],
        # percentages, a decrease mark, full-width digits, 約 and a counter
        [("2019年", "△1.2％", "約１２０名"), ("2020年", "0.5%", "98件")],
    ],
    ids=["counts", "fiscal-amounts", "rates"],
)
def test_a_statistics_tables_years_and_figures_are_no_entries(rows):
    """The rows stay page text; a table of dated rows with words beside a count (派遣先 | 人数)
    is still a chronology."""
    dispatch = (
        "<table><tr><th>年月</th><th>派遣先</th><th>人数</th></tr>"
        "<tr><td>平成15年8月</td><td>本渓市</td><td>20名</td></tr></table>"
    )
    table = "<table><tr><th>年</th><th>人口</th><th>世帯数</th></tr>"
    table += "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rows)
    parsed, trace = explain_page(_doc(_CHRONOLOGY + "<h2>人口</h2>" + table + "</table>"))
    assert _entries(_doc(_CHRONOLOGY + table + "</table>" + dispatch)) == [
        *_CHRONOLOGY_ENTRIES,
        ("平成15年8月", "2003-08", ("本渓市", "20名")),
    ]
    assert " ".join(rows[0]) in parsed.page.text
    assert (
        rows[0][0],
        "a row of figures (a statistics table): the year of its numbers, no event",
    ) in (trace.unused)


@pytest.mark.parametrize(
    ("row", "why"),
    [
        # the date's cell runs on into text: no row of figures, though `_hit` reads no date
        (
            "<td>平成10年4月　開館</td><td>本館</td>",
            "the date's cell holds more than the date ('開館'): a row is dated by a cell"
            " holding its date alone, or opening it when most of its table's rows, two or more,"
            " are dated in their first cell",
        ),
        # an empty cell before the date, with no year above to fill it
        (
            "<td></td><td>平成10年4月</td><td>開館</td>",
            "the date is not in the row's first cell (an empty cell before it): no dated row",
        ),
        # a qualified year before figures: the figures decide, as `_hit` does
        (
            "<td>令和2年（速報値）</td><td>21,000</td>",
            "a row of figures (a statistics table): the year of its numbers, no event",
        ),
    ],
    ids=["date-cell-with-text", "empty-cell-first", "qualified-year-figures"],
)
def test_explain_names_why_a_date_like_row_is_no_entry(row, why):
    """It says "a row of figures" only for a year followed by figures alone (`_figures_only`)."""
    data = _doc(f"<table><tr>{row}</tr></table>")
    parsed, trace = explain_page(data)
    assert parsed.entries == ()
    assert [reason for _, reason in trace.unused] == [why]


# --- a roster: terms of office ---------------------------------------------------------------


def test_a_rosters_lines_after_a_chronology_are_page_text():
    data = _doc(
        "<ul><li>友好都市提携調印（昭和59年5月）</li><li>第1回青少年派遣団を派遣（昭和60年8月）</li>"
        "<li>第2代会長に鈴木次郎が就任（平成5年4月）</li></ul>"
        "<h2>歴代会長</h2><ul><li>初代 山田太郎（平成元年～平成5年）</li>"
        "<li>第2代 鈴木次郎（平成5年～平成11年）</li>"
        "<li>3代目 佐藤花子（平成11年4月～令和3年3月）</li></ul>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("昭和59年5月", "1984-05", ("友好都市提携調印",)),
        ("昭和60年8月", "1985-08", ("第1回青少年派遣団を派遣",)),
        ("平成5年4月", "1993-04", ("第2代会長に鈴木次郎が就任",)),  # taking office: an event
    ]
    assert parsed.page.text[-3:] == (
        "初代 山田太郎（平成元年～平成5年）",
        "第2代 鈴木次郎（平成5年～平成11年）",
        "3代目 佐藤花子（平成11年4月～令和3年3月）",
    )
    why = "an office holder's term in brackets (初代, 第2代 …: a roster), no event"
    assert ("第2代 鈴木次郎（平成5年～平成11年）", why) in trace.unused


def test_a_roster_table_with_a_term_column_is_no_chronology():
    data = _doc(
        _CHRONOLOGY + "<table><tr><th>代</th><th>氏名</th><th>在任期間</th></tr>"
        "<tr><td>初代</td><td>山田太郎</td><td>平成元年4月～平成5年3月</td></tr>"
        "<tr><td>第2代</td><td>鈴木次郎</td><td>平成5年4月～平成11年3月</td></tr>"
        "<tr><td>第3代</td><td>佐藤花子</td><td>平成11年4月～</td></tr></table>"
    )
    assert _entries(data) == _CHRONOLOGY_ENTRIES
    assert parse_page(data).page.text[-1] == "第3代 佐藤花子 平成11年4月～"


@pytest.mark.parametrize(
    "roster",
    [
        "<dl><dt>昭和22年4月～昭和30年3月</dt><dd>初代 山田太郎</dd>"
        "<dt>昭和30年4月～昭和41年3月</dt><dd>第2代 鈴木次郎</dd></dl>",
        "<ul><li>昭和22年4月～昭和30年3月　初代 山田太郎</li>"
        "<li>昭和30年4月～昭和41年3月　第2代 鈴木次郎</li></ul>",
        "<table><tr><td>昭和22年4月～昭和30年3月</td><td>初代</td><td>山田太郎</td></tr>"
        "<tr><td>昭和30年4月～昭和41年3月</td><td>第2代</td><td>鈴木次郎</td></tr></table>",
    ],
    ids=["dl", "list", "table"],
)
def test_a_roster_written_term_first_is_page_text(roster):
    data = _doc(
        _CHRONOLOGY + "<h2>歴代校長</h2>" + roster + "<p>校歌は昭和23年に制定されました。</p>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == _CHRONOLOGY_ENTRIES
    assert parsed.page.text[-1] == "校歌は昭和23年に制定されました。"
    why = "an office holder's term (初代, 第2代 … after it: a roster)"
    assert any(
        line.startswith("昭和30年4月～昭和41年3月") and reason == why
        for line, reason in trace.unused
    )


# --- lines dated at their end ------------------------------------------------------------------


def test_a_line_titled_by_its_fiscal_year_is_dated_by_its_bracket():
    """令和5年度 opening one line of a list dated at its lines' ends names the line's subject: it
    neither makes the list one dated at its start nor takes the lines below as its body."""
    data = _doc(
        "<ul><li>令和5年度 交流事業の参加者を募集します（令和5年4月）</li>"
        "<li>本渓市訪問団の受け入れについて（令和4年11月）</li>"
        "<li>令和4年度 交流事業報告書を掲載しました（令和5年6月）</li></ul>"
    )
    assert _entries(data) == [
        ("令和5年4月", "2023-04", ("令和5年度 交流事業の参加者を募集します",)),
        ("令和4年11月", "2022-11", ("本渓市訪問団の受け入れについて",)),
        ("令和5年6月", "2023-06", ("令和4年度 交流事業報告書を掲載しました",)),
    ]


def test_a_list_of_links_titled_by_fiscal_years_is_a_menu():
    data = _doc(
        _CHRONOLOGY + "<h2>お知らせ</h2>"
        "<ul><li><a href='/n/1'>令和5年度 交流事業の参加者を募集します（令和5年4月）</a></li>"
        "<li><a href='/n/2'>令和4年度 交流事業報告書を掲載しました（令和5年6月）</a></li></ul>"
    )
    assert _entries(data) == _CHRONOLOGY_ENTRIES


def test_sentences_dated_where_they_were_written_are_page_text():
    lines = [
        "本市は昭和59年5月に本渓市と友好都市提携を結び、交流を続けています。（令和2年3月）",
        "令和6年には記念訪問団の派遣を予定しています。（令和2年3月）",
    ]
    data = _doc("".join(f"<p>{line}</p>" for line in lines) + _CHRONOLOGY)
    assert _entries(data) == _CHRONOLOGY_ENTRIES
    assert parse_page(data).page.text == tuple(lines)


# --- a notice in the page's place --------------------------------------------------------------


@pytest.mark.parametrize(
    ("dateline", "lines"),
    [
        ("<p>2023年4月1日　みずなら市</p>", ("2023年4月1日　みずなら市",)),
        (
            "<p>令和5年4月1日<br>みずなら市長　山田太郎</p>",
            ("令和5年4月1日", "みずなら市長　山田太郎"),
        ),
        (
            "<p>令和5年4月1日</p><p>みずなら市役所 情報政策課</p>",
            ("令和5年4月1日", "みずなら市役所 情報政策課"),
        ),
    ],
    ids=["one-line", "br", "two-paragraphs"],
)
def test_a_notices_dateline_is_no_entry(dateline, lines):
    """A maintenance notice served in the page's place: its closing date and the site's name
    signing it are page text, so the page has no entries (keika parse exits 3). A lone entry
    closing a page whose text is an event is an entry still."""
    data = _doc(
        "<p>ただいまシステムメンテナンス中です。</p>"
        "<p>ご迷惑をおかけしますが、ご理解くださいますようお願いいたします。</p>" + dateline,
        title="メンテナンス中｜みずなら市",
        h1="メンテナンス中",
    )
    parsed, trace = explain_page(data)
    assert parsed.entries == ()
    assert parsed.page.text[-len(lines) :] == lines
    why = "a notice's dateline: its date and the site's name signing it"
    assert (lines[0], why) in trace.unused
    event = _doc("<p>本渓市との交流のあゆみです。</p><p>2023年4月1日　みずなら市で交流会を開催</p>")
    assert _entries(event) == [("2023年4月1日", "2023-04-01", ("みずなら市で交流会を開催",))]


# --- an update stamp -------------------------------------------------------------------------


@pytest.mark.parametrize("stamp", ["2023.4.1 更新", "令和5年4月1日掲載", "2023/04/01　公開"])
def test_a_day_with_an_update_label_after_it_is_metadata(stamp):
    data = _doc(_CHRONOLOGY + f"<p>{stamp}</p><p>8:30～17:15（土日祝休み）</p>")
    page = parse_page(data)
    assert _entries(data) == _CHRONOLOGY_ENTRIES
    assert page.page.updated == "2023-04-01"
    assert page.page.text == ("8:30～17:15（土日祝休み）",)


# --- a page that is a roster alone --------------------------------------------------------------

ROSTER_ALONE = [
    (
        "<table><tr><th>代</th><th>氏名</th><th>在任期間</th></tr>"
        "<tr><td>初代</td><td>山田太郎</td><td>昭和22年4月～昭和30年3月</td></tr>"
        "<tr><td>第2代</td><td>鈴木一郎</td><td>昭和30年4月～昭和38年3月</td></tr></table>",
        [
            ("昭和22年4月～昭和30年3月", ("初代", "山田太郎")),
            ("昭和30年4月～昭和38年3月", ("第2代", "鈴木一郎")),
        ],
    ),
    (
        "<dl><dt>昭和22年4月～昭和30年3月</dt><dd>初代 山田太郎</dd>"
        "<dt>昭和30年4月～昭和38年3月</dt><dd>第2代 鈴木一郎</dd></dl>",
        [
            ("昭和22年4月～昭和30年3月", ("初代 山田太郎",)),
            ("昭和30年4月～昭和38年3月", ("第2代 鈴木一郎",)),
        ],
    ),
    (
        "<ul><li>初代 山田太郎（昭和22年4月～昭和30年3月）</li>"
        "<li>第2代 鈴木一郎（昭和30年4月～昭和38年3月）</li></ul>",
        [
            ("昭和22年4月～昭和30年3月", ("初代 山田太郎",)),
            ("昭和30年4月～昭和38年3月", ("第2代 鈴木一郎",)),
        ],
    ),
]


@pytest.mark.parametrize(("roster", "expected"), ROSTER_ALONE)
def test_a_page_that_is_a_roster_alone_reads_its_terms_as_entries(roster: str, expected: list):
    """Beside a chronology a roster's terms are text (they repeat its events); a 歴代校長 page
    that is nothing else would have no entries to watch, so there they are its entries, as a
    news list is the content of a page that is nothing else."""
    data = html_page(f"<main><h1>歴代校長</h1>{roster}</main>", "歴代校長｜みずなら市立中央小学校")
    parsed = parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == expected
    trace = explain_page(data)[1]
    assert trace.rule.endswith("a roster read as the content, its terms as entries")
