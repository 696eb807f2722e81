"""phone-contract mock."""
