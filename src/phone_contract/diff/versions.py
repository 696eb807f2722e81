"""Which ``info.version`` bump a diff calls for, and whether the new spec's version already makes it."""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from phone_contract.diff.model import Bump


def _parts(version: str) -> tuple[int, int, int] | None:
    """MAJOR.MINOR.PATCH of ``version``; None when it has not exactly three.

    Read as pip reads a version (``v1.2.3``, ``2.0.0-rc.1``...): info.version is also the version of
    the generated client's package.
    """
    try:
        release = Version(version.strip()).release
    except InvalidVersion:
        return None
    if len(release) != 3:
        return None
    major, minor, patch = release
    return major, minor, patch


def made_bump(old: str, new: str) -> Bump | None:
    """The bump from ``old`` to ``new``; None when either is not semantic or ``new`` goes backwards."""
    before, after = _parts(old), _parts(new)
    if before is None or after is None or after < before:
        return None
    if after[0] > before[0]:
        return Bump.MAJOR
    if after[1] > before[1]:
        return Bump.MINOR
    return Bump.PATCH if after[2] > before[2] else Bump.NONE


def bumped(old: str, bump: Bump) -> str | None:
    """``old`` raised by ``bump`` (``1.2.3`` + minor = ``1.3.0``); None when ``old`` is not semantic."""
    parts = _parts(old)
    if parts is None:
        return None
    major, minor, patch = parts
    if bump is Bump.MAJOR:
        return f"{major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{major}.{minor + 1}.0"
    if bump is Bump.PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"


@dataclass(frozen=True)
class VersionAdvice:
    required: Bump
    suggested: str | None
    made: Bump | None

    @property
    def satisfied(self) -> bool:
        return self.made is not None and self.made >= self.required


def advise(old: str, new: str, required: Bump) -> VersionAdvice:
    return VersionAdvice(required=required, suggested=bumped(old, required), made=made_bump(old, new))
