"""Regenerate the attrs client from the spec, and prove that ``generated/`` is in step with it.

Both directions run the same generator with the same inputs, so ``check`` can regenerate into a
temporary folder and compare every file: missing, extra and changed ones all fail.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "phone-numbers.openapi.yaml"
CONFIG = ROOT / "spec" / "openapi-python-client.yaml"
GENERATED = ROOT / "generated"
PROJECT_DIR = "freya-phone-numbers-client"
HASH_FILE = "inputs.sha256"
FIX_COMMAND = "scripts/regenerate"


class GenerationError(Exception):
    """The generator failed or warned; the message carries its output."""


@dataclass(frozen=True)
class Inputs:
    """What generation reads. Their hashes are recorded beside the output."""

    spec: Path = SPEC
    config: Path = CONFIG

    def digest_lines(self) -> str:
        # The spec is hashed as well as compared through its output: a change such as a new
        # maxLength leaves the generated code identical but still changes the contract.
        lines = [
            f"{_sha256(self.spec)}  spec/{self.spec.name}",
            f"{_sha256(self.config)}  spec/{self.config.name}",
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
    """Write the generated project and its input hashes into ``out_root``; return the project dir."""
    out_root.mkdir(parents=True, exist_ok=True)
    project = out_root / PROJECT_DIR
    command = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(inputs.spec),
        "--config",
        str(inputs.config),
        "--meta",
        "pdm",
        "--output-path",
        str(project),
        "--overwrite",
        "--fail-on-warning",
    ]
    result = subprocess.run(
        command, cwd=out_root, env=_generator_env(), capture_output=True, text=True, check=False
    )
    output = (result.stdout + result.stderr).strip()
    # --fail-on-warning covers the parser; the post-hooks' own complaints must not pass either.
    if result.returncode != 0 or "warning" in output.lower() or "error" in output.lower():
        raise GenerationError(output or f"openapi-python-client exited {result.returncode}")
    (out_root / HASH_FILE).write_text(inputs.digest_lines(), encoding="utf-8")
    return project


# Left in generated/ by installing or checking it, never written by the generator: an editable
# install of the client (scripts/_bootstrap.sh, tox) leaves .pdm-build/ behind, for one.
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


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m phone_contract.codegen", description=__doc__)
    parser.add_argument("command", choices=["regenerate", "check"])
    # Only for check: lets a test prove the gate fails on a changed spec without touching spec/.
    parser.add_argument("--spec", type=Path, default=SPEC, help="check against this spec instead of spec/")
    args = parser.parse_args(argv)
    if args.command == "regenerate" and args.spec != SPEC:
        parser.error("regenerate always reads spec/; --spec is for check")
    return args


def main(argv: list[str] | None = None) -> int:
    """``python -m phone_contract.codegen {regenerate,check} [--spec PATH]``: what scripts/ call."""
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "regenerate":
            regenerate()
            print(f"regenerated {GENERATED.relative_to(ROOT)}/ from spec/{SPEC.name}")
            return 0
        problems = check(inputs=Inputs(spec=args.spec.resolve()))
    except GenerationError as exc:
        print(f"error: generation failed:\n{exc}", file=sys.stderr)
        return 2
    if problems:
        print("\n".join(problems))
        print(
            f"\ngenerated/ is out of step with the spec ({len(problems)} file(s) differ)."
            f"\nFix: run `{FIX_COMMAND}` and commit the result.",
            file=sys.stderr,
        )
        return 1
    print("generated/ is in step with the spec")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
