"""The spec model: one reading of the spec, whatever valid layout it is written in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from phone_contract import SpecError, load_spec
from phone_contract._spec import Role, parse_spec, properties_of

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
    # The same operations, in whatever order the restatement writes them.
    assert sorted(op.label for op in spec.operations) == sorted(op.label for op in PROJECT.operations)
    for project in PROJECT.operations:
        operation = spec.find_operation(project.label)
        assert operation is not None
        assert operation.operation_id == project.operation_id
        assert _contract(operation.request_schema()) == _contract(project.request_schema())
        assert operation.documented_statuses == project.documented_statuses
        for status, response in project.responses.items():
            assert _contract(operation.responses[status].schema()) == _contract(response.schema()), status
        assert operation.request_examples() == project.request_examples()
        assert operation.bearer_required
        semantics, expected = operation.semantics, project.semantics
        assert (semantics.role, semantics.answer, semantics.items, semantics.echo) == (
            expected.role,
            expected.answer,
            expected.items,
            expected.echo,
        )
        assert (semantics.not_found, semantics.conflict) == (expected.not_found, expected.conflict)
        assert semantics.resource is not None
        assert expected.resource is not None
        assert semantics.resource.unchanging == expected.resource.unchanging
        assert (semantics.resource.unique, semantics.resource.updated) == (("number",), "updatedAt")
        assert [(link.name, link.target.label) for link in operation.links] == [
            (link.name, link.target.label) for link in project.links
        ]
    assert spec.base_path == PROJECT.base_path == "/api/v2"


def test_the_project_spec_says_what_each_operation_does() -> None:
    create, update = PROJECT.find_operation("createPhoneNumber"), PROJECT.find_operation("updatePhoneNumbers")
    assert create is not None
    assert update is not None
    assert (create.semantics.role, create.semantics.answer) == (
        Role.CREATE,
        ("data", "result", "phoneNumber"),
    )
    assert (update.semantics.role, update.semantics.answer) == (Role.UPDATE, ("data", "result", "updated"))
    assert update.semantics.items == ("phoneNumbers",)
    assert (update.semantics.not_found, update.semantics.conflict, create.semantics.conflict) == (
        404,
        409,
        409,
    )
    resource = create.semantics.resource
    assert resource is not None
    assert (resource.id, resource.scope, resource.owner) == ("id", "workspaceId", "userId")
    assert (resource.created, resource.updated, resource.unique) == ("createdAt", "updatedAt", ("number",))
    (link,) = create.links
    assert (link.status, link.target) == ("201", update)


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_spec_is_one_line_naming_what_is_wrong(name: str, tmp_path: Path) -> None:
    path, words = write_unusable(name, tmp_path)
    with pytest.raises(SpecError) as raised:
        load_spec(path).require_operations()
    message = str(raised.value)
    assert words in message
    assert "\n" not in message


def test_without_the_extension_a_post_creates_the_object_naming_most_request_fields() -> None:
    text = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    post:
      requestBody:
        content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema:
                type: object
                properties:
                  thing: {type: object, properties: {id: {type: string}, name: {type: string}}}
    get:
      responses:
        '200': {description: listed}
"""
    post, get = parse_spec(text, "inline").operations
    assert (post.semantics.role, post.semantics.answer, post.semantics.echo) == (
        Role.CREATE,
        ("thing",),
        ("name",),
    )
    assert get.semantics.role is Role.OTHER
    assert not post.semantics.declared


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
    (operation,) = parse_spec(text, "inline").require_operations()
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
    schema = spec.operations[0].request_schema()
    assert schema is not None
    assert "child" in properties_of(schema)
    validator = spec.validator(schema)
    assert validator.is_valid({"child": {"child": {}}})
    assert not validator.is_valid({"child": {"child": 3}})


def test_an_operation_is_found_by_id_label_or_request() -> None:
    text = """
openapi: 3.1.0
info: {title: t, version: '1'}
servers: [{url: 'https://api.example/v1'}]
paths:
  /things:
    post:
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses:
        '201': {description: created}
  /things/{id}:
    get:
      operationId: readThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: read}
  /things/mine:
    get:
      responses:
        '200': {description: mine}
"""
    spec = parse_spec(text, "inline")
    assert spec.find_operation("POST /things") is spec.operations[0]
    assert spec.find_operation("readThing") is spec.operations[1]
    assert spec.operation_for("GET", "/v1/things/t_1") is spec.operations[1]
    assert spec.operation_for("GET", "/things/mine") is spec.operations[2]  # exact wins over a template
    assert spec.operation_for("DELETE", "/things") is None
