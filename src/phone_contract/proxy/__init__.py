"""``phone-contract proxy``: forward an app's traffic to the real API and judge every answer.

- ``judge``: the gate's response checks applied to one exchange of any operation of the spec.
- ``app``: the ASGI app that forwards (to one base URL only, see ``phone_contract._upstream``),
  answers, judges, logs and records.
- ``command``: the CLI edge (arguments, binding, uvicorn).
"""

from phone_contract._upstream import Upstream
from phone_contract.proxy.app import ProxyApp

__all__ = ["ProxyApp", "Upstream"]
