"""Generation reaches nested optional input: every config field, and several SIP headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from schemathesis import Case

from phone_contract._spec import load_spec, properties_of
from phone_contract.gate.deep import MIN_ARRAY_ITEMS, fully_populated
from phone_contract.gate.session import GateSession, open_session
from phone_contract.gate.settings import GateSettings
from tests.examples import scaled
from tests.operations import create_op, request_schema

SPEC = load_spec()
REQUEST = request_schema(create_op(SPEC))
CONFIG_FIELDS = set(properties_of(REQUEST["properties"]["config"]))
SIP_OUTBOUND_FIELDS = set(properties_of(REQUEST["properties"]["config"]["properties"]["sipOutbound"]))


@pytest.fixture(scope="module")
def session() -> Iterator[GateSession]:
    gate = open_session(GateSettings())
    yield gate
    gate.close()


def _request_validator() -> Draft202012Validator:
    # The real spec's request schema, not the variant's: generated bodies must keep the contract.
    return SPEC.validator(REQUEST)


def test_fully_populated_bodies_reach_all_of_config_and_keep_the_contract(session: GateSession) -> None:
    validator = _request_validator()
    strategy = session.fully_populated_cases(create_op(session.spec))

    @settings(max_examples=scaled(30), database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=strategy)
    def check(case: Case[Any]) -> None:
        assert isinstance(case.body, dict)
        body: dict[str, Any] = case.body
        assert list(validator.iter_errors(body)) == []
        assert set(body["config"]) == CONFIG_FIELDS
        assert set(body["config"]["sipOutbound"]) == SIP_OUTBOUND_FIELDS
        assert len(body["config"]["sipOutbound"]["headers"]) >= MIN_ARRAY_ITEMS

    check()


def test_the_variant_changes_only_the_request_body() -> None:
    variant = fully_populated(SPEC, create_op(SPEC))
    operation = variant["paths"]["/phone-numbers"]["post"]
    assert operation["responses"] == create_op(SPEC).node["responses"]
    assert variant["components"] == SPEC.document["components"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == set(schema["properties"])
