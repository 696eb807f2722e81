"""Read one side of a diff: a file, or ``git:REV:path`` (the file as it is at a git revision)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from phone_contract._exit import UsageError
from phone_contract._spec import Spec, parse_spec

GIT_PREFIX = "git:"


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


def load(source: str) -> Spec:
    """The spec model of one side; SpecError when it is not a spec the toolkit can use.

    A file is read where it lies, so that its sibling-file ``$ref``s resolve; a ``git:`` source is
    text, whose ``$ref``s must be local. Either side needs the create operation and its JSON body,
    as every command of the toolkit does.
    """
    text = read_source(source)
    base_uri = None if source.startswith(GIT_PREFIX) else Path(source).resolve().as_uri()
    spec = parse_spec(text, source, base_uri=base_uri)
    spec.require_operation()
    return spec
