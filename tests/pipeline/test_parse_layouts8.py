"""Layouts met probing kinds of dated pages the parser had not seen: a changelog's headings
naming a version and ending with its day after a dash, a news list's <time> whose text leaves
the year to its datetime attribute, a Korean history's 년/월/일 and 2023. 4. 1. dates, a blog
archive's date in its cards' header, a bilingual date cell (see
tests/fixtures/synthetic for whole pages)."""

from __future__ import annotations

from conftest import html_page

from pipeline.dates import match_date
from pipeline.parse import parse_page


def _doc(body: str, title: str = "History", lang: str = "en") -> bytes:
    return html_page(body, title, lang)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.end, e.body) for e in parse_page(data).entries]


# --- headings naming a version, their day after a dash ------------------------------------------


def test_headings_ending_with_their_day_after_a_dash_head_their_sections():
    """<h2>[2.1.0] - 2023-04-01</h2> (a changelog): in a run of such headings the date after
    the separator heads the section, the text before it (the version) is the first body line,
    and the subheadings and items below are the body."""
    data = _doc(
        "<main><h1>Changelog</h1><p>All notable changes.</p>"
        "<h2>[2.1.0] - 2023-04-01</h2><h3>Added</h3><ul><li>Priority queues.</li></ul>"
        "<h2>[2.0.1] - 2022-11-15</h2><h3>Fixed</h3><ul><li>A memory leak.</li></ul></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("2023-04-01", "2023-04-01", "2023-04-01", ("[2.1.0]", "Added", "Priority queues.")),
        ("2022-11-15", "2022-11-15", "2022-11-15", ("[2.0.1]", "Fixed", "A memory leak.")),
    ]
    assert parsed.page.text == ("All notable changes.",)


def test_a_dash_a_slash_or_brackets_may_set_a_headings_day_apart_in_one_run():
    """Version 3.2 (March 3, 2022), v3.1 — December 1, 2021, 3.0.0 / 2021-10-05: one run of
    headings dated at their end, whichever way each sets its day apart."""
    data = _doc(
        "<main><h1>Release notes</h1><h2>Version 3.2 (March 3, 2022)</h2><p>New brushes.</p>"
        "<h2>v3.1 — December 1, 2021</h2><p>Layer groups.</p>"
        "<h2>3.0.0 / 2021-10-05</h2><p>New interface.</p></main>"
    )
    assert _entries(data) == [
        ("March 3, 2022", "2022-03-03", "2022-03-03", ("Version 3.2", "New brushes.")),
        ("December 1, 2021", "2021-12-01", "2021-12-01", ("v3.1", "Layer groups.")),
        ("2021-10-05", "2021-10-05", "2021-10-05", ("3.0.0", "New interface.")),
    ]


def test_a_range_after_the_first_dash_is_the_headings_whole_date():
    """Exhibition — April 1 – May 3, 2021: the longest date after a separator, the range."""
    data = _doc(
        "<main><h1>Exhibitions</h1><h2>Spring Light — April 1 – May 3, 2021</h2><p>Prints.</p>"
        "<h2>Paper Boats — June 5 – July 30, 2021</h2><p>Models.</p></main>"
    )
    assert _entries(data) == [
        ("April 1 – May 3, 2021", "2021-04-01", "2021-05-03", ("Spring Light", "Prints.")),
        ("June 5 – July 30, 2021", "2021-06-05", "2021-07-30", ("Paper Boats", "Models.")),
    ]


def test_a_heading_whose_text_before_the_dash_ends_with_a_year_is_no_title_and_day():
    """Population 1990 - 2000: the dash joins two years (a range); its last part is not the
    day of a title, so no entry is made of it (no date rather than a wrong one)."""
    data = _doc(
        "<main><h1>Figures</h1><h2>Population 1990 - 2000</h2><p>It grew.</p>"
        "<h2>Housing 2000 - 2010</h2><p>It shrank.</p></main>"
    )
    assert _entries(data) == []


