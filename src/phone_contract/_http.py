"""Reading HTTP headers the same way wherever the toolkit meets them (gate, proxy, learn, HAR)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol


class HasHeaders(Protocol):
    """A response whose headers map a name to its values (schemathesis' ``Response``)."""

    @property
    def headers(self) -> Mapping[str, Sequence[str]]: ...


def header(pairs: Iterable[tuple[str, str]], name: str) -> str | None:
    """The first value of header ``name`` (any case) among ``(name, value)`` pairs."""
    wanted = name.lower()
    return next((value for key, value in pairs if key.lower() == wanted), None)


def content_type(response: HasHeaders) -> str | None:
    """The response's Content-Type as sent, or None."""
    values = response.headers.get("content-type") or response.headers.get("Content-Type")
    return values[0] if values else None


def media_type(content_type: str | None) -> str:
    """``application/json; charset=utf-8`` -> ``application/json``."""
    return (content_type or "").split(";", 1)[0].strip().lower()
