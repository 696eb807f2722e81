"""What the generated client's strict mode knows of the spec: the create operation's responses.

One reading, two uses: ``codegen`` writes it into the client package as ``contract.json``, and
``responses`` builds the client's checker from it for whatever spec the toolkit is given, so the
toolkit and an installed client judge an answer by the same code.
"""

from __future__ import annotations

from typing import Any

from phone_contract._secrets import REDACTED, SECRET_KEYS
from phone_contract._spec import JSON, Spec, has_refs


def client_contract(spec: Spec) -> dict[str, Any]:
    """The create operation's method, path and response schemas (resolved), and the secret fields."""
    operation = spec.operation
    # The spec's own schema objects, not copies: the spec model caches a validator per schema.
    responses = {key: response.schema(JSON) for key, response in operation.responses.items()}
    return {
        "method": operation.method.upper(),
        "path": operation.path,
        "responses": responses,
        "secretKeys": sorted(SECRET_KEYS),
        "redacted": REDACTED,
    }


def packaged_contract(spec: Spec) -> dict[str, Any]:
    """:func:`client_contract` as the client package carries it: able to validate on its own."""
    data = client_contract(spec)
    # A recursive schema keeps a local "#/components/..." pointer; then the client needs them too.
    # (The toolkit validates through the spec model, which has them.)
    if has_refs(data["responses"]):
        data["components"] = spec.document.get("components") or {}
    return data
