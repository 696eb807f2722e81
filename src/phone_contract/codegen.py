"""Regenerate the attrs client from the spec, and prove that ``generated/`` is in step with it.

Both directions run the same generator with the same inputs, so ``check`` can regenerate into a
temporary folder and compare every file: missing, extra and changed ones all fail.

One generation step writes the whole package: openapi-python-client (pinned, with its config and the
custom templates in ``spec/client-templates/``) writes the client; then the strict module, which the
generator has no template slot for, is rendered from the same folder, and the create operation's
response schemas are written beside it from the spec model (``contract.json``); the generator's
post-hooks (the pinned ruff) format what was added, as they formatted the rest.

``check`` also holds ``info.version`` to the change: the spec compared with a base revision (the
last commit by default), it fails when the version did not move by the bump ``phone-contract diff``
says is due. The generated client's version is ``info.version``.

The generator, jinja2 and ruff are the ``codegen`` extra: ``pip install 'phone-contract[codegen]'``.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import yaml

from phone_contract._client_contract import packaged_contract
from phone_contract._exit import UsageError
from phone_contract._spec import Operation, Spec, SpecError, load_spec
from phone_contract.diff import Bump, diff_specs, load
from phone_contract.diff.versions import advise

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "phone-numbers.openapi.yaml"
CONFIG = ROOT / "spec" / "openapi-python-client.yaml"
TEMPLATES = ROOT / "spec" / "client-templates"
GENERATED = ROOT / "generated"
PROJECT_DIR = "freya-phone-numbers-client"
HASH_FILE = "inputs.sha256"
FIX_COMMAND = "scripts/regenerate"
# Rendered into the package after the generator ran: template -> module, and the data file it reads.
EXTRA_MODULES = {"strict.py.jinja": "strict.py"}
CONTRACT_FILE = "contract.json"
# What generation runs beyond the toolkit, module -> distribution: the `codegen` extra.
GENERATION_TOOLS = {"openapi_python_client": "openapi-python-client", "jinja2": "jinja2", "ruff": "ruff"}


class GenerationError(Exception):
    """The generator failed or warned; the message carries its output."""


@dataclass(frozen=True)
class Inputs:
    """What generation reads. Their hashes are recorded beside the output."""

    spec: Path = SPEC
    config: Path = CONFIG
    templates: Path = TEMPLATES

    def digest_lines(self) -> str:
        # The spec is hashed as well as compared through its output: a change such as a new
        # maxLength leaves the generated code identical but still changes the contract.
        spec = load_spec(self.spec)
        lines = [
            f"{_sha256(self.spec)}  spec/{self.spec.name}",
            # A spec that reads sibling files changes with them: hash the whole of it, resolved.
            *(
                [f"{hashlib.sha256(spec.serialized()[0]).hexdigest()}  spec/{self.spec.name}, resolved"]
                if spec.external
                else []
            ),
            f"{_sha256(self.config)}  spec/{self.config.name}",
            *(
                f"{_sha256(path)}  spec/{self.templates.name}/{path.name}"
                for path in sorted(self.templates.glob("*.jinja"))
            ),
            f"openapi-python-client=={version('openapi-python-client')}",
            f"ruff=={version('ruff')}",
        ]
        return "\n".join(lines) + "\n"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _generator_env() -> dict[str, str]:
    # Independent of the caller's PATH: the post-hooks' "python" is this interpreter's.
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": os.pathsep.join([bin_dir, "/usr/bin", "/bin"]),
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "COLUMNS": "200",
    }


def generate(out_root: Path, inputs: Inputs = Inputs()) -> Path:
    """Write the generated project and its input hashes into ``out_root``; return the project dir.

    SpecError (before the generator runs) when the spec documents no operation.
    """
    spec = load_spec(inputs.spec)
    operations = spec.require_operations()
    out_root.mkdir(parents=True, exist_ok=True)
    project = out_root / PROJECT_DIR
    with tempfile.TemporaryDirectory(prefix="phone-contract-spec-") as tmp:
        _run_generator(_generator_spec(spec, inputs.spec, Path(tmp)), inputs, project)
    config = _GeneratorConfig.read(inputs.config)
    package = project / config.package_name
    module_of = config.module_of
    example_package, _, example_module = module_of(operations[0]).rpartition(".")
    context = {
        "package_name": config.package_name,
        "data_file": CONTRACT_FILE,
        "label": ", ".join(operation.label for operation in operations),
        "base_url": spec.server_urls[0],
        "example_package": example_package,
        "example_module": example_module,
    }
    _render_extra_modules(package, inputs.templates, context)
    contract = json.dumps(packaged_contract(spec, module_of), indent=2, ensure_ascii=False)
    (package / CONTRACT_FILE).write_text(contract + "\n", encoding="utf-8")
    config.run_post_hooks(project)
    (out_root / HASH_FILE).write_text(inputs.digest_lines(), encoding="utf-8")
    return project


def _generator_spec(spec: Spec, path: Path, scratch: Path) -> Path:
    """The file the generator reads: the spec as written, unless it reads sibling files.

    openapi-python-client 0.29 refuses remote references ("not supported yet"); such a spec is given
    to it as the spec model's contract (refs resolved), which names some models after where they sit.
    """
    if not spec.external:
        return path
    text, _ = spec.serialized()
    resolved = scratch / f"{path.stem}.yaml"
    resolved.write_bytes(text)
    return resolved


def _run_generator(spec_path: Path, inputs: Inputs, project: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(spec_path),
        "--config",
        str(inputs.config),
        "--custom-template-path",
        str(inputs.templates),
        "--meta",
        "pdm",
        "--output-path",
        str(project),
        "--overwrite",
        "--fail-on-warning",
    ]
    result = subprocess.run(
        command, cwd=project.parent, env=_generator_env(), capture_output=True, text=True, check=False
    )
    output = (result.stdout + result.stderr).strip()
    # --fail-on-warning covers the parser; the post-hooks' own complaints must not pass either.
    if result.returncode != 0 or "warning" in output.lower() or "error" in output.lower():
        raise GenerationError(output or f"openapi-python-client exited {result.returncode}")


@dataclass(frozen=True)
class _GeneratorConfig:
    """What generation itself needs of the generator's config: the package's name, the post-hooks."""

    package_name: str
    post_hooks: tuple[str, ...]
    field_prefix: str = "field_"

    @classmethod
    def read(cls, path: Path) -> _GeneratorConfig:
        document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        name = document.get("package_name_override")
        if not isinstance(name, str):
            raise GenerationError(f"{path}: package_name_override must name the package")
        hooks = tuple(str(hook) for hook in document.get("post_hooks") or ())
        return cls(name, hooks, str(document.get("field_prefix", "field_")))

    def module_of(self, operation: Operation) -> str:
        """The generated module of ``operation``, in the package (``api.phone_numbers.create_phone_number``),
        named by the generator's own rules: the first tag (else "default"), then the operationId."""
        # The generator's naming, not a copy of it: tests import every module named this way.
        from openapi_python_client.parser.openapi import generate_operation_id  # noqa: PLC0415
        from openapi_python_client.schema.untrusted_string import UntrustedString  # noqa: PLC0415
        from openapi_python_client.strings import PythonIdentifier  # noqa: PLC0415

        tags = operation.node.get("tags") or ["default"]
        tag = PythonIdentifier(str(tags[0]), prefix="tag")
        if operation.operation_id is not None:
            name = PythonIdentifier(operation.operation_id, prefix=self.field_prefix)
        else:
            path = UntrustedString(operation.path)
            name = generate_operation_id(path=path, method=operation.method, prefix=self.field_prefix)
        return f"api.{tag}.{PythonIdentifier(name, self.field_prefix)}"

    def run_post_hooks(self, project: Path) -> None:
        # The generator ran them before the extra modules existed; again, the output is idempotent.
        for hook in self.post_hooks:
            result = subprocess.run(
                shlex.split(hook),
                cwd=project,
                env=_generator_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                output = (result.stdout + result.stderr).strip()
                raise GenerationError(f"post-hook {hook!r} failed:\n{output}")


def _render_extra_modules(package: Path, templates: Path, context: dict[str, str]) -> None:
    import jinja2  # noqa: PLC0415 - the codegen extra; main() names it when it is missing

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - renders Python source, never HTML
    )
    for template, module in EXTRA_MODULES.items():
        text = environment.get_template(template).render(context)
        (package / module).write_text(text, encoding="utf-8")


