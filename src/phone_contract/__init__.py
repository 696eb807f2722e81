"""Contract tests, a spec-driven mock and a generated client for Freya's ``POST /phone-numbers``."""

from phone_contract._spec import SpecError, default_spec_path, load_spec

__all__ = ["SpecError", "default_spec_path", "load_spec"]
