"""The words of notifications: subjects, bodies, escaping and idempotency keys (pure functions)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipeline.digest import (
    ChangeItem,
    PageRef,
    build_digest,
    build_failing_alert,
    build_recovered_notice,
    build_suspect_alert,
    build_test_message,
    count_phrase,
    digest_id_for,
    page_title,
)
from pipeline.domain.records import EntryRecord

PAGE = PageRef(
    "oyama-benxi", "https://www.city.oyama.tochigi.jp/page004103.html", "本渓市との交流経過"
)


def rec(date: str, *body: str, note: str | None = None) -> EntryRecord:
    return EntryRecord(date, None, None, tuple(body), note)


EDIT = ChangeItem(
    "edited",
    "昭和60年5月",
    before=rec(
        "昭和60年5月", "本渓市環境保護局視察団が来訪した。", "干国盤本渓市長のメッセージを伝えた。"
    ),
    after=rec(
        "昭和60年5月", "本渓市環境保護局視察団が来訪した。", "干国磐本渓市長のメッセージを伝えた。"
    ),
    fields=("body",),
)
ADD = ChangeItem("added", "平成20年8月", after=rec("平成20年8月", "少年サッカー団一行18名が来訪。"))
REMOVE = ChangeItem("removed", "平成13年9月", before=rec("平成13年9月", "農業視察訪中団20名。"))
MOVE = ChangeItem("moved", "平成4年11月", after=rec("平成4年11月", "訪問団。"), position=4)
PAGE_EVENT = ChangeItem(
    "page", fields=("updated",), page_fields=(("updated", "2024年1月", "2025年2月"),)
)


class _TextCollector(HTMLParser):
    """What a mail reader shows: text nodes, and whether any real tag besides ours appeared."""

    ALLOWED = frozenset(
        {"html", "head", "meta", "title", "body", "h2", "h3", "p", "div", "a", "code"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(html: str) -> _TextCollector:
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    return parser


def test_subject_counts_entry_changes_in_a_fixed_order() -> None:
    message = build_digest(PAGE, 7, [ADD, EDIT, EDIT])
    assert message is not None
    assert message.subject == "[keika] 本渓市との交流経過: 1 added, 2 edited"
    v3 = build_digest(PAGE, 8, [EDIT, REMOVE, ADD, ADD])
    assert v3 is not None
    assert v3.subject == "[keika] 本渓市との交流経過: 2 added, 1 edited, 1 removed"


def test_each_change_shows_its_date_and_the_lines_before_and_after() -> None:
    message = build_digest(PAGE, 7, [EDIT, ADD, REMOVE])
    assert message is not None
    text = message.body_text
    assert "edited: 昭和60年5月 (body)" in text
    assert "  - 干国盤本渓市長のメッセージを伝えた。" in text
    assert "  + 干国磐本渓市長のメッセージを伝えた。" in text
    assert "    本渓市環境保護局視察団が来訪した。" in text  # unchanged line, kept as context
    assert "added: 平成20年8月" in text and "  + 少年サッカー団一行18名が来訪。" in text
    assert "removed: 平成13年9月" in text and "  - 農業視察訪中団20名。" in text
    assert PAGE.url in text
    html = rendered(message.body_html)
    shown = "".join(html.text)
    assert "干国盤本渓市長" in shown and "干国磐本渓市長" in shown and "平成13年9月" in shown
    assert f'href="{PAGE.url}"' in message.body_html


def test_moves_and_page_info_are_reported_only_when_the_seed_asks() -> None:
    assert build_digest(PAGE, 7, [MOVE, PAGE_EVENT]) is None
    with_moves = build_digest(PAGE, 7, [ADD, MOVE, PAGE_EVENT], include_moved=True)
    assert with_moves is not None
    assert with_moves.subject.endswith(": 1 added, 1 moved")
    assert "moved: 平成4年11月 (now entry 5)" in with_moves.body_text
    assert "page info" not in with_moves.body_text and "2025年2月" not in with_moves.body_text
    everything = build_digest(
        PAGE, 7, [ADD, MOVE, PAGE_EVENT], include_moved=True, include_page=True
    )
    assert everything is not None
    assert everything.subject.endswith(": 1 added, 1 moved, page info changed")
    assert "  - updated: 2024年1月" in everything.body_text
    assert "  + updated: 2025年2月" in everything.body_text


def test_no_changes_no_digest() -> None:
    assert build_digest(PAGE, 7, []) is None


def test_every_scraped_string_is_escaped_in_html() -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    page = PageRef("k", 'https://example.jp/p?a=1&b="2"', f"title {hostile}")
    change = ChangeItem(
        "edited",
        f"平成1年 {hostile}",
        before=rec(f"平成1年 {hostile}", "old"),
        after=rec(f"平成1年 {hostile}", f"new {hostile}", note=f"注 {hostile}"),
        fields=("body", "note"),
    )
    message = build_digest(page, 1, [change])
    assert message is not None
    html = rendered(message.body_html)
    assert html.tags <= _TextCollector.ALLOWED, html.tags  # no <script>, no <img>
    assert "<script>" not in message.body_html
    assert "&lt;script&gt;" in message.body_html
    assert hostile in "".join(html.text)  # ...and the reader sees the text as it was
    assert 'href="https://example.jp/p?a=1&amp;b=&quot;2&quot;"' in message.body_html
    for alert in (
        build_failing_alert(page, 1, 3, hostile),
        build_suspect_alert(page, 1, hostile),
        build_recovered_notice(page, 1, "changed"),
    ):
        assert rendered(alert.body_html).tags <= _TextCollector.ALLOWED
        assert "<script>" not in alert.body_html


def test_digest_id_is_stable_and_names_page_crawl_and_kind() -> None:
    first = build_digest(PAGE, 7, [ADD])
    again = build_digest(PAGE, 7, [ADD, EDIT])
    assert first is not None and again is not None
    assert first.digest_id == again.digest_id == digest_id_for(PAGE.key, 7, "digest")
    assert re.fullmatch(r"[0-9a-f]{64}", first.digest_id)
    others = {
        digest_id_for(PAGE.key, 8, "digest"),
        digest_id_for("other", 7, "digest"),
        digest_id_for(PAGE.key, 7, "failing"),
    }
    assert first.digest_id not in others and len(others) == 3
    assert first.digest_id in first.body_text and first.digest_id in first.body_html


def test_alerts_say_what_happened() -> None:
    failing = build_failing_alert(PAGE, 9, 3, "HTTP 503")
    assert failing.kind == "failing"
    assert failing.subject == "[keika] 本渓市との交流経過: failing (3 crawls in a row)"
    assert "Last error: HTTP 503" in failing.body_text
    recovered = build_recovered_notice(PAGE, 10, "unchanged")
    assert recovered.subject == "[keika] 本渓市との交流経過: recovered"
    suspect = build_suspect_alert(PAGE, 11, "no dated entries found")
    assert suspect.subject == "[keika] 本渓市との交流経過: suspect parse (no dated entries found)"
    assert "no dated entries found" in suspect.body_text
    assert f"If the page really changed: keika accept {PAGE.key}" in suspect.body_text
    assert f"<code>keika accept {PAGE.key}</code>" in suspect.body_html
    assert len({failing.digest_id, recovered.digest_id, suspect.digest_id}) == 3
    test = build_test_message("2026-01-01 00:00:00 UTC")
    assert test.kind == "test" and "test notification" in test.subject


def test_page_title_falls_back_to_seed_name_then_key() -> None:
    assert page_title({"title": " 本渓市との交流経過 "}, "name", "key") == "本渓市との交流経過"
    assert page_title({"title": None}, "小山市", "key") == "小山市"
    assert page_title(None, None, "oyama-benxi") == "oyama-benxi"


def test_count_phrase_orders_kinds() -> None:
    assert count_phrase([REMOVE, ADD, EDIT, ADD]) == "2 added, 1 edited, 1 removed"


CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def test_subject_is_one_line_and_fits_any_mail_server() -> None:
    """A title or reason with line breaks, or too long for one header line (Apprise's email does
    not fold the Subject: an SMTP server refuses a line over 998 bytes), is made one line and
    shortened, visibly; the count phrase survives and the body keeps the whole title."""
    long_title = "令和7年度小山市国際交流事業「本渓市との交流」" * 8
    page = PageRef("k", "https://example.jp/p", f"{long_title}\r\nBcc: evil@example.com")
    message = build_digest(page, 1, [ADD])
    assert message is not None
    assert not CONTROL.search(message.subject), message.subject
    assert len(message.subject.encode()) <= 300
    assert message.subject.startswith("[keika] 令和7年度小山市国際交流事業")
    assert message.subject.endswith("…: 1 added")
    assert long_title in message.body_text
    short = build_digest(PageRef("k", "https://example.jp/p", "本渓市\n交流経過"), 1, [ADD])
    assert short is not None and short.subject == "[keika] 本渓市 交流経過: 1 added"
    reason = "layout changed\r\nX-Injected: yes " + "理由" * 300
    for alert in (
        build_suspect_alert(page, 1, reason),
        build_failing_alert(page, 1, 3, reason),
        build_recovered_notice(page, 1, "changed"),
    ):
        assert not CONTROL.search(alert.subject), alert.subject
        assert len(alert.subject.encode()) <= 300, alert.subject
    assert build_suspect_alert(PAGE, 1, "no dated entries found").subject == (
        "[keika] 本渓市との交流経過: suspect parse (no dated entries found)"
    )


def added(n: int, text: str = "本渓市訪問団が来訪し、交流事業を行った。") -> ChangeItem:
    return ChangeItem("added", f"令和8年1月{n}日", after=rec(f"令和8年1月{n}日", f"第{n}回 {text}"))


def test_a_digest_too_long_to_read_shows_the_first_changes_and_says_what_it_left_out() -> None:
    """10,000 changes in one crawl: the subject counts them all, the body shows what fits in a
    size every receiver takes whole (Slack cuts text at 40,000 characters, Gmail clips HTML at
    102 kB, both silently), says how many it left out and where they are, and ends with the
    digest id."""
    message = build_digest(PAGE, 7, [added(n) for n in range(10_000)])
    assert message is not None
    assert message.subject == "[keika] 本渓市との交流経過: 10000 added"
    text, html = message.body_text, message.body_html
    assert len(text) < 30_000 and len(html.encode()) < 100_000
    shown = text.count("\nadded: ")
    assert 100 < shown < 10_000
    assert f"… {10_000 - shown:,} more changes are not shown here (10,000 in all)" in text
    assert "keika changes --page oyama-benxi --all" in text
    assert f"{10_000 - shown:,} more changes are not shown here" in "".join(rendered(html).text)
    assert text.splitlines()[-1].endswith(f"message {message.digest_id}")
    assert f"第{shown - 1}回" in text and f"第{shown}回 " not in text  # whole changes, in order
    small = build_digest(PAGE, 7, [added(n) for n in range(3)])
    assert small is not None and "not shown" not in small.body_text


def test_a_huge_line_is_cut_and_says_so() -> None:
    huge = ChangeItem("added", "令和8年1月1日", after=rec("令和8年1月1日", "長" * 100_000))
    message = build_digest(PAGE, 7, [huge, ADD])
    assert message is not None
    assert len(message.body_text) < 30_000
    assert "(99,000 more characters of this line are not shown)" in message.body_text
    assert "+ 少年サッカー団一行18名が来訪。" in message.body_text  # the next change still shows
    assert message.digest_id in message.body_text.splitlines()[-1]


def test_one_change_longer_than_a_digest_shows_its_first_lines_and_says_so() -> None:
    body = tuple(f"{n}行目の本文です。" for n in range(5_000))
    long_entry = ChangeItem("added", "令和8年1月1日", after=rec("令和8年1月1日", *body))
    message = build_digest(PAGE, 7, [long_entry, ADD])
    assert message is not None
    assert len(message.body_text) < 30_000 and len(message.body_html.encode()) < 100_000
    assert "+ 0行目の本文です。" in message.body_text
    shown = message.body_text.count("行目の本文です。")
    assert f"… {5_000 - shown:,} more lines of this change are not shown" in message.body_text
    assert "… 1 more change is not shown here (2 in all)" in message.body_text
