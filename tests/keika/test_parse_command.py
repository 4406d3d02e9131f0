"""`keika parse URL`: one polite fetch (robots.txt, User-Agent, size limit), no database;
`--selectors`/`--content`/`--entry` try a site profile; `--explain` says where lines went."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from pathlib import Path

import pytest
from conftest import FixtureServer, Reply, run_keika

from pipeline.domain.seed import PAGE_DEFAULTS

FIXTURES = Path(__file__).parents[1] / "fixtures"
P4103 = FIXTURES / "oyama" / "P-4103"


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "KEIKA_DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}"}


def _one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keika: "), result.stderr
    return lines[0]


def test_parse_url_fetches_once_politely_and_prints_the_records(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    fixture_server.serve_file("/p-4103.html", P4103 / "v2.html")
    url = fixture_server.url("/p-4103.html")
    result = run_keika("parse", url, env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    expected = json.loads((P4103 / "v2.json").read_text(encoding="utf-8"))
    expected["page"]["url"] = url
    assert json.loads(result.stdout) == expected
    assert [r.path for r in fixture_server.requests] == ["/robots.txt", "/p-4103.html"]
    assert all(r.headers["user-agent"].startswith("keika/") for r in fixture_server.requests)
    assert not (tmp_path / "never.db").exists()


def test_parse_url_honours_robots_txt(fixture_server: FixtureServer, tmp_path: Path) -> None:
    fixture_server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    fixture_server.serve_file("/private/p.html", P4103 / "v2.html")
    result = run_keika("parse", fixture_server.url("/private/p.html"), env=_env(tmp_path))
    assert "robots.txt" in _one_line_error(result)
    assert fixture_server.requests_for("/private/p.html") == []


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data)


def _deflate(data: bytes, *, header: bool) -> bytes:
    packer = zlib.compressobj(wbits=15 if header else -15)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(status=404, body=b"gone"), "HTTP 404"),
        (Reply(status=500, body=b"oops"), "HTTP 500"),
        (Reply(body=b"<p>" + b"x" * (PAGE_DEFAULTS["max_size"] + 10)), "size limit"),
        # a few kilobytes of gzip that open past the size limit (a small bomb)
        (
            Reply(
                body=_gzip(b" " * (PAGE_DEFAULTS["max_size"] + 1)),
                headers={"Content-Encoding": "gzip"},
            ),
            "size limit",
        ),
        (Reply(body=b"<html>not gzip", headers={"Content-Encoding": "gzip"}), "not valid gzip"),
        (Reply(body=b"\x00\x01", headers={"Content-Encoding": "zstd"}), "'zstd', which keika"),
    ],
)
def test_parse_url_failures_are_one_line_exit_2(
    fixture_server: FixtureServer, tmp_path: Path, reply: Reply, words: str
) -> None:
    fixture_server.route("/p.html", reply)
    result = run_keika("parse", fixture_server.url("/p.html"), env=_env(tmp_path))
    assert words in _one_line_error(result)
    assert len(fixture_server.requests_for("/p.html")) == 1  # one request, no retries


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("http://[::1", "not a URL"),
        ("http://x y/p.html", "not a URL"),
        ("https://", "not a URL with a host"),
        ("ftp://127.0.0.1/p.html", "ftp://127.0.0.1/p.html: no such file"),
    ],
)
def test_a_malformed_url_is_one_line(tmp_path: Path, source: str, words: str) -> None:
    assert words in _one_line_error(run_keika("parse", source, env=_env(tmp_path), cwd=tmp_path))


def test_a_redirect_loop_is_one_plain_line(fixture_server: FixtureServer, tmp_path: Path) -> None:
    fixture_server.route("/loop", Reply(status=302, headers={"Location": "/loop"}))
    line = _one_line_error(run_keika("parse", fixture_server.url("/loop"), env=_env(tmp_path)))
    assert "redirect" in line and "\\n" not in line, line


def test_parse_url_unreachable_is_one_line(tmp_path: Path) -> None:
    server = FixtureServer()  # bound, then closed: nothing listens on its port
    server._httpd.server_close()
    result = run_keika("parse", server.url("/p.html"), env=_env(tmp_path))
    assert "not fetched" in _one_line_error(result)


def test_parse_url_without_entries_exits_3(fixture_server: FixtureServer, tmp_path: Path) -> None:
    fixture_server.serve_file("/m.html", P4103 / "maintenance.html")
    result = run_keika("parse", fixture_server.url("/m.html"), env=_env(tmp_path))
    assert result.returncode == 3
    assert json.loads(result.stdout)["entries"] == []


def test_parse_without_entries_names_the_frames_the_page_is_made_of(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    fixture_server.route(
        "/kouryuu/index.html",
        Reply(
            body=(
                '<html><head><meta charset="utf-8"><title>交流の歩み</title></head>'
                '<frameset cols="200,*"><frame src="menu.html"><frame src="rekishi.html">'
                "</frameset></html>"
            ).encode()
        ),
    )
    result = run_keika("parse", fixture_server.url("/kouryuu/index.html"), env=_env(tmp_path))
    assert result.returncode == 3
    frames = (
        f"{fixture_server.url('/kouryuu/menu.html')}, {fixture_server.url('/kouryuu/rekishi.html')}"
    )
    assert result.stderr.strip().endswith(f"the page is a frameset; its frames: {frames}")


def test_parse_refuses_an_endless_input_with_one_line(tmp_path: Path) -> None:
    result = run_keika("parse", "/dev/zero", env=_env(tmp_path))
    assert "max_size" in _one_line_error(result)


def test_selectors_try_a_site_profile(fixture_server: FixtureServer, tmp_path: Path) -> None:
    fixture_server.serve_file("/p.html", P4103 / "v2.html")
    url = fixture_server.url("/p.html")
    by_json = run_keika("parse", url, "--selectors", '{"date": "h2"}', env=_env(tmp_path))
    assert by_json.returncode == 0, by_json.stderr
    assert len(json.loads(by_json.stdout)["entries"]) == 33
    by_options = run_keika(
        "parse", url, "--content", ".article-body", "--entry", "p", env=_env(tmp_path)
    )
    # each <p> is an entry: only those opening with a date are kept (none on this page)
    assert by_options.returncode == 3, by_options.stderr
    assert "selector" in _one_line_error(
        run_keika("parse", url, "--selectors", '{"entri": "h3"}', env=_env(tmp_path))
    )
    assert "JSON" in _one_line_error(
        run_keika("parse", url, "--selectors", "{h3", env=_env(tmp_path))
    )


def test_explain_says_the_rule_the_counts_and_the_unused_dates(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>記録｜市</title></head><body><main><h1>記録</h1>"
        "<p>市の交流の記録です。</p>"
        "<h2>平成12年4月</h2><p>協定を結んだ。</p><p>18日から19日、視察した。</p>"
        "<p>令和8年11月29日午前6時から式典を行う予定。</p>"
        "<p>平成12年13月　存在しない月。</p></main></body></html>",
        encoding="utf-8",
    )
    result = run_keika("parse", str(page), "--explain", env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["page"]["text"] == ["市の交流の記録です。"]
    err = result.stderr
    assert "rule: content landmark <main>" in err
    assert "entries: 1, with 4 body lines\npage.text: 1 lines\nmetadata or furniture: 1" in err
    assert "'令和8年11月29日午前6時から式典を行う予定。': the date runs straight into text" in err
    assert (
        "'18日から19日、視察した。': a month or day without a year: read as part of the body"
        " of '平成12年4月'" in err
    )
    assert "'平成12年13月　存在しない月。': looks like a date but is not a valid one" in err


def test_a_robots_txt_answering_5xx_blocks_as_in_a_crawl(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    # RFC 9309: a robots.txt the server cannot give (5xx) forbids the site; a crawl says so too.
    fixture_server.route("/robots.txt", Reply(status=503, body=b"busy"))
    fixture_server.serve_file("/p.html", P4103 / "v2.html")
    result = run_keika("parse", fixture_server.url("/p.html"), env=_env(tmp_path))
    assert "robots.txt unreachable (HTTP 503)" in _one_line_error(result)
    assert fixture_server.requests_for("/p.html") == []


def test_a_missing_robots_txt_does_not_block(fixture_server: FixtureServer, tmp_path: Path) -> None:
    fixture_server.serve_file("/p.html", P4103 / "v2.html")  # robots.txt: 404
    result = run_keika("parse", fixture_server.url("/p.html"), env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["entries"]) == 33


def test_parse_url_redirects_keep_to_robots_txt_and_the_host(
    fixture_server: FixtureServer, tmp_path: Path
) -> None:
    fixture_server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    fixture_server.route("/a.html", Reply(status=302, headers={"Location": "/private/p.html"}))
    elsewhere = fixture_server.url("/p.html", host="localhost")
    fixture_server.route("/b.html", Reply(status=301, headers={"Location": elsewhere}))
    fixture_server.serve_file("/private/p.html", P4103 / "v2.html")
    fixture_server.serve_file("/p.html", P4103 / "v2.html")
    into_private = run_keika("parse", fixture_server.url("/a.html"), env=_env(tmp_path))
    assert "robots.txt" in _one_line_error(into_private)
    off_host = run_keika("parse", fixture_server.url("/b.html"), env=_env(tmp_path))
    assert "redirect to another host: localhost" in _one_line_error(off_host)
    assert [r.path for r in fixture_server.requests if r.path.endswith("p.html")] == []


def test_parse_url_with_a_japanese_path(fixture_server: FixtureServer, tmp_path: Path) -> None:
    # Written as a person copies it from the address bar; sent percent-encoded (UTF-8).
    fixture_server.serve_file("/%E4%BA%A4%E6%B5%81.html", P4103 / "v2.html")
    result = run_keika("parse", fixture_server.url("/交流.html"), env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["entries"]) == 33


@pytest.mark.parametrize(
    ("coding", "pack"),
    [
        ("gzip", _gzip),
        ("deflate", lambda data: _deflate(data, header=True)),
        ("deflate", lambda data: _deflate(data, header=False)),
    ],
)
def test_parse_url_reads_a_compressed_page(
    fixture_server: FixtureServer, tmp_path: Path, coding: str, pack
) -> None:
    """It asks for gzip as a crawl does, and reads what the server sends, asked or not."""
    body = pack((P4103 / "v2.html").read_bytes())
    fixture_server.route("/p.html", Reply(body=body, headers={"Content-Encoding": coding}))
    result = run_keika("parse", fixture_server.url("/p.html"), env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["entries"]) == 33
    asked = fixture_server.requests_for("/p.html")[0].headers["accept-encoding"]
    assert "gzip" in asked


def test_parse_a_notice_signed_with_a_date_exits_3_and_says_why(tmp_path: Path) -> None:
    """A maintenance notice's closing date and signer are its text, not an entry."""
    page = FIXTURES / "synthetic" / "maintenance-dateline.html"
    result = run_keika("parse", str(page), "--explain", env=_env(tmp_path))
    assert result.returncode == 3, result.stderr
    assert json.loads(result.stdout)["entries"] == []
    assert "'令和5年8月18日': a notice's dateline" in result.stderr
