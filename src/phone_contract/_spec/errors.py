"""The spec model's one error, and how its messages stay one line."""

from __future__ import annotations


class SpecError(Exception):
    """The spec could not be read, is not valid OpenAPI, or lacks what the toolkit needs; one line."""


def first_line(exc: BaseException | str) -> str:
    """The first line of an error's text, at most 300 characters: a validator may go on for pages."""
    text = exc if isinstance(exc, str) else str(exc) or type(exc).__name__
    return (text.splitlines() or [text])[0][:300]