def test_a_lone_heading_dated_after_a_dash_among_others_stays_as_it_was():
    """One heading so dated among undated ones is no run: it stays a heading."""
    data = _doc(
        "<main><h1>About</h1><h2>Overview</h2><p>A library.</p><h2>Release 1.0 - 2020-01-05</h2>"
        "<p>First.</p><h2>Licence</h2><p>MIT.</p></main>"
    )
    parsed = parse_page(data)
    assert parsed.entries == ()
    assert "Release 1.0 - 2020-01-05" in parsed.page.text


# --- a <time> whose text leaves its year to the datetime attribute -------------------------------


def test_a_time_whose_text_has_no_year_takes_its_day_from_its_datetime():
    """<time datetime="2023-04-01T09:00:00+09:00">Apr 1</time>: the text says the month and
    day, the attribute the whole day; the entry is dated by the attribute (written ISO)."""
    data = _doc(
        '<main><h1>News</h1><article><h2>Museum reopens</h2><p class="meta">Posted '
        '<time datetime="2023-04-01T09:00:00+09:00">Apr 1</time></p><p>New galleries.</p>'
        '</article><article><h2>Closed</h2><p class="meta">Posted '
        '<time datetime="2022-09-30">Sep 30, 2022</time></p><p>Until spring.</p></article></main>'
    )
    assert _entries(data) == [
        ("2023-04-01", "2023-04-01", "2023-04-01", ("Museum reopens", "New galleries.")),
        ("Sep 30, 2022", "2022-09-30", "2022-09-30", ("Closed", "Until spring.")),
    ]


def test_a_japanese_month_and_day_in_a_time_takes_the_datetimes_year():
    """<time datetime="2023-11-10">11月10日</time> in a news list: dated 2023-11-10."""
    data = _doc(
        '<main><h1>IRニュース</h1><ul><li><time datetime="2023-11-10">11月10日</time>'
        '<a href="/a.pdf">第2四半期決算短信</a></li><li><time datetime="2023-08-09">8月9日</time>'
        '<a href="/b.pdf">第1四半期決算短信</a></li></ul></main>',
        "IRニュース",
        "ja",
    )
    assert [(e.date_text, e.start) for e in parse_page(data).entries] == [
        ("2023-11-10", "2023-11-10"),
        ("2023-08-09", "2023-08-09"),
    ]


def test_a_relative_time_takes_its_datetime():
    """<time datetime="2024-03-02">3 days ago</time>: the text is relative to the day it was
    read; the attribute is the day."""
    data = _doc(
        '<main><h1>Updates</h1><ul><li><time datetime="2024-03-02">3 days ago</time> '
        'Trail reopened</li><li><time datetime="2024-02-20">Feb 20</time> Bridge repaired</li>'
        "</ul></main>"
    )
    assert [(e.date_text, e.body) for e in parse_page(data).entries] == [
        ("2024-03-02", ("Trail reopened",)),
        ("2024-02-20", ("Bridge repaired",)),
    ]


def test_a_relative_time_web_component_takes_its_datetime_as_a_time_does():
    """<relative-time datetime="2023-04-01T10:12:00Z">Apr 1</relative-time> (a code host's
    releases page) is a <time> under another name."""
    data = _doc(
        '<main><h1>Releases</h1><section><h2>v1.2.0</h2><div><relative-time datetime="'
        '2023-04-01T10:12:00Z">Apr 1</relative-time></div><ul><li>Dark mode.</li></ul></section>'
        '<section><h2>v1.1.0</h2><div><relative-time datetime="2022-12-15T08:00:00Z">Dec 15, '
        "2022</relative-time></div><ul><li>Stable API.</li></ul></section></main>"
    )
    assert _entries(data) == [
        ("2023-04-01", "2023-04-01", "2023-04-01", ("v1.2.0", "Dark mode.")),
        ("Dec 15, 2022", "2022-12-15", "2022-12-15", ("v1.1.0", "Stable API.")),
    ]


