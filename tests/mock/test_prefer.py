"""``Prefer: code=N`` / ``example=NAME`` answer the documented response, after auth, creating nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from phone_contract import default_spec_path, load_spec
from phone_contract.mock import MockApp, create_app
from phone_contract.responses import check_response

from ..operations import update_op
from .support import AUTH, assert_conforms, create_of, error_of, request, stored, unique_number, valid_body

# Sent for a create where every echoed field differs from the spec's example, so an answer that
# takes any of them from the example instead shows.
_CREATE_SENT = {
    "friendlyName": "Front desk",
    "userId": "0b7d7f2e-51c4-4d0a-9a43-2f4c1f1f2a10",
    "config": {"inboundAgentId": "0b7d7f2e-51c4-4d0a-9a43-2f4c1f1f2a11"},
}
# An agent no example of the spec names.
_NEW_AGENT = "0b7d7f2e-51c4-4d0a-9a43-2f4c1f1f2a12"


def _prefer(app: MockApp, prefer: str, body: Any = None, **headers: str) -> httpx.Response:
    sent = valid_body() if body is None else body
    return request(app, headers={**AUTH, "Prefer": prefer, **headers}, json=sent)


def _prefer_update(app: MockApp, prefer: str, body: Any) -> httpx.Response:
    return request(app, "PUT", headers={**AUTH, "Prefer": prefer}, json=body)


def _example(status: str, name: str | None = None) -> Any:
    examples = create_of().responses[status].examples()
    return examples[name] if name is not None else next(iter(examples.values()))


def _merged(example: Any, sent: Any) -> Any:
    """The example with what was sent in its place: objects field by field, anything else replaced."""
    if isinstance(example, dict) and isinstance(sent, dict):
        return {**example, **{key: _merged(example.get(key), value) for key, value in sent.items()}}
    return sent


def _holds(answered: Any, expected: Any) -> bool:
    """Whether ``answered`` has every field of ``expected`` with its value (objects looked into)."""
    if isinstance(expected, dict):
        return isinstance(answered, dict) and all(
            key in answered and _holds(answered[key], value) for key, value in expected.items()
        )
    return bool(answered == expected)


def _echoed(example: Any, sent: dict[str, Any]) -> Any:
    """The create's example with the fields the spec echoes taken from ``sent``."""
    echoed = {name: sent[name] for name in create_of().semantics.echo if name in sent}
    resource = example["data"]["result"]["phoneNumber"]
    return {**example, "data": {**example["data"], "result": {"phoneNumber": _merged(resource, echoed)}}}


@pytest.mark.parametrize("status", ["400", "401", "409", "413"])
def test_code_answers_the_documented_response(app: MockApp, status: str) -> None:
    response = _prefer(app, f"code={status}")
    assert response.status_code == int(status)
    assert json.loads(response.content) == _example(status)
    assert_conforms(response)
    # A preferred answer creates nothing: the store is as empty as before.
    assert stored(app) == 0


@pytest.mark.parametrize("prefer", ["code=201", "example=created", "code=201, example=created"])
def test_a_preferred_create_echoes_what_was_sent(app: MockApp, prefer: str) -> None:
    sent = valid_body(**_CREATE_SENT)
    response = _prefer(app, prefer, sent)
    assert response.status_code == 201
    assert_conforms(response)
    # The fields the spec echoes come back as sent; everything else is the example's, its id included
    # (nothing was created), and config's fields not sent are the example's.
    assert json.loads(response.content) == _echoed(_example("201"), sent)
    assert stored(app) == 0


@pytest.mark.parametrize("prefer", ["code=200", "example=updated"])
def test_a_preferred_update_echoes_each_item(app: MockApp, prefer: str) -> None:
    workspace = valid_body()["workspaceId"]
    items: list[dict[str, Any]] = [
        {"id": "pn_first", "friendlyName": "Reception", "config": {"inboundAgentId": _NEW_AGENT}},
        {"id": "pn_second", "number": unique_number()},
    ]
    response = _prefer_update(app, prefer, {"workspaceId": workspace, "phoneNumbers": items})
    assert response.status_code == 200
    assert_conforms(response)
    example = update_op().responses["200"].examples()["updated"]
    (resource,) = example["data"]["result"]["updated"]
    echo = update_op().semantics.echo
    # One resource per item, in order: the id it names, the request's workspace, the item's echoed
    # fields as sent, the example's values for the rest (a field the example leaves out is derived
    # from the schema, as in any preferred answer). Nothing was looked up: neither id exists.
    body = json.loads(response.content)
    answered = body["data"]["result"]["updated"]
    assert [found["id"] for found in answered] == [item["id"] for item in items]
    for found, item in zip(answered, items, strict=True):
        echoed = {name: item[name] for name in echo if name in item}
        assert _holds(found, _merged(resource, {"workspaceId": workspace, **echoed, "id": item["id"]}))
    assert body["data"]["message"] == example["data"]["message"]
    assert stored(app) == 0


