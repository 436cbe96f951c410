"""What every trust flow works with: database, settings, time, who acts, language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from idara.audit import service as audit_service
from idara.audit.schemas import AuditContext, Outcome
from idara.settings import Settings, TrustSettings


@dataclass(frozen=True, slots=True)
class TrustCtx:
    """One request's (or command's) collaborators."""

    db: Session
    settings: Settings
    now: datetime
    audit: AuditContext
    lang: str = "fr"

    @property
    def issuer(self) -> str:
        """The issuer identifier: the public origin (Discovery §4.3 needs an exact match)."""
        return self.settings.public_origin

    @property
    def trust(self) -> TrustSettings:
        """The trust section of the settings."""
        return self.settings.trust

    def record(
        self,
        action: str,
        *,
        outcome: Outcome = Outcome.SUCCESS,
        target_type: str | None = None,
        target_id: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        """Append an audit event in this transaction."""
        audit_service.record(
            self.db,
            context=self.audit,
            action=action,
            outcome=outcome,
            target_type=target_type,
            target_id=target_id,
            details=details,
        )
