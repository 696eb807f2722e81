"""A private hypothesis home per run, sharing only hypothesis' unicode tables between runs.

Hypothesis stores examples, the constants it draws from local source code, and its unicode
tables under one home directory (``.hypothesis/`` by default). Constants read back from that
cache differ from freshly extracted ones, so a seed would send other cases on a used checkout than
on a fresh clone; examples would leak between runs. So each run gets an empty, temporary home.
The unicode tables are pure functions of the hypothesis version and take seconds to build, so
they alone live in a shared cache directory, linked into each private home.

The home is hypothesis' one process-wide setting: the gate's plugin points it at the private home
only while a contract test runs (:func:`used`), so the other tests of a session never see it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import hypothesis
from hypothesis.configuration import set_hypothesis_home_dir, storage_directory

_UNICODE_DATA = "unicode_data"


def _shared_unicode_cache() -> Path | None:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = base / "phone-contract" / f"hypothesis-{hypothesis.__version__}" / _UNICODE_DATA
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no writable cache: every run builds the tables itself, a few seconds slower
    return cache


def make_private_home() -> Path:
    """A new temporary home, with the shared unicode tables (remove it with :func:`remove`)."""
    home = Path(tempfile.mkdtemp(prefix="phone-contract-gate-"))
    shared = _shared_unicode_cache()
    if shared is not None:
        (home / _UNICODE_DATA).symlink_to(shared, target_is_directory=True)
    return home


@contextmanager
def used(home: Path) -> Iterator[None]:
    """Hypothesis' home is ``home`` inside the block, and what it was before after it."""
    previous = storage_directory(intent_to_write=False).home_directory
    set_hypothesis_home_dir(home)
    try:
        yield
    finally:
        set_hypothesis_home_dir(previous)


def remove(home: Path) -> None:
    # The link goes, the shared tables it points to stay.
    shutil.rmtree(home, ignore_errors=True)