# Left in generated/ by installing or checking it, never written by the generator: an editable
# install of the client project leaves .pdm-build/ behind, for one.
_BYPRODUCT_DIRS = frozenset({"__pycache__", ".pdm-build", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


def _is_byproduct(relative: Path) -> bool:
    return (
        any(part in _BYPRODUCT_DIRS or part.endswith(".egg-info") for part in relative.parts)
        or relative.suffix == ".pyc"
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not _is_byproduct(path.relative_to(root))
    }


def compare(expected_root: Path, actual_root: Path) -> list[str]:
    """Unified diffs (and missing/extra notes) between two generated trees; empty when equal."""
    expected, actual = _tree(expected_root), _tree(actual_root)
    problems: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        want, have = expected.get(name), actual.get(name)
        if want == have:
            continue
        if have is None:
            problems.append(f"missing from generated/: {name}")
        elif want is None:
            problems.append(f"not written by the generator, yet in generated/: {name}")
        else:
            diff = difflib.unified_diff(
                have.decode("utf-8", "replace").splitlines(keepends=True),
                want.decode("utf-8", "replace").splitlines(keepends=True),
                fromfile=f"generated/{name}",
                tofile=f"regenerated/{name}",
            )
            problems.append("".join(diff).rstrip("\n"))
    return problems


def regenerate(target: Path = GENERATED, inputs: Inputs = Inputs()) -> None:
    """Replace ``target`` with freshly generated code (via a temporary folder: no half-written state)."""
    with tempfile.TemporaryDirectory(prefix="phone-contract-regen-") as tmp:
        fresh = Path(tmp) / "generated"
        generate(fresh, inputs)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(fresh, target)


def check(target: Path = GENERATED, inputs: Inputs = Inputs()) -> list[str]:
    """Differences between ``target`` and what :func:`regenerate` would write; empty when in step."""
    with tempfile.TemporaryDirectory(prefix="phone-contract-check-") as tmp:
        fresh = Path(tmp) / "generated"
        generate(fresh, inputs)
        return compare(fresh, target)


def missing_tools() -> list[str]:
    """The distributions of the codegen extra that are not installed."""
    return [dist for module, dist in GENERATION_TOOLS.items() if find_spec(module) is None]


def default_base(root: Path = ROOT, spec: Path = SPEC) -> str | None:
    """``HEAD`` when ``root`` is a git checkout whose last commit has the spec; None otherwise."""
    git = shutil.which("git")
    if git is None:
        return None
    found = subprocess.run(
        [git, "-C", str(root), "cat-file", "-e", f"HEAD:./{spec.relative_to(root).as_posix()}"],
        capture_output=True,
        check=False,
    )
    return "HEAD" if found.returncode == 0 else None


def bump_problem(spec: Path, base: str) -> str | None:
    """One line when ``spec``'s info.version did not move by the bump its changes since ``base`` call
    for, as ``phone-contract diff`` judges them; None when it did.

    UsageError or SpecError (one line) when the spec at ``base`` cannot be read.
    """
    # git:REV:path is read from the repository of the working directory: this checkout's.
    with contextlib.chdir(ROOT):
        old = load(f"git:{base}:{SPEC.relative_to(ROOT).as_posix()}")
        new = load(str(spec))
    result = diff_specs(old, new)
    advice = advise(old.version, new.version, result.required_bump)
    if advice.satisfied:
        return None
    if advice.required is Bump.NONE:
        return f"info.version {new.version} is not MAJOR.MINOR.PATCH at or above {base}'s {old.version}"
    due = f"the spec's changes since {base} call for a {advice.required} bump of info.version"
    if advice.suggested is None:
        return f"{due}, and {base}'s info.version {old.version!r} is not MAJOR.MINOR.PATCH: make it one"
    return f"{due}: {new.version} does not make it; raise it to at least {advice.suggested}"


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m phone_contract.codegen", description=__doc__)
    parser.add_argument("command", choices=["regenerate", "check"])
    # Only for check: lets a test prove the gate fails on a changed spec without touching spec/.
    parser.add_argument("--spec", type=Path, default=SPEC, help="check against this spec instead of spec/")
    parser.add_argument(
        "--base",
        metavar="REV",
        help="for check: the git revision whose spec info.version is compared with "
        "(default: HEAD, when this is a git checkout with the spec committed)",
    )
    args = parser.parse_args(argv)
    if args.command == "regenerate" and (args.spec != SPEC or args.base is not None):
        parser.error("regenerate always reads spec/; --spec and --base are for check")
    return args


def main(argv: list[str] | None = None) -> int:
    """``python -m phone_contract.codegen {regenerate,check} [--spec PATH] [--base REV]``."""
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    missing = missing_tools()
    if missing:
        print(
            f"error: {', '.join(missing)} not installed: code generation needs the codegen extra"
            " (pip install 'phone-contract[codegen]')",
            file=sys.stderr,
        )
        return 2
    spec = args.spec.resolve()
    try:
        if args.command == "regenerate":
            regenerate()
            print(f"regenerated {GENERATED.relative_to(ROOT)}/ from spec/{SPEC.name}")
            return 0
        problems = check(inputs=Inputs(spec=spec))
        base = args.base or default_base()
        bump = bump_problem(spec, base) if base else None
    except GenerationError as exc:
        print(f"error: generation failed:\n{exc}", file=sys.stderr)
        return 2
    except (SpecError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if base is None:
        print(
            "note: info.version's bump not checked: no git revision has the spec (not a git checkout?)",
            file=sys.stderr,
        )
    if bump:
        print(f"error: {bump}", file=sys.stderr)
    if problems:
        print("\n".join(problems))
        fix = f"run `{FIX_COMMAND}` and commit the result."
        if args.spec.resolve() != SPEC.resolve():
            # scripts/regenerate reads spec/ only: the spec checked here has to be there first.
            fix = f"put {args.spec} in place of spec/{SPEC.name}, then {fix}"
        print(
            f"\ngenerated/ is out of step with the spec ({len(problems)} file(s) differ).\nFix: {fix}",
            file=sys.stderr,
        )
        return 1
    print("generated/ is in step with the spec")
    return 1 if bump else 0


if __name__ == "__main__":
    raise SystemExit(main())
