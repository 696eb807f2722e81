"""Request checks of the mock: the JSON body is decoded defensively, then validated against the spec.

The schema is an operation's own ``requestBody`` schema, taken from the spec at start-up and compiled
once; nothing here repeats a field of it by hand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import jsonschema
import jsonschema_rs

from phone_contract._spec import Spec

# The spec's 413 answer documents the limit in prose ("larger than 1 MiB"), so it lives here as a number.
MAX_BODY_BYTES = 1_048_576
# Validation messages quote the offending value, which may be a 1 MiB string: keep the answer small.
MAX_MESSAGE_CHARS = 300


class BadRequest(Exception):
    """The request body cannot be accepted; ``str(exc)`` names the offending field (or ``body``)."""


def is_json_media_type(content_type: str | None) -> bool:
    """True for ``application/json`` with optional parameters, as the spec's only request media type."""
    if content_type is None:
        return False
    if content_type == "application/json":  # nearly every request: skip the parsing below
        return True
    media_type, _, params = content_type.partition(";")
    if media_type.strip().lower() != "application/json":
        return False
    # A charset other than UTF-8 would be decoded wrongly: JSON on the wire is UTF-8 (RFC 8259 §8.1).
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def decode_json(body: bytes) -> Any:
    """The JSON value of ``body``; BadRequest for empty, non-UTF-8, malformed or hostile input."""
    if not body:
        raise BadRequest("body: the request body is empty; a JSON object is required")
    try:
        # Decode ourselves: json.loads(bytes) would also guess UTF-16 and UTF-32.
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"body: not valid UTF-8 (invalid byte at offset {exc.start})") from None
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise BadRequest("body: JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"body: malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError as exc:
        # int('9' * 5000) trips Python's digit limit for int/str conversion; NaN/Infinity land here too.
        raise BadRequest(f"body: {_shorten(str(exc))}") from None
    # Only a \u escape can produce a lone surrogate, so the slow check runs only when one is present.
    if "\\u" in text and _has_lone_surrogate(value):
        raise BadRequest("body: a JSON string holds a lone UTF-16 surrogate, which is not valid Unicode")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _has_lone_surrogate(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except RecursionError:
        return False
    return False


# Built once: json.loads with any option builds a new decoder per call, a tenth of a request's time.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


class RequestValidator:
    """Validates a decoded request body against one operation's JSON request schema from the spec."""

    def __init__(self, spec: Spec, request_schema: Mapping[str, Any]) -> None:
        schema = spec.standalone(request_schema)
        # jsonschema_rs for speed; formats (uuid) are asserted, not just annotated.
        self._fast = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
        # The reference implementation takes over for Python values the Rust one cannot convert.
        self._slow = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )

    def error(self, payload: Any) -> str | None:
        """None if ``payload`` is valid, else one line naming the offending field."""
        try:
            if self._fast.is_valid(payload):
                return None
            first = next(iter(self._fast.iter_errors(payload)))
        except (ValueError, OverflowError, TypeError, RecursionError):
            return self._slow_error(payload)
        return _shorten(f"{_field(first.instance_path, first.kind)}: {first.message}")

    def _slow_error(self, payload: Any) -> str | None:
        try:
            found = jsonschema.exceptions.best_match(self._slow.iter_errors(payload))
        except RecursionError:
            return "body: JSON nested too deeply"
        if found is None:
            return None
        return _shorten(f"{_join(list(found.absolute_path))}: {found.message}")


def _field(instance_path: Sequence[str | int], kind: Any) -> str:
    # Name the field itself where the error is about a field the object has or lacks.
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return _join([*instance_path, kind.property])
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties) and kind.unexpected:
        return _join([*instance_path, kind.unexpected[0]])
    return _join(list(instance_path))


def _join(parts: Sequence[Any]) -> str:
    """``config.sipOutbound.headers[0].key`` style, or ``body`` for the whole document."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def _shorten(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE_CHARS else message[: MAX_MESSAGE_CHARS - 1] + "…"
