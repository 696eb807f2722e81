"""Bind a listening socket before uvicorn does: shared by the served mock and the proxy.

A taken port or a bad host is then one line and exit 2 (``UsageError``), not uvicorn's traceback,
and ``--port 0`` is resolved to the real port before the server prints where it listens.
"""

from __future__ import annotations

import argparse
import errno
import socket

from phone_contract import _argtypes as argtypes
from phone_contract._exit import UsageError


def add_listen_options(parser: argparse.ArgumentParser) -> None:
    """``--host`` and ``--port``, the same for every command that serves."""
    parser.add_argument(
        "--host", metavar="HOST", default="127.0.0.1", help="address to listen on (loopback only by default)"
    )
    parser.add_argument(
        "--port", metavar="PORT", type=argtypes.port, default=8000, help="port to listen on (0: a free one)"
    )


def listen(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket on ``host:port``; UsageError in one line if that cannot be."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        reason = "port already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise UsageError(f"cannot listen on {host}:{port}: {reason}") from None
    return sock


def shown_address(sock: socket.socket) -> str:
    """``host:port`` of a listening socket as a URL shows it (IPv6 in brackets)."""
    host, port = sock.getsockname()[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
