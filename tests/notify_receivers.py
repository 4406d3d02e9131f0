"""Real receivers on 127.0.0.1 for notification tests: a JSON webhook and an SMTP server.

`WebhookReceiver(port=0, status=200, delay=0.0)` is a ThreadingHTTPServer answering POSTs with
`status` after sleeping `delay` seconds (a slow receiver) and recording each as
`Post(path, headers, payload)`; `received` counts requests as they arrive, before the delay.
`free_port()` reserves a port nobody listens on, for a target that is down until a receiver is
started on it.
`SmtpReceiver()` is an aiosmtpd Controller accepting AUTH LOGIN/PLAIN with one password and
recording each mail as an `email.message.EmailMessage`; `SmtpReceiver(reject="554 5.7.1 why")`
answers every DATA with that reply instead (a server refusing with its reason).
`queue_plain(db, *targets, digest_id="d1", subject="s")` queues one plain message for them, in
a transaction of its own: the outbox tests' setup.
"""

from __future__ import annotations

import email
import json
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def queue_plain(
    db: Any, *targets: str, digest_id: str = "d1", subject: str = "s", kind: str = "digest"
) -> None:
    from storage.outbox import queue_message

    with db.session() as session:
        queue_message(
            session,
            digest_id=digest_id,
            kind=kind,
            subject=subject,
            body_text="b",
            body_html=None,
            targets=list(targets),
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    payload: dict[str, Any]


class WebhookReceiver:
    def __init__(self, port: int = 0, status: int = 200, delay: float = 0.0) -> None:
        self.status = status
        self.delay = delay
        self.received = 0
        self.posts: list[Post] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def titles(self) -> list[str]:
        with self._lock:
            return [p.payload["title"] for p in self.posts]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                payload = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver.status
                with receiver._lock:
                    receiver.received += 1
                if receiver.delay:
                    time.sleep(receiver.delay)
                if status < 400:
                    with receiver._lock:
                        receiver.posts.append(Post(self.path, headers, payload))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


class SmtpReceiver:
    def __init__(self, password: str = "s3cret:@/pw", reject: str | None = None) -> None:
        self.password = password
        self.reject = reject
        self.messages: list[EmailMessage] = []
        self.logins: list[tuple[bytes, bytes]] = []
        self.port = free_port()
        self._controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self._authenticate,
            auth_require_tls=False,
        )

    def start(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def url(self, password: str, to: str = "reader@example.jp") -> str:
        return (
            f"mailto://keika:{password}@127.0.0.1:{self.port}"
            f"?from=keika@example.jp&to={to}&mode=insecure"
        )

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:  # type: ignore[no-untyped-def]
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False)
        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == self.password.encode())

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        if self.reject:
            return self.reject
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"
