"""Where a contract node was written (``Spec.source``, what learn edits through), and coverage in numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from phone_contract._spec import load_spec
from phone_contract.coverage import coverage
from tests.learn.support import Call, body, created, error
from tests.operations import create_op
from tests.restatements import write_restatement

PHONE_NUMBER = ("properties", "data", "properties", "result", "properties", "phoneNumber")


def test_a_response_field_is_found_in_the_component_its_ref_names() -> None:
    spec = load_spec()
    pointer = (*create_op(spec).response_schema_pointer("201"), *PHONE_NUMBER, "properties", "config")
    assert spec.source((*pointer, "properties", "voiceConfig")) == (
        spec.uri,
        ("components", "schemas", "PhoneNumberConfig", "properties", "voiceConfig"),
    )
    # The $ref itself, where it was written, when the pointer ends on it.
    assert spec.source(pointer) == (
        spec.uri,
        ("components", "schemas", "PhoneNumber", "properties", "config"),
    )
    assert spec.source((*pointer, "properties", "nowhere")) is None


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("inlined", ("paths", "/phone-numbers", "post", "responses", "201")),
        ("allof-split", ("components", "schemas", "PhoneNumber", "allOf", 0, "properties", "id")),
        ("allof-wrapped", ("components", "schemas", "PhoneNumber", "properties", "id")),
        ("responses-ref", ("components", "schemas", "PhoneNumber", "properties", "id")),
    ],
)
def test_restatements_are_found_where_they_wrote_it(
    name: str, written: tuple[object, ...], tmp_path: Path
) -> None:
    spec = load_spec(write_restatement(name, tmp_path))
    found = spec.source((*create_op(spec).response_schema_pointer("201"), *PHONE_NUMBER, "properties", "id"))
    assert found is not None
    assert found[1][: len(written)] == written
    node: object = spec.raw
    for step in found[1]:
        node = node[step]  # type: ignore[index]
    assert node == {"type": "string", "description": "Identifier of the phone number."}


def test_coverage_counts_what_was_exercised_and_lists_the_rest() -> None:
    sent = body(config={"sipOutbound": {"transportProtocol": "TCP"}})
    exchanges = [
        Call(201, created(), sent).exchange(),
        Call(409, error("phone_number_exists", "exists"), body()).exchange(),
        Call(200, {"items": []}, method="GET").exchange(),  # another operation: not counted
    ]
    spec = load_spec()
    result = coverage(spec, exchanges)
    assert result.exchanges == 2
    assert [operation.label for operation in result.operations] == [op.label for op in spec.operations]
    (create,) = [operation for operation in result.operations if operation.label == "POST /phone-numbers"]
    assert create.exchanges == 2
    statuses, response_fields, request_fields, enums = create.tallies
    assert statuses.seen == ("201", "409")
    assert statuses.unseen == ("400", "401", "413")
    assert "201 $.data.result.phoneNumber.createdAt" in response_fields.seen
    assert "201 $.data.result.phoneNumber.config" in response_fields.unseen
    assert "$.config.sipOutbound.transportProtocol" in request_fields.seen
    assert "$.friendlyName" in request_fields.unseen
    assert enums.seen == ('$.config.sipOutbound.transportProtocol="TCP"',)
    assert len(enums.unseen) == 2
    assert create.lines()[1] == "  documented statuses: 2 of 5 (40%); never seen: 400, 401, 413"
    # The update was never called: every one of its statuses is listed as never seen.
    assert "Coverage of PUT /phone-numbers by 0 exchange(s):" in result.lines()
