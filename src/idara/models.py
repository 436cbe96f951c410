"""Imports every domain's ORM models so that Base.metadata knows all tables."""

from idara.audit import models as audit_models
from idara.catalogue import models as catalogue_models
from idara.identity import models as identity_models
from idara.sessions import models as session_models
from idara.trust import models as trust_models

__all__ = ["audit_models", "catalogue_models", "identity_models", "session_models", "trust_models"]
