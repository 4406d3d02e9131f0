"""Seed selectors resolved on keika's lxml tree (cssselect's XPath) pick what soupsieve picks on
a BeautifulSoup parse of the page (the BeautifulSoup twin, still the fallback): the same
elements, in the same order, and the same text for title/updated/page_id."""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline import selectors as selectors_module
from pipeline.encoding import decode_html_as
from pipeline.parse import parse_page
from pipeline.parse.document import _document
from pipeline.selectors import (
    SelectedElements,
    Selectors,
    _check_css,
    _compiled_selectors,
    _css_xpath,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = sorted(FIXTURES.rglob("*.html"))

# The selectors of tests/ and seeds/, then a broad sample of what a site profile may hold.
USED = [
    "#main",
    "h3",
    "section.history-item",
    "h3.history-date",
    ".history-text p",
    ".history-text",
    "article",
    "td.date",
    "ul.history li",
    "h3 .d",
    "main h2",
    "h2",
    "p",
    ".article-body",
    "div.ev",
    ".d",
    "title",
    ".stamp",
    ".pid",
]
BROAD = [
    "*",
    "div",
    "DIV",
    "li a",
    "ul > li",
    "h2 + p",
    "h2 ~ p",
    "tr td:first-child",
    "td:last-child",
    "li:only-child",
    "p:first-of-type",
    "p:last-of-type",
    "span:only-of-type",
    "li:nth-child(2)",
    "li:nth-child(odd)",
    "li:nth-child(even)",
    "li:nth-child(2n+1)",
    "li:nth-child(-n+3)",
    "li:nth-child(n+2)",
    "tr:nth-child(3n)",
    "li:nth-last-child(2)",
    "p:nth-of-type(2)",
    "td:nth-last-of-type(1)",
    ".date",
    "p.date",
    ".history-item .history-date",
    ".history-item > .history-date",
    "div.history-item.news",
    "#content",
    "#header nav",
    "div#main-contents h2",
    "[class]",
    "[id]",
    "[datetime]",
    "[class=date]",
    '[class="history-item"]',
    '[class="entry-header"]',
    "[class^=history]",
    "[class$=date]",
    "[class*=item]",
    "[class~=date]",
    "[class|=history]",
    "[class^='']",
    "[id^=tmp_]",
    "[id$=header]",
    "[id*=nav]",
    "[id|=site]",
    '[href^="http"]',
    '[href$=".html"]',
    '[href*="/"]',
    "[content]",
    "[name=description]",
    "a[href]",
    "time[datetime]",
    "li:not(.menu-item)",
    "p:not(:first-child)",
    "div:not(#main) > p",
    "h2:not(.a .b)",
    "li:is(.date, .news)",
    "section:where(.history-item) h3",
    "section:has(h3)",
    "li:has(> a)",
    "h2:has(+ p)",
    "dt:has(~ dd)",
    "h2, h3",
    "h3, h2",
    "td.date, th",
    "p, p.date",
    "table tr > td + td",
    "dl dt + dd",
    "main h2 ~ ul li",
    "body > header",
    "html > body",
    "html",
    "head title",
    "meta[charset]",
    ".entry-content p:first-child",
    ".page-info .update",
    "p.update, .updated",
    ".page-id, #access-count",
    "time, .date",
    "h1",
    ".entry-title",
    "o\\:p",
    ".a\\:b",
]
SELECTORS = USED + BROAD


@cache
def _page(path: Path) -> tuple[str, etree._Element]:
    data = path.read_bytes()
    decoded = decode_html_as(data, None)
    return decoded.text, _document(decoded.text, data if decoded.encoding == "utf-8" else None)


def vars_of(selectors: Selectors) -> dict[str, str]:
    return {f.name: v for f in fields(selectors) if (v := getattr(selectors, f.name))}


def _positions(doc: etree._Element, elements: list[etree._Element] | None) -> list[str] | None:
    """Elements as `tag#index` in document order: a readable, comparable identity."""
    if elements is None:
        return None
    index = {el: i for i, el in enumerate(doc.iter())}
    return [f"{el.tag}#{index.get(el, '?')}" for el in elements]


def _summary(picked: SelectedElements, doc: etree._Element) -> dict[str, object]:
    return {
        "content": _positions(doc, [picked.content] if picked.content is not None else []),
        "entries": _positions(doc, picked.entries),
        "dates": _positions(doc, picked.dates),
        "bodies": _positions(doc, picked.bodies),
        "meta": {k: (m.text, m.attrs) for k, m in picked.meta.items()},
    }


def _both(text: str, doc: etree._Element, selectors: Selectors) -> tuple[dict, dict]:
    for key, css in vars_of(selectors).items():
        _check_css(key, css)  # a seed's selectors are all valid for soupsieve
    compiled = _compiled_selectors(selectors)
    assert compiled is not None, selectors
    assert selectors_module._xpath_fits(doc, compiled.values())
    new = SelectedElements.pick_with_xpath(text, doc, selectors, compiled)
    old = SelectedElements.pick_with_soup(text, doc, selectors)
    return _summary(new, doc), _summary(old, doc)


def _groups(selectors: list[str], size: int) -> list[list[str]]:
    return [selectors[i : i + size] for i in range(0, len(selectors), size)]


def test_every_sample_selector_is_translated() -> None:
    untranslated = [css for css in SELECTORS if _css_xpath(css) is None]
    assert untranslated == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_selectors_pick_the_same_elements_as_soupsieve(path: Path) -> None:
    """Three selectors as entry/date/body and three as title/updated/page_id per soup parse;
    each selector of the sample in every role, on every fixture page."""
    text, doc = _page(path)
    for group in _groups(SELECTORS, 3):
        first, *rest = (group * 3)[:3]
        elements = Selectors(entry=first, date=rest[0], body=rest[1])
        meta = Selectors(title=first, updated=rest[0], page_id=rest[1])
        for selectors in (elements, meta):
            new, old = _both(text, doc, selectors)
            assert new == old, selectors


CONTENTS = ["main", "#main", "article", "#content", ".entry-content", "body", "div", "table", "ul"]
INSIDE = [
    "div",
    "ul",
    "p",
    "h2",
    "li",
    "td",
    "div p",
    "body p",
    "html li",
    "div > p",
    "* > ul li",
    "li + li",
]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_selects_inside_the_content_match_as_soupsieve_scopes_them(path: Path) -> None:
    """The content selector's first match scopes the others: what matches in the whole
    page (`body p` though body is outside the scope) and lies inside it, not the scope."""
    text, doc = _page(path)
    for content in CONTENTS:
        for group in _groups(INSIDE, 3):
            first, *rest = (group * 3)[:3]
            new, old = _both(
                text, doc, Selectors(content=content, entry=first, date=rest[0], body=rest[1])
            )
            assert new == old, (content, group)


SMALL_PAGES = [p for p in PAGES if p.stat().st_size < 12_000][:6]
TAGS = ["*", "div", "p", "li", "ul", "h2", "h3", "a", "td", "tr", "span", "section", "main"]
CLASSES = [".date", ".history-item", ".history-date", ".news", ".update", ".entry-content"]
IDS = ["#main", "#content", "#header", "#footer"]
ATTRIBUTES = ["[class]", "[id]", "[href]", "[class^=h]", "[class$=e]", "[class*=i]", "[id|=site]"]
PSEUDOS = [
    ":first-child",
    ":last-child",
    ":only-child",
    ":nth-child(2n+1)",
    ":nth-last-child(-n+2)",
    ":not(.date)",
    ":not(p)",
    ":has(a)",
    ":has(> p)",
]
OF_TYPE = [":first-of-type", ":last-of-type", ":nth-of-type(2)", ":only-of-type"]


@st.composite
def compound(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    parts = draw(st.lists(st.sampled_from(CLASSES + IDS + ATTRIBUTES + PSEUDOS), max_size=2))
    if tag != "*" and draw(st.booleans()):
        parts.append(draw(st.sampled_from(OF_TYPE)))
    return tag + "".join(parts)


@st.composite
def selector_lists(draw: st.DrawFn) -> str:
    def complex_selector() -> str:
        out = draw(compound())
        for _ in range(draw(st.integers(0, 2))):
            out += draw(st.sampled_from([" ", " > ", " + ", " ~ "])) + draw(compound())
        return out

    return ", ".join(complex_selector() for _ in range(draw(st.integers(1, 2))))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SMALL_PAGES), selector_lists(), selector_lists(), selector_lists())
