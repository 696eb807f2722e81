"""The contract gate as a pytest suite; ``phone-contract gate`` is a thin runner over it.

Plain ``pytest contract_tests`` runs the CI gate (fixed seed, embedded mock). The command passes
its options in ``PHONE_CONTRACT_GATE`` (see ``phone_contract.gate.settings``). The run is built
here, at import, because ``schema.parametrize()`` needs the schema when test modules are collected.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from phone_contract.gate import hypothesis_home
from phone_contract.gate.conformance import install_tally_hook
from phone_contract.gate.door_report import door_lines, unchecked_reason
from phone_contract.gate.properties import PROPERTY_CHECKS
from phone_contract.gate.pytest_support import scrub, stop_if_unreachable
from phone_contract.gate.report import summary
from phone_contract.gate.run import GateRun, last_unreachable, mark_unreachable, start
from phone_contract.gate.settings import GateSettings

RUN: GateRun = start(GateSettings.from_env())
# A seed must replay the same cases on a fresh clone as on a used one, and the gate writes no
# files it was not asked to (no .hypothesis/ in the user's directory): see gate.hypothesis_home.
_HYPOTHESIS_HOME = hypothesis_home.use_private_home()
install_tally_hook(RUN)


def pytest_sessionstart(session: pytest.Session) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    budget = (
        f"write budget {RUN.settings.write_budget} creations (writes answered 2xx, or whose answer was lost)"
        if RUN.settings.live
        else "no write budget (in-process mock)"
    )
    line = (
        f"phone-contract gate: target {RUN.target}; {budget}; seed {RUN.settings.seed}; "
        f"max examples {RUN.settings.max_examples}; profile {RUN.settings.profile}"
    )
    pinned = RUN.settings.pinned_fields
    if pinned:
        line += "; pinned " + ", ".join(f"{name} {value}" for name, value in pinned.items())
    if reporter is not None:
        reporter.write_line(line)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Every report (terminal and JUnit XML alike) is built from this object: scrub it once here.
    report = yield
    stop_if_unreachable(item, call, RUN.redactor)
    scrub(report, call, RUN.redactor)
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if terminalreporter.config.option.collectonly:
        return  # nothing was sent: a summary would read as an empty pass
    no_verdict = last_unreachable()
    if RUN.tally.cases:  # a run that sent nothing (all deselected, say) has nothing to report missing
        RUN.note_checks_not_run(PROPERTY_CHECKS)
        if no_verdict is None and not terminalreporter.stats.get("failed"):
            # Green must mean the contract was checked: a pass with no valid create is no pass.
            no_verdict = unchecked_reason(RUN.gatekeeper)
            mark_unreachable(no_verdict)
    for line in summary(
        RUN.tally,
        target=RUN.target,
        seed=RUN.settings.seed,
        requests=RUN.gatekeeper.requests,
        writes=RUN.gatekeeper.write_requests,
        fingerprint=RUN.gatekeeper.fingerprint,
        door=door_lines(RUN.gatekeeper),
        no_verdict=no_verdict,
    ):
        terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session) -> None:
    RUN.close()
    hypothesis_home.remove(_HYPOTHESIS_HOME)


@pytest.fixture
def run() -> GateRun:
    return RUN
