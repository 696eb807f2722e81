"""CORS for the served mock, so a browser front end can call it: Starlette's middleware around the raw app.

Off unless asked for (``--cors-origin``): the mock then answers exactly as without it, at no cost.

Which request headers a preflight may ask for: by default any, as Prism answers (it reflects the
headers a preflight asks for). The spec documents no CORS policy of the real API, so refusing a header
a browser app adds of its own (``X-Request-Id``, ``traceparent``) would break the app against the mock
for no reason the contract gives. ``--cors-allow-header`` narrows it to the headers the mock reads and
the ones named, to try an app against the policy its API is known to have.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

# What the mock reads: the token, the JSON body's type, and Prefer to ask for a documented answer.
READ_HEADERS = ("Authorization", "Content-Type", "Prefer")
# Any request header, in a preflight; the default.
ANY_HEADER = "*"
# What a browser page may read of an answer beyond the safelisted headers.
EXPOSED_HEADERS = ("WWW-Authenticate", "Allow")
# A field name is an RFC 9110 token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def origin(value: str) -> str:
    """``*`` or ``scheme://host[:port]``, as a browser sends it in ``Origin`` (an argparse type)."""
    if value == "*":
        return value
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.path
        or parts.query
        or parts.fragment
    ):
        raise argparse.ArgumentTypeError(
            f"must be '*' or like http://localhost:3000 (no path), not {value!r}"
        )
    return value


def header_name(value: str) -> str:
    """A request header's name, as a browser lists it in ``Access-Control-Request-Headers``, or ``*``
    for any (an argparse type)."""
    if not _TOKEN.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"must be a header name like X-Request-Id (letters, digits and !#$%&'*+-.^_`|~), "
            f"or '*' for any, not {value!r}"
        )
    return value


def with_cors(
    app: ASGIApp,
    origins: Sequence[str],
    methods: Sequence[str],
    headers: Sequence[str] = (ANY_HEADER,),
) -> ASGIApp:
    """``app`` answering CORS preflights from ``origins`` (``*`` for any) for ``methods``, asking for
    ``headers`` besides the ones the mock reads (``*``, the default: any header)."""
    allowed = [ANY_HEADER] if ANY_HEADER in headers else list(dict.fromkeys([*READ_HEADERS, *headers]))
    return CORSMiddleware(
        app,
        allow_origins=list(origins),
        allow_methods=list(dict.fromkeys(methods)),
        allow_headers=allowed,
        expose_headers=EXPOSED_HEADERS,
    )
