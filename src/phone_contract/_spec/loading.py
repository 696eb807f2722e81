"""Loading a spec: read, validate as OpenAPI, resolve, and check that its own examples fit its schemas.

``load_spec(path)`` is what every command calls: cached per path, and strict (a spec whose examples
break its schemas contradicts itself: the mock would answer them, the gate would send them).
``parse_spec(..., check_examples=False)`` reads a spec halfway through an edit, for ``diff``; its
stale examples are then listed by :func:`stale_examples` instead.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError, ValidatorDetectError
from referencing.exceptions import Unresolvable

from phone_contract._paths import json_path
from phone_contract._spec.documents import TEXT_URI, parse_document, read_text
from phone_contract._spec.errors import SpecError, first_line
from phone_contract._spec.model import Spec
from phone_contract._spec.resolution import Loader

SPEC_FILENAME = "phone-numbers.openapi.yaml"


def default_spec_path() -> Path:
    """The spec of this checkout (``spec/``), or the copy packaged into an installed wheel."""
    # In a checkout (editable install, tests, scripts) the source of truth is spec/ itself.
    checkout = Path(__file__).resolve().parents[3] / "spec" / SPEC_FILENAME
    if checkout.is_file():
        return checkout
    packaged = resources.files("phone_contract") / "_data" / SPEC_FILENAME
    return Path(str(packaged))


def load_spec(path: Path | None = None) -> Spec:
    """The spec model of the file at ``path`` (default: :func:`default_spec_path`); SpecError if unusable."""
    return _load_file(str((path or default_spec_path()).resolve()))


@functools.cache
def _load_file(path: str) -> Spec:
    # Cached per path: the mock, the gate and the strict client all ask for it at start-up.
    return parse_spec(read_text(Path(path), path), path, base_uri=Path(path).as_uri())


def parse_spec(text: str, origin: str, *, base_uri: str | None = None, check_examples: bool = True) -> Spec:
    """The spec model of spec text; ``origin`` names it in errors (a path, or ``git:REV:path``)."""
    document = parse_document(text, origin)
    uri = base_uri or TEXT_URI
    _validate_openapi(document, origin, uri)
    loader = Loader(origin, uri, document)
    contract = loader.dereference()
    spec = Spec(
        origin=origin,
        raw=document,
        document=contract,
        external=loader.external,
        text=text,
        uri=uri,
        _references=loader.references,
    )
    if check_examples:
        stale = stale_examples(spec)
        if stale:
            raise SpecError(f"spec {origin}: {stale[0]}")
    return spec


def spec_from_document(document: dict[str, Any], origin: str) -> Spec:
    """The spec model of a document another tool already loaded and checked (schemathesis' schema in
    a check): its local ``$ref``s resolved and ``allOf`` merged, as :func:`parse_spec` does."""
    loader = Loader(origin, TEXT_URI, document)
    contract = loader.dereference()
    return Spec(origin=origin, raw=document, document=contract, uri=TEXT_URI, _references=loader.references)


def _validate_openapi(document: dict[str, Any], origin: str, base_uri: str) -> None:
    try:
        validate(document, base_uri=base_uri if base_uri != TEXT_URI else "")
    except OpenAPIValidationError as exc:
        where = "/".join(str(part) for part in exc.path) or "<root>"
        # The validator's message may go on with the failing schema over many lines: keep the first.
        reason = exc.message.splitlines()[0] if exc.message else type(exc).__name__
        raise SpecError(f"spec {origin} is not valid OpenAPI at {where}: {reason}") from None
    except ValidatorDetectError:
        raise SpecError(f"spec {origin} is not valid OpenAPI: no 'openapi: 3.x' version field") from None
    except Unresolvable as exc:
        raise SpecError(f"spec {origin} is not valid OpenAPI: $ref {exc.ref!r} points nowhere") from None
    except (ValueError, TypeError, OSError) as exc:
        # ValueError: keys that are not strings, such as an unquoted 201 status; OSError: a sibling file.
        raise SpecError(f"spec {origin} is not valid OpenAPI: {first_line(exc)}") from None


# --- the spec's own examples ----------------------------------------------------------------------


def stale_examples(spec: Spec) -> list[str]:
    """Each media-type example that breaks its own schema, in one line: where, and how."""
    found = []
    for where, schema, value in _examples(spec):
        validator = Draft202012Validator(
            spec.standalone(schema), format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        error = next(iter(sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.path)))), None)
        if error is not None:
            found.append(
                f"{where} does not match its schema: "
                f"{json_path(list(error.absolute_path))}: {first_line(error.message)}"
            )
    return found


def _examples(spec: Spec) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    """Every media-type example of every operation: (where, its schema, its value)."""
    for operation in spec.operations:
        for media_type, schema in operation.request_schemas.items():
            for name, value in operation.request_examples(media_type).items():
                where = f"example {name!r} of the {media_type} request body of {operation.label}"
                yield where, schema, value
        for status, response in operation.responses.items():
            for media_type in response.media_types:
                answer = response.schema(media_type)
                if answer is None:
                    continue
                for name, value in response.examples(media_type).items():
                    where = f"example {name!r} of the {status} {media_type} response of {operation.label}"
                    yield where, answer, value


# What callers may pass where a spec is wanted: a loaded one, or None for the project's.
SpecLike = Spec | None


def spec_or_default(spec: SpecLike) -> Spec:
    return load_spec() if spec is None else spec
