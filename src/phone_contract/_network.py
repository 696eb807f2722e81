"""What a failed HTTP attempt was, told by the exception's type (never its message): DNS, TLS, refused,
timed out, reset. The gate's door (what to retry) and the proxy (what to answer) both ask it.

httpx raises one ``ConnectError`` for a failed DNS lookup, a refused connection and a failed TLS
handshake alike; what the system raised underneath (``socket.gaierror``, ``ConnectionRefusedError``,
``ssl.SSLError``) stays in the exception's chain, whatever words the system's resolver uses.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class NetworkFailure:
    """One failed attempt: what it was, whether the request may have reached the server, whether
    trying again can help."""

    kind: str
    sent: bool
    transient: bool


def classify(exc: BaseException) -> NetworkFailure:  # noqa: PLR0911 - one return per kind, most telling first
    """The kind of a network failure, from its exception type and the types in its chain."""
    chain = list(_chain(exc))
    if any(isinstance(cause, socket.gaierror) for cause in chain):
        return NetworkFailure("DNS lookup failed", sent=False, transient=False)
    if any(isinstance(cause, ssl.SSLError) for cause in chain):
        return NetworkFailure("TLS handshake failed", sent=False, transient=False)
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return NetworkFailure("connect timeout", sent=False, transient=True)
    if isinstance(exc, httpx.TimeoutException):
        return NetworkFailure("read timeout", sent=True, transient=True)
    if any(isinstance(cause, ConnectionRefusedError) for cause in chain):
        return NetworkFailure("connection refused", sent=False, transient=True)
    if isinstance(exc, httpx.ConnectError):
        return NetworkFailure("connection failed", sent=False, transient=True)
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError | httpx.CloseError):
        return NetworkFailure("connection reset", sent=True, transient=True)
    return NetworkFailure("network error", sent=False, transient=False)


def describe(base_url: str, exc: BaseException) -> str:
    """One line a user can act on: what failed (DNS, TLS, refused, timeout) and where."""
    text = str(exc) or type(exc).__name__
    first = text.splitlines()[0] if text.splitlines() else text
    return f"cannot reach {base_url}: {classify(exc).kind} ({first})"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
