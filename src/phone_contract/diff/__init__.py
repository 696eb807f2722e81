"""``phone-contract diff``: what changed between two versions of the spec, and whom it breaks."""

from __future__ import annotations

from typing import Any

from phone_contract.diff.loading import LoadedSpec, load
from phone_contract.diff.model import Bump, Change, DiffResult, Version
from phone_contract.diff.refs import Resolver
from phone_contract.diff.rules import RULES, Effect, Rule, Side
from phone_contract.diff.walk.operations import SpecWalk

__all__ = [
    "RULES",
    "Bump",
    "Change",
    "DiffResult",
    "Effect",
    "LoadedSpec",
    "Rule",
    "Side",
    "diff_specs",
    "load",
]


def _without_version(document: dict[str, Any]) -> dict[str, Any]:
    info = {k: v for k, v in (document.get("info") or {}).items() if k != "version"}
    return {**document, "info": info}


def diff_specs(old: LoadedSpec, new: LoadedSpec) -> DiffResult:
    """Every change from ``old`` to ``new``, in operation order."""
    changes = SpecWalk(Resolver(old.document, old.origin), Resolver(new.document, new.origin)).run()
    return DiffResult(
        old=Version(old.origin, old.version),
        new=Version(new.origin, new.version),
        changes=tuple(changes),
        documents_differ=_without_version(old.document) != _without_version(new.document),
    )
