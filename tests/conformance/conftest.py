"""Fixtures of the trust service's conformance tests."""

from tests.trust_support import browser, citizen, make_rp, rp_key, trust_clock

__all__ = ["browser", "citizen", "make_rp", "rp_key", "trust_clock"]
