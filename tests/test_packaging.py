"""What the wheels carry, and that ``pip install`` of the toolkit's wheel alone gives a working toolkit.

The end-to-end half is what a ``pip install git+URL`` or pipx user gets: one fresh virtual
environment per module, holding the toolkit's wheel and the dependencies it declares (from the
package index, at the lock file's versions so the run repeats) and nothing else; every command runs
there from a folder outside the checkout, so nothing of the checkout can be imported.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

import httpx
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from phone_contract.mock import DEFAULT_TOKEN

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
CLIENT = "freya_phone_numbers_client"
# Generous: installing from the index and the first run of each command take a while on 2 busy CPUs.
SETUP_TIMEOUT = 600
RUN_TIMEOUT = 240


def build_wheel(project: Path, out: Path) -> Path:
    """Build ``project``'s wheel the way ``pip install`` would; the wheel's path."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "--wheel-dir",
        str(out),
        str(project),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("*.whl")
    return wheel


def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        [name] = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        metadata = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


@pytest.fixture(scope="module")
def toolkit_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(ROOT, tmp_path_factory.mktemp("toolkit-wheel"))


def test_the_generated_client_builds_a_typed_wheel(tmp_path: Path) -> None:
    files = wheel_files(build_wheel(ROOT / "generated" / "freya-phone-numbers-client", tmp_path))
    assert f"{CLIENT}/py.typed" in files
    assert f"{CLIENT}/api/phone_numbers/create_phone_number.py" in files
    assert f"{CLIENT}/models/create_phone_number_request.py" in files
    # Strict mode: the module and the response schemas it reads as package data.
    assert {f"{CLIENT}/strict.py", f"{CLIENT}/contract.json"} <= files


def test_the_toolkit_wheel_carries_the_spec_and_the_generated_client(toolkit_wheel: Path) -> None:
    # Installed, phone_contract._spec finds the spec here (pyproject's force-include puts it there).
    files = wheel_files(toolkit_wheel)
    assert "phone_contract/_data/phone-numbers.openapi.yaml" in files
    assert {
        "phone_contract/py.typed",
        "phone_contract/responses.py",
        "phone_contract/strict_client.py",
    } <= files
    # The generated client, file for file, as the top-level package its users import.
    client = ROOT / "generated" / "freya-phone-numbers-client" / CLIENT
    generated = {
        f"{CLIENT}/{path.relative_to(client).as_posix()}"
        for path in client.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert f"{CLIENT}/strict.py" in generated
    assert generated == {name for name in files if name.startswith(f"{CLIENT}/")}


def test_speed_ups_and_generation_tools_are_extras_not_runtime(toolkit_wheel: Path) -> None:
    requirements = wheel_requirements(toolkit_wheel)
    runtime = {req.name.lower() for req in requirements if req.marker is None}
    extras: dict[str, set[str]] = {}
    for req in requirements:
        if req.marker is not None and "extra" in str(req.marker):
            extras.setdefault(req.name.lower(), set()).add(str(req.marker))
    assert {"schemathesis", "hypothesis", "uvicorn", "attrs", "httpx", "jsonschema", "pytest"} <= runtime
    assert not {"httptools", "uvloop", "openapi-python-client", "jinja2", "ruff"} & runtime
    # dev includes both extras (hatchling writes their requirements out under dev too).
    assert extras["httptools"] == {'extra == "fast"', 'extra == "dev"'}
    assert extras["openapi-python-client"] == {'extra == "codegen"', 'extra == "dev"'}


def locked_versions() -> dict[str, str]:
    """Name -> exact version of every line of the lock (markers aside: the lock is for every platform)."""
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    pins = [
        Requirement(line) for line in lines if line and not line[0].isspace() and not line.startswith("#")
    ]
    return {canonicalize_name(pin.name): str(pin.specifier).removeprefix("==") for pin in pins}


def test_the_lock_satisfies_every_requirement_of_pyproject() -> None:
    # A range raised in pyproject.toml without `scripts/lock` after it fails here, before any install.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras: dict[str, list[str]] = project["optional-dependencies"]
    lines = [*project["dependencies"], *(line for extra in extras.values() for line in extra)]
    requirements = [Requirement(line) for line in lines]
    locked = locked_versions()
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        if name == canonicalize_name(project["name"]):
            continue  # dev's own extras, each checked on its own
        assert name in locked, f"{requirement} is not in {LOCK.name}: run scripts/lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{LOCK.name} has {name}=={locked[name]}, outside {requirement}: run scripts/lock"
        )
    assert {"schemathesis", "hypothesis", "httptools", "uvloop", "openapi-python-client"} <= set(locked)


@dataclass(frozen=True)
class Installed:
    """A fresh virtual environment holding the toolkit's wheel, and a folder outside the checkout."""

    bin: Path
    cwd: Path

    @property
    def env(self) -> dict[str, str]:
        # Nothing of the caller's Python (or of the gate's live settings) reaches the commands.
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "FREYA_", "PIP_", "VIRTUAL_ENV"))
        }
        return env | {"PATH": os.pathsep.join([str(self.bin), "/usr/bin", "/bin"])}

    def run(self, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / command[0]), *command[1:]],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )


