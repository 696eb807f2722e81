"""What the generated client's strict mode knows of the spec: every operation's responses.

One reading, two uses: ``codegen`` writes it into the client package as ``contract.json`` (with each
operation's generated module beside it), and ``responses`` builds the client's checker from it for
whatever spec the toolkit is given, so the toolkit and an installed client judge an answer by the
same code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from phone_contract._secrets import REDACTED, SECRET_KEYS
from phone_contract._spec import JSON, Operation, Spec, has_refs


def client_contract(spec: Spec, module_of: Callable[[Operation], str] | None = None) -> dict[str, Any]:
    """Every operation's id, method, path and response schemas (resolved), and the secret fields;
    ``module_of`` names the generated module of an operation (codegen knows it, nothing else does)."""
    operations = []
    for operation in spec.operations:
        # The spec's own schema objects, not copies: the spec model caches a validator per schema.
        entry: dict[str, Any] = {
            "operationId": operation.operation_id,
            "method": operation.method.upper(),
            "path": operation.path,
            "responses": {key: response.schema(JSON) for key, response in operation.responses.items()},
        }
        if module_of is not None:
            entry["module"] = module_of(operation)
        operations.append(entry)
    return {"operations": operations, "secretKeys": sorted(SECRET_KEYS), "redacted": REDACTED}


def packaged_contract(spec: Spec, module_of: Callable[[Operation], str]) -> dict[str, Any]:
    """:func:`client_contract` as the client package carries it: able to validate on its own."""
    data = client_contract(spec, module_of)
    # A recursive schema keeps a local "#/components/..." pointer; then the client needs them too.
    # (The toolkit validates through the spec model, which has them.)
    if has_refs([operation["responses"] for operation in data["operations"]]):
        data["components"] = spec.document.get("components") or {}
    return data
