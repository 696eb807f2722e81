"""Fixtures of the mock's tests."""

from __future__ import annotations

import pytest

from phone_contract.mock import MockApp, create_app


@pytest.fixture
def app() -> MockApp:
    """A clean mock with the default dev token and an empty store."""
    return create_app()
