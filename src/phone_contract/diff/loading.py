"""Read one side of a diff: a file, or ``git:REV:path`` (the file as it is at a git revision)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phone_contract._exit import UsageError
from phone_contract._spec import parse_spec

GIT_PREFIX = "git:"


@dataclass(frozen=True)
class LoadedSpec:
    origin: str
    document: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.document.get("info", {}).get("version", ""))


def read_source(source: str) -> str:
    """The text of ``source``; UsageError with one line when it cannot be had."""
    if source.startswith(GIT_PREFIX):
        return _read_git(source)
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read {source}: {reason}") from None


def _read_git(source: str) -> str:
    rev, sep, path = source[len(GIT_PREFIX) :].partition(":")
    if not sep or not rev or not path:
        raise UsageError(f"{source}: expected git:REV:path, e.g. git:HEAD:spec/phone-numbers.openapi.yaml")
    git = shutil.which("git")
    if git is None:
        raise UsageError(f"{source}: git is not installed")
    # `git show REV:path` takes path from the repository root, as `git show` users expect.
    result = subprocess.run([git, "show", f"{rev}:{path}"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = next((line for line in result.stderr.splitlines() if line.strip()), "git show failed")
        raise UsageError(f"{source}: {reason.removeprefix('fatal: ')}")
    return result.stdout


def load(source: str) -> LoadedSpec:
    """Read, parse and validate one side (SpecError when it is not valid YAML or OpenAPI)."""
    return LoadedSpec(origin=source, document=parse_spec(read_source(source), source).raw)
