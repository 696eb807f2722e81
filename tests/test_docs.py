"""The docs stay true: generated tables in step with the code, every relative link pointing somewhere."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

from phone_contract import _docs
from phone_contract._exit import UsageError
from phone_contract.mock.faults import FAULTS

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "ARCHITECTURE.md", *ROOT.glob("docs/*.md")]
)


def test_generated_tables_are_in_step_with_the_code() -> None:
    stale = [str(page.relative_to(ROOT)) for page in _docs.stale()]
    assert not stale, f"out of step with the code: {', '.join(stale)}; run {_docs.FIX} to fix"


def test_the_gate_page_has_its_options_table() -> None:
    page = (ROOT / "docs" / "gate.md").read_text()
    assert "<!-- options:gate -->" in page
    assert "| `--base-url URL` |" in page


def test_a_region_is_filled_from_the_parser_and_the_rest_is_kept() -> None:
    parsers = _docs.sub_parsers()
    text = (
        "before\n<!-- options:mock -->\nstale\n<!-- /options -->\n"
        "between\n<!-- faults -->\n<!-- /faults -->\n"
    )
    filled = _docs.render(text, parsers)
    assert filled.startswith("before\n<!-- options:mock -->\n\n| option | default | what it does |")
    assert "| `--port PORT` | `8000` | port to listen on (0: a free one) |" in filled
    assert "stale" not in filled
    assert "\nbetween\n" in filled
    assert all(f"| `{name}` |" in filled for name in FAULTS)
    assert _docs.render(filled, parsers) == filled


def test_a_stale_page_is_found(tmp_path: Path) -> None:
    (tmp_path / "fresh.md").write_text(_docs.render("<!-- faults -->\n<!-- /faults -->\n", {}))
    (tmp_path / "stale.md").write_text("<!-- faults -->\n| `wrong-status` | old words |\n<!-- /faults -->\n")
    assert _docs.stale(tmp_path) == [tmp_path / "stale.md"]


def test_a_region_naming_no_command_is_refused() -> None:
    with pytest.raises(UsageError, match=r"options:nosuch --> names no sub-command"):
        _docs.render("<!-- options:nosuch -->\n<!-- /options -->\n", _docs.sub_parsers())


@pytest.mark.e2e
def test_scripts_docs_check_passes_on_the_repository() -> None:
    result = subprocess.run(
        [str(ROOT / "scripts" / "docs"), "--check"], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_relative_links_point_to_existing_files(page: Path) -> None:
    broken = []
    for target in _links(page.read_text()):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("mailto:"):
            continue  # not ours to check offline
        linked = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not linked.exists():
            broken.append(f"{target} (no file {linked.relative_to(ROOT)})")
        elif parts.fragment and linked.suffix == ".md" and parts.fragment not in _anchors(linked.read_text()):
            broken.append(f"{target} (no heading #{parts.fragment} in {linked.relative_to(ROOT)})")
    assert not broken, f"{page.relative_to(ROOT)} links to nothing: {'; '.join(broken)}"


def test_readme_stays_short() -> None:
    # README is for a newcomer; the reference belongs in docs/.
    assert len((ROOT / "README.md").read_bytes()) < 8 * 1024


def _links(markdown: str) -> list[str]:
    """Every link and image target, as a Markdown renderer sees them (code blocks and comments hold none)."""
    found = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrGet("href")))
            elif child.type == "image":
                found.append(str(child.attrGet("src")))
    return found


def _anchors(markdown: str) -> set[str]:
    """The fragment ids GitHub gives the headings: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open":
            anchors.add(re.sub(r"[^\w\- ]", "", inline.content.lower()).replace(" ", "-"))
    return anchors
