"""The order of a day and a month in figures (04/12/2015: April 12 in the US, 4 December in the
UK), decided once a page (`pipeline.parse.day_order`): by its dates that read one way only,
when all agree; else by its language when it says plainly; else such dates stay unread. See
tests/fixtures/synthetic/us-sister-city-slash-dates.html, uk-council-twinning-slash-dates.html
and german-vereinschronik-dotted-figures.html for whole pages."""

from __future__ import annotations

import threading

from conftest import html_page

from keika.commands.records import explanation_lines
from pipeline.parse import explain_page, parse_page


def _rows(*lines: str) -> str:
    return "<main><h1>History</h1>" + "".join(f"<p>{line}</p>" for line in lines) + "</main>"


def _read(body: str, lang: str) -> list[tuple[str, str, str]]:
    """The entries of a page (parse_page), checked to be explain_page's too."""
    data = html_page(body, "History", lang=lang)
    parsed = parse_page(data)
    explained, _ = explain_page(data)
    assert explained == parsed
    return [(e.date_text, e.start, e.end) for e in parsed.entries]


def _order_and_unused(body: str, lang: str) -> tuple[str, dict[str, str]]:
    _, trace = explain_page(html_page(body, "History", lang=lang))
    return trace.order, dict(trace.unused)


_AMBIGUOUS = ("04/12/1975 – Society founded.", "06/05/1984 – First walking tour.")


def test_a_date_that_reads_month_first_only_decides_the_page():
    """11/30/1999 can only be November 30: the page writes the month first, so 04/12/1975 is
    April 12 (plain lang="en" says nothing)."""
    body = _rows(*_AMBIGUOUS, "11/30/1999 – Archive room opens.")
    assert _read(body, "en") == [
        ("04/12/1975", "1975-04-12", "1975-04-12"),
        ("06/05/1984", "1984-06-05", "1984-06-05"),
        ("11/30/1999", "1999-11-30", "1999-11-30"),
    ]
    order, _ = _order_and_unused(body, "en")
    assert order.startswith("the month first") and "11/30" in order


def test_a_date_that_reads_day_first_only_decides_the_page():
    body = _rows(*_AMBIGUOUS, "30/11/1999 – Archive room opens.")
    assert _read(body, "en") == [
        ("04/12/1975", "1975-12-04", "1975-12-04"),
        ("06/05/1984", "1984-05-06", "1984-05-06"),
        ("30/11/1999", "1999-11-30", "1999-11-30"),
    ]


def test_the_evidence_may_sit_anywhere_on_the_page():
    """A date in the footer tells the page's way of writing as well as one in the list."""
    body = _rows(*_AMBIGUOUS) + "<footer><p>Minutes approved 25/03/2024</p></footer>"
    assert [start for _, start, _ in _read(body, "en")] == ["1975-12-04", "1984-05-06"]


def test_with_no_date_that_decides_the_language_does():
    assert [start for _, start, _ in _read(_rows(*_AMBIGUOUS), "en-US")] == [
        "1975-04-12",
        "1984-06-05",
    ]
    for lang in ("en-GB", "en-au", "en_NZ", "de", "fr-CA", "nl"):
        assert [start for _, start, _ in _read(_rows(*_AMBIGUOUS), lang)] == [
            "1975-12-04",
            "1984-05-06",
        ], lang
    order, _ = _order_and_unused(_rows(*_AMBIGUOUS), "en-GB")
    assert order.startswith("the day first") and 'lang="en-GB"' in order


def test_the_dates_outweigh_the_language():
    """A British site whose CMS prints American dates: 11/30/1999 shows the month comes first."""
    body = _rows(*_AMBIGUOUS, "11/30/1999 – Archive room opens.")
    assert [start for _, start, _ in _read(body, "en-GB")] == [
        "1975-04-12",
        "1984-06-05",
        "1999-11-30",
    ]


def test_nothing_to_decide_by_leaves_such_dates_unread_and_explain_says_why():
    body = _rows(*_AMBIGUOUS)
    for lang in ("en", ""):
        assert _read(body, lang) == []
        order, unused = _order_and_unused(body, lang)
        assert order.startswith("not read") and "language" in order
        assert "figures" in unused[_AMBIGUOUS[0]] and order in unused[_AMBIGUOUS[0]]


def test_dates_that_disagree_leave_such_dates_unread():
    """13/04/2015 and 04/13/2015 on one page: either order reads some of them wrong."""
    body = _rows(*_AMBIGUOUS, "13/04/2015 – Jubilee.", "04/13/2016 – Exhibition.")
    assert _read(body, "en") == []
    order, unused = _order_and_unused(body, "en")
    assert "13/04" in order and "04/13" in order
    assert order in unused["13/04/2015 – Jubilee."]


