"""Cards that print their date at their end: a WordPress theme's entry-footer (<time> beside the
category links), a municipal 活動報告 list closing each report with 掲載日：…. The date dates its
own card, as a date opening a card does; a date ending some block alone is no card layout, and
the page's own footer stays furniture (see tests/fixtures/synthetic/wordpress-entry-footer.html
for a whole page)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _doc(body: str, title: str = "活動報告｜どこか市国際交流協会") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.body) for e in parse_page(data).entries]


def _wp_post(title: str, text: str, footer: str) -> str:
    """A post as Twenty Fifteen/Sixteen print it: title, content, then the entry-footer."""
    return (
        '<article class="post type-post hentry"><header class="entry-header">'
        f'<h2 class="entry-title"><a href="/p" rel="bookmark">{title}</a></h2></header>'
        f'<div class="entry-content">{text}</div><footer class="entry-footer">{footer}</footer>'
        "</article>"
    )


def _posted_on(date: str, iso: str, category: str = "お知らせ") -> str:
    return (
        f'<span class="posted-on"><a href="/p"><time class="entry-date published" '
        f'datetime="{iso}">{date}</time></a></span> <span class="cat-links">'
        f'<a href="/c" rel="category tag">{category}</a></span>'
    )


def _report(title: str, lines: str, date_line: str | None) -> str:
    """One report of a city's 活動報告 list, its date line last (when it has one)."""
    date = f'<p class="date">{date_line}</p>' if date_line is not None else ""
    return f'<div class="post"><h3>{title}</h3>{lines}{date}</div>'


def test_a_date_in_a_posts_entry_footer_dates_the_post_the_footers_rest_is_metadata():
    data = _doc(
        "<main><h1>活動報告</h1><p>協会の活動をご報告します。</p>"
        + _wp_post(
            "ホームステイ受入れ",
            "<p>10名の生徒を受け入れました。</p><ul><li>歓迎会</li><li>市内見学</li></ul>",
            _posted_on("2019年4月27日", "2019-04-27", "交流事業"),
        )
        + _wp_post(
            "総会を開きました",
            "<p>令和元年度の事業計画を承認しました。</p>",
            '<span class="posted-on"><time class="updated" datetime="2019-04-20">2019年4月20日'
            '</time><time class="entry-date published" datetime="2019-03-02">2019年3月2日</time>'
            '</span> <span class="byline">投稿者 事務局</span>',
        )
        + "</main>"
    )
    parsed, trace = explain_page(data)
    assert parsed == parse_page(data)
    assert _entries(data) == [
        (
            "2019年4月27日",
            "2019-04-27",
            ("ホームステイ受入れ", "10名の生徒を受け入れました。", "歓迎会", "市内見学"),
        ),
        # the published time, not the update beside it
        (
            "2019年3月2日",
            "2019-03-02",
            ("総会を開きました", "令和元年度の事業計画を承認しました。"),
        ),
    ]
    assert parsed.page.text == ("協会の活動をご報告します。",)
    assert "交流事業" in trace.lines("meta")  # the category link: no part of the post's body
    assert "2019年4月20日 投稿者 事務局" in trace.lines("meta")


def test_a_labelled_date_as_the_last_line_of_each_report_dates_the_report():
    data = _doc(
        '<div id="main"><h1>活動報告</h1>'
        + _report("河川敷の清掃", "<p>会員20名で清掃しました。</p>", "掲載日：2023年5月10日")
        + _report(
            "定期総会",
            "<p>総会を開きました。</p><ul><li>決算報告</li><li>役員改選</li></ul>",
            "掲載日：2023年4月22日",
        )
        + _report("日本語教室", "<p>春の教室が始まりました。</p>", "2023年4月8日")
        + "</div>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("2023年5月10日", "2023-05-10", ("河川敷の清掃", "会員20名で清掃しました。")),
        ("2023年4月22日", "2023-04-22", ("定期総会", "総会を開きました。", "決算報告", "役員改選")),
        ("2023年4月8日", "2023-04-08", ("日本語教室", "春の教室が始まりました。")),
    ]
    assert parsed.page.text == ()
    assert trace.lines("meta").count("掲載日：") == 2


