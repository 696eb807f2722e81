"""``python edge_api.py mock ARGS...``: ``phone-contract mock``, except for one boundary value.

An API that breaks where real ones do, at one edge of one optional field: a create whose
``config.sipOutbound.transportProtocol`` is ``TLS`` (the last value of a nested enum) is answered
``500``. Random bodies reach it seldom, and a live run's budget pays for few of them: only a gate
that spends its budget on boundary values first catches it (issue: boundary values first).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from phone_contract import cli
from phone_contract.mock import command as mock_command
from phone_contract.mock import create_app as make_app
from phone_contract.mock.app import MockApp
from phone_contract.mock.asgi import Receive, Scope, Send, dump, read_body, replay

BROKEN = ("config", "sipOutbound", "transportProtocol")
BROKEN_VALUE = "TLS"


class EdgeAPI:
    """The mock, answering 500 to a create that sends :data:`BROKEN_VALUE` at :data:`BROKEN`."""

    def __init__(self, mock: MockApp) -> None:
        self._mock = mock
        self.root = mock.root
        self.spec_path = mock.spec_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self._mock(scope, receive, send)
            return
        body = await read_body(receive)
        if _at(body, BROKEN) == BROKEN_VALUE:
            answer = dump({"success": False, "error": {"code": "internal", "message": "unexpected error"}})
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": answer})
            return
        await self._mock(scope, replay(body), send)


def _at(raw: bytes, path: tuple[str, ...]) -> Any:
    try:
        node: Any = json.loads(raw)
    except ValueError:
        return None
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def main(argv: list[str]) -> int:
    def wrapped(**kwargs: Any) -> EdgeAPI:
        return EdgeAPI(make_app(**kwargs))

    # The real command, its options and its start line; only the app it serves is wrapped (where the
    # command looks create_app up: it imported it by name).
    vars(mock_command)["create_app"] = wrapped
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
