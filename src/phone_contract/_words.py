"""Counts in words, as the toolkit's reports write them: "1 creation", "2 creations"."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` and its noun, singular for exactly one (``plural`` for irregular nouns)."""
    noun = singular if number == 1 else (plural or f"{singular}s")
    return f"{number} {noun}"


def times(number: int) -> str:
    """How often something was seen: ``once``, ``2 times``."""
    return "once" if number == 1 else f"{number} times"
