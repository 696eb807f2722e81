"""The contract gate as a pytest suite; ``phone-contract gate`` is a thin runner over it.

Plain ``pytest contract_tests`` runs the CI gate (fixed seed, embedded mock). The command passes
its options in ``PHONE_CONTRACT_GATE`` (see ``phone_contract.gate.settings``). The run is built
here, at import, because ``schema.parametrize()`` needs the schema when test modules are collected.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from phone_contract.gate.conformance import install_tally_hook
from phone_contract.gate.pytest_support import scrub, stop_if_unreachable
from phone_contract.gate.report import summary
from phone_contract.gate.run import GateRun, start
from phone_contract.gate.settings import GateSettings

RUN: GateRun = start(GateSettings.from_env())
# Hypothesis caches what it learns (constants of local source, examples) under .hypothesis/;
# a seed must replay the same cases on a fresh clone as on a used one, and the gate writes no
# files it was not asked to: each session gets a private, temporary home.
_HYPOTHESIS_HOME = Path(tempfile.mkdtemp(prefix="phone-contract-gate-"))
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
install_tally_hook(RUN)

def pytest_sessionstart(session: pytest.Session) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    budget = (
        f"write budget {RUN.settings.write_budget} writes (POST and any other unsafe method)"
        if RUN.settings.live
        else "no write budget (in-process mock)"
    )
    line = (
        f"phone-contract gate: target {RUN.target}; {budget}; seed {RUN.settings.seed}; "
        f"max examples {RUN.settings.max_examples}; profile {RUN.settings.profile}"
    )
    if reporter is not None:
        reporter.write_line(line)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    # Every report (terminal and JUnit XML alike) is built from this object: scrub it once here.
    outcome = yield
    stop_if_unreachable(item, call, RUN.redactor)
    scrub(outcome.get_result(), call, RUN.redactor)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in summary(
        RUN.tally,
        target=RUN.target,
        seed=RUN.settings.seed,
        requests=RUN.gatekeeper.requests,
        writes=RUN.gatekeeper.writes,
        fingerprint=RUN.gatekeeper.fingerprint,
        budget_note=RUN.budget_note(),
    ):
        terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session) -> None:
    RUN.close()
    shutil.rmtree(_HYPOTHESIS_HOME, ignore_errors=True)


@pytest.fixture
def run() -> GateRun:
    return RUN
