"""What the spec model keeps of a spec's layout for those who need it (the diff): which named schema
each contract schema was written as, the recursive refs the contract keeps, and every operation."""

from __future__ import annotations

from pathlib import Path

from phone_contract._spec import Operation, Reference, Spec, parse_spec

# Where a spec read from text lives, for its $refs.
URN = "urn:phone-contract:spec"
SPEC = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /phone-numbers/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: X-Trace, in: header, schema: {type: string}}
    post:
      operationId: createPhoneNumber
      parameters:
        - {name: x-trace, in: header, required: true, schema: {type: integer}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Request'}
          application/octet-stream: {}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Alias'}
    get:
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
  schemas:
    Request:
      type: object
      properties:
        transport:
          allOf: [{$ref: '#/components/schemas/Transport'}]
          description: How calls travel.
        inline: {type: string}
    Transport: {type: string, enum: [UDP, TCP]}
    Alias: {$ref: '#/components/schemas/Node'}
    Node:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Node', description: The one after.}
"""


def _post(spec: Spec) -> Operation:
    found = spec.find_operation("POST /phone-numbers/{id}")
    assert found is not None
    return found


def test_a_schema_is_named_after_the_ref_written_where_it_is_used() -> None:
    spec = parse_spec(SPEC, "t")
    operation = _post(spec)
    request = operation.request_schema()
    assert request is not None
    assert spec.reference(request) == Reference(f"{URN}#/components/schemas/Request", "Request")
    properties = request["properties"]
    # Merged out of its one-item allOf wrapper, the schema keeps the wrapped ref's name.
    transport = {"type": "string", "enum": ["UDP", "TCP"], "description": "How calls travel."}
    assert properties["transport"] == transport
    assert spec.reference(properties["transport"]) == Reference.to(f"{URN}#/components/schemas/Transport")
    assert spec.reference(properties["inline"]) is None
    # A chain of refs is named by the one written at the place, not by where it ends.
    response = operation.responses["201"].schema()
    assert response is not None
    assert spec.reference(response) == Reference.to(f"{URN}#/components/schemas/Alias")
    # An equal copy is not the node: names belong to the contract's own nodes.
    assert spec.reference(dict(request)) is None


def test_a_recursive_ref_is_followed_to_the_contract_schema_it_stands_for() -> None:
    spec = parse_spec(SPEC, "t")
    response = _post(spec).responses["201"].schema()
    assert response is not None
    pointer = response["properties"]["next"]
    assert pointer["$ref"] == "#/components/schemas/Node"
    reference = spec.reference(pointer)
    assert reference is not None
    assert reference.name == "Node"
    followed = spec.follow(pointer)
    assert set(followed["properties"]) == {"next"}
    assert followed["description"] == "The one after."  # what sits beside the ref applies too
    assert spec.follow(response) is response


def test_every_operation_with_its_parameters_and_bodies() -> None:
    spec = parse_spec(SPEC, "t")
    labels = [operation.label for operation in spec.operations]
    assert labels == ["POST /phone-numbers/{id}", "GET /phone-numbers/{id}"]  # as the spec writes them
    post = _post(spec)
    # The operation's own header replaces the path item's of the same name, whatever its case.
    assert set(post.parameters) == {("path", "id"), ("header", "x-trace")}
    assert post.parameters[("header", "x-trace")]["required"] is True
    assert post.request_schemas["application/octet-stream"] == {}
    assert set(post.request_schemas) == {"application/json", "application/octet-stream"}
    assert spec.security_schemes == {"bearerAuth": {"type": "http", "scheme": "bearer"}}


def test_a_schema_in_a_sibling_file_is_named_by_its_pointer(tmp_path: Path) -> None:
    (tmp_path / "schemas.yaml").write_text("Request: {type: object}\n", encoding="utf-8")
    text = SPEC.replace("{$ref: '#/components/schemas/Request'}", "{$ref: 'schemas.yaml#/Request'}")
    spec = parse_spec(text, "t", base_uri=(tmp_path / "spec.yaml").as_uri())
    reference = spec.reference(_post(spec).request_schema())
    assert reference == Reference((tmp_path / "schemas.yaml").as_uri() + "#/Request", "Request")
