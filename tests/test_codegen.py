"""Regenerate and check are a pair: same input, same bytes; any spec change fails the drift gate.

Each generation takes a few seconds, so the tests share what they can and edit copies of the spec,
never spec/ itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from phone_contract import codegen, load_spec
from phone_contract._client_contract import packaged_contract
from phone_contract.codegen import (
    CONTRACT_FILE,
    GENERATED,
    HASH_FILE,
    PROJECT_DIR,
    SPEC,
    Inputs,
    check,
    compare,
    generate,
)
from tests.operations import create_op

from .restatements import UNUSABLE, write_unusable

ROOT = Path(__file__).resolve().parents[1]
CHECK_SCRIPT = ROOT / "scripts" / "check-generated"
PACKAGE = f"{PROJECT_DIR}/freya_phone_numbers_client"
MODELS = f"{PACKAGE}/models"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generation from the real inputs, shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("fresh")
    generate(out)
    return out


def spec_copy(tmp_path: Path, edit: Callable[[str], str] = lambda text: text) -> Path:
    """A copy of the spec, edited as text (a YAML round trip would reformat the descriptions)."""
    # Same file name as the real one, so an unchanged copy hashes and reads the same.
    copy = tmp_path / SPEC.name
    copy.write_text(edit(SPEC.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def replace_once(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) == count, f"the spec no longer has {count} x {old!r}: update this test"
        return text.replace(old, new, 1)

    return edit


@pytest.mark.e2e
def test_generation_is_byte_identical_whatever_the_path(
    fresh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The generator runs with its own PATH, so the caller's (here: nothing usable) cannot matter.
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    again = tmp_path / "again"
    generate(again)
    assert compare(fresh, again) == []


@pytest.mark.e2e
def test_generated_is_exactly_what_regenerate_writes(fresh: Path) -> None:
    assert compare(fresh, GENERATED) == []
    assert (GENERATED / HASH_FILE).read_text(encoding="utf-8") == Inputs().digest_lines()


def test_compare_reports_missing_extra_and_changed_files(tmp_path: Path) -> None:
    expected, actual = tmp_path / "expected", tmp_path / "actual"
    for root in (expected, actual):
        (root / "pkg").mkdir(parents=True)
        (root / "pkg" / "same.py").write_text("x = 1\n")
    (expected / "pkg" / "changed.py").write_text("x = 1\n")
    (actual / "pkg" / "changed.py").write_text("x = 2\n")
    (expected / "pkg" / "missing.py").write_text("")
    (actual / "pkg" / "extra.py").write_text("")
    # Byproducts of installing and type-checking generated/ are not drift.
    for byproduct in (
        ".pdm-build/_editable.pth",
        "pkg/__pycache__/same.cpython-311.pyc",
        "x.egg-info/PKG-INFO",
    ):
        (actual / byproduct).parent.mkdir(parents=True)
        (actual / byproduct).write_text("")
    problems = compare(expected, actual)
    assert len(problems) == 3
    assert "-x = 2\n+x = 1" in problems[0]
    assert problems[1] == "not written by the generator, yet in generated/: pkg/extra.py"
    assert problems[2] == "missing from generated/: pkg/missing.py"


@pytest.mark.e2e
def test_an_unchanged_copy_of_the_spec_passes(tmp_path: Path) -> None:
    assert check(inputs=Inputs(spec=spec_copy(tmp_path))) == []


@pytest.mark.e2e
def test_a_changed_field_type_fails_in_the_generated_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # friendlyName appears in the request and in the stored phone number; change the request's
    # (to a type its example still keeps: a spec whose examples break it is refused, exit 2).
    nullable = "friendlyName:\n          type: [string, 'null']"
    edit = replace_once("friendlyName:\n          type: string", nullable, 3)
    changed = spec_copy(tmp_path, edit)
    assert codegen.main(["check", "--spec", str(changed)]) == 1
    out, err = capsys.readouterr()
    assert f"+++ regenerated/{MODELS}/create_phone_number_request.py" in out
    assert "+    friendly_name: None | str | Unset = UNSET" in out
    # scripts/regenerate reads spec/ only: the advice says to put the checked spec there first.
    assert (
        f"Fix: put {changed} in place of spec/phone-numbers.openapi.yaml, then run `scripts/regenerate`"
        in err
    )


@pytest.mark.smoke
@pytest.mark.e2e
def test_check_generated_script_passes_on_the_real_spec() -> None:
    result = subprocess.run(
        [CHECK_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "in step" in result.stdout


@pytest.mark.e2e
def test_check_generated_script_fails_on_a_max_length_change(tmp_path: Path) -> None:
    # maxLength changes no generated line: only the recorded hash of the spec catches it.
    spec = spec_copy(tmp_path, replace_once("maxLength: 20", "maxLength: 25", 2))
    result = subprocess.run(
        [CHECK_SCRIPT, "--spec", str(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"+++ regenerated/{HASH_FILE}" in result.stdout
    assert "regenerated/freya-phone-numbers-client" not in result.stdout
    assert "(1 file(s) differ)" in result.stderr
    fix = f"Fix: put {spec} in place of spec/phone-numbers.openapi.yaml, then run `scripts/regenerate`"
    assert fix in result.stderr


@pytest.mark.e2e
def test_strict_mode_files_are_part_of_the_drift_gate(fresh: Path, tmp_path: Path) -> None:
    # strict.py and contract.json come from the templates and the spec model: drift in either fails.
    copy = tmp_path / "generated"
    shutil.copytree(fresh, copy)
    package = copy / PACKAGE
    (package / "strict.py").unlink()
    contract = json.loads((package / CONTRACT_FILE).read_text(encoding="utf-8"))
    contract["operations"][1]["responses"].pop("409")
    (package / CONTRACT_FILE).write_text(json.dumps(contract, indent=2) + "\n", encoding="utf-8")
    (package / "strict_extra.py").write_text("")
    problems = compare(fresh, copy)
    assert len(problems) == 3
    assert f"+++ regenerated/{PACKAGE}/{CONTRACT_FILE}" in problems[0]
    assert '+        "409": {' in problems[0]
    assert problems[1] == f"missing from generated/: {PACKAGE}/strict.py"
    assert problems[2] == f"not written by the generator, yet in generated/: {PACKAGE}/strict_extra.py"


@pytest.mark.e2e
def test_the_packaged_contract_is_the_spec_models(fresh: Path) -> None:
    packaged = json.loads((fresh / PACKAGE / CONTRACT_FILE).read_text(encoding="utf-8"))
    module_of = codegen._GeneratorConfig.read(codegen.CONFIG).module_of
    assert packaged == json.loads(json.dumps(packaged_contract(load_spec(), module_of)))
    by_id = {operation["operationId"]: operation for operation in packaged["operations"]}
    assert set(by_id["createPhoneNumber"]["responses"]) == set(create_op().documented_statuses)
    assert set(by_id) == {operation.operation_id for operation in load_spec().operations}


def test_every_operation_names_its_generated_module(fresh: Path) -> None:
    # The generator's own naming: each module the contract names is there, and calls its operation.
    packaged = json.loads((fresh / PACKAGE / CONTRACT_FILE).read_text(encoding="utf-8"))
    for operation in packaged["operations"]:
        module = fresh / PACKAGE / (operation["module"].replace(".", "/") + ".py")
        text = module.read_text(encoding="utf-8")
        assert f'"method": "{operation["method"].lower()}"' in text, module
        assert f'"url": "{operation["path"]}"' in text, module


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_spec_is_one_line_and_exit_2(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, words = write_unusable(name, tmp_path)
    assert codegen.main(["check", "--spec", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert words in err


# A request field's maxLength lowered: values clients send today are refused, a major change.
BREAKING = replace_once("maxLength: 20", "maxLength: 15", 2)
# The version of the spec at HEAD (the base the check compares with), and the next major one.
VERSION = load_spec().version
MAJOR = f"{int(VERSION.split('.')[0]) + 1}.0.0"


def test_a_breaking_change_without_a_major_bump_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = spec_copy(tmp_path, BREAKING)
    assert codegen.main(["check", "--spec", str(changed), "--base", "HEAD"]) == 1
    err = capsys.readouterr().err
    assert (
        "error: the spec's changes since HEAD call for a major bump of info.version:"
        f" {VERSION} does not make it; raise it to at least {MAJOR}\n"
    ) in err


def test_a_major_bump_satisfies_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bumped = spec_copy(
        tmp_path, lambda text: replace_once(f"  version: {VERSION}", f"  version: {MAJOR}")(BREAKING(text))
    )
    # generated/ is behind the changed spec (exit 1), but info.version moved as far as the change asks.
    assert codegen.main(["check", "--spec", str(bumped)]) == 1
    err = capsys.readouterr().err
    assert "bump of info.version" not in err
    assert "generated/ is out of step with the spec" in err


def test_info_version_may_not_go_backwards(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    older = spec_copy(tmp_path, replace_once(f"  version: {VERSION}", "  version: 0.9.0"))
    assert codegen.main(["check", "--spec", str(older)]) == 1
    assert (
        f"error: info.version 0.9.0 is not MAJOR.MINOR.PATCH at or above HEAD's {VERSION}\n"
        in capsys.readouterr().err
    )


def test_a_base_that_does_not_exist_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert codegen.main(["check", "--base", "no-such-revision"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: git:no-such-revision:spec/phone-numbers.openapi.yaml: ")
    assert len(err.splitlines()) == 1


def test_without_git_history_the_bump_check_is_skipped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = spec_copy(tmp_path)
    assert codegen.default_base(tmp_path, copy) is None  # tmp_path is no git checkout
    monkeypatch.setattr(codegen, "default_base", lambda: None)
    assert codegen.main(["check"]) == 0
    out, err = capsys.readouterr()
    assert out == "generated/ is in step with the spec\n"
    assert (
        err == "note: info.version's bump not checked: no git revision has the spec (not a git checkout?)\n"
    )


def test_without_the_codegen_extra_it_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(codegen.GENERATION_TOOLS, "no_such_generator", "no-such-generator")
    assert codegen.main(["check"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "error: no-such-generator not installed: code generation needs the codegen extra"
        " (pip install 'phone-contract[codegen]')\n"
    )
