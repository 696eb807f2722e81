"""The gate as a pytest plugin: one object per run, handed to pytest and read back when it returns.

``phone-contract gate`` builds it from its options (``pytest.main(args, plugins=[plugin])``);
plain ``pytest contract_tests`` builds it from the defaults (``contract_tests/conftest.py``). The
contract tests receive the session through their fixture (``gate``), which opens it when the first of
them runs, never at import. The verdict stays on the object
(:attr:`GatePlugin.unreachable`, the session's tally).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Generator
from pathlib import Path

import pytest

from phone_contract._redact import Redactor
from phone_contract._words import counted
from phone_contract.gate import hypothesis_home
from phone_contract.gate.conformance import ContractBroken, findings_report, install_tally_hook
from phone_contract.gate.door_errors import TargetUnreachable
from phone_contract.gate.door_report import door_lines, unchecked_reason
from phone_contract.gate.lifecycle import LIFECYCLE_CHECKS
from phone_contract.gate.progress import Progress
from phone_contract.gate.properties import PROPERTY_CHECKS
from phone_contract.gate.report import render_finding, sorted_findings, summary
from phone_contract.gate.session import GateSession, open_session
from phone_contract.gate.settings import GateSettings, token_from_env

# The fixture every contract test uses: how the plugin knows them.
# The fixtures live with the suite, in contract_tests/conftest.py.
SESSION_FIXTURE = "gate"


class GatePlugin:
    """One run of the gate: its settings, its session once opened, and its outcome."""

    def __init__(
        self,
        settings: GateSettings,
        *,
        progress: Progress | None = None,
        home: Path | None = None,
        freeze_heap: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.session: GateSession | None = None
        # Why the run had to stop without a verdict (the live API became unreachable), if it did.
        self.unreachable: str | None = None
        self.progress = progress
        # The private hypothesis home of the contract tests (see gate.hypothesis_home): the command's,
        # which holds for its whole pytest session, else one made here when the first test runs.
        self._home = home
        self._own_home = home is None
        self._freeze_heap = freeze_heap
        # What the summary's time is read from: the contract tests' own, injectable for the tests.
        self._clock = clock
        # Contract tests that failed, and the reports of those that failed for another reason than a
        # broken contract or a stopped run (an error in the suite itself): shown as they are.
        self.failed_tests = 0
        self.suite_errors: list[str] = []
        self._closing: list[str] | None = None

    @classmethod
    def of(cls, config: pytest.Config) -> GatePlugin:
        """The run's plugin: the one the command handed pytest, else one with the CI defaults."""
        for plugin in config.pluginmanager.get_plugins():
            if isinstance(plugin, cls):
                return plugin
        plugin = cls(GateSettings())
        config.pluginmanager.register(plugin, "phone-contract-gate")
        return plugin

    def open(self) -> GateSession:
        """The session, opened on first use (by the contract tests' fixtures)."""
        if self.session is None:
            self.session = open_session(self.settings)
            install_tally_hook(self.session)
            if self._freeze_heap:
                # Everything loaded so far (modules, the spec, the schemas) lives as long as the
                # command's process, and every full collection of the cycle collector would walk it
                # again: about 0.5 s of a 3 s run, the interpreter's last collection at exit included
                # (docs/benchmarks.md). Frozen for good, so only for a process that ends with the run
                # (the command's): what is frozen is never collected, in a longer one it would stay.
                gc.freeze()
            if self.progress is not None:
                self.progress.watch(self.session)
        return self.session

    # --- hooks ----------------------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(self.header())

    def header(self) -> str:
        settings = self.settings
        budget = (
            f"write budget {counted(settings.write_budget, 'creation')} "
            "(creates answered 2xx, or whose answer was lost)"
            if settings.live
            else "no write budget (in-process mock)"
        )
        line = (
            f"phone-contract gate: target {settings.target_label}; {budget}; seed {settings.seed}; "
            f"max examples {settings.max_examples}; profile {settings.profile}"
        )
        pinned = {"--workspace-id": settings.workspace_id, "--user-id": settings.user_id}
        if any(pinned.values()):
            line += "; pinned " + ", ".join(f"{name} {value}" for name, value in pinned.items() if value)
        return line

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
        if not _is_gate_test(item):
            return (yield)
        # A seed must replay the same cases on a fresh clone as on a used one, and the gate writes no
        # files it was not asked to: a private hypothesis home, for the contract tests only.
        if self._home is None:
            self._home = hypothesis_home.make_private_home()
        # schemathesis 4.32's fixture loader renames the item through `_nodeid`, which pytest 9.2
        # no longer has (it reads and writes it for report labels only): give it one to use.
        vars(item).setdefault("_nodeid", item.nodeid)
        started = self._clock()
        try:
            with hypothesis_home.used(self._home):
                return (yield)
        finally:
            if self.session is not None:
                self.session.tally.seconds += self._clock() - started

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None]:
        if not _is_gate_test(item):
            return (yield)
        before = self.session.tally.counts() if self.session is not None else {}
        if self.progress is not None:
            self.progress.phase(item.name)
        result = yield
        # A test sends every case within the budget; it fails at its end with what it found.
        if self.session is not None and self.session.tally.counts() != before:
            raise ContractBroken(findings_report(self.session, since=before))
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        # Every report (terminal and JUnit XML alike) is built from this object: scrub it once here.
        report = yield
        if _is_gate_test(item):
            redactor = self.session.redactor if self.session is not None else Redactor(token_from_env())
            self._stop_if_unreachable(item, call, redactor)
            scrub(report, call, redactor)
            if report.failed:
                self.failed_tests += 1
                if call.excinfo is not None and not _told_by_the_gate(call.excinfo.value):
                    self.suite_errors.append(f"error in {item.name} ({report.when}):\n{report.longreprtext}")
        return report

    def _stop_if_unreachable(
        self, item: pytest.Item, call: pytest.CallInfo[None], redactor: Redactor
    ) -> None:
        """A live API that stops answering ends the run: exit 2, not a contract verdict."""
        if call.excinfo is None:
            return
        error = find(call.excinfo.value, TargetUnreachable)
        if error is not None:
            reason = redactor.content(str(error))
            self.unreachable = reason
            item.session.shouldstop = reason

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        # Plain `pytest contract_tests`: pytest's own report, then the gate's summary. The command runs
        # pytest without its terminal and prints the closing lines itself (gate.suite).
        if self.progress is not None:
            self.progress.stop()
        if terminalreporter.config.option.collectonly:
            return
        for line in self.closing():
            terminalreporter.write_line(line)

    def closing(self) -> list[str]:
        """What the run ends with: each failure once, with its final count, then the summary.

        Settles the verdict too: a run that checked nothing has none (:attr:`unreachable`). Empty when
        no contract test ran (a summary would read as an empty pass) or the run could not go on (its
        one line says why).
        """
        if self._closing is not None:
            return self._closing
        session = self.session
        if session is None:
            self._closing = []
            return self._closing
        notes = session.notes()
        # A run that sent nothing, or stopped because it could not go on, has nothing to report missing.
        if session.tally.cases and self.unreachable is None:
            session.note_checks_not_run(PROPERTY_CHECKS | LIFECYCLE_CHECKS)
            unchecked = unchecked_reason(session.gatekeeper)
            if not self.failed_tests:
                # Green must mean the contract was checked: a pass that checked nothing of an
                # operation is no pass.
                self.unreachable = unchecked
            elif unchecked is not None:
                notes.append(f"also: {unchecked}")
        if self.unreachable is not None:
            self._closing = []
            return self._closing
        blocks = [render_finding(finding) for finding in sorted_findings(session.tally)]
        lines = [line for block in [*blocks, *self.suite_errors] for line in ["", *block.splitlines()]]
        lines += summary(
            session.tally,
            target=session.target,
            seed=self.settings.seed,
            requests=session.gatekeeper.requests,
            writes=session.gatekeeper.budget.write_requests,
            fingerprint=session.gatekeeper.fingerprint,
            door=door_lines(session.gatekeeper),
            notes=notes,
        )
        self._closing = lines
        return lines

    def created_note(self) -> str | None:
        """For a live run that stopped: what it created before, which may cost money until released."""
        if self.session is None:
            return None
        gatekeeper = self.session.gatekeeper
        created = len(gatekeeper.created)
        if not created or gatekeeper.write_budget is None:
            return None
        where = gatekeeper.door.created_path
        listed = f"listed in {where}" if where else "list them with --created PATH, to release them"
        return f"it created {counted(created, 'resource')} before it stopped ({listed})"

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.progress is not None:
            self.progress.stop()
        if self.session is not None:
            self.session.close()
        if self._home is not None and self._own_home:
            hypothesis_home.remove(self._home)
            self._home = None


