"""A client library for accessing Freya API - Phone numbers"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
