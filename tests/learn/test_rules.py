"""One test per learning rule: the evidence, the change it proposes, and the learned spec that covers it."""

from __future__ import annotations

from phone_contract._spec import load_spec
from phone_contract.responses import check_response, undocumented_fields
from tests.learn.conftest import TODAY, LearnRun
from tests.learn.support import Call, body, created, error
from tests.operations import create_op

UUID = "550e8400-e29b-41d4-a716-446655440009"
CONFIG = {"voiceConfig": "default", "inboundAgentId": UUID}


def test_an_undocumented_response_field_is_added_as_optional_with_its_inferred_schema(
    learn: LearnRun,
) -> None:
    calls = [
        Call(201, created(carrier="Freya Telecom", routing={"trunkId": UUID, "since": None}), body()),
        Call(
            201, created(carrier="Other", routing={"trunkId": UUID, "since": "2026-11-26T10:15:30Z"}), body()
        ),
    ]
    proposed = learn(calls)
    assert proposed.status == 1
    assert "+        carrier:" in proposed.out
    assert "$.data.result.phoneNumber.carrier: undocumented response field" in proposed.out
    assert "run.har entries 1, 2" in proposed.out
    assert proposed.spec.read_bytes() == proposed.before  # no --write, no change

    written = learn(calls, "--write")
    assert written.status == 0
    properties = written.schema("PhoneNumber")["properties"]
    assert properties["carrier"] == {
        "type": "string",
        "description": f"Learned from the live API on {TODAY}: undocumented field, seen in 2 answer(s).",
    }
    routing = properties["routing"]
    assert routing["properties"]["trunkId"] == {"type": "string", "format": "uuid"}
    assert routing["properties"]["since"] == {"type": ["string", "null"], "format": "date-time"}
    assert "carrier" not in written.schema("PhoneNumber")["required"]
    spec = load_spec(written.spec)
    for call in calls:
        exchange = call.exchange()
        assert check_response(create_op(spec), 201, "application/json", exchange.response_body) == []
        assert undocumented_fields(create_op(spec), 201, call.answer) == []


def test_a_documented_field_of_another_type_or_format_is_widened_just_enough(learn: LearnRun) -> None:
    config = {**CONFIG, "voiceConfig": None, "inboundAgentId": "12345"}
    learned = learn([Call(201, created(config=config), body())], "--write")
    assert learned.status == 0
    properties = learned.schema("PhoneNumberConfig")["properties"]
    assert properties["voiceConfig"]["type"] == ["string", "null"]
    assert "format" not in properties["inboundAgentId"]
    assert properties["outboundAgentId"]["format"] == "uuid"  # untouched: no evidence against it
    assert (
        f"Learned from the live API on {TODAY}: not always format uuid"
        in properties["inboundAgentId"]["description"]
    )
    # The request side is another contract: the evidence says nothing about it.
    assert learned.schema("PhoneNumberConfigInput")["properties"]["voiceConfig"]["type"] == "string"


def test_null_for_a_shared_component_widens_only_the_place_it_was_seen(learn: LearnRun) -> None:
    outbound = {"enabled": False, "transportProtocol": None}
    learned = learn([Call(201, created(config={"sipOutbound": outbound}), body())], "--write")
    assert learned.status == 0
    assert learned.schema("TransportProtocol")["enum"] == ["UDP", "TCP", "TLS"]
    widened = learned.schema("SipOutbound")["properties"]["transportProtocol"]
    assert widened["anyOf"] == [{"$ref": "#/components/schemas/TransportProtocol"}, {"type": "null"}]
    spec = load_spec(learned.spec)
    answer = Call(201, created(config={"sipOutbound": outbound})).exchange().response_body
    assert check_response(create_op(spec), 201, "application/json", answer) == []


