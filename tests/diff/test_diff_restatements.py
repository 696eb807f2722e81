"""``phone-contract diff`` compares contracts, not layouts: on the project's spec restated in every layout
of ``tests/restatements.py``, and on every spec the toolkit cannot use. Each run goes through ``cli.main``
in this process (``test_diff_cli.py`` runs the command in its own)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from phone_contract import default_spec_path
from phone_contract.cli import main
from tests.restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable

PROJECT = str(default_spec_path())


@dataclass(frozen=True)
class Diffed:
    status: int
    out: str
    err: str


@pytest.fixture
def diff(capsys: pytest.CaptureFixture[str]) -> Callable[[str, str], Diffed]:
    """``phone-contract diff OLD NEW --format json`` through ``cli.main``: status, stdout, stderr."""

    def run(old: str, new: str) -> Diffed:
        status = main(["diff", old, new, "--format", "json"])
        captured = capsys.readouterr()
        return Diffed(status, captured.out, captured.err)

    return run


@pytest.mark.parametrize("name", sorted(RESTATEMENTS))
def test_a_restatement_is_no_change(name: str, tmp_path: Path, diff: Callable[[str, str], Diffed]) -> None:
    restated = str(write_restatement(name, tmp_path))
    for old, new in ((PROJECT, restated), (restated, PROJECT)):
        result = diff(old, new)
        assert (result.status, result.err) == (0, "")
        report = json.loads(result.out)
        assert report["changes"] == []
        assert not report["breaks_clients"]
        assert not report["breaks_servers"]
        # Prose a layout adds ("See PhoneNumber." beside a wrapped $ref) is at most a patch.
        assert report["version"]["required_bump"] in ("none", "patch")


# What the diff refuses: a side that is no valid OpenAPI document. Any valid one compares, however
# little the other commands could use it (no operation, a broken extension, stale examples).
NOT_OPENAPI = frozenset({"not-yaml", "not-openapi", "not-a-mapping", "ref-nowhere", "missing-sibling"})


@pytest.mark.parametrize("side", ["OLD", "NEW"])
@pytest.mark.parametrize("name", sorted(NOT_OPENAPI))
def test_a_side_that_is_no_openapi_document_is_one_line_and_exit_2(
    name: str, side: str, tmp_path: Path, diff: Callable[[str, str], Diffed]
) -> None:
    path, words = write_unusable(name, tmp_path)
    old, new = (str(path), PROJECT) if side == "OLD" else (PROJECT, str(path))
    result = diff(old, new)
    assert result.status == 2
    assert result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith("phone-contract diff: error: ")
    assert words in line
    assert str(path) in line  # the side that is unusable is named


@pytest.mark.parametrize("name", sorted(set(UNUSABLE) - NOT_OPENAPI))
def test_any_valid_document_compares(name: str, tmp_path: Path, diff: Callable[[str, str], Diffed]) -> None:
    path, _ = write_unusable(name, tmp_path)
    result = diff(PROJECT, str(path))
    assert result.err == ""
    report = json.loads(result.out)
    assert result.status == (1 if report["breaks_clients"] else 0)


def test_no_operation_left_is_every_operation_removed_breaking_clients(
    tmp_path: Path, diff: Callable[[str, str], Diffed]
) -> None:
    path, _ = write_unusable("no-operation", tmp_path)
    result = diff(PROJECT, str(path))
    assert result.status == 1
    changes = json.loads(result.out)["changes"]
    assert [(change["rule"], change["client"]) for change in changes] == [
        ("operation-removed", "breaking")
    ] * 2
    assert {change["operation"] for change in changes} == {"POST /phone-numbers", "PUT /phone-numbers"}


def test_stale_examples_are_named_and_the_specs_still_compared(
    tmp_path: Path, diff: Callable[[str, str], Diffed]
) -> None:
    path, _ = write_unusable("example-breaks-schema", tmp_path)
    result = diff(PROJECT, str(path))
    assert result.status == 0, result.err
    assert json.loads(result.out)["warnings"] == [
        "NEW: example 'mainSupportLine' of the application/json request body of "
        "POST /phone-numbers does not match its schema: $.number: '+1' is too short"
    ]


def test_a_git_revision_reads_its_sibling_files_at_that_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, diff: Callable[[str, str], Diffed]
) -> None:
    git = shutil.which("git")
    assert git is not None
    repo = tmp_path / "repo"
    spec = write_restatement("sibling-file", repo / "spec")
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    subprocess.run([git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([git, "-C", str(repo), *identity, "commit", "-qm", "spec"], check=True)
    revision = "git:HEAD:spec/spec.yaml"
    monkeypatch.chdir(repo)

    same = diff(revision, str(spec))
    assert (same.status, same.err, json.loads(same.out)["changes"]) == (0, "", [])
    # The working tree's sibling file changes: the revision still reads its own.
    schemas_file = spec.parent / "schemas.yaml"
    schemas = yaml.safe_load(schemas_file.read_text(encoding="utf-8"))
    schemas["CreatePhoneNumberRequest"]["required"].append("friendlyName")
    schemas_file.write_text(yaml.safe_dump(schemas, sort_keys=False), encoding="utf-8")
    changed = diff(revision, str(spec))
    assert changed.status == 1, changed.err
    [change] = json.loads(changed.out)["changes"]
    assert (change["rule"], change["path"]) == ("request-property-became-required", "$.friendlyName")
