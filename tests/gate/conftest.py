"""Fixtures of the gate's tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from phone_contract._secrets import TOKEN_ENV_VAR
from phone_contract.cli import main
from phone_contract.gate import suite

from .support import GATE_ENV_VARS, SECRET_TOKEN, GateResult, GateRun


@pytest.fixture
def gate_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> GateRun:
    """``phone-contract gate ARGS`` through ``cli.main`` in this process, for the runs that stop before
    the contract suite starts (arguments, spec, token, reachability, report paths).

    The suite itself runs pytest inside (and the command freezes its heap): a run that gets as far as
    starting it fails the test instead, and belongs in its own process (``support.run_gate``).
    """

    def no_suite(*_: Any, **__: Any) -> int:
        raise AssertionError("the gate started its suite: this run was meant to stop before it")

    monkeypatch.setattr(suite, "run_suite", no_suite)

    def run(args: Sequence[str], *, token: str | None = SECRET_TOKEN) -> GateResult:
        for name in GATE_ENV_VARS:
            monkeypatch.delenv(name, raising=False)
        if token is not None:
            monkeypatch.setenv(TOKEN_ENV_VAR, token)
        try:
            status = main(["gate", *args])
        except SystemExit as exited:  # argparse's mistakes exit; the command's own return their status
            status = exited.code if isinstance(exited.code, int) else 1
        captured = capsys.readouterr()
        return GateResult(status, captured.out, captured.err)

    return run
