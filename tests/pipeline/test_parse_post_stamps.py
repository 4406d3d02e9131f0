"""A blog post's own stamp inside its content (投稿日：2023年5月10日 above a chronology) is the
page's metadata, as 公開日 and 更新日 lines are; 投稿日 beginning a sentence stays text."""

from __future__ import annotations

import pytest
from conftest import html_page

from pipeline.parse import parse_page


def _post(stamp: str) -> bytes:
    return html_page(
        "<main><article><h1>会のあゆみ</h1><div class='entry-content'>"
        f"<p class='post-date'>{stamp}</p><p>私たちの会の歩みです。</p><ul>"
        "<li>2019年4月1日　会を設立</li><li>2020年5月3日　第1回総会</li>"
        "<li>2021年6月5日　記念誌を発行</li></ul></div></article></main>",
        "会のあゆみ",
    )


@pytest.mark.parametrize(
    "stamp",
    [
        "投稿日：2023年5月10日",
        "投稿日 2023年5月10日",
        "【投稿日】2023/05/10",
        "投稿日時: 2023-05-10 10:00",
    ],
)
def test_a_posts_stamp_in_its_content_is_metadata_not_page_text(stamp: str) -> None:
    parsed = parse_page(_post(stamp))
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("2019年4月1日", ("会を設立",)),
        ("2020年5月3日", ("第1回総会",)),
        ("2021年6月5日", ("記念誌を発行",)),
    ]
    assert parsed.page.text == ("私たちの会の歩みです。",)


def test_a_sentence_opening_with_the_word_stays_page_text() -> None:
    parsed = parse_page(_post("投稿日は毎月10日です。"))
    assert parsed.page.text == ("投稿日は毎月10日です。", "私たちの会の歩みです。")
