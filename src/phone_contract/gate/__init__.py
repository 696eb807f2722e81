"""phone-contract gate."""
