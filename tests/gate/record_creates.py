"""``python record_creates.py OUT gate ARGS...``: the gate, with the embedded mock recording its creates.

Every body the mock stores and answers 201 to is appended to OUT (JSON), with the IDs it was
created with, so a test can check what a whole run really created.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from phone_contract import cli
from phone_contract.mock import app as mock_app

FIELDS = ("number", "workspaceId", "userId")


def main(out: Path, argv: list[str]) -> int:
    created: list[dict[str, Any]] = []
    # The app calls created_body() once per number it stores and answers 201 to.
    namespace = vars(mock_app)
    make_body = namespace["created_body"]

    def recording(payload: dict[str, Any], *args: Any) -> Any:
        created.append({name: payload.get(name) for name in FIELDS})
        return make_body(payload, *args)

    namespace["created_body"] = recording
    try:
        return cli.main(argv)
    finally:
        out.write_text(json.dumps(created))


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
