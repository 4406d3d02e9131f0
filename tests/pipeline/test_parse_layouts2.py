"""More layouts users meet: a 年月 | 事項 table writing each year once, a 年表 in <pre>, and
others (see tests/fixtures/synthetic for the whole pages)."""

from __future__ import annotations

from conftest import html_page

from pipeline.parse import explain_page, parse_page


def _doc(body: str, title: str = "沿革｜どこか市") -> bytes:
    return html_page(body, title)


def _entries(data: bytes) -> list[tuple]:
    return [(e.date_text, e.start, e.body) for e in parse_page(data).entries]


def test_a_month_row_takes_the_year_of_the_dated_row_above_it():
    data = _doc(
        "<main><h1>沿革</h1><table><tr><th>年月</th><th>事項</th></tr>"
        "<tr><td>1951年3月</td><td>法人を設立</td></tr>"
        "<tr><td>4月</td><td>短期大学を開学</td></tr>"
        "<tr><td>1966年4月</td><td>大学を開学</td></tr>"
        "<tr><td>10月</td><td>図書館を竣工</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("1951年3月", "1951-03", ("法人を設立",)),
        ("4月", "1951-04", ("短期大学を開学",)),
        ("1966年4月", "1966-04", ("大学を開学",)),
        ("10月", "1966-10", ("図書館を竣工",)),
    ]


def test_a_row_spanning_two_years_gives_no_year_to_the_month_rows_below_it():
    data = _doc(
        "<main><h1>沿革</h1><table>"
        "<tr><td>2019年4月</td><td>学部を開設</td></tr>"
        "<tr><td>2019年12月～2020年1月</td><td>記念展を開催</td></tr>"
        "<tr><td>3月</td><td>記念誌を発行</td></tr></table></main>"
    )
    assert _entries(data) == [
        ("2019年4月", "2019-04", ("学部を開設",)),
        ("2019年12月～2020年1月", "2019-12", ("記念展を開催", "3月 記念誌を発行")),
    ]


def test_a_year_heading_over_a_table_keeps_its_year_past_a_dated_row_inside_it():
    data = _doc(
        "<main><h1>沿革</h1><h2>平成30年</h2><table>"
        "<tr><td>4月1日</td><td>着任</td></tr><tr><td>5月</td><td>総会</td></tr></table>"
        "<p>6月3日　植樹</p><h2>令和元年</h2><p>7月1日　開所</p></main>"
    )
    assert [(e.date_text, e.start) for e in parse_page(data).entries] == [
        ("4月1日", "2018-04-01"),
        ("5月", "2018-05"),
        ("6月3日", "2018-06-03"),
        ("7月1日", "2019-07-01"),
    ]


def test_a_pre_block_keeps_its_lines_one_date_a_line():
    data = _doc(
        "<main><h1>町史年表</h1><p>主なできごと。</p><pre>\n"
        "昭和３０年　３月　二村が合併し町となる\n"
        "　　　　　　　　　（人口１２，３４５人）\n"
        "昭和４５年　４月　図書館開館\n"
        "　　　　　　８月　第１回町民まつり\n"
        "</pre><p>※町史から抜粋。</p></main>"
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("昭和３０年　３月", "1955-03", ("二村が合併し町となる", "（人口１２，３４５人）")),
        ("昭和４５年　４月", "1970-04", ("図書館開館",)),
        ("８月", "1970-08", ("第１回町民まつり",)),
    ]
    assert parsed.page.text == ("主なできごと。", "※町史から抜粋。")
    assert "context" not in {role for role, _ in trace.roles}


def test_a_date_in_a_span_of_its_own_opens_the_paragraph_even_with_no_space_after_it():
    data = _doc(
        '<main><h1>交流のあゆみ</h1><p>提携の記録です。</p><div class="history">'
        '<p><span class="date">平成元年5月12日</span>姉妹都市提携調印式</p>'
        '<p><span class="date">平成11年5月</span>記念式典を開催<br>記念植樹</p>'
        '<p><time datetime="2019-05">令和元年5月</time>30周年式典</p></div></main>'
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("平成元年5月12日", "1989-05-12", ("姉妹都市提携調印式",)),
        ("平成11年5月", "1999-05", ("記念式典を開催", "記念植樹")),
        ("令和元年5月", "2019-05", ("30周年式典",)),
    ]
    assert parsed.page.text == ("提携の記録です。",)


