"""Every rule of the diff, in both directions, on the spec pairs of ``corpus/``."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from phone_contract._spec import Spec
from phone_contract.diff import RULES, Bump, DiffResult, diff_specs, load
from tests.restatements import allof_wrapped

CORPUS = Path(__file__).parent / "corpus"
BASE = CORPUS / "base.yaml"
CASES = sorted(path for path in CORPUS.glob("*.yaml") if path != BASE)
DIRECTIONS = ("forward", "reverse")

Row = tuple[str, str, str, str]


def _parent(document: Any, pointer: str) -> tuple[Any, str]:
    *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
    node = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node, last


def apply(document: dict[str, Any], operations: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of ``document`` with JSON-patch operations (add, replace, remove, move) applied."""
    result = copy.deepcopy(document)
    for operation in operations:
        if operation["op"] == "move":
            source, key = _parent(result, operation["from"])
            value = source.pop(key)
        elif operation["op"] in ("add", "replace"):
            value = copy.deepcopy(operation["value"])
        parent, key = _parent(result, operation["path"])
        if operation["op"] == "remove":
            del parent[key]
        elif isinstance(parent, list) and operation["op"] == "add":
            parent.insert(len(parent) if key == "-" else int(key), value)
        elif isinstance(parent, list):
            parent[int(key)] = value
        else:
            if operation["op"] == "replace":
                assert key in parent, f"replace of a missing key: {operation['path']}"
            parent[key] = value
    return result


def case_specs(case: dict[str, Any], where: Path) -> tuple[str, str]:
    """Write OLD and NEW of one case into ``where``; return their paths."""
    old = apply(yaml.safe_load(BASE.read_text(encoding="utf-8")), case.get("before", []))
    new = apply(old, case["after"])
    paths = []
    for name, document in (("old.yaml", old), ("new.yaml", new)):
        (where / name).write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        paths.append(str(where / name))
    return paths[0], paths[1]


_LOADED: dict[Path, tuple[Spec, Spec]] = {}


def run_case(path: Path, direction: str, where: Path) -> DiffResult:
    # Each side is loaded (and validated) once for both directions: validation is the slow part.
    if path not in _LOADED:
        old, new = case_specs(yaml.safe_load(path.read_text(encoding="utf-8")), where)
        _LOADED[path] = (load(old), load(new))
    old_spec, new_spec = _LOADED[path]
    return diff_specs(*((old_spec, new_spec) if direction == "forward" else (new_spec, old_spec)))


def rows(result: DiffResult) -> list[Row]:
    return sorted((c.rule.id, c.where, c.client.value, c.server.value) for c in result.changes)


def expected_rows(path: Path, direction: str) -> list[Row]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sorted((str(a), str(b), str(c), str(d)) for a, b, c, d in case[direction])


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_case_classifies_every_change(path: Path, direction: str, tmp_path: Path) -> None:
    result = run_case(path, direction, tmp_path)
    expected = expected_rows(path, direction)
    assert rows(result) == expected
    # The exit status follows the classification: 1 exactly when something breaks clients.
    assert result.breaks_clients == any(row[2] == "breaking" for row in expected)


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_a_case_classifies_the_same_when_new_is_written_in_another_layout(path: Path, tmp_path: Path) -> None:
    """The diff compares contracts: NEW with every schema $ref wrapped in a one-item allOf (and a
    description beside it) changes nothing in what is found, renames included."""
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    old_path, new_path = case_specs(case, tmp_path)
    new_document = yaml.safe_load(Path(new_path).read_text(encoding="utf-8"))
    wrapped = tmp_path / "new-wrapped.yaml"
    wrapped.write_text(allof_wrapped(new_document)["spec.yaml"], encoding="utf-8")
    old, new = load(old_path), load(str(wrapped))
    assert rows(diff_specs(old, new)) == expected_rows(path, "forward")
    assert rows(diff_specs(new, old)) == expected_rows(path, "reverse")


def test_corpus_covers_every_rule_in_both_directions() -> None:
    seen: set[str] = set()
    for path in CASES:
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert case.get("after"), f"{path.name}: no mutation"
        for direction in DIRECTIONS:
            assert case.get(direction), f"{path.name}: no {direction} expectation"
            seen.update(row[0] for row in case[direction])
    assert seen - RULES.keys() == set(), "the corpus names rules that do not exist"
    assert RULES.keys() - seen == set(), "rules without a corpus case"


@pytest.mark.parametrize(
    ("case", "direction", "bump"),
    [
        ("ref-renamed", "forward", Bump.PATCH),
        ("request-property-added", "forward", Bump.MINOR),
        ("response-property-added", "forward", Bump.MINOR),
        ("response-property-added", "reverse", Bump.MAJOR),
        ("request-property-added-required", "forward", Bump.MAJOR),
    ],
)
def test_required_bump(case: str, direction: str, bump: Bump, tmp_path: Path) -> None:
    assert run_case(CORPUS / f"{case}.yaml", direction, tmp_path).required_bump is bump


def test_identical_specs_need_no_bump() -> None:
    spec = load(str(BASE))
    result = diff_specs(spec, spec)
    assert result.changes == ()
    assert result.required_bump is Bump.NONE


def test_prose_only_change_is_a_patch(tmp_path: Path) -> None:
    document = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    document["info"]["description"] = "Now with a description."
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    result = diff_specs(load(str(BASE)), load(str(tmp_path / "new.yaml")))
    assert result.changes == ()
    assert result.required_bump is Bump.PATCH
