"""CORS for the served mock, so a browser front end can call it: Starlette's middleware around the raw app.

Off unless asked for (``--cors-origin``): the mock then answers exactly as without it, at no cost.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

# What a browser may send: the token, the JSON body's type, and Prefer to ask for a documented answer.
ALLOWED_HEADERS = ("Authorization", "Content-Type", "Prefer")
# What a browser page may read of an answer beyond the safelisted headers.
EXPOSED_HEADERS = ("WWW-Authenticate", "Allow")


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


def with_cors(app: ASGIApp, origins: Sequence[str], methods: Sequence[str]) -> ASGIApp:
    """``app`` answering CORS preflights from ``origins`` (``*`` for any) for ``methods``."""
    return CORSMiddleware(
        app,
        allow_origins=list(origins),
        allow_methods=list(dict.fromkeys(methods)),
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
    )
