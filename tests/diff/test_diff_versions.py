"""The info.version advice: which bump a change needs, and whether NEW's version makes it."""

from __future__ import annotations

import pytest

from phone_contract.diff.model import Bump
from phone_contract.diff.versions import advise, bumped, made_bump


@pytest.mark.parametrize(
    ("old", "new", "made"),
    [
        ("1.0.0", "2.0.0", Bump.MAJOR),
        ("1.0.0", "1.1.0", Bump.MINOR),
        ("1.4.2", "1.4.3", Bump.PATCH),
        ("1.0.0", "1.0.0", Bump.NONE),
        ("v1.2.3", "v2.0.0-rc.1", Bump.MAJOR),
        ("1.1.0", "1.0.9", None),  # backwards
        ("2026-11", "2026-12", None),  # not semantic
    ],
)
def test_made_bump(old: str, new: str, made: Bump | None) -> None:
    assert made_bump(old, new) is made


@pytest.mark.parametrize(
    ("bump", "expected"),
    [(Bump.MAJOR, "2.0.0"), (Bump.MINOR, "1.3.0"), (Bump.PATCH, "1.2.4"), (Bump.NONE, "1.2.3")],
)
def test_bumped(bump: Bump, expected: str) -> None:
    assert bumped("1.2.3", bump) == expected


def test_a_bigger_bump_than_needed_satisfies_and_a_smaller_does_not() -> None:
    assert advise("1.0.0", "2.0.0", Bump.MINOR).satisfied
    assert not advise("1.0.0", "1.1.0", Bump.MAJOR).satisfied
    assert not advise("1.0.0", "banana", Bump.PATCH).satisfied
    assert advise("1.0.0", "1.0.0", Bump.NONE).satisfied
