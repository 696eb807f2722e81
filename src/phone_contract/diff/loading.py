"""Read one side of a diff: a file, or ``git:REV:path`` (the file as it is at a git revision)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from phone_contract._exit import UsageError
from phone_contract._spec import Spec, parse_spec

GIT_PREFIX = "git:"


def load(source: str) -> Spec:
    """The spec model of one side; UsageError or SpecError (one line) when it is not valid OpenAPI.

    Any valid document compares, halfway through an edit too: examples that no longer fit their
    schemas are the spec checks' business (``stale_examples``, named as warnings), not a reason to
    refuse a diff.
    """
    return _load_git(source) if source.startswith(GIT_PREFIX) else _load_file(source)


def _load_file(source: str) -> Spec:
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read {source}: {reason}") from None
    # Read where it lies, so that its sibling-file $refs resolve beside it.
    return parse_spec(text, source, base_uri=Path(source).resolve().as_uri(), check_examples=False)


def _load_git(source: str) -> Spec:
    rev, sep, path = source[len(GIT_PREFIX) :].partition(":")
    if not sep or not rev or not path:
        raise UsageError(f"{source}: expected git:REV:path, e.g. git:HEAD:spec/phone-numbers.openapi.yaml")
    # `git show REV:path` takes path from the repository root, as `git show` users expect.
    text = _git(source, "show", f"{rev}:{path}").decode("utf-8", errors="replace")
    folder = PurePosixPath(path).parent
    # The spec's folder as it is at REV, so that sibling-file $refs read the revision's files and
    # never the working tree's. `REV:folder` names a tree, from the root like `git show`.
    archive = _git(source, "archive", "--format=tar", f"{rev}:{'' if str(folder) == '.' else folder}")
    with tempfile.TemporaryDirectory(prefix="phone-contract-diff-") as where:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(where, filter="data")
        # The model holds everything it read: the folder can go once it is built.
        uri = (Path(where) / PurePosixPath(path).name).as_uri()
        return parse_spec(text, source, base_uri=uri, check_examples=False)


def _git(source: str, *args: str) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise UsageError(f"{source}: git is not installed")
    # From the repository's root, wherever the user stands in it: REV:path is read from the root.
    # (Outside a repository, rev-parse fails and the command below says so in git's words.)
    root = subprocess.run([git, "rev-parse", "--show-toplevel"], capture_output=True, check=False)
    cwd = root.stdout.decode().strip() if root.returncode == 0 else None
    result = subprocess.run([git, *args], capture_output=True, check=False, cwd=cwd or None)
    if result.returncode != 0:
        errors = result.stderr.decode("utf-8", errors="replace").splitlines()
        reason = next((line for line in errors if line.strip()), f"git {args[0]} failed")
        raise UsageError(f"{source}: {reason.removeprefix('fatal: ')}")
    return result.stdout
