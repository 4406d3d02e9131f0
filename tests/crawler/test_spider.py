"""PagesSpider against a real HTTP server on 127.0.0.1: one FetchResult per target, always."""

from __future__ import annotations

import socket
from itertools import pairwise
from pathlib import Path

from conftest import Reply

from pipeline.domain.fetch import CrawlTarget

FIXTURES = Path(__file__).parent.parent / "fixtures"
PAGE = b"<html><body><h2>\xe6\x98\xad\xe5\x92\x8c60\xe5\xb9\xb45\xe6\x9c\x88</h2></body></html>"
LAST_MODIFIED = "Wed, 01 Apr 2026 00:00:00 GMT"


def test_200_then_304_with_conditional_headers(fixture_server, crawl):
    fixture_server.route("/p.html", Reply(body=PAGE, etag='"v1"', last_modified=LAST_MODIFIED))
    first = crawl([CrawlTarget("p", fixture_server.url("/p.html"))])["p"]
    assert (first.status, first.error, first.body) == (200, None, PAGE)
    assert first.headers["etag"] == '"v1"'
    assert first.headers["last-modified"] == LAST_MODIFIED
    assert first.final_url == fixture_server.url("/p.html")
    assert first.fetched_at is not None and first.fetched_at >= first.started_at

    again = CrawlTarget(
        "p", fixture_server.url("/p.html"), etag='"v1"', last_modified=LAST_MODIFIED
    )
    second = crawl([again])["p"]
    assert second.not_modified
    assert second.body is None
    sent = fixture_server.requests_for("/p.html")
    assert "if-none-match" not in sent[0].headers
    assert sent[1].headers["if-none-match"] == '"v1"'
    assert sent[1].headers["if-modified-since"] == LAST_MODIFIED


def test_user_agent_names_keika_and_the_contact(fixture_server, crawl):
    fixture_server.route("/p.html", Reply(body=PAGE))
    crawl(
        [CrawlTarget("p", fixture_server.url("/p.html"))],
        KEIKA_CONTACT="https://example.org/keika-contact",
    )
    agents = {r.headers["user-agent"] for r in fixture_server.requests}
    assert agents == {"keika/0.1 (+https://example.org/keika-contact)"}


def test_server_error_then_recovery_through_retry(fixture_server, crawl):
    fixture_server.route("/p.html", Reply(status=500, body=b"oops"), Reply(body=PAGE))
    result = crawl([CrawlTarget("p", fixture_server.url("/p.html"))])["p"]
    assert (result.status, result.error, result.body) == (200, None, PAGE)
    assert len(fixture_server.requests_for("/p.html")) == 2


def test_server_error_that_persists_is_reported(fixture_server, crawl):
    fixture_server.route("/p.html", Reply(status=500, body=b"oops"))
    result = crawl([CrawlTarget("p", fixture_server.url("/p.html"))], RETRY_TIMES=1)["p"]
    # Reported as failed, and what the server said is kept for the archive.
    assert (result.status, result.error, result.body) == (500, "HTTP 500", b"oops")
    assert len(fixture_server.requests_for("/p.html")) == 2


def test_not_found_is_reported_without_retry(fixture_server, crawl):
    result = crawl([CrawlTarget("p", fixture_server.url("/gone.html"))])["p"]
    assert (result.status, result.error) == (404, "HTTP 404")
    assert len(fixture_server.requests_for("/gone.html")) == 1


def test_429_retry_after_is_honoured(fixture_server, crawl):
    fixture_server.route(
        "/p.html", Reply(status=429, headers={"Retry-After": "1"}), Reply(body=PAGE)
    )
    result = crawl([CrawlTarget("p", fixture_server.url("/p.html"))])["p"]
    assert (result.status, result.body) == (200, PAGE)
    first, retry = fixture_server.requests_for("/p.html")
    # The retry waited for the server's Retry-After, not the 0.05 s test backoff.
    assert retry.at - first.at >= 0.9


def test_retry_after_is_capped(fixture_server, crawl):
    fixture_server.route(
        "/p.html", Reply(status=503, headers={"Retry-After": "3600"}), Reply(body=PAGE)
    )
    result = crawl([CrawlTarget("p", fixture_server.url("/p.html"))], RETRY_AFTER_MAX=0.1)["p"]
    assert (result.status, result.body) == (200, PAGE)