def test_an_undocumented_status_is_documented_with_the_schema_its_bodies_fit(learn: LearnRun) -> None:
    refusal = error("unprocessable", "workspaceId: unknown workspace")
    learned = learn([Call(201, created(), body()), Call(422, refusal, body())], "--write")
    assert learned.status == 0
    response = learned.document["paths"]["/phone-numbers"]["post"]["responses"]["422"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    assert response["description"].startswith(f"Learned from the live API on {TODAY}: answered 422")
    assert list(learned.document["paths"]["/phone-numbers"]["post"]["responses"]) == [
        "201", "400", "401", "409", "413", "422"
    ]  # fmt: skip


def test_another_method_served_on_the_path_is_documented_as_a_learned_operation(learn: LearnRun) -> None:
    calls = [
        Call(201, created(), body()),
        Call(200, {"items": []}, method="GET"),
        Call(
            405, error("method_not_allowed", "no"), method="DELETE", headers=[("Allow", "GET, POST, PATCH")]
        ),
    ]
    learned = learn(calls, "--write")
    assert learned.status == 0
    item = learned.document["paths"]["/phone-numbers"]
    # GET answered: documented with what it answered. PATCH only listed in Allow: whatever it answers.
    assert item["get"]["x-phone-contract"]["role"] == "other"
    assert item["get"]["x-phone-contract"]["learned"].startswith(f"Learned from the live API on {TODAY}")
    assert item["get"]["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "object"
    assert list(item["patch"]["responses"]) == ["default"]
    spec = load_spec(learned.spec)
    for label in ("GET /phone-numbers", "PATCH /phone-numbers"):
        operation = spec.find_operation(label)
        assert operation is not None
        assert operation.semantics.learned
    assert "DELETE" not in learned.out.split("Coverage")[0].split("Proposed")[-1]


def test_a_spec_invalid_body_the_api_accepted_loosens_the_constraint_it_broke(learn: LearnRun) -> None:
    long_number = "+1" + "5" * 23
    learned = learn([Call(201, created(number=long_number), body(number=long_number))], "--write")
    assert learned.status == 0
    number = learned.schema("CreatePhoneNumberRequest")["properties"]["number"]
    assert number["maxLength"] == 25
    assert number["minLength"] == 3
    assert "maxLength 20 -> 25" in learned.out


def test_a_field_the_api_now_refuses_is_removed_from_the_request(learn: LearnRun) -> None:
    refusal = error(
        "validation_error", "$: Additional properties are not allowed ('friendlyName' was unexpected)"
    )
    calls = [
        Call(201, created(), body()),
        Call(201, created(config=CONFIG), body(config=CONFIG)),
        Call(400, refusal, body(friendlyName="Main line")),
    ]
    learned = learn(calls, "--write")
    assert learned.status == 0
    request = learned.schema("CreatePhoneNumberRequest")
    assert "friendlyName" not in request["properties"]
    assert "`friendlyName` is no longer accepted" in request["description"]
    example = learned.document["paths"]["/phone-numbers"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert "friendlyName" not in example["examples"]["mainSupportLine"]["value"]
    assert "friendlyName" in learned.schema("PhoneNumber")["properties"]  # the answer still carries it
    assert "the refusal naming 'friendlyName'" in learned.out
    load_spec(learned.spec)  # valid, examples included


def test_a_refusal_no_single_field_explains_is_reported_not_learned(learn: LearnRun) -> None:
    calls = [
        Call(201, created(), body()),
        Call(400, error("validation_error", "rejected"), body(friendlyName="x", config=CONFIG)),
    ]
    learned = learn(calls, "--write")
    assert learned.status == 0
    assert learned.spec.read_bytes() == learned.before
    assert "no single field explains it" in learned.out


def test_a_refusal_of_a_body_not_sent_as_json_says_nothing_of_its_fields(learn: LearnRun) -> None:
    refusal = error("validation_error", "content-type: expected application/json, got text/plain")
    learned = learn([Call(201, created(), body()), Call(400, refusal, body(), sent_type="text/plain")])
    assert learned.status == 0, learned.out


def test_an_accepted_body_loosens_each_constraint_it_broke(learn: LearnRun) -> None:
    sent = {
        "number": "+14155551234",
        "workspaceId": "ws-1",  # not a uuid
        "label": "extra",  # not in the closed body
        "config": {"sipOutbound": {"transportProtocol": "SCTP", "port": 70000}},
    }  # and no userId, which the spec requires
    learned = learn([Call(201, created(), sent)], "--write")
    assert learned.status == 0
    request = learned.schema("CreatePhoneNumberRequest")
    assert "format" not in request["properties"]["workspaceId"]
    assert request["properties"]["label"]["type"] == "string"
    assert "userId" not in request["required"]
    assert learned.schema("SipOutboundInput")["properties"]["port"]["maximum"] == 70000
    assert "SCTP" in learned.schema("TransportProtocol")["enum"]
    load_spec(learned.spec)


def test_a_refused_value_of_a_required_field_is_reported_not_learned(learn: LearnRun) -> None:
    refusal = error("validation_error", "number: must be at most 15 characters")
    calls = [Call(201, created(), body()), Call(400, refusal, body(number="+1415555123456789"))]
    learned = learn(calls, "--write")
    assert learned.status == 0
    assert learned.spec.read_bytes() == learned.before
    assert "refused (400) a value of $.number that the spec allows" in learned.out
