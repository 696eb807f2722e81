from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_phone_number_request import CreatePhoneNumberRequest
from ...models.create_phone_number_response import CreatePhoneNumberResponse
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CreatePhoneNumberRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/phone-numbers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatePhoneNumberResponse | ErrorResponse | None:
    if response.status_code == 201:
        response_201 = CreatePhoneNumberResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreatePhoneNumberResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreatePhoneNumberRequest,
) -> Response[CreatePhoneNumberResponse | ErrorResponse]:
    """Create phone number

     Registers a phone number in a workspace, optionally with its configuration.

    Args:
        body (CreatePhoneNumberRequest): The phone number to create.
            Assumption (checked by the contract gate): the body is closed, no field beyond these is
            accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatePhoneNumberResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreatePhoneNumberRequest,
) -> CreatePhoneNumberResponse | ErrorResponse | None:
    """Create phone number

     Registers a phone number in a workspace, optionally with its configuration.

    Args:
        body (CreatePhoneNumberRequest): The phone number to create.
            Assumption (checked by the contract gate): the body is closed, no field beyond these is
            accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatePhoneNumberResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreatePhoneNumberRequest,
) -> Response[CreatePhoneNumberResponse | ErrorResponse]:
    """Create phone number

     Registers a phone number in a workspace, optionally with its configuration.

    Args:
        body (CreatePhoneNumberRequest): The phone number to create.
            Assumption (checked by the contract gate): the body is closed, no field beyond these is
            accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatePhoneNumberResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreatePhoneNumberRequest,
) -> CreatePhoneNumberResponse | ErrorResponse | None:
    """Create phone number

     Registers a phone number in a workspace, optionally with its configuration.

    Args:
        body (CreatePhoneNumberRequest): The phone number to create.
            Assumption (checked by the contract gate): the body is closed, no field beyond these is
            accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatePhoneNumberResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
