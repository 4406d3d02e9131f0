"""The same chronology in other templates reads the same: the entries of the hand-checked goldens
(P-4103's 33, P-4105's, minatogawa's, sakurano's), laid out as other sites lay out theirs, give
the golden's records again, with zero configuration. A layout rule that only fits the page it was
written for fails here."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from pathlib import Path

import pytest

from pipeline.parse import parse_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN = FIXTURES / "oyama" / "P-4103" / "v2.json"
OTHER_GOLDENS = ["oyama/P-4105/current.json", "minatogawa/koryu.json", "sakurano/ayumi.json"]
Entries = list[tuple[str, list[str]]]  # (date_text, body lines)


def _golden(path: Path = GOLDEN) -> Entries:
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    return [(escape(e["date_text"]), [escape(line) for line in e["body"]]) for e in entries]


def _each(template: Callable[[str, list[str]], str]) -> Callable[[Entries], str]:
    return lambda entries: "".join(template(date, body) for date, body in entries)


def _ps(body: list[str], tag: str = "p", attrs: str = "") -> str:
    return "".join(f"<{tag}{attrs}>{line}</{tag}>" for line in body)


TEMPLATES: dict[str, Callable[[Entries], str]] = {
    "h3 and paragraphs": _each(lambda d, b: f"<h3>{d}</h3>{_ps(b)}"),
    "classed h2 and p": _each(lambda d, b: f'<h2 class="ttl">{d}</h2>{_ps(b, attrs=" class=txt")}'),
    "h2 and divs": _each(lambda d, b: f"<h2>{d}</h2>{_ps(b, 'div')}"),
    "a section per entry": _each(lambda d, b: f"<section><h2>{d}</h2>{_ps(b)}</section>"),
    "an article per entry": _each(
        lambda d, b: f"<article><header><h2>{d}</h2></header>{_ps(b)}</article>"
    ),
    "dt and a dd per line": lambda es: (
        "<dl>" + _each(lambda d, b: f"<dt>{d}</dt>{_ps(b, 'dd')}")(es) + "</dl>"
    ),
    "dt and dd in divs": lambda es: (
        "<dl>" + _each(lambda d, b: f"<div><dt>{d}</dt><dd>{_ps(b)}</dd></div>")(es) + "</dl>"
    ),
    "th | td with <br>": lambda es: (
        "<table>"
        + _each(lambda d, b: f"<tr><th>{d}</th><td>{'<br>'.join(b)}</td></tr>")(es)
        + "</table>"
    ),
    "td | td with paragraphs": lambda es: (
        "<table>" + _each(lambda d, b: f"<tr><td>{d}</td><td>{_ps(b)}</td></tr>")(es) + "</table>"
    ),
    "list items, date in strong": lambda es: (
        "<ul>"
        + _each(lambda d, b: f"<li><strong>{d}</strong><br>{'<br>'.join(b)}</li>")(es)
        + "</ul>"
    ),
    "list items with a heading": lambda es: (
        "<ul>" + _each(lambda d, b: f"<li><h3>{d}</h3>{_ps(b)}</li>")(es) + "</ul>"
    ),
    "one paragraph per entry": _each(lambda d, b: f"<p>{d}<br>{'<br>'.join(b)}</p>"),
    "bold dates between rules": lambda es: "<hr>".join(
        f"<b>{d}</b><br>{'<br>'.join(b)}" for d, b in es
    ),
    "cards": _each(
        lambda d, b: (
            f'<div class="card"><div class="card-date">{d}</div>'
            f'<div class="card-body">{_ps(b)}</div></div>'
        )
    ),
    "a time element opening each paragraph": _each(
        lambda d, b: f"<p><time>{d}</time>　{b[0]}</p>{_ps(b[1:])}"
    ),
    "the date and the first line in one paragraph": _each(
        lambda d, b: f"<p>{d}　{b[0]}</p>{_ps(b[1:])}"
    ),
    "a date cell spanning a row per line": lambda es: (
        "<table>"
        + "".join(
            f'<tr><th rowspan="{len(b)}">{d}</th><td>{b[0]}</td></tr>'
            + "".join(f"<tr><td>{line}</td></tr>" for line in b[1:])
            for d, b in es
        )
        + "</table>"
    ),
    "a 年月 | 内容 table": lambda es: (
        "<table><tr><th>年月</th><th>内容</th></tr>"
        + _each(lambda d, b: f"<tr><td>{d}</td><td>{'<br>'.join(b)}</td></tr>")(es)
        + "</table>"
    ),
    "a date cell beside a list": lambda es: (
        "<table>"
        + _each(lambda d, b: f"<tr><td>{d}</td><td><ul>{_ps(b, 'li')}</ul></td></tr>")(es)
        + "</table>"
    ),
    "spans in ordered list items": lambda es: (
        "<ol>"
        + _each(
            lambda d, b: (
                f'<li><span class="date">{d}</span><span class="text">{"<br>".join(b)}</span></li>'
            )
        )(es)
        + "</ol>"
    ),
    "rows of date and text boxes": _each(
        lambda d, b: (
            f'<div class="row"><div class="date">{d}</div><div class="text">{_ps(b)}</div></div>'
        )
    ),
    "a heading in a box head": _each(
        lambda d, b: (
            f'<div class="box"><div class="box-head"><h3>{d}</h3></div>'
            f'<div class="box-body">{_ps(b)}</div></div>'
        )
    ),
    "h4 and a div in a section": _each(
        lambda d, b: f"<section><h4>{d}</h4><div>{_ps(b)}</div></section>"
    ),
    "a heading over a list": _each(lambda d, b: f"<h2>{d}</h2><ul>{_ps(b, 'li')}</ul>"),
    "a date alone in a span paragraph": _each(
        lambda d, b: f'<p><span class="date">{d}</span></p>{_ps(b)}'
    ),
    "font and b, blank lines between": _each(
        lambda d, b: f'<font size="3"><b>{d}</b></font><br>{"<br>".join(b)}<br><br>'
    ),
    "a typed 年表 in pre": lambda es: (
        "<pre>"
        + "\n".join(f"{d}　{b[0]}" + "".join(f"\n　　{line}" for line in b[1:]) for d, b in es)
        + "</pre>"
    ),
    "cards dated at their end": _each(
        lambda d, b: f'<div class="post">{_ps(b)}<p class="date">掲載日：{d}</p></div>'
    ),
    "posts with the date in their footer": _each(
        lambda d, b: (
            f'<article class="post"><div class="entry-content">{_ps(b)}</div>'
            f'<footer class="entry-footer"><span class="posted-on"><time>{d}</time></span>'
            ' <span class="cat-links"><a href="/c/">交流</a></span></footer></article>'
        )
    ),
    "numbered paragraphs, (1) …": lambda es: "".join(
        f"<p>({n}) {d}<br>{'<br>'.join(b)}</p>" for n, (d, b) in enumerate(es, 1)
    ),
    "circled numbers in one block": lambda es: (
        "<p>"
        + "<br>".join(
            f"{chr(0x2460 + n % 20)}{d}<br>{'<br>'.join(b)}" for n, (d, b) in enumerate(es)
        )
        + "</p>"
    ),
    "numbered headings, 1. …": lambda es: "".join(
        f"<h3>{n}. {d}</h3>{_ps(b)}" for n, (d, b) in enumerate(es, 1)
    ),
}
FRAMES = {
    "main": ("<main>", "</main>"),
    "div#content": ('<div id="content">', "</div>"),
    "no landmark": ('<div class="wrap"><div class="col">', "</div></div>"),
}


def _page(body: str, frame: tuple[str, str], charset: str = "utf-8") -> bytes:
    html = (
        f'<!DOCTYPE html><html lang="ja"><head><meta charset="{charset}">'
        "<title>本渓市との交流経過｜小山市</title></head><body>"
        '<header><p>小山市</p><ul class="gnav"><li><a href="/">ホーム</a></li>'
        '<li><a href="/kurashi/">くらし</a></li></ul></header>'
        f"{frame[0]}<h1>本渓市との交流経過</h1>{body}{frame[1]}"
        "<footer><p>小山市役所　〒323-8686</p></footer></body></html>"
    )
    return html.encode("cp932" if charset == "shift_jis" else "utf-8")


def _records(data: bytes) -> list[tuple[str, tuple[str, ...]]]:
    return [(e.date_text, e.body) for e in parse_page(data).entries]


def _expected(path: Path = GOLDEN) -> list[tuple[str, tuple[str, ...]]]:
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    return [(e["date_text"], tuple(e["body"])) for e in entries]


@pytest.mark.parametrize("frame", sorted(FRAMES))
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_the_chronology_reads_the_same_in_another_template(template: str, frame: str) -> None:
    data = _page(TEMPLATES[template](_golden()), FRAMES[frame])
    assert _records(data) == _expected()


@pytest.mark.parametrize("golden", OTHER_GOLDENS)
def test_other_chronologies_read_the_same_in_every_template(golden: str) -> None:
    """Ranges, notes and other date forms of the other goldens, in every template."""
    path = FIXTURES / golden
    for name, build in TEMPLATES.items():
        data = _page(build(_golden(path)), FRAMES["main"])
        assert _records(data) == _expected(path), name


def test_the_chronology_reads_the_same_in_shift_jis() -> None:
    data = _page(TEMPLATES["h3 and paragraphs"](_golden()), FRAMES["main"], "shift_jis")
    assert _records(data) == _expected()


def test_dates_and_spans_are_the_goldens_in_every_template() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["entries"]
    expected = [(e["start"], e["end"], e.get("note")) for e in golden]
    for build in TEMPLATES.values():
        parsed = parse_page(_page(build(_golden()), FRAMES["main"]))
        assert [(e.start, e.end, e.note) for e in parsed.entries] == expected
