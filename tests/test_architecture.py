"""The layers of ARCHITECTURE.md, held by a test: each module imports only what its layer may."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "phone_contract"

# The spec model (the _spec package) stands on nothing of ours but JSON-path formatting.
GROUND = frozenset({"_spec", "_paths"})
# Pieces every part may use. A top-level module whose name starts with "_" is one too.
SHARED = frozenset({"responses", "har", "coverage", "mock.asgi"})
# The command line's wiring and the docs generator see every part.
TOP = frozenset({"cli", "_docs", "__init__"})
# (importer, imported) between parts, each with its reason. Add one only with a reason.
ALLOWED = {
    ("gate", "mock"): "the gate runs against the embedded mock",
    ("proxy", "mock"): "the proxy answers an upstream failure in the error envelope the mock builds",
    ("codegen", "diff"): "the drift gate holds info.version to the bump the diff says a spec change is due",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> tuple[str, str]:
    """("ground" | "shared" | "top" | "part", the part's name) of a module of the package."""
    module = module.removesuffix(".__init__")
    first = module.split(".")[0]
    if module in GROUND or first == "_spec":
        return "ground", first
    if module in SHARED or any(module.startswith(f"{shared}.") for shared in SHARED):
        return "shared", module
    if module in TOP:
        return "top", module
    if "." not in module and module.startswith("_"):
        return "shared", module
    return "part", first


def _imports(module: str) -> set[str]:
    """The modules of our package that ``module`` imports, lazily or not."""
    tree = ast.parse(MODULES[module].read_text())
    package = module.rsplit(".", 1)[0] if "." in module else ""
    if MODULES[module].name == "__init__.py":
        package = module.removesuffix(".__init__").removesuffix("__init__")
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)] if package else []
                base = ".".join([*anchor, base] if base else anchor)
                base = f"phone_contract.{base}" if base else "phone_contract"
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            if name == "phone_contract" or not name.startswith("phone_contract."):
                continue
            inner = name.removeprefix("phone_contract.")
            # "from phone_contract.mock import create_app" names the package; "... import asgi" a module.
            if inner in MODULES or f"{inner}.__init__" in MODULES:
                found.add(inner)
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_what_its_layer_may(module: str) -> None:
    layer, part = _layer(module)
    wrong = []
    for imported in sorted(_imports(module)):
        their_layer, their_part = _layer(imported)
        if layer == "top" or (
            their_layer == "ground" and (layer != "ground" or imported == "_paths" or their_part == part)
        ):
            continue
        if their_layer == "top":
            wrong.append(f"{imported} (only the command line's wiring imports it)")
        elif layer == "ground":
            wrong.append(f"{imported} (the spec model stands on nothing above it)")
        elif layer == "shared" and their_layer == "part":
            wrong.append(f"{imported} (a shared piece imports no part: move what both need down)")
        elif layer == their_layer == "part" and part != their_part and (part, their_part) not in ALLOWED:
            wrong.append(f"{imported} (parts do not import each other: move what both need down)")
    assert not wrong, f"{module} breaks the layers of ARCHITECTURE.md: {'; '.join(wrong)}"


def test_the_layers_see_every_import() -> None:
    # The test above is only as good as its reading of imports: these are known to be there.
    assert "_spec" in _imports("responses")
    assert "mock.asgi" in _imports("gate.door")
    assert "_spec.semantics" in _imports("_spec.model")
    assert "_argtypes" in _imports("mock.command")
    assert "gate.suite" in _imports("gate.command")  # imported inside a function
    assert _layer("mock.asgi") == ("shared", "mock.asgi")
    assert _layer("mock.app") == ("part", "mock")


# Reading the OpenAPI document by hand, the way only the spec model may: the paths map, a media type's
# content, a $ref split into its pointer. `learn` edits the spec file as written (learn.edit and
# learn.specfile write the raw document by design), so only they may touch its layout too.
RAW_READING = re.compile(
    r"""\[\s*["']paths["']\s*\]|\[\s*["']content["']\s*\]\s*(?:\.get\(|\[)|\$ref["']\]\s*\.(?:split|removeprefix|partition)"""
)
RAW_WRITERS = frozenset({"learn.edit", "learn.specfile"})
SPEC_MODEL = frozenset(module for module in MODULES if module.split(".")[0] == "_spec")


@pytest.mark.parametrize("module", sorted(set(MODULES) - RAW_WRITERS - SPEC_MODEL))
def test_only_the_spec_model_reads_the_document_by_hand(module: str) -> None:
    found = [line.strip() for line in MODULES[module].read_text().splitlines() if RAW_READING.search(line)]
    assert not found, f"{module} reads the OpenAPI document by hand; ask the spec model instead: {found}"


def test_the_raw_reading_pattern_sees_what_it_must() -> None:
    assert RAW_READING.search('media = spec["paths"]["/phone-numbers"]["post"]')
    assert RAW_READING.search('schema = node["content"]["application/json"]["schema"]')
    assert RAW_READING.search('name = node["$ref"].split("/")[-1]')
    assert not RAW_READING.search('response["content"] = {media_type: {}}')


def test_only_the_command_line_imports_a_command() -> None:
    # cli wires the sub-commands; _docs reads their options to write the docs' tables (it is no part).
    importers = {
        module
        for module in MODULES
        for imported in _imports(module)
        if imported.endswith(".command") or imported == "cli"
    }
    assert importers <= {"cli", "_docs"}, importers


def _module_level_calls(module: str) -> list[str]:
    """Calls a module makes when it is imported (decorators included), as source text."""
    tree = ast.parse(MODULES[module].read_text())
    found = []
    for node in tree.body:
        decorators = getattr(node, "decorator_list", [])
        found += [ast.unparse(decorator) for decorator in decorators]
        is_call = isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        if (
            is_call
            or isinstance(node, ast.For)
            or (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call))
        ):
            found.append(ast.unparse(node))
    return found


# The one module whose import is its purpose: SCHEMATHESIS_HOOKS loads it into any schemathesis run.
REGISTERS_AT_IMPORT = frozenset({"gate.st_checks"})


@pytest.mark.parametrize("module", sorted(set(MODULES) - REGISTERS_AT_IMPORT))
def test_no_module_registers_anything_when_imported(module: str) -> None:
    registering = [
        call
        for call in _module_level_calls(module)
        if re.search(r"\.(check|hook|register\w*)\b(?!ers)", call)
    ]
    assert not registering, f"{module} changes a registry when imported: {registering}"


def test_the_registration_rule_sees_a_decorator() -> None:
    assert any("schemathesis.check" in call for call in _module_level_calls("gate.st_checks"))
