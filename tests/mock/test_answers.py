"""Answers follow the spec: a response field added to or removed from the spec changes them, no code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from phone_contract import default_spec_path, load_spec
from phone_contract.mock import FAULTS, create_app
from phone_contract.responses import check_response, undocumented_fields

from .support import AUTH, create_of, error_of, phone_number_of, post_raw, request, served_mock, valid_body

Document = dict[str, Any]


def _spec(tmp_path: Path, change: Callable[[Document], None]) -> Path:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _schemas(document: Document) -> Document:
    schemas: Document = document["components"]["schemas"]
    return schemas


def _conforms(response: httpx.Response, spec_path: Path) -> None:
    spec = load_spec(spec_path)
    status, content_type = response.status_code, response.headers.get("content-type")
    assert check_response(create_of(spec), status, content_type, response.content) == []
    assert undocumented_fields(create_of(spec), status, json.loads(response.content)) == []


def test_an_added_optional_response_field_is_answered(tmp_path: Path) -> None:
    def add(document: Document) -> None:
        config = _schemas(document)["PhoneNumberConfig"]["properties"]
        config["configType"] = {"type": "string", "enum": ["standard", "premium"]}
        config["activatedAt"] = {"type": "string", "format": "date-time"}

    path = _spec(tmp_path, add)
    app = create_app(spec_path=path)
    first, second = (request(app, json=valid_body()) for _ in range(2))
    for response in (first, second):
        assert response.status_code == 201
        _conforms(response, path)
    config = phone_number_of(first)["config"]
    # The first enum value, and a realistic value of the format: derived from the spec, the same each time.
    assert config["configType"] == "standard"
    assert config["activatedAt"] == phone_number_of(second)["config"]["activatedAt"]
    assert check_response(create_of(load_spec(path)), 201, "application/json", first.content) == []


def test_a_removed_response_field_is_no_longer_answered_even_when_sent(tmp_path: Path) -> None:
    def remove(document: Document) -> None:
        del _schemas(document)["PhoneNumberConfig"]["properties"]["voiceConfig"]

    path = _spec(tmp_path, remove)
    app = create_app(spec_path=path)
    # The request may still send it (its schema is unchanged); the response does not document it.
    response = request(app, json=valid_body(config={"voiceConfig": "premium", "emergencyCalls": True}))
    assert response.status_code == 201
    config = phone_number_of(response)["config"]
    assert "voiceConfig" not in config
    assert config["emergencyCalls"] is True
    _conforms(response, path)
    # The project's spec still documents it: the same request gets it back, as sent.
    assert phone_number_of(request(create_app(), json=valid_body(config={"voiceConfig": "premium"})))[
        "config"
    ]["voiceConfig"] == ("premium")


def test_a_field_without_example_gets_a_realistic_value_not_a_placeholder(tmp_path: Path) -> None:
    def add(document: Document) -> None:
        properties = _schemas(document)["PhoneNumber"]["properties"]
        properties["countryCode"] = {"type": "string", "minLength": 2, "maxLength": 2}
        properties["agentId"] = {"type": "string", "format": "uuid"}
        properties["monthlyPriceCents"] = {"type": "integer", "minimum": 100}
        properties["tags"] = {"type": "array", "items": {"type": "string"}}

    path = _spec(tmp_path, add)
    response = request(create_app(spec_path=path), json=valid_body())
    _conforms(response, path)
    created = phone_number_of(response)
    assert created["monthlyPriceCents"] == 100
    assert created["tags"] == []
    assert len(created["countryCode"]) == 2
    assert created["countryCode"] != "st"


def test_errors_follow_the_documented_error_schema(tmp_path: Path) -> None:
    def add(document: Document) -> None:
        detail = _schemas(document)["ErrorDetail"]["properties"]
        detail["docsUrl"] = {"type": "string", "format": "uri", "example": "https://docs.example.com/errors"}

    path = _spec(tmp_path, add)
    app = create_app(spec_path=path)
    body = valid_body()
    answers = [
        request(app, json=body),
        request(app, json=body),  # 409
        request(app, headers={}, json=body),  # 401
        post_raw(app, b"{"),  # 400
        post_raw(app, b" " * 1_048_577),  # 413
    ]
    assert [response.status_code for response in answers] == [201, 409, 401, 400, 413]
    for response in answers[1:]:
        _conforms(response, path)
        assert error_of(response)["docsUrl"] == "https://docs.example.com/errors"
    assert error_of(answers[1])["code"] == "phone_number_exists"


@pytest.mark.parametrize(
    ("fault", "where"),
    [
        ("field-wrong-type", "config.capabilities.sms"),
        ("field-missing", "userId"),
        ("enum-out-of-range", "config.capabilities.voice"),
        ("bad-datetime", "updatedAt"),
        ("drop-sent-field", None),
        ("echo-token", None),
    ],
)
def test_faults_that_name_a_field_find_one_on_another_spec(
    tmp_path: Path, fault: str, where: str | None
) -> None:
    # Without the fields the faults strike on the project's spec, each strikes one of the same kind.
    def strip(document: Document) -> None:
        schemas = _schemas(document)
        del schemas["PhoneNumberConfig"]["properties"]["emergencyCalls"]
        del schemas["SipOutbound"]["properties"]["transportProtocol"]
        schemas["Capabilities"]["properties"]["voice"] = {"type": "string", "enum": ["enabled", "disabled"]}
        schemas["PhoneNumber"]["properties"]["expiresAt"] = {"type": "string", "format": "date-time"}
        schemas["PhoneNumber"]["properties"]["createdAt"] = {"type": "string"}

    path = _spec(tmp_path, strip)
    spec = load_spec(path)
    clean = request(create_app(spec_path=path), json=valid_body(friendlyName="Desk"))
    _conforms(clean, path)
    broken = request(
        create_app(spec_path=path, fault=fault, tokens=["tok"]),
        headers={"Authorization": "Bearer tok"},
        json=valid_body(friendlyName="Desk"),
    )
    assert broken.status_code == 201, FAULTS[fault]
    violations = check_response(create_of(spec), 201, broken.headers["content-type"], broken.content)
    if fault == "drop-sent-field":
        assert "friendlyName" not in phone_number_of(broken)
    elif fault == "echo-token":
        assert "tok" in broken.text
    else:
        assert [violation.path for violation in violations] == [f"$.data.result.phoneNumber.{where}"]


@pytest.mark.e2e
def test_the_served_mock_follows_a_changed_spec(tmp_path: Path) -> None:
    def change(document: Document) -> None:
        config = _schemas(document)["PhoneNumberConfig"]["properties"]
        config["configType"] = {"type": "string", "example": "sip-trunk"}
        del config["voiceConfig"]

    path = _spec(tmp_path, change)
    with served_mock("--spec", str(path)) as base_url:
        sent = valid_body(config={"voiceConfig": "premium"})
        response = httpx.post(f"{base_url}/phone-numbers", json=sent, headers=AUTH)
    assert response.status_code == 201
    config = phone_number_of(response)["config"]
    assert config["configType"] == "sip-trunk"
    assert "voiceConfig" not in config
    _conforms(response, path)


def test_a_write_only_property_is_never_answered(tmp_path: Path) -> None:
    def add(document: Document) -> None:
        properties = _schemas(document)["PhoneNumber"]["properties"]
        properties["provisioningKey"] = {"type": "string", "writeOnly": True}

    path = _spec(tmp_path, add)
    response = request(create_app(spec_path=path), json=valid_body())
    assert response.status_code == 201
    assert "provisioningKey" not in phone_number_of(response)
    _conforms(response, path)