@pytest.fixture(scope="module")
def installed(toolkit_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    venv = tmp_path_factory.mktemp("toolkit-only") / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=SETUP_TIMEOUT)
    # Only the wheel; its dependencies come from the package index, at the lock's versions.
    install = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--quiet",
        "--constraint",
        str(LOCK),
        str(toolkit_wheel),
    ]
    result = subprocess.run(install, capture_output=True, text=True, timeout=SETUP_TIMEOUT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return Installed(venv / "bin", tmp_path_factory.mktemp("elsewhere"))


@pytest.mark.e2e
@pytest.mark.timeout(SETUP_TIMEOUT + RUN_TIMEOUT)
def test_the_installed_toolkit_is_whole(installed: Installed) -> None:
    assert installed.run("phone-contract", "--version").stdout.startswith("phone-contract ")
    assert installed.run("python", "-m", "pip", "check").returncode == 0
    # Everything is imported from the venv (none from the checkout), the client from the toolkit's wheel.
    where = installed.run(
        "python",
        "-c",
        "import importlib.metadata as m, json, phone_contract, freya_phone_numbers_client.strict as s;"
        "print(json.dumps([phone_contract.__file__, s.__file__, m.packages_distributions()[s.__package__],"
        " sorted(d.metadata['Name'].lower() for d in m.distributions())]))",
    )
    assert where.returncode == 0, where.stderr
    toolkit, client, owners, distributions = json.loads(where.stdout)
    venv = installed.bin.parent
    assert Path(toolkit).is_relative_to(venv)
    assert Path(client).is_relative_to(venv)
    assert owners == ["phone-contract"]
    # Speed-ups and generation tools stay out unless their extra is asked for.
    assert not {"httptools", "uvloop", "openapi-python-client", "ruff", "freya-phone-numbers-client"} & set(
        distributions
    )


@pytest.mark.e2e
@pytest.mark.timeout(SETUP_TIMEOUT + RUN_TIMEOUT)
def test_the_installed_gate_passes_and_learn_reads_its_recording(installed: Installed) -> None:
    gate = installed.run("phone-contract", "gate", "--max-examples", "3", "--har", "gate.har")
    assert gate.returncode == 0, gate.stdout[-3000:] + gate.stderr
    assert "result: no check failed" in gate.stdout
    learn = installed.run("phone-contract", "learn", "gate.har")
    # The embedded mock keeps the contract: nothing to learn from what it answered.
    assert learn.returncode == 0, learn.stdout + learn.stderr
    assert "already covers the evidence: no change" in learn.stdout


@pytest.mark.e2e
@pytest.mark.timeout(SETUP_TIMEOUT + RUN_TIMEOUT)
def test_the_installed_diff_reads_the_packaged_spec(installed: Installed) -> None:
    found = installed.run("python", "-c", "import phone_contract._spec as s; print(s.load_spec().origin)")
    assert found.returncode == 0, found.stderr
    spec = found.stdout.strip()
    assert spec.endswith("phone_contract/_data/phone-numbers.openapi.yaml")
    diff = installed.run("phone-contract", "diff", spec, spec)
    assert diff.returncode == 0, diff.stdout + diff.stderr
    assert "no changes to the contract" in diff.stdout


@pytest.mark.e2e
@pytest.mark.timeout(SETUP_TIMEOUT + RUN_TIMEOUT)
def test_code_generation_without_its_extra_is_one_line_and_exit_2(installed: Installed) -> None:
    result = installed.run("python", "-m", "phone_contract.codegen", "check")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        "code generation needs the codegen extra (pip install 'phone-contract[codegen]')\n"
    )
    assert len(result.stderr.splitlines()) == 1


@contextmanager
def served(installed: Installed, *args: str, banner: str, stopped: int) -> Iterator[str]:
    """``phone-contract ARGS`` from the venv until the block ends, then Ctrl-C; its base URL.

    ``stopped``: the exit status Ctrl-C ends it with.
    """
    process = subprocess.Popen(
        [str(installed.bin / "phone-contract"), *args, "--host", "127.0.0.1", "--port", "0"],
        cwd=installed.cwd,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # printed once the socket listens
    match = re.search(banner, first)
    try:
        assert match, f"no start line from {args}: {first!r}"
        yield match[1]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == stopped, stderr
    assert "Traceback" not in stderr


@pytest.mark.e2e
@pytest.mark.timeout(SETUP_TIMEOUT + RUN_TIMEOUT)
def test_the_installed_mock_and_proxy_serve(installed: Installed) -> None:
    body = {
        "number": "+14155550177",
        "workspaceId": "550e8400-e29b-41d4-a716-446655440000",
        "userId": "550e8400-e29b-41d4-a716-446655440001",
    }
    auth = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    mock_banner = r"serving (http://127\.0\.0\.1:\d+/api/v2) "
    proxy_banner = r"phone-contract proxy: (http://127\.0\.0\.1:\d+) -> "
    with (
        # The mock ends as any interrupted command (130); the proxy with its verdict (0: no violation).
        served(installed, "mock", "--no-access-log", banner=mock_banner, stopped=130) as api,
        served(installed, "proxy", "--upstream", api, banner=proxy_banner, stopped=0) as proxied,
        httpx.Client(timeout=30) as http,
    ):
        assert http.post(f"{api}/phone-numbers", json=body, headers=auth).status_code == 201
        # Through the proxy to the same mock: the number exists now.
        through = http.post(f"{proxied}/phone-numbers", json=body, headers=auth)
        assert through.status_code == 409, through.text
