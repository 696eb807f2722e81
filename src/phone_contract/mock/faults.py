"""The named ways the mock can break the contract on purpose, to prove that the gate catches each one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from phone_contract.mock.validation import RequestValidator

_NIL_UUID = "00000000-0000-0000-0000-000000000000"

# name -> the one contract rule it breaks. Each fault changes exactly one behaviour of the clean mock;
# everything else it answers stays as the spec says.
FAULTS: Mapping[str, str] = MappingProxyType(
    {
        "wrong-status": "success answers 200 instead of the documented 201",
        "wrong-content-type": "the success body is sent as text/plain instead of application/json",
        "field-wrong-type": 'phoneNumber.config.emergencyCalls is the string "no", not a boolean',
        "field-missing": "the required phoneNumber.userId is left out of the success body",
        "enum-out-of-range": 'phoneNumber.config.sipOutbound.transportProtocol is "SCTP", outside its enum',
        "bad-datetime": 'phoneNumber.createdAt is "26/11/2026 10:15", not an RFC 3339 date-time',
        "broken-envelope": 'the success body is {"success": true, "phoneNumber": ...}, without data.result',
        "undocumented-field": "phoneNumber grows an undocumented carrier field (valid under the open schema)",
        "ignore-auth": "any bearer token, or none, is accepted instead of answering 401",
        "accept-invalid": "a body that breaks the request schema is created (201) instead of answering 400",
        "reject-valid": "a valid number longer than 15 characters is rejected with 400",
        "server-error-edge": "a valid body whose config.sipOutbound.headers has 2 or more items gets a 500",
        "drop-sent-field": "a friendlyName that was sent is not echoed back in the success body",
        "accept-duplicate": "a number that already exists in the workspace is created again (201, not 409)",
        "slow": "success answers only after a delay (slow_seconds, 2.5 s by default)",
        "echo-token": "the caller's bearer token is echoed into data.message of the success body",
    }
)


def check_fault(name: str | None) -> str | None:
    """``name`` if it is a known fault (or None for the clean mock); ValueError naming the valid ones."""
    if name is None or name in FAULTS:
        return name
    raise ValueError(f"unknown fault {name!r}; valid faults: {', '.join(FAULTS)}")


def corrupt_created(fault: str | None, body: dict[str, Any], token: str) -> dict[str, Any]:
    """Apply a fault that changes the 201 body; the other faults act on control flow in the app."""
    phone_number = body["data"]["result"]["phoneNumber"]
    if fault == "field-wrong-type":
        phone_number["config"]["emergencyCalls"] = "no"
    elif fault == "field-missing":
        del phone_number["userId"]
    elif fault == "enum-out-of-range":
        phone_number["config"]["sipOutbound"]["transportProtocol"] = "SCTP"
    elif fault == "bad-datetime":
        phone_number["createdAt"] = "26/11/2026 10:15"
    elif fault == "broken-envelope":
        return {"success": True, "phoneNumber": phone_number}
    elif fault == "undocumented-field":
        phone_number["carrier"] = "Freya Telecom"
    elif fault == "drop-sent-field":
        phone_number.pop("friendlyName", None)
    elif fault == "echo-token":
        body["data"]["message"] = f"{body['data']['message']} (authorized by {token})"
    return body


def salvage(value: Any, validator: RequestValidator) -> dict[str, Any]:
    """For accept-invalid: a create payload made of what can be echoed from an invalid body ``value``."""
    sent = value if isinstance(value, dict) else {}
    payload: dict[str, Any] = {key: _as_text(sent.get(key)) for key in ("number", "workspaceId", "userId")}
    if isinstance(sent.get("friendlyName"), str):
        payload["friendlyName"] = sent["friendlyName"]
    # Keep config only when it is valid on its own, so the 201 body itself still matches the spec.
    probe = {"number": "+10000", "workspaceId": _NIL_UUID, "userId": _NIL_UUID, "config": sent.get("config")}
    if "config" in sent and validator.error(probe) is None:
        payload["config"] = sent["config"]
    return payload


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    try:
        return json.dumps(value)[:100]
    except (ValueError, RecursionError):
        return ""
