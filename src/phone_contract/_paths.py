"""JSON paths as the toolkit prints them: ``$.data.headers[0]``, odd keys quoted (``$['a b']``)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence


def json_path(parts: Sequence[str | int]) -> str:
    """``["data", "headers", 0]`` -> ``$.data.headers[0]``; odd keys are quoted: ``$["a b"]``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += f"[{json.dumps(part)}]"
    return out


_INDEX = re.compile(r"\[\d+\]")


def any_item(path: str) -> str:
    """``$.updated[3].carrier`` -> ``$.updated[*].carrier``: items of a list that break alike are one
    place, however many items broke."""
    return _INDEX.sub("[*]", path)
