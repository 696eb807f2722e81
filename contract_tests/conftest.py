"""The contract gate as a pytest suite; ``phone-contract gate`` is a thin runner over it.

The command hands pytest its run as a plugin (``phone_contract.gate.plugin.GatePlugin``). Plain
``pytest contract_tests`` gets one built here from the defaults: the CI gate (fixed seed, embedded
mock). Nothing is built at import: the tests receive the session through these fixtures.
"""

from __future__ import annotations

import pytest

from phone_contract.gate.plugin import GatePlugin
from phone_contract.gate.session import GateSession


def pytest_configure(config: pytest.Config) -> None:
    GatePlugin.of(config)  # registers the defaults' plugin when no run handed one over


@pytest.fixture(scope="session")
def gate(pytestconfig: pytest.Config) -> GateSession:
    return GatePlugin.of(pytestconfig).open()
