"""A long run shows it is alive (-q silences it); a test session that runs the gate beside other tests
gets the gate's own summary and time, and keeps its own hypothesis home; a printed reproduction works."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from phone_contract.gate.progress import PREFIX, Progress
from phone_contract.gate.session import GateSession, open_session
from phone_contract.gate.settings import GateSettings
from phone_contract.gate.suite import progress_for
from phone_contract.mock import DEFAULT_TOKEN

from .support import ROOT, SECRET_TOKEN, gate_env, run_gate, served_mock


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Iterator[GateSession]:
    monkeypatch.setenv("FREYA_API_TOKEN", SECRET_TOKEN)
    opened = open_session(GateSettings(base_url="http://api.test/api/v2", write_budget=7))
    yield opened
    opened.close()


def _wait_for(predicate: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not predicate():  # type: ignore[operator]
        time.sleep(0.02)


def test_without_a_terminal_a_plain_line_comes_every_few_seconds(session: GateSession) -> None:
    stream = io.StringIO()
    progress = Progress(stream, interactive=False, interval=0.05)
    progress.watch(session)
    progress.phase("test_api_conforms")
    # As the door counts one create answered 201.
    session.gatekeeper.requests += 1
    session.gatekeeper.writes += 1
    _wait_for(lambda: stream.getvalue().count("\n") >= 2)
    progress.stop()
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 2
    assert re.fullmatch(rf"{PREFIX}: api_conforms; requests 1; creations 1/7; failures 0; \d+s", lines[-1]), (
        lines[-1]
    )


def test_on_a_terminal_the_line_is_live_and_gone_at_the_end(session: GateSession) -> None:
    stream = io.StringIO()
    progress = Progress(stream, interactive=True)
    progress.watch(session)
    _wait_for(lambda: PREFIX in stream.getvalue())
    progress.stop()
    drawn = stream.getvalue()
    assert f"{PREFIX}: starting; requests 0; creations 0/7" in drawn
    assert "\x1b[" in drawn  # drawn in place with terminal control sequences, not line by line


def test_quiet_means_no_progress() -> None:
    assert progress_for(GateSettings(quiet=True)) is None
    assert progress_for(GateSettings()) is not None


AFTER_THE_GATE = """
import time
from hypothesis.configuration import storage_directory

def test_zz_after_the_gate():
    time.sleep(3)
    # The gate's private hypothesis home is gone once its tests are done.
    assert "phone-contract-gate-" not in str(storage_directory(intent_to_write=False).home_directory)
"""


def test_a_shared_test_session_gets_the_gates_own_time_and_keeps_its_hypothesis_home(tmp_path: Path) -> None:
    other = tmp_path / "test_after_the_gate.py"
    other.write_text(AFTER_THE_GATE)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "contract_tests",
            str(other),
            "--rootdir",
            str(ROOT),
        ],
        cwd=ROOT,
        env=gate_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    gate_time = float(re.search(r"time: ([\d.]+)s", done.stdout).group(1))  # type: ignore[union-attr]
    session_time = float(re.search(r" in ([\d.]+)s", done.stdout).group(1))  # type: ignore[union-attr]
    assert gate_time < session_time - 2.5, (gate_time, session_time)


def test_the_note_names_the_token_the_served_mock_expects() -> None:
    result = run_gate(["--max-examples", "1"], token=None)
    assert f"export FREYA_API_TOKEN={DEFAULT_TOKEN} in both shells" in result.stdout


def test_a_reproduction_for_the_embedded_mock_works_when_pasted(tmp_path: Path) -> None:
    result = run_gate(["--fault", "undocumented-field", "--max-examples", "3"])
    assert result.status == 1
    block = result.stdout[result.stdout.index("contract broken (no_undocumented_fields)") :]
    command = next(line.strip() for line in block.splitlines() if line.strip().startswith("curl "))
    assert "export the same FREYA_API_TOKEN in both shells" in result.stdout
    with served_mock(tmp_path, "--fault", "undocumented-field") as mock:
        pasted = command.replace("http://127.0.0.1:8000/api/v2", mock.base_url) + " --silent"
        shell = subprocess.run(
            ["bash", "-c", pasted],
            env={**os.environ, "FREYA_API_TOKEN": SECRET_TOKEN},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert shell.returncode == 0, shell.stderr
    assert '"carrier"' in shell.stdout, shell.stdout  # the failure, reproduced


def test_a_reproduction_reads_even_a_short_token_from_the_environment() -> None:
    # Too short to scrub from free text ("x" is in every word), but a header holding it whole is known.
    result = run_gate(["--fault", "undocumented-field", "--max-examples", "1"], token="t0k")
    assert result.status == 1
    commands = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("curl ")]
    assert commands, result.stdout[-2000:]
    assert all('"Authorization: Bearer $FREYA_API_TOKEN"' in command for command in commands), commands
    assert "Bearer t0k" not in result.stdout + result.stderr


def test_no_pytest_letters_between_the_header_and_the_summary() -> None:
    # The gate's own progress and summary say how the run went; pytest's "...u." and "[ 80%]" do not.
    result = run_gate(["--max-examples", "1", "-q"])
    assert result.status == 0
    before_summary = result.stdout[: result.stdout.index("phone-contract gate summary")]
    assert [line for line in before_summary.splitlines() if line.strip()] == [
        next(line for line in before_summary.splitlines() if line.startswith("phone-contract gate: target"))
    ], before_summary


def test_a_token_too_short_to_look_for_says_so_in_not_run() -> None:
    result = run_gate(["--max-examples", "1"], token="t0k")
    assert result.status == 0, result.stdout[-2000:]
    assert "not run: token_not_leaked: the token is shorter than 8 characters" in result.stdout
