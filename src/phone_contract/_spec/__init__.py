"""The spec model: the one place that reads the OpenAPI document; every other part asks it.

- ``documents``: YAML or JSON text into a mapping; JSON Pointers.
- ``resolution``: the contract, every ``$ref`` resolved (one ``referencing`` registry) and ``allOf``
  wrappers merged; which ``$ref`` each node came from.
- ``model``: :class:`Spec` and :class:`Operation`, the questions the parts ask.
- ``semantics``: what an operation does to the resources it touches (the ``x-phone-contract``
  extensions): its role, where its answer holds them, what is echoed, unique, ordered.
- ``provenance``: where a node of the contract was written (for ``learn``'s edits).
- ``loading``: :func:`load_spec` and :func:`parse_spec`, OpenAPI validation, the examples' check.
"""

from phone_contract._spec.documents import HTTP_METHODS, JSON, Pointer, parse_document, pointer_parts
from phone_contract._spec.errors import SpecError
from phone_contract._spec.loading import (
    SpecLike,
    default_spec_path,
    load_spec,
    parse_spec,
    spec_from_document,
    spec_or_default,
    stale_examples,
)
from phone_contract._spec.model import (
    SAFE_METHODS,
    SERVED_METHODS_EXTENSION,
    Link,
    Operation,
    ResponseSpec,
    Spec,
)
from phone_contract._spec.resolution import Reference, has_refs, pattern_property, properties_of
from phone_contract._spec.semantics import (
    OPERATION_EXTENSION,
    RESOURCE_EXTENSION,
    Resource,
    Role,
    Semantics,
    at,
    sent_schema,
)

__all__ = [
    "HTTP_METHODS",
    "JSON",
    "OPERATION_EXTENSION",
    "RESOURCE_EXTENSION",
    "SAFE_METHODS",
    "SERVED_METHODS_EXTENSION",
    "Link",
    "Operation",
    "Pointer",
    "Reference",
    "Resource",
    "ResponseSpec",
    "Role",
    "Semantics",
    "Spec",
    "SpecError",
    "SpecLike",
    "at",
    "default_spec_path",
    "has_refs",
    "load_spec",
    "parse_document",
    "parse_spec",
    "pattern_property",
    "pointer_parts",
    "properties_of",
    "sent_schema",
    "spec_from_document",
    "spec_or_default",
    "stale_examples",
]
