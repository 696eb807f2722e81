"""Run the generated client: the page's example request out, each kind of response back in."""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx
import pytest
from freya_phone_numbers_client import AuthenticatedClient
from freya_phone_numbers_client.api.phone_numbers import create_phone_number
from freya_phone_numbers_client.errors import UnexpectedStatus
from freya_phone_numbers_client.models import (
    CreatePhoneNumberRequest,
    CreatePhoneNumberResponse,
    ErrorResponse,
    PhoneNumberConfig,
    SipOutbound,
    TransportProtocol,
)

from phone_contract import load_spec
from phone_contract.responses import ContractViolation
from phone_contract.strict_client import strict_client
from tests.operations import create_op, request_schema

BASE_URL = "https://freya.test/api/v2"
TOKEN = "test-token"
JSON = "application/json"


def operation() -> dict[str, Any]:
    return dict(create_op().node)


def page_example() -> dict[str, Any]:
    """The vendor page's request example, as the spec names it."""
    value = operation()["requestBody"]["content"][JSON]["examples"]["mainSupportLine"]["value"]
    assert isinstance(value, dict)
    return copy.deepcopy(value)


def response_example(status: int) -> dict[str, Any]:
    content = operation()["responses"][str(status)]["content"][JSON]
    value = next(iter(content["examples"].values()))["value"]
    assert isinstance(value, dict)
    return copy.deepcopy(value)


class Server:
    """A MockTransport handler answering one canned response and keeping the requests it saw."""

    def __init__(self, status: int, body: bytes | dict[str, Any], content_type: str = JSON) -> None:
        self.status, self.content_type = status, content_type
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, content=self.body, headers={"content-type": self.content_type})

    def client(
        self, factory: Callable[..., AuthenticatedClient] = AuthenticatedClient, **kwargs: Any
    ) -> AuthenticatedClient:
        return factory(BASE_URL, token=TOKEN, httpx_args={"transport": httpx.MockTransport(self)}, **kwargs)


def send(server: Server, **kwargs: Any) -> Any:
    body = CreatePhoneNumberRequest.from_dict(page_example())
    return create_phone_number.sync_detailed(client=server.client(**kwargs), body=body)


def test_the_request_built_from_the_example_is_what_the_spec_describes() -> None:
    server = Server(201, response_example(201))
    send(server)
    (request,) = server.requests
    assert (request.method, str(request.url)) == ("POST", f"{BASE_URL}/phone-numbers")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == JSON
    sent = json.loads(request.content)
    assert sent == page_example()
    spec = load_spec()
    spec.validator(request_schema(create_op(spec))).validate(sent)


def test_the_request_model_types_the_example() -> None:
    body = CreatePhoneNumberRequest.from_dict(page_example())
    assert isinstance(body.workspace_id, UUID)
    assert body.to_dict() == page_example()


def test_201_parses_into_create_phone_number_response() -> None:
    response = send(Server(201, response_example(201)))
    assert response.status_code == HTTPStatus.CREATED
    parsed = response.parsed
    assert isinstance(parsed, CreatePhoneNumberResponse)
    assert parsed.success is True
    phone = parsed.data.result.phone_number
    assert phone.number == page_example()["number"]
    assert phone.created_at == datetime.datetime(2026, 11, 26, 10, 15, 30, 123000, tzinfo=datetime.UTC)
    assert isinstance(phone.config, PhoneNumberConfig)
    assert isinstance(phone.config.sip_outbound, SipOutbound)
    assert phone.config.sip_outbound.transport_protocol is TransportProtocol.UDP


@pytest.mark.parametrize("status", [400, 401, 409])
def test_documented_errors_parse_into_error_response(status: int) -> None:
    body = response_example(status)
    response = send(Server(status, body))
    assert response.status_code == status
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.success is False
    assert response.parsed.error.code == body["error"]["code"]
    assert response.parsed.error.message == body["error"]["message"]


def test_an_undocumented_status_418() -> None:
    teapot = Server(418, b"I'm a teapot", "text/plain")
    response = send(teapot)
    assert (response.status_code, response.parsed) == (HTTPStatus.IM_A_TEAPOT, None)
    with pytest.raises(UnexpectedStatus) as caught:
        send(teapot, raise_on_unexpected_status=True)
    assert caught.value.status_code == 418


@pytest.mark.parametrize("raise_on_unexpected_status", [False, True])
def test_non_standard_status_520_in_the_plain_client(raise_on_unexpected_status: bool) -> None:
    # What the plain client really does: http.HTTPStatus has no 520, whatever the setting.
    server = Server(520, b"<html>unknown error</html>", "text/html")
    with pytest.raises(ValueError, match="520 is not a valid HTTPStatus"):
        send(server, raise_on_unexpected_status=raise_on_unexpected_status)


def test_non_standard_status_520_in_the_strict_client() -> None:
    server = Server(520, b"<html>unknown error</html>", "text/html")
    with pytest.raises(ContractViolation, match=r"status: expected a documented status \(201, .*\), got 520"):
        send(server, factory=strict_client)
