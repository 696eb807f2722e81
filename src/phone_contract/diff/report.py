"""Render a diff as text for a terminal, JSON for tools, or Markdown for a pull-request comment."""

from __future__ import annotations

import json
from typing import Any

from phone_contract.diff.model import Bump, Change, DiffResult
from phone_contract.diff.rules import Effect
from phone_contract.diff.versions import VersionAdvice, advise

# Lets a CI job find and update its own earlier comment instead of adding one per push.
MARKDOWN_MARKER = "<!-- phone-contract-diff -->"
FORMATS = ("text", "json", "markdown")


def _advice(result: DiffResult) -> VersionAdvice:
    return advise(result.old.version, result.new.version, result.required_bump)


def version_sentence(result: DiffResult) -> str:
    advice = _advice(result)
    if advice.required is Bump.NONE:
        return "no info.version bump is needed (nothing changed)"
    target = f" (to {advice.suggested})" if advice.suggested else ""
    need = f"needs a {advice.required} bump of info.version{target}"
    if advice.satisfied:
        return f"{need}; NEW's info.version {result.new.version} already makes it"
    return f"{need}; NEW's info.version {result.new.version} does not make it yet"


def summary_sentence(result: DiffResult) -> str:
    total = len(result.changes)
    if not total:
        return "no changes to the contract"
    clients = sum(change.client is Effect.BREAKING for change in result.changes)
    servers = sum(change.server is Effect.BREAKING for change in result.changes)
    return f"{total} change(s): {clients} break clients, {servers} break servers"


def _side(effect: Effect) -> str:
    return effect.value.upper() if effect is Effect.BREAKING else effect.value


def render_text(result: DiffResult) -> str:
    lines = [f"{result.old.origin} ({result.old.version}) -> {result.new.origin} ({result.new.version})", ""]
    for change in result.changes:
        lines.append(
            f"clients: {_side(change.client):10}  servers: {_side(change.server):10}  {change.operation}"
        )
        lines.append(f"    at {change.where or change.part}")
        lines.append(f"    {change.rule.id}: {change.message}; {change.rule.why}")
    if result.changes:
        lines.append("")
    verdict = "BREAKS CLIENTS" if result.breaks_clients else "compatible for clients"
    lines.append(f"{verdict}: {summary_sentence(result)}.")
    lines.append(f"Version: {version_sentence(result)}.")
    lines += [f"warning: {warning}" for warning in result.warnings]
    return "\n".join(lines)


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "rule": change.rule.id,
        "client": change.client.value,
        "server": change.server.value,
        "operation": change.operation,
        "part": change.part,
        "status": change.status,
        "media_type": change.media_type,
        "path": change.path,
        "message": change.message,
        "why": change.rule.why,
    }


def render_json(result: DiffResult) -> str:
    advice = _advice(result)
    document = {
        "old": {"origin": result.old.origin, "version": result.old.version},
        "new": {"origin": result.new.origin, "version": result.new.version},
        "breaks_clients": result.breaks_clients,
        "breaks_servers": result.breaks_servers,
        "version": {
            "required_bump": str(advice.required),
            "suggested": advice.suggested,
            "new_version_bump": None if advice.made is None else str(advice.made),
            "satisfied": advice.satisfied,
        },
        "changes": [_change_json(change) for change in result.changes],
        "warnings": list(result.warnings),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: DiffResult) -> str:
    verdict = ":x: breaks clients" if result.breaks_clients else ":white_check_mark: compatible for clients"
    lines = [
        MARKDOWN_MARKER,
        f"### Spec diff: {verdict}",
        "",
        f"`{result.old.origin}` ({result.old.version}) → `{result.new.origin}` ({result.new.version}): "
        f"{summary_sentence(result)}.",
        "",
    ]
    if result.changes:
        lines += ["| Clients | Servers | Operation | Where | Change |", "|---|---|---|---|---|"]
        for change in result.changes:
            client = f"**{change.client.value}**" if change.client is Effect.BREAKING else change.client.value
            server = f"**{change.server.value}**" if change.server is Effect.BREAKING else change.server.value
            where = _cell(change.where or change.part)
            what = f"`{change.rule.id}`: {_cell(change.message)}; {_cell(change.rule.why)}"
            lines.append(f"| {client} | {server} | `{_cell(change.operation)}` | `{where}` | {what} |")
        lines.append("")
    lines.append(f"**Version:** {version_sentence(result)}.")
    lines += [f"\n> warning: {_cell(warning)}" for warning in result.warnings]
    return "\n".join(lines)


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