def test_timeout(fixture_server, crawl):
    fixture_server.route("/slow.html", Reply(body=PAGE, delay=3))
    target = CrawlTarget("p", fixture_server.url("/slow.html"), timeout=0.5)
    result = crawl([target], RETRY_TIMES=0)["p"]
    assert result.error == "timeout after 0.5s"
    assert result.status is None and result.body is None


def test_redirect_within_the_host_is_followed(fixture_server, crawl):
    fixture_server.route("/old.html", Reply(status=301, headers={"Location": "/new.html"}))
    fixture_server.route("/new.html", Reply(body=PAGE))
    result = crawl([CrawlTarget("p", fixture_server.url("/old.html"))])["p"]
    assert (result.status, result.error, result.body) == (200, None, PAGE)
    assert result.url == fixture_server.url("/old.html")
    assert result.final_url == fixture_server.url("/new.html")


def test_redirect_to_another_host_fails(fixture_server, crawl):
    elsewhere = fixture_server.url("/new.html", host="localhost")
    fixture_server.route("/old.html", Reply(status=302, headers={"Location": elsewhere}))
    fixture_server.route("/new.html", Reply(body=PAGE))
    result = crawl([CrawlTarget("p", fixture_server.url("/old.html"))])["p"]
    assert result.error == "redirect to another host: localhost"
    assert result.status == 302
    assert result.body is None
    assert fixture_server.requests_for("/new.html") == []


def test_redirect_to_an_allowed_host_is_followed(fixture_server, crawl):
    elsewhere = fixture_server.url("/new.html", host="localhost")
    fixture_server.route("/old.html", Reply(status=302, headers={"Location": elsewhere}))
    fixture_server.route("/new.html", Reply(body=PAGE))
    target = CrawlTarget("p", fixture_server.url("/old.html"), allow_hosts=("localhost",))
    result = crawl([target])["p"]
    assert (result.status, result.error, result.body) == (200, None, PAGE)
    assert result.final_url == elsewhere


def test_content_type_that_is_not_html(fixture_server, crawl):
    fixture_server.route("/doc", Reply(body=b"%PDF-1.4", content_type="application/pdf"))
    result = crawl([CrawlTarget("p", fixture_server.url("/doc"))])["p"]
    assert result.error == "not HTML: application/pdf"
    assert result.status == 200 and result.body == b"%PDF-1.4"  # archived, never parsed


def test_xhtml_and_missing_content_type_are_html(fixture_server, crawl):
    fixture_server.route("/x", Reply(body=PAGE, content_type="application/xhtml+xml"))
    fixture_server.route("/n", Reply(body=PAGE, content_type=None))
    results = crawl(
        [CrawlTarget("x", fixture_server.url("/x")), CrawlTarget("n", fixture_server.url("/n"))]
    )
    assert {k: (r.error, r.body) for k, r in results.items()} == {
        "x": (None, PAGE),
        "n": (None, PAGE),
    }


def test_shift_jis_page_without_charset_keeps_its_bytes(fixture_server, crawl):
    raw = (FIXTURES / "sakurano" / "ayumi.html").read_bytes()
    fixture_server.route("/ayumi.html", Reply(body=raw, content_type="text/html"))
    result = crawl([CrawlTarget("ayumi", fixture_server.url("/ayumi.html"))])["ayumi"]
    assert result.error is None
    assert result.body == raw
    assert result.content_type == "text/html"


def test_response_over_the_size_limit(fixture_server, crawl):
    fixture_server.route("/big.html", Reply(body=b"<p>" + b"x" * 200_000))
    target = CrawlTarget("p", fixture_server.url("/big.html"), max_size=50_000)
    result = crawl([target], RETRY_TIMES=0)["p"]
    assert result.error == "response too large (over 50000 bytes)"
    assert result.body is None


def test_robots_txt_disallowing_the_page(fixture_server, crawl):
    robots = b"User-agent: *\nDisallow: /private/\n"
    fixture_server.route("/robots.txt", Reply(body=robots, content_type="text/plain"))
    fixture_server.route("/private/p.html", Reply(body=PAGE))
    fixture_server.route("/open.html", Reply(body=PAGE))
    results = crawl(
        [
            CrawlTarget("private", fixture_server.url("/private/p.html")),
            CrawlTarget("open", fixture_server.url("/open.html")),
        ]
    )
    assert results["private"].error == "forbidden by robots.txt"
    assert results["open"].body == PAGE
    assert fixture_server.requests_for("/private/p.html") == []


