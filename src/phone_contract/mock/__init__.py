"""The spec-driven, stateful mock of every operation of a spec: embedded as an ASGI app, or served."""

from phone_contract.mock.app import DEFAULT_TOKEN, MockApp, create_app
from phone_contract.mock.faults import FAULTS
from phone_contract.mock.store import DEFAULT_CAPACITY

__all__ = ["DEFAULT_CAPACITY", "DEFAULT_TOKEN", "FAULTS", "MockApp", "create_app"]
