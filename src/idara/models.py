"""Imports every domain's ORM models so that Base.metadata knows all tables."""

from idara.audit import models as audit_models

__all__ = ["audit_models"]