def test_obey_robots_false_skips_robots_txt(fixture_server, crawl):
    robots = b"User-agent: *\nDisallow: /\n"
    fixture_server.route("/robots.txt", Reply(body=robots, content_type="text/plain"))
    fixture_server.route("/p.html", Reply(body=PAGE))
    target = CrawlTarget("p", fixture_server.url("/p.html"), obey_robots=False)
    result = crawl([target])["p"]
    assert (result.error, result.body) == (None, PAGE)
    assert fixture_server.requests_for("/robots.txt") == []


def test_dns_failure(crawl):
    target = CrawlTarget("p", "http://keika-test.invalid/p.html")
    result = crawl([target], RETRY_TIMES=0)["p"]
    assert result.error == "DNS lookup failed for keika-test.invalid"


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_reported(crawl):
    target = CrawlTarget("p", f"http://127.0.0.1:{closed_port()}/p.html")
    result = crawl([target], RETRY_TIMES=0)["p"]
    assert result.error == "connection refused"
    assert result.status is None


def test_many_targets_one_result_each(fixture_server, crawl):
    fixture_server.route("/ok.html", Reply(body=PAGE))
    fixture_server.route("/bad.html", Reply(status=500))
    targets = [
        CrawlTarget("ok", fixture_server.url("/ok.html")),
        CrawlTarget("same-url", fixture_server.url("/ok.html")),
        CrawlTarget("bad", fixture_server.url("/bad.html")),
        CrawlTarget("missing", fixture_server.url("/missing.html")),
        CrawlTarget("refused", f"http://127.0.0.1:{closed_port()}/"),
    ]
    results = crawl(targets, RETRY_TIMES=1)
    assert {k: r.error for k, r in results.items()} == {
        "ok": None,
        "same-url": None,
        "bad": "HTTP 500",
        "missing": "HTTP 404",
        "refused": "connection refused",
    }


def test_robots_txt_holds_for_every_page_waiting_on_it(fixture_server, crawl):
    # Pages of one site all wait for its robots.txt; each must see the rules, not just the first
    # two (a shared Deferred awaited as a future hands its result to one waiter only).
    robots = b"User-agent: *\nDisallow: /private/\n"
    fixture_server.route("/robots.txt", Reply(body=robots, content_type="text/plain"))
    fixture_server.serve_pages(Reply(body=PAGE))
    opened = [CrawlTarget(f"open{n}", fixture_server.url(f"/open{n}.html")) for n in range(4)]
    closed = [
        CrawlTarget(f"private{n}", fixture_server.url(f"/private/{n}.html")) for n in range(3)
    ]
    results = crawl(opened + closed)
    assert {k: r.error for k, r in results.items() if k.startswith("private")} == {
        f"private{n}": "forbidden by robots.txt" for n in range(3)
    }
    assert all(results[t.key].body == PAGE for t in opened)
    assert [r.path for r in fixture_server.requests if r.path.startswith("/private/")] == []
    assert len(fixture_server.requests_for("/robots.txt")) == 1


def test_retry_after_holds_the_whole_site(fixture_server, crawl):
    # Retry-After is the server's word about itself: after a 503 asking for 2 s, no page of the
    # site is requested sooner, not only the page that got the 503.
    for n in range(2):
        fixture_server.route(
            f"/p{n}.html", Reply(status=503, headers={"Retry-After": "2"}), Reply(body=PAGE)
        )
    targets = [CrawlTarget(f"p{n}", fixture_server.url(f"/p{n}.html")) for n in range(2)]
    # One at a time, with a small delay: Scrapy's slot ignores its concurrency when it has none.
    results = crawl(targets, CONCURRENT_REQUESTS_PER_DOMAIN=1, DOWNLOAD_DELAY=0.05)
    assert {k: r.body for k, r in results.items()} == {"p0": PAGE, "p1": PAGE}
    pages = [r for r in fixture_server.requests if r.path != "/robots.txt"]
    assert [r.path for r in pages] == ["/p0.html", "/p1.html", "/p0.html", "/p1.html"]
    # One at a time: the request after each of the two 503s waited for its Retry-After.
    waited = [after.at - before.ended_at for before, after in pairwise(pages[:3])]
    assert min(waited) >= 1.5, waited


