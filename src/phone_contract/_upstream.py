"""Where a request is forwarded: the one base URL given, never a host a request names (the proxy, the
gate's door in front of a live API).

A request's target is reduced to its path and query and appended to the upstream's base path, so an
absolute URL (``GET http://elsewhere/``), a ``Host`` header or a path like ``//elsewhere/`` cannot
send it anywhere else: the proxy is no open relay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

# RFC 9110 section 7.6.1: meaningful for one connection only, never forwarded (either way).
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# httpx sets these from the upstream URL and the body it sends.
_SET_BY_CLIENT = frozenset({b"host", b"content-length"})
# httpx adds these to every request unless told; a request without them must arrive without them.
CLIENT_DEFAULTS = ("accept", "accept-encoding", "connection", "user-agent")


_NOT_IN_URLS = re.compile(rb"[\x00-\x20\x7f-\xff]")


@dataclass(frozen=True)
class Upstream:
    """The API behind the proxy: scheme, host, port and base path (``http://api.example/api/v2``)."""

    url: httpx.URL

    @classmethod
    def parse(cls, text: str) -> Upstream:
        """ValueError in one line unless ``text`` is an http(s) URL with a host and nothing after the path."""
        try:
            url = httpx.URL(text)
        except httpx.InvalidURL as exc:
            raise ValueError(f"--upstream {text!r} is not a URL ({exc})") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"--upstream must be an http:// or https:// URL with a host, not {text!r}")
        if url.query or url.fragment:
            raise ValueError(f"--upstream must not have a query or fragment: {text!r}")
        if url.userinfo:
            # A password on the command line lands in shell history and `ps`; the app sends its own.
            raise ValueError(
                "--upstream must not carry a user or password; the app sends its own credentials"
            )
        return cls(url.copy_with(raw_path=url.raw_path.rstrip(b"/")))

    def target(self, raw_path: bytes, query: bytes) -> httpx.URL:
        """The upstream URL for a request's path and query, on the upstream's host and nowhere else."""
        path = raw_path if raw_path.startswith(b"/") else b"/" + raw_path
        # rstrip here too: a URL without a path has raw_path "/".
        full = self.url.raw_path.rstrip(b"/") + _escaped(path) + (b"?" + _escaped(query) if query else b"")
        return self.url.copy_with(raw_path=full)

    @property
    def path(self) -> str:
        return self.url.path.rstrip("/")

    def __str__(self) -> str:
        return str(self.url)


def _escaped(raw: bytes) -> bytes:
    """``raw`` with bytes no URL may hold as they are (controls, space, non-ASCII) percent-encoded, as
    a client would have sent them; everything else, existing escapes included, stays as it came."""
    return _NOT_IN_URLS.sub(lambda match: b"%%%02X" % match[0][0], raw)


def end_to_end(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` without hop-by-hop ones, including those the ``Connection`` header names."""
    pairs = list(headers)
    named = {
        token.strip().lower()
        for name, value in pairs
        if name.lower() == b"connection"
        for token in value.split(b",")
    }
    return [(name, value) for name, value in pairs if name.lower() not in HOP_BY_HOP | named]


def request_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """What to send upstream: the app's headers as they came, less hop-by-hop, Host and Content-Length."""
    return [(name, value) for name, value in end_to_end(headers) if name.lower() not in _SET_BY_CLIENT]
