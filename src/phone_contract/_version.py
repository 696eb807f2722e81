"""The toolkit's version, and how it names itself on the wire (``User-Agent: phone-contract/1.4.0``)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def toolkit_version() -> str:
    try:
        return version("phone-contract")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0"


def user_agent() -> str:
    """What an API's logs and firewall see of the gate: the toolkit, by name and version."""
    return f"phone-contract/{toolkit_version()}"
