"""The request validator itself: built from the spec's requestBody, with a fallback for odd Python values."""

from __future__ import annotations

import pytest

from phone_contract import load_spec
from phone_contract.mock.validation import RequestValidator, is_json_media_type

from .support import valid_body


@pytest.fixture(scope="module")
def validator() -> RequestValidator:
    spec = load_spec()
    create = spec.find_operation("createPhoneNumber")
    assert create is not None
    assert create.request_schema() is not None
    return RequestValidator(spec, create.request_schema() or {})


def test_the_schema_is_the_specs_own(validator: RequestValidator) -> None:
    assert validator.error(valid_body()) is None
    # A field the spec's request schema does not name is refused: the body is closed in the spec.
    assert validator.error({**valid_body(), "carrier": "x"}) is not None


def test_values_the_fast_validator_cannot_take_fall_back_to_jsonschema(validator: RequestValidator) -> None:
    # A lone surrogate cannot cross into Rust; decode_json rejects it first, but error() must not crash.
    assert validator.error({**valid_body(), "\ud800": 1}) == (
        "body: Additional properties are not allowed ('\\ud800' was unexpected)"
    )


def test_huge_integers_are_validated_not_crashed_on(validator: RequestValidator) -> None:
    body = valid_body(config={"sipOutbound": {"port": 10**4000}})
    assert (validator.error(body) or "").startswith("config.sipOutbound.port: ")


@pytest.mark.parametrize(
    ("content_type", "accepted"),
    [
        ("application/json", True),
        ("APPLICATION/JSON ; charset=UTF-8", True),
        ('application/json; charset="utf8"', True),
        ("application/json; charset=utf-16", False),
        ("application/jsonx", False),
        ("application/problem+json", False),
        ("", False),
        (None, False),
    ],
)
def test_only_json_in_utf8_is_accepted(content_type: str | None, accepted: bool) -> None:
    assert is_json_media_type(content_type) is accepted