def test_a_span_date_running_into_a_sentence_is_no_entry():
    data = _doc(
        "<main><h1>交流のあゆみ</h1><p><span>平成元年5月12日</span>に提携しました。</p>"
        "<p>平成3年7月　派遣</p></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [("平成3年7月", "1991-07", ("派遣",))]
    assert parsed.page.text == ("平成元年5月12日に提携しました。",)


def test_a_table_with_its_dates_in_the_second_column_dates_each_row_by_it():
    data = _doc(
        "<main><h1>受賞歴</h1><table><tr><th>名称</th><th>受賞年月日</th><th>備考</th></tr>"
        "<tr><td>発明奨励賞</td><td>平成8年10月25日</td><td>精密ばね</td></tr>"
        "<tr><td>長官賞</td><td>平成19年2月</td><td></td></tr></table></main>"
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.start, e.body) for e in parsed.entries] == [
        ("平成8年10月25日", "1996-10-25", ("発明奨励賞", "精密ばね")),
        ("平成19年2月", "2007-02", ("長官賞",)),
    ]
    assert parsed.page.text == ("名称 受賞年月日 備考",)
    assert trace.lines("entry") == [
        *("発明奨励賞", "平成8年10月25日", "精密ばね"),
        *("長官賞", "平成19年2月"),
    ]


def test_a_second_column_dated_in_some_rows_only_is_not_the_date_column():
    data = _doc(
        "<main><h1>記録</h1><p>2001年4月　開設</p><table>"
        "<tr><td>総会</td><td>平成8年10月25日</td></tr>"
        "<tr><td>理事会</td><td>未定</td></tr></table></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [("2001年4月", "2001-04", ("開設",))]
    assert parsed.page.text == ("総会 平成8年10月25日", "理事会 未定")


def test_a_dated_heading_opening_a_section_ends_with_the_section():
    data = _doc(
        "<main><h1>連携のあゆみ</h1>"
        "<section><h4>平成27年4月1日</h4><div><div><p>センターを設置</p></div></div></section>"
        "<section><h4>令和5年3月</h4><div><p>報告会を開催</p><ul><li>会場：本館</li></ul>"
        "</div></section><p>※協定の全文は事業報告書に掲載しています。</p>"
        "<p>令和6年4月　次の協定を締結</p></main>"
    )
    parsed, trace = explain_page(data)
    assert parsed == parse_page(data)
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("平成27年4月1日", ("センターを設置",)),
        ("令和5年3月", ("報告会を開催", "会場：本館")),
        ("令和6年4月", ("次の協定を締結",)),
    ]
    assert parsed.page.text == ("※協定の全文は事業報告書に掲載しています。",)
    assert trace.lines("text") == ["※協定の全文は事業報告書に掲載しています。"]


def test_a_box_holding_only_its_dated_heading_does_not_bound_the_entry():
    data = _doc(
        '<main><h1>あゆみ</h1><div class="ttl"><h3>平成15年5月</h3></div><p>協定を締結</p>'
        '<div class="ttl"><h3>平成16年8月</h3></div><p>訪問</p><p>懇談</p></main>'
    )
    assert [(e.date_text, e.body) for e in parse_page(data).entries] == [
        ("平成15年5月", ("協定を締結",)),
        ("平成16年8月", ("訪問", "懇談")),
    ]


def test_a_list_of_links_to_places_in_the_page_is_its_table_of_contents_not_entries():
    data = _doc(
        '<main><h1>年表</h1><ul><li><a href="#h30">平成30年</a></li>'
        '<li><a href="#r1">令和元年</a></li></ul>'
        '<h2 id="h30">平成30年</h2><p>4月1日　開館</p><h2 id="r1">令和元年</h2>'
        "<p>5月1日　改元記念展</p></main>"
    )
    parsed, trace = explain_page(data)
    assert [(e.date_text, e.start) for e in parsed.entries] == [
        ("4月1日", "2018-04-01"),
        ("5月1日", "2019-05-01"),
    ]
    assert parsed.page.text == ()
    assert trace.lines("meta") == ["年表", "平成30年", "令和元年"]


def test_a_list_of_dated_links_to_other_pages_is_still_a_list_of_entries():
    data = _doc(
        '<main><h1>お知らせの記録</h1><ul><li><a href="/a.html">平成30年4月1日　開館</a></li>'
        '<li><a href="/b.html">令和元年5月1日　記念展</a></li></ul></main>'
    )
    assert _entries(data) == [
        ("平成30年4月1日", "2018-04-01", ("開館",)),
        ("令和元年5月1日", "2019-05-01", ("記念展",)),
    ]


def test_entries_set_between_rules_end_at_the_next_rule():
    data = _doc(
        "<h1>交流の記録</h1><p>竹林郷との交流です。</p><hr>"
        "<b>平成14年3月</b><br>郷長が来村した。<br>工房を視察した。<hr>"
        "<b>平成25年11月</b><br>記念式典が開かれた。<hr>"
        "<p>※お問い合わせは総務課まで。</p>"
    )
    parsed, _ = explain_page(data)
    assert parsed == parse_page(data)
    assert _entries(data) == [
        ("平成14年3月", "2002-03", ("郷長が来村した。", "工房を視察した。")),
        ("平成25年11月", "2013-11", ("記念式典が開かれた。",)),
    ]
    assert parsed.page.text == ("竹林郷との交流です。", "※お問い合わせは総務課まで。")


