"""The spec model: one reading of the spec, whatever valid layout it is written in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from phone_contract import SpecError, load_spec
from phone_contract._spec import parse_spec, properties_of

from .restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable

PROJECT = load_spec()


def _contract(node: Any) -> Any:
    """A schema without its prose, which restatements may word differently."""
    if isinstance(node, dict):
        return {key: _contract(value) for key, value in node.items() if key not in ("description", "title")}
    if isinstance(node, list):
        return [_contract(item) for item in node]
    return node


@pytest.mark.parametrize("name", sorted(RESTATEMENTS))
def test_a_restatement_reads_as_the_same_contract(name: str, tmp_path: Path) -> None:
    spec = load_spec(write_restatement(name, tmp_path))
    operation, project = spec.require_operation(), PROJECT.require_operation()
    assert (operation.label, operation.operation_id) == (project.label, project.operation_id)
    assert _contract(operation.request_schema()) == _contract(project.request_schema())
    assert operation.documented_statuses == project.documented_statuses
    for status, response in project.responses.items():
        assert _contract(operation.responses[status].schema()) == _contract(response.schema()), status
    assert operation.request_examples() == project.request_examples()
    assert operation.created_path == project.created_path == ("data", "result", "phoneNumber")
    assert spec.base_path == PROJECT.base_path == "/api/v2"
    assert operation.bearer_required


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_spec_is_one_line_naming_what_is_wrong(name: str, tmp_path: Path) -> None:
    path, words = write_unusable(name, tmp_path)
    with pytest.raises(SpecError) as raised:
        load_spec(path).require_operation()
    message = str(raised.value)
    assert words in message
    assert "\n" not in message


def test_responses_are_found_by_exact_status_then_range_then_default() -> None:
    text = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /phone-numbers:
    post:
      operationId: createPhoneNumber
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses:
        '201': {description: created}
        4XX: {description: client error}
        default: {description: anything else}
"""
    operation = parse_spec(text, "inline").require_operation()
    found = {status: operation.response_for(status) for status in (201, 404, 503)}
    assert {status: response.key for status, response in found.items() if response} == {
        201: "201",
        404: "4XX",
        503: "default",
    }


def test_a_recursive_schema_stays_resolvable() -> None:
    text = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /phone-numbers:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Node'}
      responses:
        '201': {description: created}
components:
  schemas:
    Node:
      type: object
      properties:
        child: {$ref: '#/components/schemas/Node'}
"""
    spec = parse_spec(text, "inline")
    schema = spec.require_operation().request_schema()
    assert "child" in properties_of(schema)
    validator = spec.validator(schema)
    assert validator.is_valid({"child": {"child": {}}})
    assert not validator.is_valid({"child": {"child": 3}})


def test_the_operation_is_found_by_path_and_method_without_an_id() -> None:
    text = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /phone-numbers:
    post:
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses:
        '201': {description: created}
"""
    assert parse_spec(text, "inline").require_operation().label == "POST /phone-numbers"
