"""Secrets the gate sends, made unmistakable before they leave, so that redaction is exact.

Every report and recording scrubs a password the gate sent wherever it turns up. A fuzzer's password
is often a plain word (hypothesis draws strings from the source it has loaded: ``object``,
``string``), and an answer may hold the same word by chance (``{} is not of type "object"``): the
word is then scrubbed out of the answer, and ``learn`` rightly reads the marker there as a leaked
secret. So the door sends each such password disguised: every ASCII character that is not blank
replaced by a letter or digit drawn from a digest of the value. Its length, its blanks and its
non-ASCII characters (the boundary values of a password) are kept; the same value is always
disguised alike, so a seed's requests stay the same. A password that then turns up in an answer
was sent back, not met by chance.
"""

from __future__ import annotations

import hashlib
import json
import string
from typing import Any

from phone_contract._redact import MIN_SCRUBBED_LENGTH
from phone_contract._secrets import SECRET_KEYS

_ALPHABET = string.ascii_letters + string.digits


def disguised_body(body: bytes) -> bytes:
    """``body`` with each password disguised; as it was when it is not JSON or holds none to disguise."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body
    changed = _disguised(document)
    return body if changed == document else json.dumps(changed).encode()


def disguised(value: str) -> str:
    """``value`` with every ASCII character that is not blank replaced, the rest kept."""
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=64).digest()
    return "".join(
        _ALPHABET[digest[index % len(digest)] % len(_ALPHABET)] if _replaced(char) else char
        for index, char in enumerate(value)
    )


def _replaced(char: str) -> bool:
    return char.isascii() and not char.isspace()


def _disguised(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: disguised(item)
            if key in SECRET_KEYS and isinstance(item, str) and len(item) >= MIN_SCRUBBED_LENGTH
            else _disguised(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_disguised(item) for item in value]
    return value
