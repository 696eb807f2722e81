"""The evidence: recorded exchanges, each with where it came from, read as JSON where it is JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phone_contract._exit import UsageError
from phone_contract._http import header, media_type
from phone_contract._redact import Redactor
from phone_contract._secrets import REDACTED, is_credential_header
from phone_contract._spec import JSON
from phone_contract.coverage import NOT_JSON, parse_json
from phone_contract.har import Exchange, read_har


@dataclass(frozen=True)
class Observation:
    """One recorded exchange and where it came from: ``gate.har`` entry 3 (entries count from 1)."""

    har: str
    index: int
    exchange: Exchange
    request: Any = field(default=NOT_JSON, repr=False)
    response: Any = field(default=NOT_JSON, repr=False)

    @property
    def ref(self) -> str:
        return f"{self.har} entry {self.index}"

    @property
    def status(self) -> int | None:
        return self.exchange.status

    @property
    def content_type(self) -> str | None:
        return header(self.exchange.response_headers, "content-type")

    @property
    def media_type(self) -> str:
        return media_type(self.content_type)

    @property
    def sent_json(self) -> bool:
        """Whether the request was a JSON body sent as JSON (a refusal of anything else says nothing of
        its fields)."""
        declared = media_type(header(self.exchange.request_headers, "content-type"))
        return self.request is not NOT_JSON and _is_json_type(declared)


def read_evidence(paths: Sequence[Path]) -> list[Observation]:
    """Every exchange of every HAR file, in order; UsageError (one line) if one is not a HAR."""
    found = []
    for path in paths:
        try:
            exchanges = read_har(path)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        for index, exchange in enumerate(exchanges, start=1):
            found.append(
                Observation(
                    path.name,
                    index,
                    exchange,
                    parse_json(exchange.request_body),
                    parse_json(exchange.response_body),
                )
            )
    return found


def redactor_for(observations: Sequence[Observation]) -> Redactor:
    """A redactor that knows every secret the requests carried (when a HAR was not recorded redacted)."""
    redactor = Redactor()
    for observation in observations:
        for name, value in observation.exchange.request_headers:
            if is_credential_header(name):
                credential = value.strip().partition(" ")[2].strip() or value.strip()
                if credential != REDACTED:
                    redactor.add(credential)
        if observation.request is not NOT_JSON:
            redactor.learn_from_body(observation.request)
    return redactor


def shown(redactor: Redactor, value: Any, limit: int = 60) -> str:
    """A value as evidence: JSON, secrets redacted, bounded."""
    return clipped(json.dumps(redactor.value(value), ensure_ascii=False), limit)


def clipped(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters: evidence shows what a value was like, not all of it."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_json(observation: Observation) -> bool:
    """Whether the answer says it is JSON (``application/json`` or a ``+json`` type)."""
    return _is_json_type(observation.media_type)


def _is_json_type(media: str) -> bool:
    return media == JSON or (media.startswith("application/") and media.endswith("+json"))
