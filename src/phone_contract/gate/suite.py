"""Run the contract suite under pytest with the run's plugin, in this process; map its outcome to an exit."""

from __future__ import annotations

import sys
from collections.abc import Generator
from importlib.util import find_spec
from pathlib import Path

import pytest

from phone_contract._exit import Exit
from phone_contract.gate import hypothesis_home
from phone_contract.gate.plugin import GatePlugin
from phone_contract.gate.progress import Progress
from phone_contract.gate.session import GateSession
from phone_contract.gate.settings import GateSettings

_PACKAGED_SUITE = Path(__file__).resolve().parents[1] / "_contract_tests"


def suite_path() -> Path:
    """``contract_tests/`` of this checkout, or the copy packaged into an installed wheel."""
    checkout = Path(__file__).resolve().parents[3] / "contract_tests"
    return checkout if checkout.is_dir() else _PACKAGED_SUITE


def pytest_args(*, fail_fast: bool = False) -> list[str]:
    args = [
        str(suite_path()),
        "-q",
        "--tb=short",
        # No "short test summary": the gate's own summary names every failed check and group.
        "-rN",
        # The gate writes only what it is asked to: no .pytest_cache in the user's directory.
        "-p",
        "no:cacheprovider",
        # Assertion rewriting of every schemathesis module costs seconds per run when bytecode
        # cannot be cached (PYTHONDONTWRITEBYTECODE); the suite's reports do not need it.
        "--assert=plain",
        # No "[ 80%]" at the end of an empty line: the gate's own progress says how far the run is.
        "-o",
        "console_output_style=classic",
    ]
    if find_spec("pytest_timeout") is not None:
        # A thorough run may take longer than a unit test's timeout; requests have their own.
        args += ["-o", "timeout=0"]
    if fail_fast:
        args.append("--exitfirst")
    return args


def run_suite(settings: GateSettings, junit_xml: Path | None, *, freeze_heap: bool = False) -> int:
    # The whole pytest session is the gate's: its private hypothesis home holds from collection on
    # (hypothesis' pytest plugin reads local constants while collecting).
    home = hypothesis_home.make_private_home()
    try:
        plugin = GatePlugin(settings, progress=progress_for(settings), home=home, freeze_heap=freeze_heap)
        with hypothesis_home.used(home):
            status = pytest.main(pytest_args(fail_fast=settings.fail_fast), plugins=[plugin, NoLetters()])
    finally:
        hypothesis_home.remove(home)
    if junit_xml is not None and plugin.session is not None:
        # One test case per check and per failure group (not pytest's three test functions).
        session = plugin.session
        from phone_contract.gate.junit import write_junit  # noqa: PLC0415 - only when asked for

        write_junit(junit_xml, session.tally, redactor=session.redactor, stopped=plugin.unreachable)
    if settings.door.har_path and plugin.session is not None:
        print_coverage(plugin.session, Path(settings.door.har_path))
    return exit_status(plugin, status)


def print_coverage(session: GateSession, har: Path) -> None:
    """How much of the spec the run exercised, read from what it recorded (as `learn` reports it)."""
    # Imported only when asked for: every module loaded is one more that hypothesis scans for constants.
    from phone_contract.coverage import coverage  # noqa: PLC0415
    from phone_contract.har import read_har  # noqa: PLC0415

    try:
        exchanges = read_har(har)
    except ValueError:
        return  # nothing was written (the run stopped before its first request)
    for line in coverage(session.spec, exchanges).lines():
        print(f"  {line}")


class NoLetters:
    """pytest's letters ("...u.") say nothing a reader of the gate can use: its progress line and its
    summary name every check. The categories stay, so pytest's last line still counts the tests."""

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(
        self,
    ) -> Generator[None, tuple[str, str, str] | None, tuple[str, str, str] | None]:
        status = yield
        return (status[0], "", "") if status else status


def progress_for(settings: GateSettings) -> Progress | None:
    """The run's sign of life on stderr (live on a terminal, a line every few seconds otherwise); -q: none."""
    return None if settings.quiet else Progress()


def exit_status(plugin: GatePlugin, status: int | pytest.ExitCode) -> int:
    """The shared exit status for what the run saw, read from its plugin and pytest's status."""
    if plugin.unreachable is not None:
        print(f"phone-contract gate: error: {plugin.unreachable}", file=sys.stderr)
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
