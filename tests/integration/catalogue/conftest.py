"""Fixtures of the catalogue tests (see tests/catalogue_support.py)."""

from tests.catalogue_support import admin_account, catalogue, shared_sessions

__all__ = ["admin_account", "catalogue", "shared_sessions"]
