"""``phone-contract proxy``: forward an app's traffic to the real API and judge every answer.

- ``upstream``: where requests go (one base URL, never a host a request names) and which headers pass.
- ``judge``: the gate's response checks applied to one exchange of the create operation.
- ``app``: the ASGI app that forwards, answers, judges, logs and records.
- ``command``: the CLI edge (arguments, binding, uvicorn).
"""

from phone_contract.proxy.app import ProxyApp
from phone_contract.proxy.upstream import Upstream

__all__ = ["ProxyApp", "Upstream"]