def test_a_time_whose_text_disagrees_with_its_datetime_keeps_its_text():
    """<time datetime="2023-04-01">May 9</time>: the text's day is not the attribute's; neither
    is trusted over the other, the text stays as written (and dates nothing without a year)."""
    data = _doc(
        '<main><h1>News</h1><ul><li><time datetime="2023-04-01">May 9</time> Opening</li>'
        '<li><time datetime="2023-03-01">Mar 14</time> Closing</li></ul></main>'
    )
    assert parse_page(data).entries == ()


def test_a_time_with_a_year_of_its_own_keeps_its_text():
    """<time datetime="2019-05-01">令和元年5月1日</time>: the text is a whole date already."""
    data = _doc(
        '<main><h1>沿革</h1><ul><li><time datetime="2019-05-01">令和元年5月1日</time>　改元</li>'
        '<li><time datetime="2020-04-01">R2.4.1</time>　新館</li></ul></main>',
        "沿革",
        "ja",
    )
    assert [e.date_text for e in parse_page(data).entries] == ["令和元年5月1日", "R2.4.1"]


# --- Korean dates --------------------------------------------------------------------------------


def test_korean_year_month_and_day_words_read_as_a_date():
    """1998년 5월 12일 is 1998-05-12, 2003년 8월 is 2003-08; the text is kept as written."""
    found = match_date("1998년 5월 12일 : 자매결연 협정 체결")
    assert found is not None
    assert (found.date_text, found.span.start, found.rest) == (
        "1998년 5월 12일",
        "1998-05-12",
        "자매결연 협정 체결",
    )
    found = match_date("2003년 8월 청소년 교류 시작")
    assert found is not None
    assert (found.date_text, found.span.start) == ("2003년 8월", "2003-08")
    assert match_date("일본 오야마시와 1998년 자매결연") is None


def test_korean_dotted_dates_end_each_number_with_a_dot_and_a_space():
    """2023. 4. 1. and 2021. 10. (a month) are Korean dates; the dot after the month or the
    day is needed (2015. 3 members is none), and a fixed-width list's 2005. 1. 1 is read as
    before."""
    for text, want in (
        ("2023. 4. 1.", ("2023. 4. 1.", "2023-04-01", "")),
        ("2021. 10. 문화센터 개관", ("2021. 10.", "2021-10", "문화센터 개관")),
        ("2015. 3. 12. 기념식", ("2015. 3. 12.", "2015-03-12", "기념식")),
        ("2005. 1. 1 開館", ("2005. 1. 1", "2005-01-01", "開館")),
    ):
        found = match_date(text)
        assert found is not None, text
        assert (found.date_text, found.span.start, found.rest) == want
    assert match_date("2015. 3 members joined") is None


def test_a_korean_history_list_is_read_as_entries():
    data = _doc(
        "<main><h1>자매도시 교류</h1><ul><li>1998년 5월 12일 : 자매결연 협정 체결</li>"
        "<li>2003년 8월 : 청소년 홈스테이 교류 시작</li></ul></main>",
        "자매도시",
        "ko",
    )
    assert _entries(data) == [
        ("1998년 5월 12일", "1998-05-12", "1998-05-12", ("자매결연 협정 체결",)),
        ("2003년 8월", "2003-08", "2003-08", ("청소년 홈스테이 교류 시작",)),
    ]


# --- a card's date in its header box, its text below the header ----------------------------------


def test_a_date_above_the_title_in_a_cards_header_dates_the_whole_card():
    """<section class="archive-entry"><div class="archive-entry-header"><div class="date">
    <time>…</time></div><h2>title</h2></div><div class="archive-entry-body"><p>…</p></div>
    </section> (a blog's archive): the card's text below its header box is the body too."""
    card = (
        '<section class="archive-entry"><div class="archive-entry-header"><div class="date">'
        '<time datetime="{iso}">{iso}</time></div><h2 class="entry-title"><a href="/e">{title}'
        '</a></h2></div><div class="archive-entry-body"><p>{text}</p></div></section>'
    )
    data = _doc(
        "<main><h1>記事一覧</h1>"
        + card.format(iso="2024-03-02", title="高校生が来訪", text="体験入学しました。")
        + card.format(iso="2024-01-20", title="新年交流会", text="書き初めをしました。")
        + "</main>",
        "記事一覧 - 交流ノート",
        "ja",
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("2024-03-02", "2024-03-02", "2024-03-02", ("高校生が来訪", "体験入学しました。")),
        ("2024-01-20", "2024-01-20", "2024-01-20", ("新年交流会", "書き初めをしました。")),
    ]
    assert parsed.page.text == ()