def test_a_failing_site_is_asked_less_and_less_often(fixture_server, crawl):
    # 500 on every page and no Retry-After: each failure in a row holds the site longer (the
    # retry backoff, doubling), so many pages on a broken site do not hammer it.
    fixture_server.serve_pages(Reply(status=500, body=b"oops"))
    targets = [CrawlTarget(f"p{n}", fixture_server.url(f"/p{n}.html")) for n in range(4)]
    results = crawl(
        targets,
        RETRY_TIMES=0,
        CONCURRENT_REQUESTS_PER_DOMAIN=1,
        DOWNLOAD_DELAY=0.05,
        RETRY_BACKOFF_BASE=0.4,
        RETRY_BACKOFF_MAX=10,
    )
    assert {r.error for r in results.values()} == {"HTTP 500"}
    starts = [r.at for r in fixture_server.requests if r.path != "/robots.txt"]
    gaps = [b - a for a, b in pairwise(starts)]
    # Holds of 0.4, 0.8 and 1.6 s after the 1st, 2nd and 3rd failure in a row.
    assert gaps[0] >= 0.3 and gaps[1] >= 0.7 and gaps[2] >= 1.4, gaps


def test_robots_txt_crawl_delay_is_honoured(fixture_server, crawl):
    robots = b"User-agent: *\nCrawl-delay: 2\n"
    fixture_server.route("/robots.txt", Reply(body=robots, content_type="text/plain"))
    fixture_server.serve_pages(Reply(body=PAGE))
    targets = [CrawlTarget(f"p{n}", fixture_server.url(f"/p{n}.html")) for n in range(3)]
    results = crawl(targets)
    assert all(r.body == PAGE for r in results.values())
    starts = [r.at for r in fixture_server.requests]  # robots.txt first, then the pages
    gaps = [b - a for a, b in pairwise(starts)]
    assert len(gaps) == 3 and min(gaps) >= 1.8, gaps


def test_robots_txt_server_error_means_no_crawling(fixture_server, crawl):
    # RFC 9309 2.3.1.4: an unreachable robots.txt (5xx) means complete disallow, not "allowed".
    fixture_server.route("/robots.txt", Reply(status=503, body=b"<html>busy</html>"))
    fixture_server.route("/p.html", Reply(body=PAGE))
    result = crawl([CrawlTarget("p", fixture_server.url("/p.html"))], RETRY_TIMES=0)["p"]
    assert result.error == "robots.txt unreachable (HTTP 503)"
    assert fixture_server.requests_for("/p.html") == []


def test_robots_txt_redirected_to_another_host_is_followed(fixture_server, crawl):
    # RFC 9309 2.3.1.2: robots.txt redirects are followed, even to another host.
    moved = fixture_server.url("/robots-moved.txt", host="localhost")
    fixture_server.route("/robots.txt", Reply(status=301, headers={"Location": moved}))
    robots = b"User-agent: *\nDisallow: /\n"
    fixture_server.route("/robots-moved.txt", Reply(body=robots, content_type="text/plain"))
    fixture_server.route("/p.html", Reply(body=PAGE))
    result = crawl([CrawlTarget("p", fixture_server.url("/p.html"))])["p"]
    assert result.error == "forbidden by robots.txt"
    assert fixture_server.requests_for("/p.html") == []


def test_huge_robots_txt_is_read_up_to_its_first_500_kib(fixture_server, crawl):
    # RFC 9309 2.5: at least the first 500 KiB are parsed; a larger file is not "no robots.txt".
    robots = b"User-agent: *\nDisallow: /private/\n" + b"# padding\n" * 1_000_000
    fixture_server.route("/robots.txt", Reply(body=robots, content_type="text/plain"))
    fixture_server.route("/private/p.html", Reply(body=PAGE))
    target = CrawlTarget("p", fixture_server.url("/private/p.html"))
    result = crawl([target], DOWNLOAD_MAXSIZE=1_000_000)["p"]
    assert result.error == "forbidden by robots.txt"
    assert fixture_server.requests_for("/private/p.html") == []