def test_dates_that_disagree_stay_unread_whatever_the_language_says():
    """On a page whose language says the day comes first, 04/13/2016 beside 13/04/2015: the
    page's own dates say its writers are of two customs, so the language is no guide to its
    04/12/1975 either (a wrong date is worse than none)."""
    body = _rows(*_AMBIGUOUS, "13/04/2015 – Jubilee.", "04/13/2016 – Exhibition.")
    assert _read(body, "en-GB") == []
    order, unused = _order_and_unused(body, "en-GB")
    assert order.startswith("not read") and "13/04" in order and "04/13" in order
    assert order in unused["04/13/2016 – Exhibition."]
    assert order in unused[_AMBIGUOUS[0]]


def test_a_range_of_two_such_dates():
    body = _rows("04/12/2015 - 04/19/2015 – Sister city week.", "11/30/2016 – Delegation.")
    assert _read(body, "en")[0] == ("04/12/2015 - 04/19/2015", "2015-04-12", "2015-04-19")


def test_a_year_first_is_never_ambiguous():
    """2015/04/12 is read on every page, whatever its language and other dates."""
    body = _rows("2015/04/12 – Founded.", "2016/11/30 – Opened.", "13/04/2015 – Jubilee.")
    for lang in ("en", "en-US", "de", "ja"):
        assert ("2015/04/12", "2015-04-12", "2015-04-12") in _read(body, lang), lang


def test_a_japanese_page_is_not_scanned():
    """A page in Japanese writes its year first: its lang= or a 年 in its text passes over the
    scan (its trace says nothing of an order), and a stray 04/12/2015 stays unread."""
    lines = ("04/12/2015 国際交流フェア", "30/11/2016 友好訪問団")
    for lang, extra in (("ja", ""), ("en", "<p>2016年　姉妹都市提携30周年</p>")):
        body = _rows(*lines) + extra
        assert [text for text, _, _ in _read(body, lang)] == (["2016年"] if extra else [])
        order, _ = _order_and_unused(body, lang)
        assert order == ""


def test_explain_prints_the_order_and_why():
    data = html_page(_rows(*_AMBIGUOUS, "11/30/1999 – Archive room opens."), "History", "en")
    lines = explanation_lines(*explain_page(data))
    assert any(
        line.startswith("days and months in figures") and "month first" in line for line in lines
    )
    japanese = html_page(_rows("令和5年4月1日　開館"), "沿革")
    assert not any("figures" in line for line in explanation_lines(*explain_page(japanese)))


def test_one_pages_order_is_not_anothers():
    """The order is the page's: a page read after a month-first one (in the same thread, or
    while another thread reads one) decides its own."""
    month_first = html_page(_rows(*_AMBIGUOUS, "11/30/1999 – Opens."), "History", "en")
    undecided = html_page(_rows(*_AMBIGUOUS), "History", "en")
    day_first = html_page(_rows(*_AMBIGUOUS), "History", "en-GB")
    assert parse_page(month_first).entries[0].start == "1975-04-12"
    assert parse_page(undecided).entries == ()
    assert parse_page(day_first).entries[0].start == "1975-12-04"
    assert parse_page(month_first).entries[0].start == "1975-04-12"  # (not the cached reading)

    results: dict[str, list[str]] = {}

    def read(name: str, data: bytes) -> None:
        results[name] = [e.start for _ in range(20) for e in parse_page(data).entries[:1]]

    threads = [
        threading.Thread(target=read, args=(name, data))
        for name, data in (("mdy", month_first), ("dmy", day_first), ("none", undecided))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"mdy": ["1975-04-12"] * 20, "dmy": ["1975-12-04"] * 20, "none": []}


def test_a_season_across_two_years_is_no_day_and_month():
    """2021/22 on a club's page is the season from 2021 to 2022, never a day and a month, on
    a page that writes its days the day first or not; 2011/12 is one only with its word."""
    body = _rows(
        "2019/20 – Promoted to the Premier Division.",
        "2021/22 – League and cup double.",
        "2011/12 season – Club founded.",
        "04/06/2023 – New clubhouse opened.",
    )
    for lang in ("en-GB", "en"):
        entries = _read(body, lang)
        assert entries[:3] == [
            ("2019/20", "2019", "2020"),
            ("2021/22", "2021", "2022"),
            ("2011/12 season", "2011", "2012"),
        ], lang
    assert _read(body, "en-GB")[3] == ("04/06/2023", "2023-06-04", "2023-06-04")