def test_the_posts_h1_titles_are_not_the_pages_title():
    """<h1 class="entry-title"> in each card of a blog's archive titles a post; with the site's
    name in the banner's <h1>, the page's title is <title>'s own part (記事一覧)."""
    card = (
        '<section class="archive-entry"><div class="archive-entry-header"><div class="date">'
        '<time datetime="{iso}">{iso}</time></div><h1 class="entry-title">{title}</h1></div>'
        '<div class="archive-entry-body"><p>{text}</p></div></section>'
    )
    data = _doc(
        '<div id="blog-title"><h1 id="title"><a href="/">交流ノート</a></h1></div><div id="main">'
        + card.format(iso="2024-03-02", title="高校生が来訪", text="体験入学しました。")
        + card.format(iso="2024-01-20", title="新年交流会", text="書き初めをしました。")
        + "</div>",
        "記事一覧 - 交流ノート",
        "ja",
    )
    parsed = parse_page(data)
    assert parsed.page.title == "記事一覧"
    assert [e.body for e in parsed.entries] == [
        ("高校生が来訪", "体験入学しました。"),
        ("新年交流会", "書き初めをしました。"),
    ]
    # One h1 of that class is the page's own title.
    data = _doc(
        '<main><h1 class="entry-title">交流の記録</h1><ul><li>2024年3月2日　来訪</li>'
        "<li>2024年1月20日　交流会</li></ul></main>",
        "記事一覧 - 交流ノート",
        "ja",
    )
    assert parse_page(data).page.title == "交流の記録"


# --- a date cell restating its date in another language ---------------------------------------


def test_a_date_cell_restating_its_date_in_another_language_is_all_date():
    """<td>2001年4月<br>Apr. 2001</td><td>設立<br>Founded</td> (a bilingual 沿革): the second
    line of the date cell says the same month; it is part of the date, not of the body."""
    data = _doc(
        "<main><h1>沿革 / History</h1><table><tr><th>年月 / Date</th><th>内容 / Event</th></tr>"
        "<tr><td>2001年4月<br>Apr. 2001</td><td>東京に設立<br>Founded in Tokyo</td></tr>"
        "<tr><td>2008年10月<br>Oct. 2008</td><td>支社開設<br>Branch opened</td></tr>"
        "</table></main>",
        "沿革",
        "ja",
    )
    assert _entries(data) == [
        ("2001年4月 Apr. 2001", "2001-04", "2001-04", ("東京に設立", "Founded in Tokyo")),
        ("2008年10月 Oct. 2008", "2008-10", "2008-10", ("支社開設", "Branch opened")),
    ]
    # A second line with another date is not a restatement: the row reads as before.
    data = _doc(
        "<main><h1>沿革</h1><table><tr><td>2001年4月<br>2002年5月</td><td>設立</td></tr>"
        "<tr><td>2008年10月<br>2009年1月</td><td>開設</td></tr></table></main>",
        "沿革",
        "ja",
    )
    assert [(e.date_text, e.body) for e in parse_page(data).entries] == [
        ("2001年4月", ("2002年5月 設立",)),
        ("2008年10月", ("2009年1月 開設",)),
    ]


# --- a card's date with its time of day; a year and a month's name in spans ---------------------


def test_a_time_of_day_after_a_cards_closing_date_is_metadata():
    """<div class="info"><time>2023年9月24日 12:00</time></div> closing each card of a posts
    list: the run of cards is dated at their end as with a date alone; the time is no body."""
    card = (
        '<div class="note"><a href="/n/{n}"><h3>{title}</h3><p>{text}</p></a>'
        '<div class="info"><time class="time">{date}</time></div></div>'
    )
    data = _doc(
        "<main><h1>協力隊のnote</h1>"
        + card.format(n=1, title="稲刈り", text="手伝いました。", date="2023年9月24日 12:00")
        + card.format(n=2, title="相談会", text="出展しました。", date="2023年8月5日 09:30")
        + "</main>",
        "協力隊",
        "ja",
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("2023年9月24日", "2023-09-24", "2023-09-24", ("稲刈り", "手伝いました。")),
        ("2023年8月5日", "2023-08-05", "2023-08-05", ("相談会", "出展しました。")),
    ]
    assert parsed.page.text == ()


