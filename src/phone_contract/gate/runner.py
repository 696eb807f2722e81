"""Run the contract suite under pytest, in this process, and map its outcome to an exit status."""

from __future__ import annotations

import os
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from phone_contract._exit import Exit
from phone_contract.gate import run as gate_run
from phone_contract.gate.settings import ENV_VAR, GateSettings

_PACKAGED_SUITE = Path(__file__).resolve().parents[1] / "_contract_tests"


def suite_path() -> Path:
    """``contract_tests/`` of this checkout, or the copy packaged into an installed wheel."""
    checkout = Path(__file__).resolve().parents[3] / "contract_tests"
    return checkout if checkout.is_dir() else _PACKAGED_SUITE


def pytest_args(junit_xml: Path | None) -> list[str]:
    args = [
        str(suite_path()),
        "-q",
        "--tb=short",
        # The gate writes only what it is asked to: no .pytest_cache in the user's directory.
        "-p",
        "no:cacheprovider",
        # Assertion rewriting of every schemathesis module costs seconds per run when bytecode
        # cannot be cached (PYTHONDONTWRITEBYTECODE); the suite's reports do not need it.
        "--assert=plain",
    ]
    if find_spec("pytest_timeout") is not None:
        # A thorough run may take longer than a unit test's timeout; requests have their own.
        args += ["-o", "timeout=0"]
    if junit_xml is not None:
        args += ["--junit-xml", str(junit_xml), "-o", "junit_suite_name=phone-contract-gate"]
    return args


def run_suite(settings: GateSettings, junit_xml: Path | None) -> int:
    previous = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = settings.to_env()
    try:
        status = pytest.main(pytest_args(junit_xml))
    finally:
        if previous is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = previous
    return _exit_status(status)


def _exit_status(status: int | pytest.ExitCode) -> int:
    unreachable = gate_run.last_unreachable()
    if unreachable is not None:
        print(f"phone-contract gate: error: {unreachable}", file=sys.stderr)
        return Exit.CANNOT_RUN
    if status == pytest.ExitCode.OK:
        return Exit.OK
    if status == pytest.ExitCode.TESTS_FAILED:
        return Exit.FAILED
    reasons = {
        pytest.ExitCode.INTERRUPTED: "interrupted",
        pytest.ExitCode.INTERNAL_ERROR: "internal error in the contract suite",
        pytest.ExitCode.USAGE_ERROR: "the contract suite could not be started",
        pytest.ExitCode.NO_TESTS_COLLECTED: "the contract suite collected no tests",
    }
    print(f"phone-contract gate: error: {reasons.get(pytest.ExitCode(status), status)}", file=sys.stderr)
    return Exit.CANNOT_RUN
