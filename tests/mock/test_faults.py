"""Each fault breaks exactly one contract rule: its own probe fails, and every other probe still holds."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from phone_contract.mock import DEFAULT_TOKEN, FAULTS, MockApp, create_app
from phone_contract.responses import check_response, undocumented_fields

from .support import create_of, post_raw, request, valid_body

SLOW_SECONDS = 2.5
PHONE_NUMBER_PATH = "$.data.result.phoneNumber"


class Naps:
    """The mock's sleep, recorded instead of slept: the slow fault is judged by what it awaited."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def _mock(fault: str | None = None) -> MockApp:
    return create_app(fault=fault, slow_seconds=SLOW_SECONDS, sleep=Naps())


def _created(app: MockApp, **overrides: Any) -> tuple[httpx.Response, dict[str, Any]]:
    response = request(app, json=valid_body(**overrides))
    body = json.loads(response.content)
    # Wherever the phone number ended up (broken-envelope moves it), so other probes still find it.
    data: dict[str, Any] = body.get("data", body) if isinstance(body, dict) else {}
    result: dict[str, Any] = data.get("result", data)
    return response, result.get("phoneNumber", {})


def _no_violation_at(field: str) -> Callable[[MockApp], bool]:
    def probe(app: MockApp) -> bool:
        response, _ = _created(app)
        violations = check_response(
            create_of(), response.status_code, response.headers["content-type"], response.content
        )
        return not any(violation.path.endswith(f".{field}") for violation in violations)

    return probe


def _success_is_201(app: MockApp) -> bool:
    return _created(app)[0].status_code == 201


def _success_is_json(app: MockApp) -> bool:
    return _created(app)[0].headers["content-type"] == "application/json"


def _envelope_has_data(app: MockApp) -> bool:
    response, _ = _created(app)
    return "data" in json.loads(response.content)


def _phone_number_is_documented(app: MockApp) -> bool:
    response, _ = _created(app)
    extra = undocumented_fields(create_of(), response.status_code, json.loads(response.content))
    return not [path for path in extra if path.startswith(PHONE_NUMBER_PATH)]


def _no_token_is_401(app: MockApp) -> bool:
    return request(app, headers={}, json=valid_body()).status_code == 401


def _invalid_body_is_400(app: MockApp) -> bool:
    return request(app, json=valid_body(number="+1", userId=42)).status_code == 400


def _long_valid_number_is_created(app: MockApp) -> bool:
    return _created(app, number="+1415555123412345678")[0].status_code in (200, 201)


def _two_sip_headers_are_no_5xx(app: MockApp) -> bool:
    headers = [{"key": "X-A", "value": "1"}, {"key": "X-B", "value": "2"}]
    return _created(app, config={"sipOutbound": {"headers": headers}})[0].status_code < 500


def _friendly_name_is_echoed(app: MockApp) -> bool:
    return _created(app, friendlyName="Front desk")[1].get("friendlyName") == "Front desk"


def _duplicate_is_409(app: MockApp) -> bool:
    body = valid_body()
    request(app, json=body)
    return request(app, json=body).status_code == 409


def _success_is_fast(app: MockApp) -> bool:
    naps = app.sleep
    assert isinstance(naps, Naps)
    before = len(naps.seconds)
    _created(app)
    return naps.seconds[before:] == []


def _token_is_not_echoed(app: MockApp) -> bool:
    return DEFAULT_TOKEN not in _created(app)[0].text


def _stored(response: httpx.Response) -> dict[str, Any]:
    """The updated resource, wherever a broken envelope put it ({} when there is none)."""
    body = json.loads(response.content) if 200 <= response.status_code < 300 else {}
    data: dict[str, Any] = body.get("data", body) if isinstance(body, dict) else {}
    updated = data.get("result", data).get("updated") or [{}]
    stored: dict[str, Any] = updated[0]
    return stored


def _voice(resource: dict[str, Any]) -> Any:
    # A free-text field of config: no other fault strikes it (drop-sent-field takes friendlyName).
    return (resource.get("config") or {}).get("voiceConfig")


def _ids_are_own(app: MockApp) -> bool:
    return bool(_created(app)[1]["id"] != _created(app)[1]["id"])


def _created_at_is_kept(app: MockApp) -> bool:
    body = valid_body()
    _, created = _created(app, **body)
    (answer,) = _updated_of(app, body, created, {"friendlyName": "B"})
    return bool(_stored(answer).get("createdAt") == created.get("createdAt"))


def _updated_at_moves_forward(app: MockApp) -> bool:
    body = valid_body()
    _, created = _created(app, **body)
    (answer,) = _updated_of(app, body, created, {"friendlyName": "B"})
    return str(_stored(answer).get("updatedAt", "")) > str(created.get("updatedAt", ""))


def _a_change_is_stored(app: MockApp) -> bool:
    body = valid_body()
    _, created = _created(app, **body)
    _updated_of(app, body, created, {"config": {"voiceConfig": "renamed"}})
    (again,) = _updated_of(app, body, created, {})
    return bool(_voice(_stored(again)) == "renamed")


def _another_workspace_gets_404(app: MockApp) -> bool:
    body = valid_body()
    _, created = _created(app, **body)
    item = {"id": created["id"], "friendlyName": "Elsewhere"}
    other = request(app, "PUT", json={"workspaceId": valid_body()["workspaceId"], "phoneNumbers": [item]})
    return other.status_code == 404


def _an_unknown_id_changes_nothing(app: MockApp) -> bool:
    body = valid_body()
    _, created = _created(app, **body)
    items = [{"id": created["id"], "config": {"voiceConfig": "half"}}, {"id": "pn_does_not_exist"}]
    refused = request(app, "PUT", json={"workspaceId": body["workspaceId"], "phoneNumbers": items})
    (after,) = _updated_of(app, body, created, {})
    return refused.status_code == 404 and _voice(_stored(after)) == _voice(created)


