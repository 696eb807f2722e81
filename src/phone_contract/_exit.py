"""Exit statuses shared by every ``phone-contract`` command."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """0: all good; 1: the contract is broken (or a change breaks clients); 2: could not run."""

    OK = 0
    FAILED = 1
    CANNOT_RUN = 2


class UsageError(Exception):
    """A user mistake (bad argument, missing token, unreadable file): reported in one line, exit 2."""
