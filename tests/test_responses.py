"""check_response and undocumented_fields, driven by the spec's own examples (never copies of them)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

from phone_contract import default_spec_path, load_spec
from phone_contract._spec import Operation, Spec, parse_spec
from phone_contract.responses import (
    CONTENT_TYPE_PATH,
    STATUS_PATH,
    ContractViolation,
    Violation,
    check_response,
    json_path,
    undocumented_fields,
)

JSON = "application/json"
PHONE = "$.data.result.phoneNumber"


def create_operation(spec: Spec | None = None) -> Operation:
    found = (spec or load_spec()).find_operation("createPhoneNumber")
    assert found is not None
    return found


def example(status: str) -> dict[str, Any]:
    """A fresh copy of the spec's (first) example of the ``status`` response."""
    value = next(iter(create_operation().responses[status].examples().values()))
    assert isinstance(value, dict)
    return copy.deepcopy(value)


def created() -> dict[str, Any]:
    return example("201")


def phone(body: dict[str, Any]) -> dict[str, Any]:
    found = body["data"]["result"]["phoneNumber"]
    assert isinstance(found, dict)
    return found


def check(body: object, status: int = 201) -> list[Violation]:
    return check_response(create_operation(), status, JSON, json.dumps(body).encode())


@pytest.mark.parametrize("status", ["201", "400", "401", "409", "413"])
def test_the_specs_examples_keep_the_contract(status: str) -> None:
    assert check(example(status), int(status)) == []
    assert undocumented_fields(create_operation(), int(status), example(status)) == []


def test_a_missing_required_field_is_reported_at_its_own_path() -> None:
    body = created()
    del phone(body)["userId"]
    assert check(body) == [Violation(f"{PHONE}.userId", "required property 'userId'", "nothing")]


def test_success_yes_breaks_both_type_and_const() -> None:
    body = created()
    body["success"] = "yes"
    assert {(v.path, v.expected, v.actual) for v in check(body)} == {
        ("$.success", "type boolean", '"yes"'),
        ("$.success", "const true", '"yes"'),
    }


def test_success_true_in_an_error_body_is_caught() -> None:
    body = example("409")
    body["success"] = True
    assert check(body, 409) == [Violation("$.success", "const false", "true")]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("createdAt", "2026-11-26 10:15", "string of format date-time"),
        ("updatedAt", "yesterday", "string of format date-time"),
        ("id", 42, "type string"),
    ],
)
def test_a_phone_number_field_of_the_wrong_shape(field: str, value: object, expected: str) -> None:
    body = created()
    phone(body)[field] = value
    assert check(body) == [Violation(f"{PHONE}.{field}", expected, json.dumps(value))]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("port", 0, "a number >= 1"),
        ("port", 65536, "a number <= 65535"),
        ("transportProtocol", "SCTP", 'one of ["UDP", "TCP", "TLS"]'),
    ],
)
def test_sip_outbound_constraints(field: str, value: object, expected: str) -> None:
    body = created()
    phone(body)["config"]["sipOutbound"][field] = value
    path = f"{PHONE}.config.sipOutbound.{field}"
    assert check(body) == [Violation(path, expected, json.dumps(value))]


def test_agent_ids_must_be_uuids() -> None:
    body = created()
    phone(body)["config"]["inboundAgentId"] = "agent-7"
    assert check(body) == [Violation(f"{PHONE}.config.inboundAgentId", "string of format uuid", '"agent-7"')]


def test_passwords_never_appear_in_violations() -> None:
    body = created()
    phone(body)["config"]["sipOutbound"]["password"] = 31337
    assert check(body) == [Violation(f"{PHONE}.config.sipOutbound.password", "type string", "<redacted>")]
    # Reported whole, an object must not carry the secret out either.
    phone(body)["config"]["sipOutbound"] = [{"password": "hunter2-secret"}]
    (violation,) = check(body)
    assert violation.expected == "type object"
    assert "hunter2" not in str(violation)
    assert "<redacted>" in violation.actual


