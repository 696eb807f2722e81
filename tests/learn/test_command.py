"""The command's edges: a covered spec stays byte for byte, restatements alike, bad input one line.

Through ``cli.main`` in this process (``conftest.learn``); one run in its own process, as a user runs it."""

from __future__ import annotations

import difflib
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from phone_contract._spec import load_spec
from phone_contract.cli import main
from phone_contract.learn import engine
from phone_contract.learn.change import Change, Evidence
from phone_contract.learn.edit import Widen
from phone_contract.responses import undocumented_fields
from tests.learn.conftest import LearnRun
from tests.learn.support import TOKEN, Call, body, copy_project_spec, created, error, record
from tests.operations import create_op
from tests.restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable

VERSION = load_spec().version

COVERED = [
    Call(201, created(friendlyName="Main"), body(friendlyName="Main")),
    Call(400, error("validation_error", "number: too short"), body(number="+1")),
    Call(405, error("method_not_allowed", "no"), method="GET", headers=[("Allow", "POST")]),
]


def test_a_spec_that_covers_the_evidence_is_left_byte_identical(learn: LearnRun) -> None:
    learned = learn(COVERED, "--write")
    assert learned.status == 0, learned.out
    assert learned.spec.read_bytes() == learned.before
    assert "already covers the evidence" in learned.out
    assert "documented statuses: 2 of 5 (40%); never seen: 401, 409, 413" in learned.out


@pytest.mark.parametrize("name", sorted(RESTATEMENTS))
def test_every_restatement_is_the_same_contract(name: str, tmp_path: Path, learn: LearnRun) -> None:
    spec = write_restatement(name, tmp_path / name)
    assert learn(COVERED, "--write", spec=spec).status == 0
    grown = [Call(201, created(carrier="Freya Telecom"), body())]
    learned = learn(grown, "--write", spec=spec)
    if name == "sibling-file":
        # The schema lives in the file beside the spec; learn edits the spec file only.
        assert learned.status == 2
        assert learned.err.count("\n") == 1
        assert "learn edits the spec file only" in learned.err
        return
    assert learned.status == 0, learned.err
    assert undocumented_fields(create_op(load_spec(spec)), 201, grown[0].answer) == []
    assert _only_inserted(learned.before.decode(), spec.read_text(encoding="utf-8"))


def test_comments_quoting_and_layout_of_untouched_lines_are_kept(learn: LearnRun, tmp_path: Path) -> None:
    spec = tmp_path / "commented.yaml"
    text = (
        load_spec()
        .text.replace(
            "    PhoneNumberConfig:\n", "    # Hand-written: the config as stored.\n    PhoneNumberConfig:\n"
        )
        .replace(f"version: {VERSION}", f'version: "{VERSION}"  # bumped by hand')
    )
    spec.write_text(text, encoding="utf-8")
    learned = learn([Call(201, created(carrier="Freya Telecom"), body())], "--write", spec=spec)
    assert learned.status == 0
    after = spec.read_text(encoding="utf-8")
    assert "    # Hand-written: the config as stored.\n    PhoneNumberConfig:\n" in after
    assert f'version: "{VERSION}"  # bumped by hand' in after
    assert _only_inserted(text, after)


def _only_inserted(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with lines added and none changed or removed."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_spec_is_one_line_and_exit_2(name: str, tmp_path: Path, learn: LearnRun) -> None:
    spec, words = write_unusable(name, tmp_path / name)
    learned = learn(COVERED, spec=spec)
    assert learned.status == 2
    assert learned.err.count("\n") == 1
    assert words in learned.err


def test_a_file_that_is_not_a_har_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_har = tmp_path / "notes.har"
    not_har.write_text('{"hello": "world"}', encoding="utf-8")
    assert main(["learn", str(not_har)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is not a HAR file" in err


def test_a_proposal_that_is_not_a_valid_spec_is_printed_and_not_written(
    tmp_path: Path, learn: LearnRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(evidence: Evidence) -> list[Change]:
        number = (*create_op(evidence.spec).request_schema_pointer(), "properties", "number")
        return [Change(("broken",), "breaks the spec", "never valid", (), Widen(number, types=("nonsense",)))]

    monkeypatch.setattr(engine, "RULES", (broken,))
    learned = learn([Call(201, created(), body())], "--write")
    assert learned.status == 2
    assert learned.spec.read_bytes() == learned.before
    assert "+          type: [string, nonsense]" in learned.out
    assert "the proposal is not a valid spec, not written" in learned.err
    assert learned.err.count("\n") == 1


def test_a_spec_that_cannot_be_written_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = copy_project_spec(tmp_path)
    before = spec.read_bytes()
    har = record(tmp_path / "run.har", [Call(201, created(carrier="Freya Telecom"), body())])

    def refuse(source: str, target: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", target)

    # The file system refuses the rename (a read-only checkout, say): root passes every permission check.
    monkeypatch.setattr(os, "replace", refuse)
    assert main(["learn", str(har), "--spec", str(spec), "--write"]) == 2
    captured = capsys.readouterr()
    reason = f"cannot write spec {spec}: Permission denied, not written"
    assert captured.err == f"phone-contract learn: error: {reason}\n"
    assert "+        carrier:" in captured.out  # the proposal, shown all the same
    assert spec.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["run.har", "spec.yaml"]  # nothing left behind


def test_several_hars_are_one_body_of_evidence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = record(tmp_path / "nightly.har", [Call(201, created(carrier="A"), body())])
    second = record(tmp_path / "proxy.har", [Call(201, created(carrier="B"), body())])
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(load_spec().text.encode())
    assert main(["learn", str(first), str(second), "--spec", str(spec)]) == 1
    out = capsys.readouterr().out
    assert "seen in nightly.har entry 1; proxy.har entry 1" in out
    assert 'observed: "A", "B"' in out


@pytest.mark.smoke
@pytest.mark.e2e
def test_the_command_in_its_own_process_proposes_and_writes(tmp_path: Path) -> None:
    spec = copy_project_spec(tmp_path)
    before = spec.read_text(encoding="utf-8")
    har = record(tmp_path / "run.har", [Call(201, created(carrier="Freya Telecom"), body())])
    command = [sys.executable, "-m", "phone_contract.cli", "learn", str(har), "--spec", str(spec), "--write"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "carrier" in done.stdout
    assert TOKEN not in done.stdout + done.stderr
    after = spec.read_text(encoding="utf-8")
    assert after != before
    assert _only_inserted(before, after)
    assert undocumented_fields(create_op(load_spec(spec)), 201, created(carrier="Freya Telecom")) == []
