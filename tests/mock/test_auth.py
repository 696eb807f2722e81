"""Auth comes first: a missing, malformed or wrong bearer token is 401 with the error envelope."""

from __future__ import annotations

import pytest

from phone_contract.mock import DEFAULT_TOKEN, MockApp, create_app

from .support import assert_conforms, error_of, request, valid_body


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"Authorization": ""}, id="empty"),
        pytest.param({"Authorization": "Bearer"}, id="scheme-only"),
        pytest.param({"Authorization": "Bearer   "}, id="blank-token"),
        pytest.param({"Authorization": f"Basic {DEFAULT_TOKEN}"}, id="other-scheme"),
        pytest.param({"Authorization": DEFAULT_TOKEN}, id="no-scheme"),
        pytest.param({"Authorization": "Bearer wrong-token"}, id="wrong"),
        pytest.param({"Authorization": f"Bearer {DEFAULT_TOKEN}x"}, id="token-plus-one"),
        pytest.param({"Authorization": f"Bearer {DEFAULT_TOKEN[:-1]}"}, id="token-prefix"),
    ],
)
def test_bad_credentials_get_401_envelope(app: MockApp, headers: dict[str, str]) -> None:
    response = request(app, headers=headers, json=valid_body())
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert_conforms(response)


def test_auth_is_checked_before_the_body(app: MockApp) -> None:
    response = request(app, headers={"Content-Type": "text/plain"}, content=b"{not json")
    assert response.status_code == 401


def test_scheme_is_case_insensitive(app: MockApp) -> None:
    response = request(app, headers={"Authorization": f"bearer {DEFAULT_TOKEN}"}, json=valid_body())
    assert response.status_code == 201


def test_every_configured_token_is_accepted_and_the_default_is_not() -> None:
    app = create_app(tokens=["alpha", "beta"])
    for token in ("alpha", "beta"):
        ok = request(app, headers={"Authorization": f"Bearer {token}"}, json=valid_body())
        assert ok.status_code == 201
    refused = request(app, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}, json=valid_body())
    assert refused.status_code == 401


@pytest.mark.parametrize("tokens", [(), ("",), "a-string-not-a-list"])
def test_tokens_must_be_non_empty(tokens: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="tokens"):
        create_app(tokens=tokens)
