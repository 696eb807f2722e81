from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.update_phone_numbers_request import UpdatePhoneNumbersRequest
from ...models.update_phone_numbers_response import UpdatePhoneNumbersResponse
from ...types import Response


def _get_kwargs(
    *,
    body: UpdatePhoneNumbersRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/phone-numbers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UpdatePhoneNumbersResponse | None:
    if response.status_code == 200:
        response_200 = UpdatePhoneNumbersResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[ErrorResponse | UpdatePhoneNumbersResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdatePhoneNumbersRequest,
) -> Response[ErrorResponse | UpdatePhoneNumbersResponse]:
    """Update phone numbers

     Updates several phone numbers of one workspace at once: their number, name or configuration.
    Assumption (checked by the contract gate): all or nothing. When one item is refused (an id that is
    not a number of the workspace, a number taken in it), no number changes. A field left out of an
    item keeps its value; a `config` sent is merged into the stored one, object by object.

    Args:
        body (UpdatePhoneNumbersRequest): The numbers to update, all in one workspace.
            Assumption (checked by the contract gate): the body is closed, and each id appears once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UpdatePhoneNumbersResponse]
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
    body: UpdatePhoneNumbersRequest,
) -> ErrorResponse | UpdatePhoneNumbersResponse | None:
    """Update phone numbers

     Updates several phone numbers of one workspace at once: their number, name or configuration.
    Assumption (checked by the contract gate): all or nothing. When one item is refused (an id that is
    not a number of the workspace, a number taken in it), no number changes. A field left out of an
    item keeps its value; a `config` sent is merged into the stored one, object by object.

    Args:
        body (UpdatePhoneNumbersRequest): The numbers to update, all in one workspace.
            Assumption (checked by the contract gate): the body is closed, and each id appears once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UpdatePhoneNumbersResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdatePhoneNumbersRequest,
) -> Response[ErrorResponse | UpdatePhoneNumbersResponse]:
    """Update phone numbers

     Updates several phone numbers of one workspace at once: their number, name or configuration.
    Assumption (checked by the contract gate): all or nothing. When one item is refused (an id that is
    not a number of the workspace, a number taken in it), no number changes. A field left out of an
    item keeps its value; a `config` sent is merged into the stored one, object by object.

    Args:
        body (UpdatePhoneNumbersRequest): The numbers to update, all in one workspace.
            Assumption (checked by the contract gate): the body is closed, and each id appears once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UpdatePhoneNumbersResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UpdatePhoneNumbersRequest,
) -> ErrorResponse | UpdatePhoneNumbersResponse | None:
    """Update phone numbers

     Updates several phone numbers of one workspace at once: their number, name or configuration.
    Assumption (checked by the contract gate): all or nothing. When one item is refused (an id that is
    not a number of the workspace, a number taken in it), no number changes. A field left out of an
    item keeps its value; a `config` sent is merged into the stored one, object by object.

    Args:
        body (UpdatePhoneNumbersRequest): The numbers to update, all in one workspace.
            Assumption (checked by the contract gate): the body is closed, and each id appears once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UpdatePhoneNumbersResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