def test_other_preferred_answers_of_the_update_are_as_documented(app: MockApp) -> None:
    body = {"workspaceId": valid_body()["workspaceId"], "phoneNumbers": [{"id": "pn_x", "friendlyName": "A"}]}
    for prefer, status, name in [("code=404", "404", "unknownId"), ("example=duplicate", "409", "duplicate")]:
        response = _prefer_update(app, prefer, body)
        assert response.status_code == int(status)
        assert json.loads(response.content) == update_op().responses[status].examples()[name]


def test_a_preferred_answer_creates_nothing(app: MockApp) -> None:
    body = valid_body()
    assert _prefer(app, "code=409", body).status_code == 409
    assert _prefer(app, "code=201", body).status_code == 201
    assert request(app, json=body).status_code == 201
    assert request(app, json=body).status_code == 409


@pytest.mark.parametrize(
    ("prefer", "status", "example"),
    [
        ("example=duplicate", 409, ("409", "duplicate")),
        ("code=409, example=duplicate", 409, ("409", "duplicate")),
        ('code=400; foo=bar, example="numberTooShort"', 400, ("400", "numberTooShort")),
        ("return=minimal, code=413", 413, ("413", None)),
    ],
)
def test_example_picks_a_named_example(
    app: MockApp, prefer: str, status: int, example: tuple[str, Any]
) -> None:
    response = _prefer(app, prefer)
    assert response.status_code == status
    assert json.loads(response.content) == _example(*example)


def test_several_prefer_headers_are_read_together(app: MockApp) -> None:
    headers = [*AUTH.items(), ("Prefer", "return=minimal"), ("Prefer", "code=401")]
    response = request(app, headers=httpx.Headers(headers), json=valid_body())
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("prefer", "names"),
    [
        ("code=418", "documented statuses: 201, 400, 401, 409, 413"),
        ("code=abc", "documented statuses: 201, 400, 401, 409, 413"),
        ("code=99999999999999999999", "documented statuses: 201"),
        ("example=nope", "documented examples: created, numberTooShort, missingToken, duplicate, tooLarge"),
        (
            "code=400, example=duplicate",
            "the 400 response of POST /phone-numbers; documented examples: numberTooShort",
        ),
    ],
)
def test_an_undocumented_preference_is_400_naming_what_is(app: MockApp, prefer: str, names: str) -> None:
    response = _prefer(app, prefer)
    assert response.status_code == 400
    assert_conforms(response)
    assert names in error_of(response)["message"]
    assert stored(app) == 0


def test_auth_comes_first(app: MockApp) -> None:
    response = request(app, headers={"Prefer": "code=201"}, json=valid_body())
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_an_invalid_body_is_400_whatever_it_prefers(app: MockApp) -> None:
    # As with Prism: the preference chooses among answers to a valid request.
    response = _prefer(app, "code=409", valid_body(number="+1"))
    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"


def test_unknown_preferences_are_ignored(app: MockApp) -> None:
    assert _prefer(app, "return=representation, dynamic=true").status_code == 201
    assert stored(app) == 1


def test_a_response_without_example_is_derived_from_its_schema(tmp_path: Path) -> None:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    responses = document["paths"]["/phone-numbers"]["post"]["responses"]
    responses["422"] = {
        "description": "The number cannot be provisioned in that region.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
    responses["202"] = {"description": "Accepted for later provisioning."}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    app = create_app(spec_path=path)
    response = _prefer(app, "code=422")
    assert response.status_code == 422
    assert error_of(response)["message"] == "The number cannot be provisioned in that region."
    assert (
        check_response(create_of(load_spec(path)), 422, response.headers["content-type"], response.content)
        == []
    )
    accepted = _prefer(app, "code=202")
    assert (accepted.status_code, accepted.content) == (202, b"")
