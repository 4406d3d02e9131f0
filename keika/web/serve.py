"""`keika serve`: run the web view with uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Annotated

import typer

from keika.options import DbOption
from pipeline.domain.errors import InputError

TOKEN_ENV = "KEIKA_WEB_TOKEN"


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost reach only this machine; anything else may not."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def exposure_warning(host: str, port: int, token: str | None) -> str | None:
    """What to tell the user before serving the change log beyond this machine, if anything."""
    if is_loopback(host):
        return None
    warning = (
        f"warning: serving on {host}:{port}, beyond this machine: anyone who can reach it can "
        "read the change log."
    )
    if not token:
        warning += f" Set {TOKEN_ENV} to require a token."
    return warning


def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on; anything but loopback prints a warning."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8080,
    db: DbOption = None,
) -> None:
    """Browse the change log in a web browser, and follow it as an Atom feed (read-only).

    With KEIKA_WEB_TOKEN set, every request needs the token: `Authorization: Bearer TOKEN`,
    or `?token=TOKEN` once (a cookie then keeps the browser signed in).
    """
    import uvicorn

    from keika.console import open_db
    from keika.web.app import create_app

    if not 0 < port < 65536:
        raise InputError(f"--port {port}: expected a port number from 1 to 65535")
    token = os.environ.get(TOKEN_ENV) or None
    warning = exposure_warning(host, port, token)
    if warning:
        typer.echo(warning, err=True)
    database = open_db(db, read_only=True)
    try:
        sock = listening_socket(host, port)
    except BaseException:
        database.dispose()
        raise
    app = create_app(database, token)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    typer.echo(f"keika: serving {database.display_url} at http://{shown}:{port}/", err=True)
    config = uvicorn.Config(app, log_level="warning", server_header=False)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        database.dispose()


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket bound before serving is announced: a port in use or a host that does not
    resolve is one line and exit 2 (uvicorn would log its own error and exit 3)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock
