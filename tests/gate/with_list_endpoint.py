"""``python with_list_endpoint.py gate ARGS...``: the gate against an embedded mock that also serves GET.

Like the real API may: a list endpoint on the same path, outside the spec the gate checks. What the
gate does with it is the point of the test (``--served-method``), so it runs as the user's command.
"""

from __future__ import annotations

import sys
from typing import Any

from phone_contract import cli
from phone_contract.gate import session as gate_session
from phone_contract.mock import create_app as make_app
from phone_contract.mock.asgi import Receive, Scope, Send, dump

LISTED = dump({"success": True, "data": {"result": {"phoneNumbers": []}}})


def main(argv: list[str]) -> int:
    def with_list(**kwargs: Any) -> Any:
        mock = make_app(**kwargs)

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/phone-numbers":
                headers = [(b"content-type", b"application/json")]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": LISTED})
                return
            await mock(scope, receive, send)

        return app

    # gate.session imported create_app by name: replace it where the session looks it up.
    vars(gate_session)["create_app"] = with_list
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