def _is_gate_test(item: pytest.Item) -> bool:
    return SESSION_FIXTURE in getattr(item, "fixturenames", ())


def _told_by_the_gate(error: BaseException) -> bool:
    """Whether the gate's own lines tell this failure: a broken contract (its findings) or a stopped run."""
    return bool(contract_messages(error)) or find(error, TargetUnreachable) is not None


def contract_messages(error: BaseException) -> list[str]:
    """The reports of every ContractBroken in ``error``, hypothesis' exception groups included."""
    if isinstance(error, ContractBroken):
        return [str(error)]
    messages: list[str] = []
    for inner in getattr(error, "exceptions", ()):
        for message in contract_messages(inner):
            if message not in messages:
                messages.append(message)
    return messages


def find(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of ``kind`` in ``error`` or in its (nested) exception groups."""
    if isinstance(error, kind):
        return error
    for inner in getattr(error, "exceptions", ()):
        found = find(inner, kind)
        if found is not None:
            return found
    return None


def scrub(report: pytest.TestReport, call: pytest.CallInfo[None], redactor: Redactor) -> None:
    """Replace a contract failure's traceback with its report; scrub secrets from every report.

    The traceback of a contract failure says nothing to the user, and hypothesis' notes print the
    generated case whole (password and all); the report already carries the request as curl.
    """
    if report.longrepr is None:
        return
    stopped = find(call.excinfo.value, TargetUnreachable) if call.excinfo is not None else None
    if stopped is not None:
        # The run could not go on (a refused token, a wrong URL, an API that stays down): the one line
        # on stderr says why; pytest's page of frames through schemathesis and hypothesis says nothing.
        report.longrepr = f"stopped: {redactor.content(str(stopped))}"
        report.sections = []
        return
    messages = contract_messages(call.excinfo.value) if call.excinfo is not None else []
    # The gate's own reports scrubbed what came off the wire as they were written; anything else (an
    # error in the suite, what a test printed) is scrubbed whole, as wire content.
    report.longrepr = (
        redactor.text("\n\n".join(messages)) if messages else redactor.content(str(report.longrepr))
    )
    report.sections = [(title, redactor.content(content)) for title, content in report.sections]
