"""learn in a CI job, as the job runs it: the installed ``phone-contract`` in its own process, a HAR on
disk, and what the job reads back: the exit status, and a report a person can read in one screen.

Without ``--write``: 0 the spec covers the evidence, 1 changes proposed or bugs to report, 2 could not
run. With ``--write``: 0 written (or nothing to write), bugs printed all the same; 2 could not run or
could not write. So ``phone-contract learn --write nightly.har && scripts/regenerate`` chains.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.learn.support import TOKEN, Call, body, copy_project_spec, created, error, record

pytestmark = pytest.mark.e2e

PHONE_CONTRACT = Path(sys.executable).with_name("phone-contract")


def _learn(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [str(PHONE_CONTRACT), "learn", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def _nightly(folder: Path) -> Path:
    """Two good creates, then 48 the API failed: 502 at entries 3, 19 and 35, 500 at the 45 others."""
    calls = [Call(201, created(), body()), Call(201, created(), body())]
    for attempt in range(48):
        status = 502 if attempt % 16 == 0 else 500
        calls.append(Call(status, error("internal", f"request {attempt} failed"), body()))
    return record(folder / "nightly.har", calls)


def test_repeated_server_errors_are_one_finding_with_their_count_and_first_entries(tmp_path: Path) -> None:
    spec = copy_project_spec(tmp_path)
    done = _learn(_nightly(tmp_path), "--spec", spec)
    assert done.returncode == 1, done.stderr  # bugs to report
    assert "Not learnable: a bug to report (2):" in done.stdout
    server_errors = [line.strip() for line in done.stdout.splitlines() if "a server error" in line]
    assert server_errors == [
        "- POST /phone-numbers: answered 502, a server error (3 times, in nightly.har entries 3, 19, 35)",
        "- POST /phone-numbers: answered 500, a server error "
        "(45 times, in nightly.har entries 4, 5, 6, 7, 8 and 40 more)",
    ]
    assert TOKEN not in done.stdout + done.stderr


def test_learn_write_exits_0_once_written_so_the_next_step_runs(tmp_path: Path) -> None:
    spec = copy_project_spec(tmp_path)
    before = spec.read_bytes()
    har = record(tmp_path / "nightly.har", [Call(201, created(carrier="Freya Telecom"), body())])

    proposed = _learn(har, "--spec", spec)
    assert proposed.returncode == 1, proposed.stderr  # a change to keep: the check fails
    assert spec.read_bytes() == before

    # As a CI job chains it: the next step runs only on 0.
    chain = '"$0" learn --write "$1" --spec "$2" && echo "next step ran"'
    chained = subprocess.run(
        ["sh", "-c", chain, str(PHONE_CONTRACT), str(har), str(spec)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert chained.returncode == 0, chained.stdout + chained.stderr
    assert "Learned 1 change(s)" in chained.stdout
    assert chained.stdout.rstrip().endswith("next step ran")
    assert spec.read_bytes() != before

    again = _learn(har, "--spec", spec)
    assert again.returncode == 0, again.stdout  # the written spec covers the evidence
    assert "already covers the evidence" in again.stdout


def test_learn_write_exits_0_with_bugs_printed_and_the_check_still_says_1(tmp_path: Path) -> None:
    spec = copy_project_spec(tmp_path)
    before = spec.read_bytes()
    calls = [Call(201, created(carrier="Freya Telecom"), body()), Call(500, error("internal", "x"), body())]
    har = record(tmp_path / "nightly.har", calls)

    written = _learn(har, "--spec", spec, "--write")
    assert written.returncode == 0, written.stderr
    assert spec.read_bytes() != before
    bug = "POST /phone-numbers: answered 500, a server error (once, in nightly.har entry 2)"
    assert bug in written.stdout
    assert f"wrote {spec}" in written.stdout

    # What needs a person is still there: the check without --write says so.
    checked = _learn(har, "--spec", spec)
    assert checked.returncode == 1
    assert "already covers the evidence" in checked.stdout
    assert "answered 500, a server error" in checked.stdout


@pytest.mark.parametrize("write", [(), ("--write",)], ids=["check", "write"])
def test_evidence_the_spec_covers_exits_0_and_writes_nothing(tmp_path: Path, write: tuple[str, ...]) -> None:
    spec = copy_project_spec(tmp_path)
    before = spec.read_bytes()
    har = record(tmp_path / "nightly.har", [Call(201, created(), body())])
    done = _learn(har, "--spec", spec, *write)
    assert done.returncode == 0, done.stdout + done.stderr
    assert spec.read_bytes() == before


@pytest.mark.parametrize("write", [(), ("--write",)], ids=["check", "write"])
def test_a_file_that_is_not_a_har_exits_2_in_one_line(tmp_path: Path, write: tuple[str, ...]) -> None:
    spec = copy_project_spec(tmp_path)
    notes = tmp_path / "notes.har"
    notes.write_text('{"hello": "world"}', encoding="utf-8")
    done = _learn(notes, "--spec", spec, *write)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "is not a HAR file" in done.stderr