def test_generated_selectors_pick_the_same_elements(path: Path, a: str, b: str, c: str) -> None:
    text, doc = _page(path)
    new, old = _both(text, doc, Selectors(entry=a, date=b, title=c))
    assert new == old


# --- what goes to the BeautifulSoup twin, and why -------------------------------------------


@pytest.mark.parametrize(
    "css",
    [
        "p:-soup-contains('平成')",  # soupsieve only
        "li:contains('年')",  # cssselect reads it lowercased, on other text
        "li:nth-child(2 of .date)",
        "p:not(.a, .date)",  # cssselect: no list in :not()
        '[class="date" i]',
        "p:empty",  # soupsieve: whitespace is empty
        ":root",
        ":scope > body",
        "p:lang(ja)",
        "input:checked",
        "a:link",
        "[type=text]",  # soupsieve: case-insensitive value in HTML
        "[lang|=ja]",
        "a[rel~=nofollow]",  # BeautifulSoup: a list
        "td[headers=a]",
        "[data-x~=y]",  # soupsieve also splits at a form feed
        "[class!=date]",
        "*|p",
        "ns|p",
        "[ns|href]",
        "*:first-of-type",
        "ｐ",  # cssselect lowercases non-ASCII
    ],
)
@pytest.mark.filterwarnings("ignore:The pseudo class:FutureWarning")  # :contains
def test_constructs_left_to_soupsieve(css: str) -> None:
    """Valid for a seed (soupsieve reads them), not translated: the twin still picks them."""
    _check_css("date", css)
    assert _css_xpath(css) is None
    text, doc = _page(FIXTURES / "minatogawa/koryu.html")
    picked = SelectedElements.pick(text, doc, Selectors(date=css))
    assert picked.dates == SelectedElements.pick_with_soup(text, doc, Selectors(date=css)).dates


