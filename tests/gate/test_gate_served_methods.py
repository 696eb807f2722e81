"""``--served-method``: a method the API serves on the path outside this spec is not probed as unsupported.

The spec holds one operation of a larger API; a real API may well answer GET /phone-numbers with
its list. Without the option that is reported (with the way out); with it, the run passes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from schemathesis.config._phases import DEFAULT_UNEXPECTED_METHODS

from phone_contract.cli import build_parser
from phone_contract.gate.command import PROBED_METHODS, settings_from_args

from .support import GateResult, run_gate

LAUNCHER = (str(Path(__file__).with_name("with_list_endpoint.py")),)
EXAMPLES = ["--max-examples", "3"]


def test_methods_are_parsed_upper_case_once() -> None:
    parser, _ = build_parser()
    argv = ["gate", "--served-method", "get", "--served-method", "GET", "--served-method", "delete"]
    settings = settings_from_args(parser.parse_args(argv))
    assert settings.served_methods == ("DELETE", "GET")


def test_the_methods_accepted_are_those_schemathesis_probes() -> None:
    assert {method.lower() for method in PROBED_METHODS} == DEFAULT_UNEXPECTED_METHODS


@pytest.fixture(scope="module")
def results() -> dict[str, GateResult]:
    plans = {"probed": EXAMPLES, "served": [*EXAMPLES, "--served-method", "GET"]}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_gate, args, launcher=LAUNCHER) for name, args in plans.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.e2e
def test_a_served_get_is_reported_with_the_way_out(results: dict[str, GateResult]) -> None:
    result = results["probed"]
    assert result.status == 1, result.stdout[-3000:] + result.stderr
    assert "unsupported_method" in result.failed_checks
    assert "if the API serves GET on this path outside this spec, pass --served-method GET" in result.stdout


@pytest.mark.e2e
def test_a_declared_served_method_is_not_probed(results: dict[str, GateResult]) -> None:
    result = results["served"]
    assert result.status == 0, result.stdout[-3000:] + result.stderr
    assert result.passed_checks["unsupported_method"] >= 1  # the other methods are still probed
