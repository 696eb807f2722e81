"""``phone-contract diff``: what changed between two versions of the spec, and whom it breaks.

Both sides are read through the spec model (:mod:`phone_contract._spec`) and compared as contracts:
every ``$ref`` resolved and ``allOf`` wrappers merged, so that a spec restated in another layout
compares as the same spec.
"""

from __future__ import annotations

from typing import Any

from phone_contract._spec import Spec, stale_examples
from phone_contract.diff.loading import load
from phone_contract.diff.model import Bump, Change, DiffResult, Version
from phone_contract.diff.rules import RULES, Effect, Rule, Side
from phone_contract.diff.walk.operations import SpecWalk

__all__ = [
    "RULES",
    "Bump",
    "Change",
    "DiffResult",
    "Effect",
    "Rule",
    "Side",
    "diff_specs",
    "load",
]

# Component sections that only hold what operations refer to. In the contract every use is resolved
# where it is used, so whether a spec keeps them in components, and under which names, is layout.
_REUSABLE = frozenset(
    {"schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks"}
)


def _compared(spec: Spec) -> dict[str, Any]:
    """What "the documents differ" looks at: the contract without info.version and reusable parts,
    with servers as the URLs they default to."""
    document = spec.document
    components = {k: v for k, v in (document.get("components") or {}).items() if k not in _REUSABLE}
    return {
        **document,
        "info": {k: v for k, v in (document.get("info") or {}).items() if k != "version"},
        "servers": spec.server_urls,
        "components": components,
    }


def diff_specs(old: Spec, new: Spec) -> DiffResult:
    """Every change from ``old`` to ``new``, in operation order."""
    changes = SpecWalk(old, new).run()
    return DiffResult(
        old=Version(old.origin, old.version),
        new=Version(new.origin, new.version),
        changes=tuple(changes),
        documents_differ=_compared(old) != _compared(new),
        warnings=tuple(
            f"{side}: {warning}"
            for side, spec in (("OLD", old), ("NEW", new))
            for warning in stale_examples(spec)
        ),
    )
