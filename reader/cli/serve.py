"""`readmark serve`: the reader in a web browser (textual-serve), on this computer by default.

Each browser tab runs its own `readmark ARTICLE` behind the page. The server binds to
127.0.0.1 unless ``--host`` says otherwise, and then says who can reach it. It only
answers pages it served itself: a web socket opened by another site's page (the way
any page in the same browser could otherwise drive the reader) is refused, and
while it binds to this computer only, so is a request that names another host (a
renamed address pointing here).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys
from typing import Any
from urllib.parse import urlsplit

from reader.cli.common import CliError, common_arguments, shown

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Names that mean this computer, as a browser on it writes them.
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value}: a port is from 1 to 65535")
    return value


def serve_parser() -> argparse.ArgumentParser:
    """The options of `readmark serve`."""
    parser = argparse.ArgumentParser(
        prog="readmark serve",
        description="Serve the reader to a web browser, for reading from another device. "
        "Without --host only this computer can open it; --host 0.0.0.0 lets any device "
        "on your network in (and read and annotate your library: use it on a network "
        "you trust). Ctrl+C stops the server.",
    )
    parser.add_argument("article", nargs="?",
                        help="the article to open (default: as `readmark` alone opens)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"the address to listen on (default {DEFAULT_HOST}: this "
                        "computer only; 0.0.0.0: every network it is on)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT,
                        help=f"the port (default {DEFAULT_PORT})")
    common_arguments(parser)
    return parser


def is_local(host: str) -> bool:
    """Whether ``host`` is this computer only (a loopback address or localhost)."""
    if host.strip("[]").lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(article: str | None, db: str | None) -> str:
    """The shell command each browser tab runs: this Python's `readmark` (by way of
    :mod:`reader.cli.served`)."""
    words = [sys.executable, "-m", "reader.cli.served"]
    if article:
        words.append(os.path.abspath(article) if os.path.exists(article) else article)
    if db:
        words += ["--db", os.path.abspath(os.path.expanduser(db))]
    return shlex.join(words)


def announcement(host: str, port: int) -> str:
    """What `readmark serve` says when it starts: where, and who can reach it."""
    shown_host = f"[{host}]" if ":" in host else host
    if is_local(host):
        return (f"readmark: serving at http://{shown_host}:{port} — only this computer can "
                "open it (--host 0.0.0.0 lets other devices on your network in). "
                "Ctrl+C stops it.")
    return (f"readmark: serving on {host} port {port} — any device that can reach this "
            "computer there can open it, and read and annotate your library. Ctrl+C stops it.")


def serve_command(args: argparse.Namespace) -> int:
    if args.article and "://" not in args.article and not os.path.exists(args.article):
        raise CliError(f"{args.article}: no such file")
    try:
        from textual_serve.server import Server
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        raise CliError("readmark serve needs textual-serve (pip install textual-serve)") from None
    server = _server_class(Server)(app_command(args.article, args.db), host=args.host,
                                   port=args.port, title="readmark")
    print(shown(announcement(args.host, args.port)), flush=True)
    try:
        server.serve()
    except OSError as error:
        raise CliError(f"cannot listen on {args.host} port {args.port}: "
                       f"{error.strerror or error}") from None
    return 0


def _server_class(base: Any) -> Any:
    """textual-serve's Server, answering only its own pages (see the module's doc)."""
    from aiohttp import web

    class ReadmarkServer(base):
        def _allowed(self, request: web.Request) -> bool:
            host = urlsplit(f"//{request.host}").hostname or ""
            if is_local(self.host) and not is_local(host):
                return False  # bound to this computer, asked for by another name
            origin = request.headers.get("Origin")
            return origin is None or origin == f"{request.scheme}://{request.host}"

        async def handle_index(self, request: web.Request) -> Any:
            if not self._allowed(request):
                raise web.HTTPForbidden(text="readmark: not this page's server")
            # Links and the web socket as the browser reached the page, so the same
            # page works from this computer and from another device.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> Any:
            if not self._allowed(request):
                raise web.HTTPForbidden(text="readmark: not this page's server")
            return await super().handle_websocket(request)

        async def on_startup(self, app: Any) -> None:
            """Quiet: readmark has said where it serves (textual-serve prints a banner)."""

    return ReadmarkServer
