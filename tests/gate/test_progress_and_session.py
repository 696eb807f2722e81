"""A long run shows it is alive (-q silences it); a test session that runs the gate beside other tests
gets the gate's own summary and time, and keeps its own hypothesis home; a printed reproduction works.

Progress and the gate's time read injected clocks here: no test waits for time to pass."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from phone_contract.gate.plugin import GatePlugin
from phone_contract.gate.progress import PREFIX, Progress
from phone_contract.gate.session import GateSession, open_session
from phone_contract.gate.settings import GateSettings
from phone_contract.mock import DEFAULT_TOKEN

from .support import ROOT, SECRET_TOKEN, gate_env, run_gate, served_mock


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Iterator[GateSession]:
    monkeypatch.setenv("FREYA_API_TOKEN", SECRET_TOKEN)
    opened = open_session(GateSettings(base_url="http://api.test/api/v2", write_budget=7))
    yield opened
    opened.close()


class Clock:
    """A clock that moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Ticks:
    """Progress's wait between two plain lines, scripted: each of ``count`` waits moves the clock on by
    the interval it was asked to wait; the next one says the run has stopped."""

    def __init__(self, clock: Clock, count: int) -> None:
        self.clock = clock
        self.left = count
        self.asked: list[float] = []
        self.over = threading.Event()

    def __call__(self, seconds: float) -> bool:
        self.asked.append(seconds)
        if self.left == 0:
            self.over.set()
            return True
        self.left -= 1
        self.clock.now += seconds
        return False


def test_without_a_terminal_a_plain_line_comes_each_time_the_interval_passes(session: GateSession) -> None:
    stream = io.StringIO()
    clock = Clock()
    ticks = Ticks(clock, count=2)
    progress = Progress(stream, interactive=False, interval=5.0, clock=clock, wait=ticks)
    # As the door counts one create answered 201.
    session.gatekeeper.budget.requests += 1
    session.gatekeeper.budget.creations += 1
    progress.phase("test_api_conforms")
    progress.watch(session)
    assert ticks.over.wait(timeout=60), "the progress thread never asked to wait a third time"
    progress.stop()
    assert ticks.asked == [5.0, 5.0, 5.0]
    assert stream.getvalue().splitlines() == [
        f"{PREFIX}: api_conforms; requests 1; creations 1/7; failures 0; 5s",
        f"{PREFIX}: api_conforms; requests 1; creations 1/7; failures 0; 10s",
    ]


def test_no_plain_line_before_the_interval_has_passed(session: GateSession) -> None:
    stream = io.StringIO()
    ticks = Ticks(Clock(), count=0)
    progress = Progress(stream, interactive=False, clock=Clock(), wait=ticks)
    progress.watch(session)
    assert ticks.over.wait(timeout=60)
    progress.stop()
    assert stream.getvalue() == ""


def test_on_a_terminal_the_line_is_live_and_gone_at_the_end(session: GateSession) -> None:
    stream = io.StringIO()
    clock = Clock()
    progress = Progress(stream, interactive=True, clock=clock)
    progress.watch(session)
    clock.now += 12
    progress.stop()  # draws the line a last time, then erases it
    drawn = stream.getvalue()
    # The live line wraps at the console's width: read it as words.
    assert f"{PREFIX}: starting; requests 0; creations 0/7; failures 0; 12s" in " ".join(drawn.split())
    assert "\x1b[" in drawn  # drawn in place with terminal control sequences, not line by line


def _run_test(plugin: GatePlugin, item: SimpleNamespace, clock: Clock, seconds: float) -> None:
    """One test through the plugin's run protocol, taking ``seconds`` on ``clock``."""
    protocol = plugin.pytest_runtest_protocol(cast(pytest.Item, item), None)
    next(protocol)
    clock.now += seconds
    with pytest.raises(StopIteration):
        protocol.send(None)


def test_the_gates_time_counts_its_contract_tests_only(session: GateSession, tmp_path: Path) -> None:
    # A session that runs other tests beside the contract tests: the summary's time is the gate's own.
    clock = Clock()
    plugin = GatePlugin(GateSettings(), home=tmp_path, clock=clock)
    plugin.session = session
    contract_test = SimpleNamespace(nodeid="contract_tests/test_schemathesis.py::t", fixturenames=["gate"])
    other_test = SimpleNamespace(nodeid="tests/test_other.py::t", fixturenames=["tmp_path"])
    _run_test(plugin, contract_test, clock, 2.0)
    _run_test(plugin, other_test, clock, 30.0)
    _run_test(plugin, contract_test, clock, 0.5)
    assert session.tally.seconds == 2.5


AFTER_THE_GATE = """
from hypothesis.configuration import storage_directory

def test_zz_after_the_gate():
    # The gate's private hypothesis home is gone once its tests are done.
    assert "phone-contract-gate-" not in str(storage_directory(intent_to_write=False).home_directory)
"""


@pytest.mark.e2e
def test_a_shared_test_session_gets_the_gates_summary_and_keeps_its_hypothesis_home(tmp_path: Path) -> None:
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
    assert "phone-contract gate summary - target: embedded mock" in done.stdout
    assert "result: no check failed" in done.stdout


@pytest.mark.e2e
def test_the_note_names_the_token_the_served_mock_expects() -> None:
    result = run_gate(["--max-examples", "1"], token=None)
    assert f"export FREYA_API_TOKEN={DEFAULT_TOKEN} in both shells" in result.stdout


@pytest.mark.e2e
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


@pytest.mark.e2e
def test_a_reproduction_reads_even_a_short_token_from_the_environment() -> None:
    # Too short to scrub from free text ("x" is in every word), but a header holding it whole is known.
    result = run_gate(["--fault", "undocumented-field", "--max-examples", "1"], token="t0k")
    assert result.status == 1
    commands = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("curl ")]
    assert commands, result.stdout[-2000:]
    assert all('"Authorization: Bearer $FREYA_API_TOKEN"' in command for command in commands), commands
    assert "Bearer t0k" not in result.stdout + result.stderr


@pytest.mark.smoke
@pytest.mark.e2e
def test_no_pytest_letters_between_the_header_and_the_summary() -> None:
    # The gate's own progress and summary say how the run went; pytest's "...u." and "[ 80%]" do not.
    result = run_gate(["--max-examples", "1", "-q"])
    assert result.status == 0, result.stdout[-3000:] + result.stderr
    assert "result: no check failed" in result.stdout
    before_summary = result.stdout[: result.stdout.index("phone-contract gate summary")]
    assert [line for line in before_summary.splitlines() if line.strip()] == [
        next(line for line in before_summary.splitlines() if line.startswith("phone-contract gate: target"))
    ], before_summary


@pytest.mark.e2e
def test_a_token_too_short_to_look_for_says_so_in_not_run() -> None:
    result = run_gate(["--max-examples", "1"], token="t0k")
    assert result.status == 0, result.stdout[-2000:]
    assert "not run: token_not_leaked: the token is shorter than 8 characters" in result.stdout
