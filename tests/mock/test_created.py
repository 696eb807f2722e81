"""201 answers are realistic, and the mock remembers: 409 on a duplicate in the same workspace only."""

from __future__ import annotations

import asyncio
import copy
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import httpx

from phone_contract._spec import properties_of
from phone_contract.mock import MockApp, create_app
from phone_contract.mock.records import PASSWORD_MASK

from .support import (
    AUTH,
    BASE_URL,
    assert_conforms,
    create_of,
    error_of,
    phone_number_of,
    request,
    stored,
    valid_body,
)

FULL_CONFIG: dict[str, Any] = {
    "capabilities": {"voice": "enabled", "sms": True},
    "voiceConfig": "premium",
    "messagingConfig": "a2p",
    "emergencyCalls": True,
    "inboundAgentId": "550e8400-e29b-41d4-a716-446655440002",
    "outboundAgentId": "550e8400-e29b-41d4-a716-446655440003",
    "originationUri": "sip:support@pbx.example.com",
    "sipInbound": {"enabled": True},
    "sipOutbound": {
        "enabled": True,
        "endpoint": "sip.carrier.example.net",
        "port": 5061,
        "username": "freya",
        "password": "s3cret",
        "fromDomain": "example.com",
        "transportProtocol": "TLS",
        "secureMedia": True,
        "headers": [{"key": "X-Account", "value": "support"}, {"key": "X-Team", "value": "emea"}],
    },
}
RFC3339_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def test_every_sent_field_is_echoed_back(app: MockApp) -> None:
    sent = valid_body(config=copy.deepcopy(FULL_CONFIG))
    response = request(app, json=sent)
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert_conforms(response)
    created = phone_number_of(response)
    for field in ("number", "friendlyName", "workspaceId", "userId"):
        assert created[field] == sent[field]
    expected = copy.deepcopy(FULL_CONFIG)
    # A secret is never written out, not even back to its owner: echoed as the spec example's mask.
    expected["sipOutbound"]["password"] = PASSWORD_MASK
    assert created["config"] == expected


def test_unsent_fields_get_the_specs_example_not_placeholders(app: MockApp) -> None:
    sent = valid_body(config={"sipOutbound": {"endpoint": "sip.example.net"}})
    del sent["friendlyName"]
    response = request(app, json=sent)
    assert response.status_code == 201
    assert_conforms(response)
    created = phone_number_of(response)
    example = _spec_example()
    # Every documented field is answered; what was not sent comes from the spec's own example.
    assert created.keys() == _documented(created_schema()).keys()
    assert created["friendlyName"] == example["friendlyName"]
    config = created["config"]
    assert config["sipOutbound"]["endpoint"] == "sip.example.net"
    assert config["sipOutbound"]["transportProtocol"] == example["config"]["sipOutbound"]["transportProtocol"]
    assert config["emergencyCalls"] is example["config"]["emergencyCalls"]
    assert config["sipInbound"] == example["config"]["sipInbound"]
    assert not any(value in ("string", "<string>") for value in _leaves(created))


def test_generated_fields_are_fresh_ids_and_rfc3339_times(app: MockApp) -> None:
    first = phone_number_of(request(app, json=valid_body()))
    second = phone_number_of(request(app, json=valid_body()))
    assert first["id"] != second["id"]
    assert re.fullmatch(r"pn_[0-9a-f]{28}", first["id"])
    assert first["id"] < second["id"] or first["id"][:15] == second["id"][:15]  # sorted by creation time
    for stamp in (first["createdAt"], first["updatedAt"]):
        assert RFC3339_Z.fullmatch(stamp)
    assert first["createdAt"] == first["updatedAt"]
    assert datetime.fromisoformat(second["createdAt"]) >= datetime.fromisoformat(first["createdAt"])


def test_fields_no_request_can_send_come_from_the_specs_example(app: MockApp) -> None:
    created = phone_number_of(request(app, json=valid_body()))
    example = _spec_example()
    for field in ("inboundAgentName", "outboundAgentEntityType", "inboundAgentWorkflowId"):
        assert created[field] == example[field]


def test_a_float_port_is_answered_as_an_integer(app: MockApp) -> None:
    created = phone_number_of(request(app, json=valid_body(config={"sipOutbound": {"port": 5060.0}})))
    assert created["config"]["sipOutbound"]["port"] == 5060
    assert isinstance(created["config"]["sipOutbound"]["port"], int)


def test_duplicate_in_the_same_workspace_is_409(app: MockApp) -> None:
    body = valid_body()
    assert request(app, json=body).status_code == 201
    again = request(app, json=valid_body(number=body["number"], workspaceId=body["workspaceId"].upper()))
    assert again.status_code == 409
    assert error_of(again)["code"] == "phone_number_exists"
    assert body["number"] in error_of(again)["message"]
    assert_conforms(again)


def test_same_number_in_another_workspace_is_201(app: MockApp) -> None:
    body = valid_body()
    assert request(app, json=body).status_code == 201
    assert request(app, json=valid_body(number=body["number"])).status_code == 201


def test_validation_comes_before_the_duplicate_check(app: MockApp) -> None:
    body = valid_body()
    assert request(app, json=body).status_code == 201
    assert request(app, json={**body, "extra": 1}).status_code == 400
    assert request(app, headers={}, json=body).status_code == 401


def test_state_is_per_app(app: MockApp) -> None:
    body = valid_body()
    assert request(app, json=body).status_code == 201
    assert request(create_app(), json=body).status_code == 201


def test_memory_is_bounded_by_forgetting_the_oldest() -> None:
    app = create_app(capacity=2)
    bodies = [valid_body() for _ in range(3)]
    for body in bodies:
        assert request(app, json=body).status_code == 201
    assert stored(app) == 2
    # The newest two are still remembered; the oldest was forgotten, so it can be created again.
    assert request(app, json=bodies[2]).status_code == 409
    assert request(app, json=bodies[0]).status_code == 201


def test_concurrent_identical_creates_give_exactly_one_201(app: MockApp) -> None:
    body = valid_body()

    async def race() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=AUTH) as client:
            responses = await asyncio.gather(*(client.post("/phone-numbers", json=body) for _ in range(50)))
        return sorted(response.status_code for response in responses)

    assert asyncio.run(race()) == [201] + [409] * 49


def test_identical_creates_from_many_threads_give_exactly_one_201(app: MockApp) -> None:
    # Each thread runs its own event loop against the same app: only the store's lock keeps this right.
    body = valid_body()
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = sorted(pool.map(lambda _: request(app, json=body).status_code, range(64)))
    assert statuses == [201] + [409] * 63


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def created_schema() -> dict[str, Any]:
    """The created resource's schema, where the spec model says it sits in the success body."""
    operation = create_of()
    schema: Any = operation.response_for(201).schema()  # type: ignore[union-attr]
    for key in operation.semantics.answer:
        schema = properties_of(schema)[key]
    return dict(schema)


def _documented(schema: dict[str, Any]) -> dict[str, Any]:
    return properties_of(schema)


def _spec_example() -> dict[str, Any]:
    operation = create_of()
    value: Any = next(iter(operation.response_for(201).examples().values()))  # type: ignore[union-attr]
    for key in operation.semantics.answer:
        value = value[key]
    return dict(value)
