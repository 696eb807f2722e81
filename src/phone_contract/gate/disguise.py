"""Secrets the gate sends, made unmistakable before they leave, so that redaction is exact.

Every report and recording scrubs a password the gate sent wherever it turns up. A fuzzer's password
is often a plain word (hypothesis draws strings from the source it has loaded: ``object``,
``string``), and an answer may hold the same word by chance (``{} is not of type "object"``): the
word is then scrubbed out of the answer, and ``learn`` rightly reads the marker there as a leaked
secret. So the door sends each such password disguised: every character that is not blank replaced
by one drawn from a digest of the value, of the same UTF-8 length (a letter or digit for ASCII, an
accented letter, a CJK ideograph, one beyond the BMP). Its length in characters and in bytes, its
blanks and where it leaves ASCII (the boundary values of a password) are kept; the same value is
always disguised alike, so a seed's requests stay the same. A password that then turns up in an
answer was sent back, not met by chance.
"""

from __future__ import annotations

import hashlib
import json
import string
from typing import Any

from phone_contract._redact import MIN_SCRUBBED_LENGTH
from phone_contract._secrets import SECRET_KEYS

# Replacements by UTF-8 length: one byte, two (Latin-1 letters), three (CJK), four (CJK Extension B).
_ONE = string.ascii_letters + string.digits
_TWO = "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
_THREE = (0x4E00, 0x9FFF)
_FOUR = (0x20000, 0x2A6DF)


def disguised_body(body: bytes) -> bytes:
    """``body`` with each password disguised; as it was when it is not JSON or holds none to disguise."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body
    changed = _disguised(document)
    return body if changed == document else json.dumps(changed).encode()


def disguised(value: str) -> str:
    """``value`` with every character that is not blank (nor a lone surrogate) replaced by one of the
    same UTF-8 length."""
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=64).digest()
    return "".join(
        _like(char, int.from_bytes(digest[index % 32 : index % 32 + 4], "big") + index)
        for index, char in enumerate(value)
    )


def _like(char: str, draw: int) -> str:
    if char.isspace() or 0xD800 <= ord(char) <= 0xDFFF:
        return char
    length = len(char.encode("utf-8"))
    if length == 1:
        return _ONE[draw % len(_ONE)]
    if length == 2:
        return _TWO[draw % len(_TWO)]
    low, high = _THREE if length == 3 else _FOUR
    return chr(low + draw % (high - low + 1))


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
