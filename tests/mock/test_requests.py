"""Every request is validated against the spec: 400 names the field, 413 over 1 MiB, 404 and 405 routes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from phone_contract import default_spec_path
from phone_contract.mock import MockApp, create_app

from .support import AUTH, assert_conforms, error_of, post_raw, request, valid_body


def _config(**fields: Any) -> dict[str, Any]:
    return valid_body(config=fields)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(valid_body(number="+1"), "number", id="number-too-short"),
        pytest.param(valid_body(number="+1234567890123456789012"), "number", id="number-too-long"),
        pytest.param(valid_body(number=14155551234), "number", id="number-not-string"),
        pytest.param(valid_body(workspaceId="not-a-uuid"), "workspaceId", id="workspace-not-uuid"),
        pytest.param(
            valid_body(userId="550e8400e29b41d4a716446655440001"), "userId", id="user-uuid-no-dashes"
        ),
        pytest.param(
            {"number": "+14155551234", "userId": valid_body()["userId"]}, "workspaceId", id="missing"
        ),
        pytest.param(valid_body(carrier="x"), "carrier", id="unknown-top-level-field"),
        pytest.param(_config(emergencyCalls="no"), "config.emergencyCalls", id="config-wrong-type"),
        pytest.param(_config(inboundAgentId="agent-1"), "config.inboundAgentId", id="agent-not-uuid"),
        pytest.param(_config(sipOutbound={"port": 0}), "config.sipOutbound.port", id="port-zero"),
        pytest.param(_config(sipOutbound={"port": 65536}), "config.sipOutbound.port", id="port-too-big"),
        pytest.param(_config(sipOutbound={"port": 50.5}), "config.sipOutbound.port", id="port-fraction"),
        pytest.param(
            _config(sipOutbound={"transportProtocol": "SCTP"}),
            "config.sipOutbound.transportProtocol",
            id="enum",
        ),
        pytest.param(
            _config(sipOutbound={"headers": [{"key": "X-A"}]}),
            "config.sipOutbound.headers[0].value",
            id="header-missing-value",
        ),
        pytest.param(_config(sipInbound={"enabled": True, "x": 1}), "config.sipInbound.x", id="nested-extra"),
        pytest.param([valid_body()], "body", id="array-not-object"),
        pytest.param(None, "body", id="null"),
    ],
)
def test_schema_breaks_are_400_naming_the_field(app: MockApp, body: Any, field: str) -> None:
    response = post_raw(app, json.dumps(body).encode())
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["message"].startswith(f"{field}: "), error["message"]
    assert_conforms(response)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(b'{"number": "+14155551234",', "application/json", id="truncated-json"),
        pytest.param(b"{'number': '+1415'}", "application/json", id="single-quotes"),
        pytest.param(b"", "application/json", id="empty"),
        pytest.param(b"   ", "application/json", id="whitespace"),
        pytest.param(b'{"number": "\xff\xfe"}', "application/json", id="invalid-utf8"),
        pytest.param(b'{"a": NaN}', "application/json", id="nan-literal"),
        pytest.param(json.dumps(valid_body()).encode(), "text/plain", id="text-plain"),
        pytest.param(json.dumps(valid_body()).encode(), "application/x-www-form-urlencoded", id="form"),
        pytest.param(json.dumps(valid_body()).encode(), "application/json; charset=latin-1", id="latin-1"),
        pytest.param(json.dumps(valid_body()).encode(), None, id="no-content-type"),
    ],
)
def test_unreadable_bodies_are_400(app: MockApp, content: bytes, content_type: str | None) -> None:
    response = post_raw(app, content, content_type)
    assert response.status_code == 400
    assert error_of(response)["message"].split(":")[0] in ("body", "content-type")
    assert_conforms(response)


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "Application/JSON"])
def test_json_content_type_parameters_are_accepted(app: MockApp, content_type: str) -> None:
    response = post_raw(app, json.dumps(valid_body()).encode(), content_type)
    assert response.status_code == 201


def test_body_over_one_mib_is_413(app: MockApp) -> None:
    padding = "x" * (1_048_576 + 1)
    response = post_raw(app, json.dumps(valid_body(friendlyName=padding)).encode())
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"
    assert_conforms(response)


def test_streamed_body_over_one_mib_is_413_without_content_length(app: MockApp) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(17):
            yield b" " * 65_536  # whitespace is valid JSON padding: only the size can reject it

    response = request(app, headers={**AUTH, "Content-Type": "application/json"}, content=chunks())
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_body_of_exactly_one_mib_is_read(app: MockApp) -> None:
    body = json.dumps(valid_body()).encode()
    response = post_raw(app, body + b" " * (1_048_576 - len(body)))
    assert response.status_code == 201


@pytest.mark.parametrize(
    "path", ["/", "/phone-numbers/", "/phone-numbers/123", "/api/v2/phone-numbers", "/x"]
)
def test_unknown_paths_are_404_envelopes(app: MockApp, path: str) -> None:
    response = request(app, path=path, json=valid_body())
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE", "OPTIONS", "HEAD"])
def test_other_methods_are_405_with_allow(app: MockApp, method: str) -> None:
    response = request(app, method)
    assert response.status_code == 405
    # Every method the spec documents on the path, in HTTP's order, and only those.
    assert response.headers["allow"] == "PUT, POST"
    if method != "HEAD":
        assert error_of(response)["code"] == "method_not_allowed"


def test_the_spec_it_was_built_from_is_served(app: MockApp) -> None:
    response = request(app, "GET", "/openapi.yaml", headers={})
    assert response.status_code == 200
    assert response.content == default_spec_path().read_bytes()
    assert yaml.safe_load(response.content)["paths"].keys() == {"/phone-numbers"}
    assert request(app, "DELETE", "/openapi.yaml").headers["allow"] == "GET, HEAD"


def test_mount_prefixes_both_routes() -> None:
    app = create_app(mount="/api/v2")
    assert request(app, path="/api/v2/phone-numbers", json=valid_body()).status_code == 201
    assert request(app, "GET", "/api/v2/openapi.yaml").status_code == 200
    assert request(app, path="/phone-numbers", json=valid_body()).status_code == 404


@pytest.mark.parametrize("mount", ["api", "/api/", "/"])
def test_bad_mounts_are_refused(mount: str) -> None:
    with pytest.raises(ValueError, match="mount"):
        create_app(mount=mount)


def test_a_different_spec_changes_the_validation(tmp_path: Path) -> None:
    spec = yaml.safe_load(default_spec_path().read_text())
    spec["components"]["schemas"]["CreatePhoneNumberRequest"]["properties"]["number"]["maxLength"] = 12
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    app = create_app(spec_path=path)
    response = request(app, json=valid_body(number="+1415555123456"))
    assert response.status_code == 400
    assert error_of(response)["message"].startswith("number: ")
    assert request(app, "GET", "/openapi.yaml").content == path.read_bytes()