@pytest.mark.parametrize("status", [418, 500, 520, 200])
def test_an_undocumented_status_is_one_violation_and_nothing_else(status: int) -> None:
    (violation,) = check_response(create_operation(), status, "text/html", b"<html>oops</html>")
    assert violation.path == STATUS_PATH
    assert violation.actual == str(status)
    assert "201, 400, 401, 409, 413" in violation.expected


@pytest.mark.parametrize("content_type", ["text/html", None, "application/problem+json"])
def test_a_content_type_other_than_json(content_type: str | None) -> None:
    (violation,) = check_response(create_operation(), 201, content_type, json.dumps(created()).encode())
    assert violation.path == CONTENT_TYPE_PATH
    assert violation.expected == JSON


def test_json_with_parameters_is_json() -> None:
    assert (
        check_response(
            create_operation(), 201, "Application/JSON; charset=utf-8", json.dumps(created()).encode()
        )
        == []
    )


@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe\x00", b"<html>"])
def test_a_body_that_is_not_json(body: bytes) -> None:
    (violation,) = check_response(create_operation(), 201, JSON, body)
    assert violation.path == "$"
    assert violation.actual.startswith("invalid JSON")


def test_the_schema_comes_from_the_given_spec_not_a_copy() -> None:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    document["components"]["schemas"]["PhoneNumber"]["properties"]["id"]["maxLength"] = 5
    # Its own example would break the shorter id, which the spec model refuses: drop it.
    del document["paths"]["/phone-numbers"]["post"]["responses"]["201"]["content"][JSON]["examples"]
    del document["paths"]["/phone-numbers"]["put"]["responses"]["200"]["content"][JSON]["examples"]
    spec = parse_spec(yaml.safe_dump(document), "a spec with a shorter id")
    assert check_response(create_operation(spec), 201, JSON, json.dumps(created()).encode()) == [
        Violation(f"{PHONE}.id", "a string of at most 5 characters", '"pn_01J9Z3K4X5W6V7T8S9R0Q1P2N3"')
    ]
    # The default spec's cached validator is untouched by another spec's.
    assert check(created()) == []


def test_contract_violation_names_path_expected_and_actual() -> None:
    violations = [Violation("$.success", "const true", '"yes"')]
    error = ContractViolation(201, violations)
    assert error.status_code == 201
    assert error.violations == tuple(violations)
    assert '$.success: expected const true, got "yes"' in str(error)
    assert "201" in str(error)


def test_undocumented_fields_are_found_in_objects_and_array_items() -> None:
    body = created()
    body["traceId"] = "abc"
    phone(body)["carrier"] = "acme"
    phone(body)["config"]["sipOutbound"]["headers"][0]["secret"] = True
    assert undocumented_fields(create_operation(), 201, body) == [
        "$.data.result.phoneNumber.carrier",
        "$.data.result.phoneNumber.config.sipOutbound.headers[0].secret",
        "$.traceId",
    ]
    assert check(body) == []  # Response schemas are open: tolerated, only reported here.


def test_a_field_a_pattern_names_is_documented_by_it() -> None:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    document["components"]["schemas"]["PhoneNumber"]["patternProperties"] = {"^x-": {"type": "number"}}
    spec = parse_spec(yaml.safe_dump(document), "a spec that documents x- fields by a pattern")
    body = created()
    phone(body)["x-rate"] = 1.5
    phone(body)["rate"] = 1.5
    assert undocumented_fields(create_operation(spec), 201, body) == [f"{PHONE}.rate"]


def test_undocumented_fields_of_an_error_and_of_an_undocumented_status() -> None:
    body = example("400")
    body["error"]["details"] = []
    assert undocumented_fields(create_operation(), 400, body) == ["$.error.details"]
    assert undocumented_fields(create_operation(), 520, {"anything": 1}) == []


def test_undocumented_fields_ignores_values_of_the_wrong_shape() -> None:
    # Shape errors are check_response's to report; this must not crash on them.
    assert undocumented_fields(create_operation(), 201, {"success": True, "data": "oops"}) == []
    assert undocumented_fields(create_operation(), 201, ["not", "an", "object"]) == []


def test_json_path_quotes_keys_that_are_not_names() -> None:
    assert json_path(["data", "headers", 0, "a b", "x.y"]) == '$.data.headers[0]["a b"]["x.y"]'