def test_english_posts_posted_on_in_the_footer():
    post = (
        '<article class="post"><h2>{}</h2><p>{}</p><footer class="entry-meta">Posted on '
        '<time class="entry-date published">{}</time> in <a href="/c">News</a></footer></article>'
    )
    data = _doc(
        "<main><h1>News</h1>"
        + post.format("Delegation visit", "Ten students visited.", "April 27, 2019")
        + post.format("Annual meeting", "The plan was approved.", "March 2, 2019")
        + "</main>"
    )
    assert _entries(data) == [
        ("April 27, 2019", "2019-04-27", ("Delegation visit", "Ten students visited.")),
        ("March 2, 2019", "2019-03-02", ("Annual meeting", "The plan was approved.")),
    ]


def test_a_card_of_the_run_without_a_date_keeps_its_text_as_page_text():
    data = _doc(
        '<div id="main"><h1>活動報告</h1>'
        + _report("河川敷の清掃", "<p>清掃しました。</p>", "掲載日：2023年5月10日")
        + _report("会員募集", "<p>随時受け付けています。</p>", None)
        + _report("定期総会", "<p>総会を開きました。</p>", "掲載日：2023年4月22日")
        + "</div>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("2023年5月10日", "2023-05-10", ("河川敷の清掃", "清掃しました。")),
        ("2023年4月22日", "2023-04-22", ("定期総会", "総会を開きました。")),
    ]
    assert parsed.page.text == ("会員募集", "随時受け付けています。")  # not the last body
    assert trace.lines("text") == ["会員募集", "随時受け付けています。"]


def test_a_posts_footer_with_no_date_stays_furniture():
    data = _doc(
        "<main><h1>活動報告</h1>"
        + _wp_post("報告1", "<p>本文1</p>", _posted_on("2019年4月27日", "2019-04-27"))
        + _wp_post("報告2", "<p>本文2</p>", '<span class="cat-links">お知らせ</span>')
        + _wp_post("報告3", "<p>本文3</p>", _posted_on("2019年3月2日", "2019-03-02"))
        + "</main>"
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [
        ("2019年4月27日", "2019-04-27", ("報告1", "本文1")),
        ("2019年3月2日", "2019-03-02", ("報告3", "本文3")),
    ]
    assert parsed.page.text == ("報告2", "本文2")
    assert trace.content.count("お知らせ") == 2  # the two dated posts' category links


def test_the_pages_footer_with_a_date_stays_furniture():
    data = _doc(
        '<div class="wrap"><h1>活動報告</h1>'
        + _report("河川敷の清掃", "<p>清掃しました。</p>", "掲載日：2023年5月10日")
        + _report("定期総会", "<p>総会を開きました。</p>", "掲載日：2023年4月22日")
        + '</div><footer><p class="date">2024年1月5日</p><p>どこか市国際交流協会</p></footer>'
    )
    parsed, trace = explain_page(data)
    assert [e.start for e in parsed.entries] == ["2023-05-10", "2023-04-22"]
    assert parsed.entries[-1].body == ("定期総会", "総会を開きました。")
    assert "2024年1月5日" not in trace.content
    assert parsed.page.text == ()


def test_cards_opening_with_their_dates_read_by_them_a_footer_time_changes_nothing():
    post = (
        '<article class="post"><header><time>{0}</time><h2>{1}</h2></header><p>{2}</p>'
        '<footer><time class="published">{0}</time> <a href="/c">お知らせ</a></footer></article>'
    )
    data = _doc(
        "<main><h1>活動報告</h1>"
        + post.format("2019年4月27日", "報告1", "本文1")
        + post.format("2019年3月2日", "報告2", "本文2")
        + "</main>"
    )
    assert _entries(data) == [
        ("2019年4月27日", "2019-04-27", ("報告1", "本文1")),
        ("2019年3月2日", "2019-03-02", ("報告2", "本文2")),
    ]
    assert "お知らせ" not in explain_page(data)[1].content  # a footer, as it always was


def test_one_block_ending_with_a_date_is_not_a_card_layout():
    data = _doc(
        '<div id="main"><h1>活動報告</h1>'
        + _report("河川敷の清掃", "<p>清掃しました。</p>", "2023年5月10日")
        + "<p>次回は秋に予定しています。</p></div>"
    )
    parsed = parse_page(data)
    assert [e.start for e in parsed.entries] == ["2023-05-10"]  # read as it always was
    # Not taken as a card's body; and the note after the card is not the date's body either:
    # the date ends its box (a wrong body is worse than none).
    assert parsed.entries[0].body == ()
    assert parsed.page.text == ("河川敷の清掃", "清掃しました。", "次回は秋に予定しています。")