def _updated_of(
    app: MockApp, body: dict[str, Any], created: dict[str, Any], *changes: dict[str, Any]
) -> list[httpx.Response]:
    """Each change sent as an update of the created resource, in its workspace."""
    return [
        request(
            app,
            "PUT",
            json={"workspaceId": body["workspaceId"], "phoneNumbers": [{"id": created["id"], **change}]},
        )
        for change in changes
    ]


# fault -> the probe of the one rule it breaks (True while the rule holds).
PROBES: dict[str, Callable[[MockApp], bool]] = {
    "wrong-status": _success_is_201,
    "wrong-content-type": _success_is_json,
    "field-wrong-type": _no_violation_at("emergencyCalls"),
    "field-missing": _no_violation_at("userId"),
    "enum-out-of-range": _no_violation_at("transportProtocol"),
    "bad-datetime": _no_violation_at("createdAt"),
    "broken-envelope": _envelope_has_data,
    "undocumented-field": _phone_number_is_documented,
    "ignore-auth": _no_token_is_401,
    "accept-invalid": _invalid_body_is_400,
    "reject-valid": _long_valid_number_is_created,
    "server-error-edge": _two_sip_headers_are_no_5xx,
    "drop-sent-field": _friendly_name_is_echoed,
    "accept-duplicate": _duplicate_is_409,
    "slow": _success_is_fast,
    "echo-token": _token_is_not_echoed,
    "reused-id": _ids_are_own,
    "update-moves-created": _created_at_is_kept,
    "update-rewinds-updated": _updated_at_moves_forward,
    "update-forgets": _a_change_is_stored,
    "update-any-scope": _another_workspace_gets_404,
    "update-partial": _an_unknown_id_changes_nothing,
}


def test_the_fault_table_is_the_documented_one() -> None:
    assert list(FAULTS) == list(PROBES)
    assert all(description and "\n" not in description for description in FAULTS.values())


def test_every_rule_holds_on_the_clean_mock() -> None:
    app = _mock()
    assert {name: probe(app) for name, probe in PROBES.items()} == dict.fromkeys(PROBES, True)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_fault_breaks_its_rule_and_only_it(fault: str) -> None:
    app = _mock(fault)
    held = {name: probe(app) for name, probe in PROBES.items()}
    assert held == {name: name != fault for name in PROBES}


@pytest.mark.parametrize(
    ("fault", "path", "expected"),
    [
        ("field-wrong-type", f"{PHONE_NUMBER_PATH}.config.emergencyCalls", "type boolean"),
        ("field-missing", f"{PHONE_NUMBER_PATH}.userId", "required property 'userId'"),
        ("enum-out-of-range", f"{PHONE_NUMBER_PATH}.config.sipOutbound.transportProtocol", "one of"),
        ("bad-datetime", f"{PHONE_NUMBER_PATH}.createdAt", "string of format date-time"),
        ("broken-envelope", "$.data", "required property 'data'"),
        ("wrong-status", "status", "a documented status"),
        ("wrong-content-type", "content-type", "application/json"),
    ],
)
def test_response_faults_are_reported_by_check_response(fault: str, path: str, expected: str) -> None:
    response, _ = _created(create_app(fault=fault))
    violations = check_response(
        create_of(), response.status_code, response.headers["content-type"], response.content
    )
    assert [(v.path, v.expected.startswith(expected)) for v in violations] == [(path, True)]


def test_the_slow_fault_waits_its_seconds_before_each_success() -> None:
    app = _mock("slow")
    naps = app.sleep
    assert isinstance(naps, Naps)
    assert request(app, json=valid_body(number="+1")).status_code == 400  # refusals come at once
    assert naps.seconds == []
    response, _ = _created(app)
    assert response.status_code == 201
    assert naps.seconds == [SLOW_SECONDS]


def test_undocumented_field_is_valid_but_detected() -> None:
    response, phone_number = _created(create_app(fault="undocumented-field"))
    assert (
        check_response(create_of(), response.status_code, response.headers["content-type"], response.content)
        == []
    )
    assert undocumented_fields(create_of(), 201, json.loads(response.content)) == [
        f"{PHONE_NUMBER_PATH}.carrier"
    ]
    assert phone_number["carrier"]


def test_accept_invalid_still_answers_a_body_in_the_spec() -> None:
    app = create_app(fault="accept-invalid")
    sent: list[Any] = [
        {"number": 5, "workspaceId": "w", "config": {"sipOutbound": {"port": -1}}},
        {"number": "+1", "friendlyName": "Desk", "userId": None, "extra": [1]},
        [1, 2],
    ]
    for body in sent:
        response = request(app, json=body)
        assert response.status_code == 201
        assert check_response(create_of(), 201, response.headers["content-type"], response.content) == []
    echoed = json.loads(response.content)["data"]["result"]["phoneNumber"]
    assert echoed["number"] == ""
    # Only schema breaks are let through: unreadable bodies are still 400.
    assert post_raw(app, b"{not json").status_code == 400


def test_echo_token_echoes_the_callers_token() -> None:
    app = create_app(tokens=["tok-123"], fault="echo-token")
    response = request(app, headers={"Authorization": "Bearer tok-123"}, json=valid_body())
    assert "tok-123" in json.loads(response.content)["data"]["message"]


def test_unknown_fault_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown fault 'nope'; valid faults: wrong-status, ") as caught:
        create_app(fault="nope")
    assert all(name in str(caught.value) for name in FAULTS)