def test_an_untranslated_selector_sends_the_whole_profile_to_the_soup(monkeypatch) -> None:
    text, doc = _page(FIXTURES / "minatogawa/koryu.html")
    selectors = Selectors(content="main", date="li:-soup-contains('年')")
    assert _compiled_selectors(selectors) is None
    calls = []
    original = SelectedElements.pick_with_soup.__func__

    def spy(cls, *args):
        calls.append(args)
        return original(cls, *args)

    monkeypatch.setattr(SelectedElements, "pick_with_soup", classmethod(spy))
    picked = SelectedElements.pick(text, doc, selectors)
    assert calls and picked.dates


def test_a_translated_profile_never_parses_the_page_with_beautifulsoup(monkeypatch) -> None:
    def refuse(*args):
        raise AssertionError("BeautifulSoup twin used")

    monkeypatch.setattr(SelectedElements, "pick_with_soup", classmethod(refuse))
    data = (FIXTURES / "oyama/P-4103/v2-renewal.html").read_bytes()
    page = parse_page(
        data,
        selectors=Selectors.from_mapping(
            {"content": "article", "date": "h3", "body": ".history-text", "title": "h1"}
        ),
    )
    assert page.entries


def test_soupsieves_case_insensitive_attributes_are_left_to_it() -> None:
    soupsieve_parser = pytest.importorskip("soupsieve.css_parser")
    insensitive = getattr(soupsieve_parser, "HTML_CASE_INSENSITIVE_ATTRIBUTES", frozenset())
    assert insensitive <= selectors_module._SOUP_ONLY_ATTRIBUTES


