"""The strict client: a response that breaks the spec raises ContractViolation, nothing else does."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from freya_phone_numbers_client import AuthenticatedClient
from freya_phone_numbers_client.api.phone_numbers import create_phone_number
from freya_phone_numbers_client.models import (
    CreatePhoneNumberRequest,
    CreatePhoneNumberResponse,
    ErrorResponse,
)

from phone_contract.responses import STATUS_PATH, ContractViolation
from phone_contract.strict_client import ContractHook, strict_client
from tests.operations import create_op

BASE_URL = "https://freya.test/api/v2"
TOKEN = "test-token"
JSON = "application/json"
PHONE = "$.data.result.phoneNumber"
Handler = Callable[[httpx.Request], httpx.Response]


def operation() -> dict[str, Any]:
    return dict(create_op().node)


def response_example(status: str) -> dict[str, Any]:
    content = operation()["responses"][status]["content"][JSON]
    value = next(iter(content["examples"].values()))["value"]
    assert isinstance(value, dict)
    return copy.deepcopy(value)


def request_body() -> CreatePhoneNumberRequest:
    examples = operation()["requestBody"]["content"][JSON]["examples"]
    return CreatePhoneNumberRequest.from_dict(examples["mainSupportLine"]["value"])


def answer(status: int, body: object, content_type: str = JSON) -> Handler:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda _request: httpx.Response(status, content=content, headers={"content-type": content_type})


def plain(handler: Handler) -> AuthenticatedClient:
    return AuthenticatedClient(BASE_URL, token=TOKEN, httpx_args={"transport": httpx.MockTransport(handler)})


def strict(handler: Handler) -> AuthenticatedClient:
    return strict_client(BASE_URL, TOKEN, httpx_args={"transport": httpx.MockTransport(handler)})


def violation_of(handler: Handler) -> ContractViolation:
    with pytest.raises(ContractViolation) as caught:
        create_phone_number.sync_detailed(client=strict(handler), body=request_body())
    return caught.value


def broken_created(mutate: Callable[[dict[str, Any]], None]) -> Handler:
    body = response_example("201")
    mutate(body)
    return answer(201, body)


# --- what the plain client does, and what the strict one does instead ----------------------------


def test_missing_required_field() -> None:
    handler = broken_created(lambda body: body["data"]["result"]["phoneNumber"].pop("userId"))
    with pytest.raises(KeyError):
        create_phone_number.sync(client=plain(handler), body=request_body())
    error = violation_of(handler)
    assert error.status_code == 201
    assert [str(v) for v in error.violations] == [
        f"{PHONE}.userId: expected required property 'userId', got nothing"
    ]


def test_success_yes() -> None:
    handler = broken_created(lambda body: body.update(success="yes"))
    parsed = create_phone_number.sync(client=plain(handler), body=request_body())
    assert isinstance(parsed, CreatePhoneNumberResponse)
    assert parsed.to_dict()["success"] == "yes"  # the plain client lets it through as it is
    assert '$.success: expected const true, got "yes"' in str(violation_of(handler))


def test_non_standard_status_520() -> None:
    handler = answer(520, b"<html>Web server is returning an unknown error</html>", "text/html")
    with pytest.raises(ValueError, match="520 is not a valid HTTPStatus"):
        create_phone_number.sync_detailed(client=plain(handler), body=request_body())
    error = violation_of(handler)
    assert error.status_code == 520
    (violation,) = error.violations
    assert (violation.path, violation.actual) == (STATUS_PATH, "520")


def test_wrong_type() -> None:
    handler = broken_created(
        lambda body: body["data"]["result"]["phoneNumber"]["config"]["sipOutbound"].update(port="5060")
    )
    (violation,) = violation_of(handler).violations
    assert str(violation) == f'{PHONE}.config.sipOutbound.port: expected type integer, got "5060"'


def test_bad_date_time() -> None:
    handler = broken_created(
        lambda body: body["data"]["result"]["phoneNumber"].update(createdAt="26/11/2026")
    )
    with pytest.raises(ValueError, match="Invalid isoformat"):
        create_phone_number.sync(client=plain(handler), body=request_body())
    (violation,) = violation_of(handler).violations
    assert str(violation) == f'{PHONE}.createdAt: expected string of format date-time, got "26/11/2026"'


def test_the_message_never_carries_the_sip_password() -> None:
    def mutate(body: dict[str, Any]) -> None:
        sip = body["data"]["result"]["phoneNumber"]["config"]["sipOutbound"]
        sip.update(password=["hunter2-secret"], port=0)

    error = violation_of(broken_created(mutate))
    assert "hunter2" not in str(error)
    assert f"{PHONE}.config.sipOutbound.password: expected type string, got <redacted>" in str(error)


# --- what keeps the contract passes through and parses ---------------------------------------------


def test_a_valid_201_parses_into_the_model() -> None:
    client = strict(answer(201, response_example("201")))
    parsed = create_phone_number.sync(client=client, body=request_body())
    assert isinstance(parsed, CreatePhoneNumberResponse)
    assert parsed.success is True
    assert parsed.data.result.phone_number.number == request_body().number


@pytest.mark.parametrize("status", [400, 401, 409, 413])
def test_a_valid_error_parses_into_the_error_model(status: int) -> None:
    body = response_example(str(status))
    response = create_phone_number.sync_detailed(client=strict(answer(status, body)), body=request_body())
    assert response.status_code == status
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.error.code == body["error"]["code"]


def test_new_fields_are_tolerated() -> None:
    # Response schemas are open: drift is the gate's to report, not the client's to refuse.
    handler = broken_created(lambda body: body["data"]["result"]["phoneNumber"].update(carrier="acme"))
    parsed = create_phone_number.sync(client=strict(handler), body=request_body())
    assert isinstance(parsed, CreatePhoneNumberResponse)
    assert parsed.data.result.phone_number.additional_properties == {"carrier": "acme"}


# --- the hook on its own, and the async client ----------------------------------------------------


def test_async_client_is_checked_too() -> None:
    async def call(handler: Handler) -> object:
        client = strict(handler)
        return (await create_phone_number.asyncio_detailed(client=client, body=request_body())).parsed

    assert isinstance(asyncio.run(call(answer(201, response_example("201")))), CreatePhoneNumberResponse)
    with pytest.raises(ContractViolation, match=r"\$\.success: expected const false"):
        asyncio.run(call(answer(409, {**response_example("409"), "success": True})))


def test_users_own_hooks_are_kept() -> None:
    seen: list[int] = []
    client = strict_client(
        BASE_URL,
        TOKEN,
        httpx_args={
            "transport": httpx.MockTransport(answer(520, b"", "text/plain")),
            "event_hooks": {"response": [lambda response: seen.append(response.status_code)]},
        },
    )
    with pytest.raises(ContractViolation):
        create_phone_number.sync_detailed(client=client, body=request_body())
    assert seen == [520]


def test_the_hook_on_a_plain_httpx_client_checks_only_the_documented_operation() -> None:
    transport = httpx.MockTransport(answer(520, b"", "text/plain"))
    with httpx.Client(
        base_url=BASE_URL, transport=transport, event_hooks={"response": [ContractHook()]}
    ) as client:
        assert client.get("/health").status_code == 520
        with pytest.raises(ContractViolation):
            client.post("/phone-numbers", json={})
