"""Hypothesis profiles for the toolkit's own tests, one per tier, and fixtures every part uses.

Pick a profile with hypothesis' own option, ``--hypothesis-profile NAME`` (``scripts/test`` passes
``ci``, or ``fast`` with ``--fast``); without it, ``ci`` under CI and ``dev`` elsewhere:

- ``fast``: derandomized, a tenth of the examples: the quick tier, run before every commit;
- ``ci``: derandomized, hypothesis' 100 examples: the same inputs on every run, what gates a push;
- ``nightly``: a new random seed each run, five times the examples, the seed printed in the header and
  again after a failure (repeat with ``--hypothesis-seed N``), a failing example's blob printed;
- ``dev``: random, for exploring on a laptop.

Tests that set their own ``max_examples`` state the ``ci`` count through :func:`tests.examples.scaled`.
The gate's own profiles live in ``phone_contract.gate.profiles``, applied to its suite as decorators;
``phone-contract gate`` runs in a process of its own and never sees these. Only the in-session run of
``contract_tests/`` does: its schemathesis test sends fewer cases under ``fast``, more under ``nightly``.
"""

from __future__ import annotations

import os
import random
import socket
from typing import Any

import pytest
from hypothesis import settings

# No deadline: a shared 2-core CI machine makes per-example timings noise, not signal.
_COMMON: dict[str, Any] = {"database": None, "deadline": None, "print_blob": True}
settings.register_profile("fast", derandomize=True, max_examples=10, **_COMMON)
settings.register_profile("ci", derandomize=True, max_examples=100, **_COMMON)
settings.register_profile("nightly", derandomize=False, max_examples=500, **_COMMON)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

SEED_OPTION = "hypothesis_seed"


@pytest.hookimpl(tryfirst=True)  # before hypothesis' own plugin reads --hypothesis-seed
def pytest_configure(config: pytest.Config) -> None:
    # A random run is worth something only if its failures repeat: the nightly profile draws one seed
    # for the whole session, shows it, and hands it to hypothesis as --hypothesis-seed would.
    if config.getoption("hypothesis_profile") != "nightly" or config.getoption(SEED_OPTION) is not None:
        return
    # xdist hands its workers the controller's seed (see pytest_configure_node), so all share one.
    handed = getattr(config, "workerinput", {}).get(SEED_OPTION)
    config.option.hypothesis_seed = handed or str(random.SystemRandom().randrange(2**32))


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: called only when it runs the session
def pytest_configure_node(node: Any) -> None:
    seed = node.config.getoption(SEED_OPTION)
    if seed is not None:
        node.workerinput[SEED_OPTION] = seed


def pytest_report_header(config: pytest.Config) -> str | None:
    return _seed_line(config)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    line = _seed_line(terminalreporter.config)
    if line is not None and terminalreporter.stats.get("failed"):
        terminalreporter.write_line(line)


def _seed_line(config: pytest.Config) -> str | None:
    seed = config.getoption(SEED_OPTION)
    if seed is None or settings.get_current_profile_name() in ("fast", "ci"):
        return None
    return f"hypothesis seed {seed}: repeat this run with --hypothesis-seed {seed}"


@pytest.fixture
def unresolvable_host(monkeypatch: pytest.MonkeyPatch) -> str:
    """A host name this process cannot resolve, failed as getaddrinfo fails an unknown name.

    What a real resolver says differs by system (glibc, musl, macOS), and a machine without DNS fails
    every name another way: the tests read the toolkit's own classification of the failure, never a
    resolver's words. The words here are glibc's for EAI_NONAME.
    """
    host = "freya.invalid"
    real = socket.getaddrinfo

    def getaddrinfo(name: Any, *args: Any, **kwargs: Any) -> Any:
        if name in (host, host.encode()):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return host
