"""Find, read and validate the OpenAPI spec that everything in the toolkit derives from."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing.exceptions import Unresolvable

SPEC_FILENAME = "phone-numbers.openapi.yaml"


class SpecError(Exception):
    """The spec could not be read or is not a valid OpenAPI document; the message is one line."""


def default_spec_path() -> Path:
    """The spec of this checkout (``spec/``), or the copy packaged into an installed wheel."""
    # In a checkout (editable install, tests, scripts) the source of truth is spec/ itself.
    checkout = Path(__file__).resolve().parents[2] / "spec" / SPEC_FILENAME
    if checkout.is_file():
        return checkout
    packaged = resources.files("phone_contract") / "_data" / SPEC_FILENAME
    return Path(str(packaged))


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """Parse and validate the spec at ``path`` (default: :func:`default_spec_path`)."""
    return _load_validated(str((path or default_spec_path()).resolve()))


@functools.cache
def _load_validated(path: str) -> dict[str, Any]:
    # Cached per path: the mock, the gate and the strict client all ask for it at start-up.
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read spec {path}: {exc}") from None
    return parse_spec(text, path)


def parse_spec(text: str, origin: str) -> dict[str, Any]:
    """Parse and validate spec text; ``origin`` names it in errors (a path, or ``git:REV:path``)."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpecError(f"spec {origin} is not valid YAML: {first_line}") from None
    if not isinstance(document, dict):
        raise SpecError(f"spec {origin} is not an OpenAPI document (top level is not a mapping)")
    try:
        validate(document)
    except OpenAPIValidationError as exc:
        where = "/".join(str(part) for part in exc.path) or "<root>"
        # The validator's message may go on with the failing schema over many lines: keep the first.
        reason = exc.message.splitlines()[0] if exc.message else type(exc).__name__
        raise SpecError(f"spec {origin} is not valid OpenAPI at {where}: {reason}") from None
    except Unresolvable as exc:
        raise SpecError(f"spec {origin} is not valid OpenAPI: $ref {exc.ref!r} points nowhere") from None
    except ValueError as exc:
        # The validator raises it for keys that are not strings, such as an unquoted 201 status.
        raise SpecError(f"spec {origin} is not valid OpenAPI: {exc}") from None
    return document