def test_a_rule_inside_an_entry_not_opened_by_one_changes_nothing():
    data = _doc(
        "<main><h1>交流の記録</h1><h2>平成14年3月</h2><p>来村した。</p><hr><p>視察した。</p></main>"
    )
    assert _entries(data) == [("平成14年3月", "2002-03", ("来村した。", "視察した。"))]


def test_a_line_of_links_with_separators_is_a_menu_not_text():
    data = _doc(
        '<div align="center"><img src="t.gif" alt="村"><br><a href="/">トップページ</a>｜'
        '<a href="/g">村政情報</a>｜<a href="/k">観光</a></div>'
        '<p><a href="/">ホーム</a> / <a href="/m">町の紹介</a></p>'
        "<h2>交流の記録</h2><p>平成14年3月　郷長が来村した。</p>"
        '<p><a href="/r.pdf">報告書</a>｜<a href="/p.html">写真</a></p>'
        '<p><a href="/">トップページへ戻る</a></p><address>くすのき村役場</address>'
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [("平成14年3月", "2002-03", ("郷長が来村した。", "報告書｜写真"))]
    assert parsed.page.text == ("交流の記録",)  # (under an entry, links are its body)
    assert trace.lines("meta")[:2] == ["トップページ｜村政情報｜観光", "ホーム / 町の紹介"]
    assert "くすのき村役場" not in trace.content


def _post(title: str, meta: str, text: str) -> str:
    return (
        f'<article class="post"><header class="entry-header"><h2 class="entry-title">'
        f'<a href="/p">{title}</a></h2><div class="entry-meta">{meta}</div></header>'
        f'<div class="entry-content"><p>{text}</p><p><a class="more-link" href="/p">続きを読む'
        f' <span class="screen-reader-text">"{title}"</span></a></p></div>'
        '<footer class="entry-footer">カテゴリー: <a href="/c">活動報告</a></footer></article>'
    )


def test_a_blog_posts_meta_line_dates_the_post_and_is_metadata():
    data = _doc(
        "<main><h1>活動報告</h1><p>活動をご報告します。</p>"
        + _post(
            "豆まき会",
            '投稿日: <time class="entry-date published" datetime="2024-02-18">2024年2月18日'
            '</time><time class="updated" datetime="2024-02-20">2024年2月20日</time>'
            ' 投稿者: <a href="/a">スタッフ</a>',
            '参加者は<time datetime="2024-02-25">2月25日</time>に報告します。',
        )
        + _post(
            "学習会", '<span>投稿日:</span> <time datetime="2023-08-05">2023年8月5日</time>', "6人"
        )
        + "</main>"
    )
    parsed, trace = explain_page(data)
    assert parsed == parse_page(data)
    assert _entries(data) == [
        ("2024年2月18日", "2024-02-18", ("豆まき会", "参加者は2月25日に報告します。")),
        ("2023年8月5日", "2023-08-05", ("学習会", "6人")),
    ]
    assert parsed.page.text == ("活動をご報告します。",)
    assert "投稿日: 2024年2月20日 投稿者: スタッフ" in trace.lines("meta")


def test_a_time_in_an_articles_text_is_not_its_date():
    data = _doc(
        '<main><h1>お知らせ</h1><article class="post"><h2>総会のご案内</h2>'
        '<div class="entry-content"><p>総会は<time datetime="2024-05-18">2024年5月18日</time>'
        "に開きます。</p></div></article>"
        '<article class="post"><h2>会報</h2><p>発行しました。</p></article></main>'
    )
    assert parse_page(data).entries == ()


def test_a_translation_marked_by_lang_starts_no_entries_its_lines_are_page_text():
    data = _doc(
        "<main><h1>姉妹都市</h1><ul><li>平成元年5月　提携調印</li><li>平成3年7月　生徒派遣</li>"
        '</ul><div lang="en"><h2>History</h2><ul><li>1989.5 Agreement signed</li>'
        "<li>1991.7 Students visited</li></ul></div></main>"
    )
    parsed, _ = explain_page(data)
    assert parsed == parse_page(data)
    assert _entries(data) == [
        ("平成元年5月", "1989-05", ("提携調印",)),
        ("平成3年7月", "1991-07", ("生徒派遣",)),
    ]
    assert parsed.page.text == ("History", "1989.5 Agreement signed", "1991.7 Students visited")


def test_a_translation_inside_an_entry_is_its_body_and_an_english_page_reads_as_usual():
    inside = _doc(
        '<main><h1>姉妹都市</h1><h2>平成元年5月</h2><p>提携調印</p><p lang="en-US">Signed.</p>'
        "</main>"
    )
    assert _entries(inside) == [("平成元年5月", "1989-05", ("提携調印", "Signed."))]
    english = (
        b'<html lang="en"><head><title>History</title></head><body><main><h1>History</h1>'
        b"<ul><li>1989.5 Agreement signed</li><li>1991.7 Students visited</li></ul></main>"
        b"</body></html>"
    )
    assert [e.start for e in parse_page(english).entries] == ["1989-05", "1991-07"]


def test_a_pan_breadcrumb_and_a_last_updated_line_without_its_day_are_furniture():
    data = _doc(
        '<div id="contents"><div class="pan"><a href="/">ホーム</a> ＞ 活動</div>'
        "<h2>活動</h2><dl><dt>2019年度</dt><dd><ul><li>4月　総会</li><li>2月　炭焼き</li></ul>"
        '</dd></dl><p class="right">最終更新：2022年5月30日</p></div>'
    )
    parsed, trace = explain_page(data)
    assert _entries(data) == [("4月", "2019-04", ("総会",)), ("2月", "2020-02", ("炭焼き",))]
    assert parsed.page.text == ("活動",)
    assert parsed.page.updated == "2022-05-30"
    assert "ホーム ＞ 活動" not in trace.content
    assert trace.lines("meta") == ["最終更新：2022年5月30日"]


def test_a_date_heading_with_a_remark_in_brackets_is_dated_the_remark_opens_its_body():
    data = _doc(
        "<main><h1>姉妹校交流</h1><h3>平成30年7月（第1回）</h3><p>訪問した。</p>"
        "<h3>令和5年7月22日（土）～7月29日（土）【第3回】</h3><p>再開した。</p>"
        "<p>令和2年（第2回）の派遣は中止しました。</p></main>"
    )
    assert _entries(data) == [
        ("平成30年7月", "2018-07", ("（第1回）", "訪問した。")),
        (
            "令和5年7月22日（土）～7月29日（土）",
            "2023-07-22",
            ("【第3回】", "再開した。", "令和2年（第2回）の派遣は中止しました。"),
        ),
    ]
    sentence = _doc("<main><h1>記録</h1><p>令和2年（第2回）の派遣は中止しました。</p></main>")
    assert parse_page(sentence).entries == ()


def test_a_month_list_item_takes_the_year_of_the_dated_item_above_it():
    data = _doc(
        "<main><h1>沿革</h1><ul><li>2019年4月　学部を開設</li><li>6月　記念式典</li>"
        "<li>2020年1月　新棟竣工</li><li>3月　記念誌発行</li></ul><p>9月　以上</p></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("2019年4月", "2019-04", ("学部を開設",)),
        ("6月", "2019-06", ("記念式典",)),
        ("2020年1月", "2020-01", ("新棟竣工",)),
        ("3月", "2020-03", ("記念誌発行",)),
    ]
    assert parsed.page.text == ("9月　以上",)  # the year stays in its list


def test_a_leading_element_holding_part_of_a_date_is_read_with_the_rest_of_the_line():
    data = _doc(
        "<main><h1>記録</h1>"
        "<p><span>2019.4</span>.1に改装</p><p><span>2019年</span>度の事業報告</p>"
        '<p><span class="y">平成30</span>年4月1日　開館</p>'
        "<p><b>平成31年</b>度　事業計画</p></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("平成30年4月1日", "2018-04-01", ("開館",)),
        ("平成31年度", "2019-04", ("事業計画",)),
    ]
    assert parsed.page.text == ("2019.4.1に改装", "2019年度の事業報告")


def test_a_date_column_table_may_open_with_a_row_of_td_headings():
    data = _doc(
        "<main><h1>受賞歴</h1><table><tr><td>名称</td><td>年月日</td></tr>"
        "<tr><td>奨励賞</td><td>平成8年10月25日</td></tr>"
        "<tr><td>長官賞</td><td>平成19年2月</td></tr></table></main>"
    )
    parsed = parse_page(data)
    assert _entries(data) == [
        ("平成8年10月25日", "1996-10-25", ("奨励賞",)),
        ("平成19年2月", "2007-02", ("長官賞",)),
    ]
    assert parsed.page.text == ("名称 年月日",)


def test_a_japanese_block_in_a_page_labelled_english_is_no_translation():
    data = (
        '<html lang="en-US"><head><meta charset="utf-8"><title>沿革</title></head><body><main>'
        '<h1>沿革</h1><div lang="ja"><p>平成元年5月　提携調印</p></div></main></body></html>'
    ).encode()
    assert _entries(data) == [("平成元年5月", "1989-05", ("提携調印",))]
