"""Run the contract suite under pytest with the run's plugin, in this process; map its outcome to an exit."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import TextIO

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
    suite = suite_path()
    args = [
        str(suite),
        # The gate's pytest session is its own: no configuration file of the directory it runs in
        # (a project's addopts, strict options or plugins settings) reaches it.
        "-c",
        os.devnull,
        "--rootdir",
        str(suite.parent),
        # The gate tells the run itself (its header, each failure once, its summary; or, when it
        # could not run, only why): pytest's page of test names, letters and counts says nothing more.
        "-p",
        "no:terminal",
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
    if fail_fast:
        args.append("--exitfirst")
    return args


def run_suite(settings: GateSettings, junit_xml: Path | None, *, freeze_heap: bool = False) -> int:
    # The whole pytest session is the gate's: its private hypothesis home holds from collection on
    # (hypothesis' pytest plugin reads local constants while collecting).
    home = hypothesis_home.make_private_home()
    try:
        with console_stderr() as stderr:
            plugin = GatePlugin(
                settings,
                progress=None if settings.quiet else Progress(stderr),
                home=home,
                freeze_heap=freeze_heap,
            )
            print(plugin.header(), flush=True)
            with hypothesis_home.used(home):
                status = pytest.main(pytest_args(fail_fast=settings.fail_fast), plugins=[plugin])
    finally:
        hypothesis_home.remove(home)
    closing = plugin.closing()
    if junit_xml is not None and plugin.session is not None:
        # One test case per check and per failure group (not pytest's three test functions).
        session = plugin.session
        from phone_contract.gate.junit import write_junit  # noqa: PLC0415 - only when asked for

        write_junit(junit_xml, session.tally, redactor=session.redactor, stopped=plugin.unreachable)
    for line in closing:
        print(line)
    if settings.door.har_path and plugin.session is not None and plugin.unreachable is None:
        print_coverage(plugin.session, Path(settings.door.har_path))
    return exit_status(plugin, status)


@contextlib.contextmanager
def console_stderr() -> Iterator[TextIO]:
    """The process's own stderr, which pytest's capturing of file descriptor 2 does not reach: the
    progress lines are for the person or CI log watching the run, while it runs. A stream without a
    descriptor (a test's replacement of ``sys.stderr``) is used as it is."""
    try:
        descriptor = os.dup(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        yield sys.stderr
        return
    with os.fdopen(descriptor, "w", buffering=1, encoding="utf-8", errors="replace") as stream:
        yield stream


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


def exit_status(plugin: GatePlugin, status: int | pytest.ExitCode) -> int:
    """The shared exit status for what the run saw, read from its plugin and pytest's status."""
    if plugin.unreachable is not None:
        # One line: why, and (live) what the run had created before it stopped, to release it.
        created = plugin.created_note()
        why = f"{plugin.unreachable} ({created})" if created else plugin.unreachable
        print(f"phone-contract gate: error: {why}", file=sys.stderr)
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
