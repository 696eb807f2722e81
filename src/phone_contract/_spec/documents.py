"""Reading spec text: YAML or JSON into a mapping, files beside a spec, and JSON Pointers.

The lowest floor of the spec model: nothing here knows OpenAPI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from phone_contract._spec.errors import SpecError

JSON = "application/json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Where a text spec without a file lives, for its $refs: ``#/...`` resolves, sibling files cannot.
TEXT_URI = "urn:phone-contract:spec"

Pointer = tuple[str, ...]


def parse_document(text: str, origin: str) -> dict[str, Any]:
    """YAML or JSON text as a mapping; SpecError naming the line and column of a syntax error."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise SpecError(f"spec {origin} is not valid YAML or JSON{where}: {problem}") from None
    if not isinstance(document, dict):
        raise SpecError(f"spec {origin} is not an OpenAPI document (top level is not a mapping)")
    return document


def read_text(path: Path, origin: str) -> str:
    """The text of a spec file; SpecError in one line when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SpecError(f"cannot read spec {origin}: {reason}") from None


def pointer_parts(pointer: str) -> Pointer:
    """The reference tokens of a JSON Pointer (RFC 6901): ``/a~1b/c`` -> ``("a/b", "c")``.

    A pointer taken from a URI fragment is percent-decoded first, as RFC 6901 section 6 says.
    """
    tokens = unquote(pointer).split("/")
    if tokens[0]:
        raise ValueError(f"a JSON Pointer starts with '/': {pointer!r}")
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in tokens[1:])


def pointer_text(parts: Pointer) -> str:
    """``("a/b", "c")`` -> ``/a~1b/c``: the JSON Pointer of some reference tokens."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


class NoAliases(yaml.SafeDumper):
    """The contract shares schema objects between places; YAML readers want them written out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
