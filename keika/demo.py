"""`keika demo`: the whole pipeline offline, on bundled snapshots of Oyama City's P-4103.

A local HTTP server on 127.0.0.1 plays the city's site; it publishes one version of the page
after another, and each is crawled by the real spider into a fresh SQLite database, so the
change log at the end is exactly what a user would see after a few months of watching.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

PAGE_PATH = "/shisei/gaiyo/kokusai-kouryuu/page004103.html"


@dataclass(frozen=True, slots=True)
class DemoStep:
    version: str
    story: str


TIMELINE = (
    DemoStep("v1", "the page as first seen (2010)"),
    DemoStep("v2", "the page as published today: one entry added, two corrected, two swapped"),
    DemoStep("v2-noise", "only the update date and the access counter changed"),
    DemoStep("maintenance", "a maintenance notice served with status 200 in the page's place"),
    DemoStep("v2-renewal", "the same entries after a site template renewal"),
    DemoStep("v3", "a typo fixed, one entry removed, two added"),
)


def demo_page(version: str) -> bytes:
    return resources.files("keika").joinpath("data", "demo", f"{version}.html").read_bytes()


class SiteServer:
    """A tiny stand-in for the city's web server: one page, ETag/Last-Modified, robots.txt."""

    def __init__(self) -> None:
        self.body = b""
        self.etag = ""
        self.published = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/robots.txt":
                    self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
                    return
                if self.path != PAGE_PATH:
                    self._send(404, b"not found", "text/plain")
                    return
                if self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.send_header("ETag", server.etag)
                    self.end_headers()
                    return
                self._send(200, server.body, "text/html; charset=utf-8")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if status == 200 and content_type.startswith("text/html"):
                    self.send_header("ETag", server.etag)
                    self.send_header("Last-Modified", formatdate(server.published, usegmt=True))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{PAGE_PATH}"

    def publish(self, body: bytes) -> None:
        self.body = body
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        self.published += 86400

    @contextmanager
    def running(self) -> Iterator[SiteServer]:
        self.thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()


def write_demo_seeds(folder: Path, url: str) -> Path:
    path = folder / "demo.toml"
    path.write_text(
        "# The page the demo watches: a local stand-in for Oyama City's P-4103.\n"
        "[[page]]\n"
        'key = "oyama-benxi"\n'
        'name = "本渓市との交流経過 (demo)"\n'
        f'url = "{url}"\n'
        'schedule = "every 30m"\n',
        encoding="utf-8",
    )
    return path


def default_demo_db() -> tuple[str, Path]:
    folder = Path(tempfile.mkdtemp(prefix="keika-demo-"))
    return f"sqlite:///{folder / 'demo.db'}", folder
