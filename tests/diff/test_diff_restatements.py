"""``phone-contract diff`` compares contracts, not layouts: run as a user runs it, on the project's spec
restated in every layout of ``tests/restatements.py``, and on every spec the toolkit cannot use."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from phone_contract import default_spec_path
from phone_contract.cli import main
from tests.restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable

PROJECT = str(default_spec_path())


def diff(old: str, new: str) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process: what CI runs."""
    return subprocess.run(
        [sys.executable, "-m", "phone_contract.cli", "diff", old, new, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("name", sorted(RESTATEMENTS))
def test_a_restatement_is_no_change(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    restated = str(write_restatement(name, tmp_path))
    result = diff(PROJECT, restated)
    assert (result.returncode, result.stderr) == (0, "")
    report = json.loads(result.stdout)
    assert report["changes"] == []
    assert not report["breaks_clients"]
    assert not report["breaks_servers"]
    # Prose a layout adds ("See PhoneNumber." beside a wrapped $ref) is at most a patch.
    assert report["version"]["required_bump"] in ("none", "patch")
    # The other way round, in this process (the command's entry point, without another start-up).
    assert main(["diff", restated, PROJECT, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == []


@pytest.mark.parametrize("side", ["OLD", "NEW"])
@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_side_is_one_line_and_exit_2(name: str, side: str, tmp_path: Path) -> None:
    path, words = write_unusable(name, tmp_path)
    old, new = (str(path), PROJECT) if side == "OLD" else (PROJECT, str(path))
    result = diff(old, new)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("phone-contract diff: error: ")
    assert words in line
    assert str(path) in line  # the side that is unusable is named


def test_a_git_revision_reads_its_sibling_files_at_that_revision(tmp_path: Path) -> None:
    git = shutil.which("git")
    assert git is not None
    repo = tmp_path / "repo"
    spec = write_restatement("sibling-file", repo / "spec")
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    subprocess.run([git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([git, "-C", str(repo), *identity, "commit", "-qm", "spec"], check=True)
    revision = "git:HEAD:spec/spec.yaml"

    def diff_in_repo(old: str, new: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "phone_contract.cli", "diff", old, new, "--format", "json"]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False, timeout=60)

    same = diff_in_repo(revision, str(spec))
    assert (same.returncode, same.stderr, json.loads(same.stdout)["changes"]) == (0, "", [])
    # The working tree's sibling file changes: the revision still reads its own.
    schemas_file = spec.parent / "schemas.yaml"
    schemas = yaml.safe_load(schemas_file.read_text(encoding="utf-8"))
    schemas["CreatePhoneNumberRequest"]["required"].append("friendlyName")
    schemas_file.write_text(yaml.safe_dump(schemas, sort_keys=False), encoding="utf-8")
    changed = diff_in_repo(revision, str(spec))
    assert changed.returncode == 1, changed.stderr
    [change] = json.loads(changed.stdout)["changes"]
    assert (change["rule"], change["path"]) == ("request-property-became-required", "$.friendlyName")
