"""Keep secrets out of everything the gate prints or writes, and build curl reproductions.

Two secrets matter: the bearer token (and any credential header) and ``sipOutbound.password``.
JSON is redacted by key (any ``password`` anywhere), and every text that leaves the toolkit is also
scrubbed of the literal values seen on the wire, so a secret echoed somewhere unexpected is still
caught. Where depends on the secret:

- credentials (the token, a credential header, a token-like query parameter): wherever they appear;
- passwords learned from request bodies: wherever they appear in what came off the wire (a string
  value, a header, a body that is not JSON: :meth:`Redactor.content`), but in text the toolkit
  composes only inside string literals (:meth:`Redactor.text`). A password is whatever the client
  sent, hypothesis' ``"null"`` or ``"body"`` included, and scrubbing those from a report's own words
  ("got null", "request body") would hide what the report says.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable, Mapping
from typing import Any

from phone_contract._secrets import REDACTED, SECRET_KEYS, TOKEN_ENV_VAR

# Built, not written out: hypothesis draws string constants from local source into generated data.
TOKEN_PLACEHOLDER = "$" + TOKEN_ENV_VAR
# Shorter values are too likely to occur by chance ("0", "ab") to scrub from free text;
# they are still redacted wherever they sit under a password key.
MIN_SCRUBBED_LENGTH = 4
# A string literal in composed text: JSON's "..." or a Python repr's '...' (hypothesis prints
# examples as reprs); one cut short ("...) runs to the end of its line. An apostrophe inside a word
# ("the API's") opens none.
_STRING_LITERAL = re.compile(
    r""""(?:\\.|[^"\\\n])*(?:"|$)|(?<!\w)'(?:\\.|[^'\\\n])*(?:'(?!\w)|$)""", re.MULTILINE
)
# `"password": "..."` in JSON or `'password': '...'` in a Python repr (hypothesis prints examples).
_PASSWORD_IN_TEXT = re.compile(
    r"""(?P<key>(?P<kq>['"])password(?P=kq)\s*:\s*)(?P<q>['"])(?:\\.|(?!(?P=q)).)*(?P=q)"""
)


class Redactor:
    """Knows the run's secrets and removes them from values and text."""

    def __init__(self, token: str | None = None) -> None:
        # Each secret as it may be written: raw, and escaped inside a JSON string or a Python repr.
        self._credentials: set[str] = set()
        self._passwords: set[str] = set()
        # Every credential whatever its length, to know it when it stands whole (a header's value).
        self._known: set[str] = set()
        if token:
            self.add(token)

    def add(self, secret: str) -> None:
        """A credential: scrubbed wherever it appears."""
        # New sets, never changed in place: other threads may be scrubbing with the old ones.
        if secret:
            self._known = self._known | {secret}
        if len(secret) >= MIN_SCRUBBED_LENGTH:
            self._credentials = self._credentials | _written_forms(secret)

    def knows(self, value: str) -> bool:
        """Whether ``value`` is a credential this redactor was given, or holds a secret it scrubs."""
        return value in self._known or self.content(value) != value

    def learn_from_body(self, body: object) -> None:
        """Remember every password in a request body, so echoes of it are scrubbed too."""
        for value in _secret_values(body):
            if len(value) >= MIN_SCRUBBED_LENGTH:
                self._passwords = self._passwords | _written_forms(value)

    def text(self, text: str) -> str:
        """Text the toolkit composes (a report, a summary line): credentials go wherever they are,
        passwords inside string literals, and any ``"password": "..."`` pair's value."""
        text = _scrub(text, self._credentials)
        if self._passwords:
            text = _STRING_LITERAL.sub(lambda m: _scrub(m[0], self._passwords), text)
        return _PASSWORD_IN_TEXT.sub(lambda m: f"{m['key']}{m['q']}{REDACTED}{m['q']}", text)

    def content(self, text: str) -> str:
        """Text that came off the wire (a string value, a header, a body that is not JSON): every
        secret goes wherever it is."""
        return self.text(_scrub(text, self._passwords))

    def value(self, value: Any) -> Any:
        """A copy of a JSON value with every password replaced, and secrets scrubbed from strings."""
        if isinstance(value, Mapping):
            return {
                self.content(str(key)): REDACTED if key in SECRET_KEYS else self.value(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, str):
            return self.content(value)
        return value

    def body(self, raw: bytes, limit: int = 2000) -> str:
        """A response or request body as safe, bounded text (JSON re-serialised when it parses)."""
        try:
            text = json.dumps(self.value(json.loads(raw)), ensure_ascii=False)
        except (ValueError, UnicodeDecodeError):
            text = self.content(raw.decode("utf-8", "replace"))
        return text if len(text) <= limit else text[: limit - 3] + "..."


def _written_forms(secret: str) -> set[str]:
    """``secret`` raw, and as it reads inside a JSON string and inside a Python repr (whichever
    quote the repr of a longer string chose: ``repr`` escapes ``'`` only inside ``'...'``)."""
    return {
        secret,
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        repr(secret + "'\"")[1:-3],
    }


def _scrub(text: str, secrets: set[str]) -> str:
    # Longest first: a secret that contains another must go whole.
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _secret_values(value: object) -> Iterable[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in SECRET_KEYS and isinstance(item, str):
                yield item
            else:
                yield from _secret_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _secret_values(item)


# curl sends these itself; schemathesis' own tracing headers mean nothing to the API.
_CURL_SETS_ITSELF = frozenset(
    {"content-length", "host", "user-agent", "accept", "accept-encoding", "connection"}
)


def curl(redactor: Redactor, method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> str:
    """A runnable curl command for the request, reading the token from ``$FREYA_API_TOKEN``."""
    parts = ["curl", "--request", method.upper(), "--url", shlex.quote(url)]
    for name, value in headers.items():
        lowered = name.lower()
        if lowered in _CURL_SETS_ITSELF or lowered.startswith("x-schemathesis"):
            continue
        if lowered == "authorization":
            scheme = value.split(" ", 1)[0] if " " in value else "Bearer"
            # Double quotes: the shell expands the variable, so the secret never sits in the command.
            parts += ["--header", f'"Authorization: {scheme} {TOKEN_PLACEHOLDER}"']
            continue
        parts += ["--header", shlex.quote(f"{name}: {redactor.content(value)}")]
    if body:
        parts += ["--data-binary", shlex.quote(_body_text(redactor, body))]
    return " ".join(parts)


def _body_text(redactor: Redactor, body: bytes) -> str:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return redactor.content(body.decode("utf-8", "backslashreplace"))
    # Compact, key order kept: the document the API saw, minus the secrets.
    return json.dumps(redactor.value(document), ensure_ascii=False, separators=(",", ":"))