def _html(body: str, head: str = "<title>t</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def _pick_both(html: str, selectors: Selectors) -> tuple[dict, dict, bool]:
    doc = _document(html)
    compiled = _compiled_selectors(selectors)
    assert compiled is not None
    fits = selectors_module._xpath_fits(doc, compiled.values())
    new = SelectedElements.pick(html, doc, selectors)
    old = SelectedElements.pick_with_soup(html, doc, selectors)
    return _summary(new, doc), _summary(old, doc), fits


@pytest.mark.parametrize("space", ["\u3000", "\xa0", "\x0c", "\x0b", "\x1c", "\u2003"])
def test_a_class_split_at_a_space_only_python_knows_goes_to_the_soup(space: str) -> None:
    """BeautifulSoup splits class="date　new" at the ideographic space (two classes); XPath's
    normalize-space() does not: such a page's class selectors go to the soup."""
    html = _html(f'<p class="date{space}new">平成2年</p><p class="date">平成3年</p>')
    new, old, fits = _pick_both(html, Selectors(date=".date", title="[class='date new']"))
    assert not fits
    assert new == old
    assert len(old["dates"]) == 2
    # without the check, XPath would have picked one date and no title
    doc = _document(html)
    compiled = _compiled_selectors(Selectors(date=".date", title="[class='date new']"))
    direct = SelectedElements.pick_with_xpath(html, doc, Selectors(date=".date"), compiled)
    assert len(direct.dates) == 1


def test_a_page_without_such_spaces_stays_on_xpath() -> None:
    html = _html('<p class=" date  new ">平成2年</p><p class="date">平成3年</p>')
    selectors = Selectors(
        date=".date", title="[class='date new']", updated="[class^=date]", page_id="[class$=new]"
    )
    new, old, fits = _pick_both(html, selectors)
    assert fits and new == old and len(new["dates"]) == 2
    assert set(new["meta"]) == {"title", "updated", "page_id"}


@pytest.mark.parametrize(
    "body",
    [
        '<p class="t">平成<!-- 年 -->2年</p>',  # a comment: the soup reads "平成 2年"
        '<p class="t">番号<?php echo 1 ?>X-7</p>',
        '<p class="t">東京<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>都</p>',
        '<p class="t">a<script>var x = "b";</script>c<style>p{}</style>d</p>',
        '<p class="t">  一  <b>二</b>\n\n  <i>三</i>  </p>',
        '<pre class="t">  一\n\n  <b>二</b>  </pre>',
        '<p class="t"><template>x</template>y<textarea> \n </textarea>z</p>',
        '<rt class="t">あ<b>い</b></rt>',
        '<script class="t">var a = 1;</script>',
        '<p class="t"></p>',
    ],
)
def test_title_updated_page_id_read_the_text_beautifulsoup_reads(body: str) -> None:
    selectors = Selectors(title=".t", updated=".t", page_id=".t")
    new, old, fits = _pick_both(_html(body), selectors)
    assert new == old
    assert fits == ("<template" not in body)


def test_stray_content_after_the_closing_html_goes_to_the_soup() -> None:
    html = _html('<p class="d">平成2年</p>') + '<p class="d">平成3年</p></html>'
    doc = _document(html)
    compiled = _compiled_selectors(Selectors(date=".d"))
    assert not selectors_module._xpath_fits(doc, compiled.values())


def test_the_selectors_used_in_tests_and_seeds_are_all_translated() -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    for path in seeds.glob("*.toml"):
        import tomllib

        for page in tomllib.loads(path.read_text(encoding="utf-8")).get("page", []):
            for css in (page.get("selectors") or {}).values():
                assert _css_xpath(css) is not None, css
    assert all(_css_xpath(css) is not None for css in USED)


TRICKY = _html(
    """<DIV ID="main" class=" date  news ">
  <h2 class="date">平成2年</h2><p>本文<o:p>x</o:p></p><p class="a b"><span>一</span></p>
  <h2>平成3年</h2>
  <!-- a comment between siblings -->
  <p hidden class="">空</p><p class="date\tnews"><a href="/x.html"><span>二</span></a></p>
  <ul><li><a href="http://e.jp/">三</a><span>四</span></li><li class="news">五</li>
      <li><b><li>六</li></b></li></ul>
  <table><tr><td>七</td><td class="date">八</td></tr><tr><th>九</th><td>十</td></tr></table>
  <dl><dt>平成4年</dt><dd>十一</dd><dt class="date">平成5年</dt><dd><p>十二</p></dd></dl>
</DIV><div id="side"><p class="date">平成6年</p></div>""",
    head='<title>t</title><meta name="description" content="d">',
)
HAS = [
    "li:has(> a, > span)",
    "li:has(a, span)",
    "h2:has(+ p, ~ ul)",
    "p:has(span):not(:has(a))",
    "div:has(~ div)",
    "dl:has(> dt.date)",
    ":not(div) > p",
    "p:not(.a) > span",
    "td:nth-child( 2n + 1 )",
    "li:nth-child(+2)",
    "li:nth-last-child(n)",
    "dt:nth-of-type(2n)",
    "[class='']",
    "[class='date news']",
    "[class|='']",
    "[class~='']",
    "[hidden]",
    "p[class]",
    "b li",
    "o\\:p",
    "#main > h2:first-child + p",
]


def test_a_tricky_page_picks_the_same_elements() -> None:
    doc = _document(TRICKY)
    for group in _groups(SELECTORS + HAS, 3):
        first, *rest = (group * 3)[:3]
        for selectors in (
            Selectors(entry=first, date=rest[0], body=rest[1]),
            Selectors(title=first, updated=rest[0], page_id=rest[1]),
            Selectors(content="#main", entry=first, date=rest[0], body=rest[1]),
        ):
            new, old = _both(TRICKY, doc, selectors)
            assert new == old, selectors


def test_a_page_with_a_template_goes_to_the_soup() -> None:
    """soupsieve does not look inside a <template> (nor out of one): neither would XPath."""
    html = _html("<ul><li>平成2年</li><li><template><li>平成3年</li></template></li></ul>")
    doc = _document(html)
    selectors = Selectors(date="li")
    assert not selectors_module._xpath_fits(doc, _compiled_selectors(selectors).values())
    picked = SelectedElements.pick(html, doc, selectors)
    assert [el.text for el in picked.dates] == ["平成2年", None]
