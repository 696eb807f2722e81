"""phone-contract diff."""
