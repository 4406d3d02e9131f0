"""parse_page against the hand-checked fixtures and against small pages, one per layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keika.errors import InputError, SeedError
from pipeline.parse import Selectors, parse_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN_PAGES = sorted(p for p in FIXTURES.rglob("*.html") if p.with_suffix(".json").exists())


def _parse(html: str, **kwargs) -> list[tuple]:
    page = parse_page(html.encode("utf-8"), **kwargs)
    return [(e.date_text, e.start, e.end, e.body, e.note) for e in page.entries]


@pytest.mark.parametrize("path", GOLDEN_PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_equals_its_golden(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert parse_page(path.read_bytes()).to_dict() == expected


def test_fixture_goldens_exist() -> None:
    assert len(GOLDEN_PAGES) >= 8


def test_maintenance_page_has_no_entries() -> None:
    page = parse_page((FIXTURES / "oyama/P-4103/maintenance.html").read_bytes())
    assert page.entries == ()
    assert page.page.title == "ただいまメンテナンス中です"


def test_url_is_added_when_given() -> None:
    data = (FIXTURES / "oyama/P-4103/v2.html").read_bytes()
    page = parse_page(data, url="https://www.city.oyama.tochigi.jp/p-4103.html")
    assert page.to_dict()["page"]["url"] == "https://www.city.oyama.tochigi.jp/p-4103.html"
    assert page.page.id == "P-4103"
