"""What the mock answers with: the created phone number, realistic rather than placeholders, and envelopes."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any

CREATED_MESSAGE = "Phone number created successfully"
# The spec's example answers a password as this mask, and the toolkit never writes a secret out.
PASSWORD_MASK = "********"  # noqa: S105  (a mask, not a password)
_SIP_DOMAIN = "sip.freyavoice.ai"


def default_config() -> dict[str, Any]:
    """What a number is configured with when the create does not say: voice on, everything else off."""
    # A fresh literal per call is several times faster than deep-copying a shared default.
    return {
        "capabilities": {"voice": "enabled", "sms": False},
        "voiceConfig": "default",
        "messagingConfig": "default",
        "emergencyCalls": False,
        "sipInbound": {"enabled": False},
        "sipOutbound": {
            "enabled": False,
            "port": 5060,
            "fromDomain": _SIP_DOMAIN,
            "transportProtocol": "UDP",
            "secureMedia": False,
            "headers": [],
        },
    }


def error_body(code: str, message: str) -> dict[str, Any]:
    """The spec's error envelope."""
    return {"success": False, "error": {"code": code, "message": message}}


def created_body(payload: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """The 201 body for a valid create ``payload``: what was sent, defaults for the rest, new id and times."""
    stamp = rfc3339(now or datetime.now(UTC))
    phone_number: dict[str, Any] = {
        "id": new_id(),
        "number": payload["number"],
        "workspaceId": payload["workspaceId"],
        "userId": payload["userId"],
        "createdAt": stamp,
        "updatedAt": stamp,
    }
    if "friendlyName" in payload:
        phone_number["friendlyName"] = payload["friendlyName"]
    config = _merged_config(payload.get("config", {}))
    config.setdefault("originationUri", f"sip:{payload['number']}@{_SIP_DOMAIN}")
    phone_number["config"] = config
    for side in ("inbound", "outbound"):
        agent_id = config.get(f"{side}AgentId")
        if agent_id is not None:
            # The vendor resolves the agent; the mock invents a stable, recognisable one.
            phone_number[f"{side}AgentName"] = f"{side.capitalize()} agent"
            phone_number[f"{side}AgentEntityType"] = "agent"
            phone_number[f"{side}AgentWorkflowId"] = f"wf_{side}_{agent_id[:8].lower()}"
    return {"success": True, "data": {"message": CREATED_MESSAGE, "result": {"phoneNumber": phone_number}}}


def _merged_config(sent: dict[str, Any]) -> dict[str, Any]:
    config = default_config()
    for key, value in sent.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key].update(value)
        else:
            config[key] = value
    outbound = config["sipOutbound"]
    if "password" in outbound:
        outbound["password"] = PASSWORD_MASK
    # JSON Schema counts 5060.0 as an integer; answer it as 5060 so no client sees a float.
    if isinstance(outbound.get("port"), float):
        outbound["port"] = int(outbound["port"])
    return config


def rfc3339(moment: datetime) -> str:
    """``2026-11-26T10:15:30.123Z``: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    """``pn_``, 48 bits of milliseconds and 64 random bits in hex: sorts by creation, unique alone."""
    # Hex rather than a base32 ULID: base64.b32encode is pure Python and cost a tenth of a request.
    return f"pn_{time.time_ns() // 1_000_000:012x}{os.urandom(8).hex()}"
