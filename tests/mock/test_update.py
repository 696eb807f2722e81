"""The mock's update: stateful across operations, all or nothing, as the spec's decisions say."""

from __future__ import annotations

import json
from typing import Any

import pytest

from phone_contract.mock import MockApp, create_app

from .support import assert_conforms, error_of, phone_number_of, request, unique_number, valid_body


@pytest.fixture
def app() -> MockApp:
    return create_app()


def _create(app: MockApp, **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    body = valid_body(**overrides)
    response = request(app, json=body)
    assert response.status_code == 201
    return body, phone_number_of(response)


def _update(app: MockApp, workspace: str, *items: dict[str, Any]) -> Any:
    response = request(app, "PUT", json={"workspaceId": workspace, "phoneNumbers": list(items)})
    assert_conforms(response)
    return response


def _updated(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    updated: list[dict[str, Any]] = json.loads(response.content)["data"]["result"]["updated"]
    return updated


def test_an_update_changes_what_the_create_stored_and_keeps_what_it_must(app: MockApp) -> None:
    body, created = _create(app)
    (first,) = _updated(_update(app, body["workspaceId"], {"id": created["id"], "friendlyName": "Renamed"}))
    assert first["friendlyName"] == "Renamed"
    for kept in ("id", "number", "workspaceId", "userId", "createdAt"):
        assert first[kept] == created[kept], kept
    assert first["updatedAt"] > created["updatedAt"]
    # Stored: an update naming only the id (a change of nothing) answers what is stored now.
    (again,) = _updated(_update(app, body["workspaceId"], {"id": created["id"]}))
    assert again["friendlyName"] == "Renamed"
    assert again["updatedAt"] > first["updatedAt"]  # never back, and forward even within a millisecond


def test_config_is_merged_object_by_object_and_fields_left_out_keep_their_values(app: MockApp) -> None:
    body, created = _create(app)
    ident, workspace = created["id"], body["workspaceId"]
    _update(app, workspace, {"id": ident, "config": {"sipOutbound": {"port": 5061}}})
    (after,) = _updated(_update(app, workspace, {"id": ident, "config": {"voiceConfig": "custom"}}))
    assert after["config"]["sipOutbound"]["port"] == 5061
    assert after["config"]["voiceConfig"] == "custom"
    assert after["config"]["inboundAgentId"] == created["config"]["inboundAgentId"]
    assert after["friendlyName"] == created["friendlyName"]


def test_an_unknown_id_or_another_workspaces_number_is_404_and_changes_nothing(app: MockApp) -> None:
    body, created = _create(app)
    workspace = body["workspaceId"]
    unknown = _update(app, workspace, {"id": created["id"], "friendlyName": "Half"}, {"id": "pn_no_such_one"})
    assert unknown.status_code == 404
    assert error_of(unknown)["code"] == "phone_number_not_found"  # the spec's own word for it
    elsewhere = _update(app, valid_body()["workspaceId"], {"id": created["id"], "friendlyName": "Theirs"})
    assert elsewhere.status_code == 404
    (stored,) = _updated(_update(app, workspace, {"id": created["id"]}))
    assert stored["friendlyName"] == created["friendlyName"]


def test_a_number_taken_in_the_workspace_is_409_and_changes_nothing(app: MockApp) -> None:
    body, first = _create(app)
    _, second = _create(app, workspaceId=body["workspaceId"])
    taken = _update(app, body["workspaceId"], {"id": second["id"], "number": first["number"]})
    assert taken.status_code == 409
    # Two items of one request may not end up with one number either; swapping two numbers may.
    workspace, fresh = body["workspaceId"], unique_number()
    both = _update(
        app, workspace, {"id": first["id"], "number": fresh}, {"id": second["id"], "number": fresh}
    )
    assert both.status_code == 409
    swapped = _updated(
        _update(
            app,
            workspace,
            {"id": first["id"], "number": second["number"]},
            {"id": second["id"], "number": first["number"]},
        )
    )
    assert [item["number"] for item in swapped] == [second["number"], first["number"]]


def test_an_id_named_twice_is_400(app: MockApp) -> None:
    body, created = _create(app)
    twice = _update(app, body["workspaceId"], {"id": created["id"]}, {"id": created["id"]})
    assert twice.status_code == 400


def test_answers_come_in_the_order_of_the_items(app: MockApp) -> None:
    body, first = _create(app)
    _, second = _create(app, workspaceId=body["workspaceId"])
    updated = _updated(_update(app, body["workspaceId"], {"id": second["id"]}, {"id": first["id"]}))
    assert [item["id"] for item in updated] == [second["id"], first["id"]]


def test_prefer_works_on_the_update_too(app: MockApp) -> None:
    response = request(
        app,
        "PUT",
        json={"workspaceId": valid_body()["workspaceId"], "phoneNumbers": [{"id": "x"}]},
        headers={"Authorization": "Bearer freya-dev-token", "Prefer": "code=409"},
    )
    assert response.status_code == 409
    assert_conforms(response)
    named = request(
        app,
        "PUT",
        json={"workspaceId": valid_body()["workspaceId"], "phoneNumbers": [{"id": "x"}]},
        headers={"Authorization": "Bearer freya-dev-token", "Prefer": "example=unknownId"},
    )
    assert named.status_code == 404
    assert error_of(named)["code"] == "phone_number_not_found"


@pytest.mark.parametrize(
    ("fault", "field", "struck"),
    [("field-missing", "number", None), ("bad-datetime", "createdAt", "26/11/2026 10:15")],
)
def test_a_fault_strikes_the_updates_answers_too(fault: str, field: str, struck: str | None) -> None:
    app = create_app(fault=fault)
    body, created = _create(app)
    response = request(
        app, "PUT", json={"workspaceId": body["workspaceId"], "phoneNumbers": [{"id": created["id"]}]}
    )
    (stored,) = json.loads(response.content)["data"]["result"]["updated"]
    assert stored.get(field) == struck