def test_a_year_and_a_months_name_in_spans_of_their_own_are_one_date():
    """<span class="year">2009</span><span class="month">April</span>: the style sets them
    apart; read 2009 April, not 2009April."""
    data = _doc(
        '<main><h1>Milestones</h1><ul><li><span class="year">2009</span><span class="month">'
        'April</span><p>First locomotive.</p></li><li><span class="year">2012</span>'
        '<span class="month">June</span><p>Museum opens.</p></li></ul></main>'
    )
    assert _entries(data) == [
        ("2009 April", "2009-04", "2009-04", ("First locomotive.",)),
        ("2012 June", "2012-06", "2012-06", ("Museum opens.",)),
    ]


# --- tabs labelled with years ------------------------------------------------------------------


def test_a_tab_labelled_with_a_year_gives_its_panel_that_year():
    """<ul role="tablist"><li><a href="#y2023">2023年</a></li>…</ul> then <div id="y2023"
    role="tabpanel"><ul><li>4月15日　…</li></ul></div>: the tabs stand apart from their panels;
    each panel's year-less lines take its tab's year."""
    data = _doc(
        '<main><h1>交流の記録</h1><ul class="tab-nav" role="tablist">'
        '<li><a href="#y2023" role="tab">2023年</a></li>'
        '<li><a href="#y2022" role="tab">2022年</a></li></ul>'
        '<div id="y2023" role="tabpanel"><ul><li>4月15日　訪問団を受け入れ</li>'
        "<li>8月2日　中学生を派遣</li></ul></div>"
        '<div id="y2022" role="tabpanel" hidden><ul><li>5月20日　交流会</li></ul></div></main>',
        "交流の記録",
        "ja",
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("4月15日", "2023-04-15", "2023-04-15", ("訪問団を受け入れ",)),
        ("8月2日", "2023-08-02", "2023-08-02", ("中学生を派遣",)),
        ("5月20日", "2022-05-20", "2022-05-20", ("交流会",)),
    ]
    assert parsed.page.text == ()


def test_a_table_of_contents_linking_to_year_headings_adds_no_heading():
    """A list of links to the page's own year headings (<a href="#fy2019">2019年度</a> to <h2
    id="fy2019">2019年度</h2>): the headings are there already; the list stays a menu."""
    data = _doc(
        '<main><h1>事業報告</h1><ul><li><a href="#fy2019">2019年度</a></li>'
        '<li><a href="#fy2020">2020年度</a></li></ul>'
        '<h2 id="fy2019">2019年度</h2><ul><li>5月12日　総会</li></ul>'
        '<h2 id="fy2020">2020年度</h2><ul><li>2月3日　講演会</li></ul></main>',
        "事業報告",
        "ja",
    )
    assert [(e.date_text, e.start) for e in parse_page(data).entries] == [
        ("5月12日", "2019-05-12"),
        ("2月3日", "2021-02-03"),
    ]


def test_a_year_less_time_inside_a_sentence_keeps_its_text():
    """…は<time datetime="2024-02-25">2月25日</time>に報告します。: the <time> is part of a
    sentence, not a stamp standing apart; the text stays as written."""
    data = _doc(
        "<main><h1>活動報告</h1><ul><li>2024年2月18日　豆まき会。参加者は"
        '<time datetime="2024-02-25">2月25日</time>に報告します。</li>'
        "<li>2024年3月3日　ひな祭り</li></ul></main>",
        "活動報告",
        "ja",
    )
    assert [e.body for e in parse_page(data).entries] == [
        ("豆まき会。参加者は2月25日に報告します。",),
        ("ひな祭り",),
    ]
