"""Record and read audit events; refuses anything that looks like a secret."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.audit.models import AuditEvent
from idara.audit.schemas import AuditContext, Outcome

# Keys that name secrets: their values must never reach the audit table, whatever the caller.
_SECRET_KEY = re.compile(
    r"(pin|puk|password|passphrase|secret|token|assertion|private|otp|code_verifier|cookie"
    r"|authorization|signature|nonce)",
    re.IGNORECASE,
)
# A compact JWS/JWE or a long opaque credential slipped in under an innocent key.
_JWT_LIKE = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.")

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class SecretInAuditError(ValueError):
    """A caller tried to write a secret into the audit log."""


def _check_details(details: Mapping[str, Any], path: str = "") -> None:
    for key, value in details.items():
        where = f"{path}{key}"
        if _SECRET_KEY.search(key):
            raise SecretInAuditError(f"audit detail {where!r} names a secret")
        if isinstance(value, Mapping):
            _check_details(value, f"{where}.")
        elif isinstance(value, str) and _JWT_LIKE.search(value):
            raise SecretInAuditError(f"audit detail {where!r} holds a token")
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, Mapping):
                    _check_details(item, f"{where}[].")
                elif isinstance(item, str) and _JWT_LIKE.search(item):
                    raise SecretInAuditError(f"audit detail {where!r} holds a token")


def record(
    session: Session,
    *,
    context: AuditContext,
    action: str,
    outcome: Outcome = Outcome.SUCCESS,
    target_type: str | None = None,
    target_id: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (so it is lost only if the work is)."""
    if not ACTION_PATTERN.match(action):
        raise ValueError(f"audit action {action!r} must look like 'domain.verb'")
    details = dict(details or {})
    _check_details(details)
    event = AuditEvent(
        action=action,
        outcome=outcome.value,
        actor_type=context.actor_type.value,
        actor_id=context.actor_id,
        target_type=target_type,
        target_id=target_id,
        ip=context.ip,
        request_id=context.request_id,
        details=details,
    )
    session.add(event)
    session.flush()
    return event


def list_events(
    session: Session,
    *,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    actor_id: str | None = None,
    limit: int = 100,
) -> Sequence[AuditEvent]:
    """The newest events first, optionally filtered by action, target or actor."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(min(limit, 1000))
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if target_type is not None:
        query = query.where(AuditEvent.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditEvent.target_id == target_id)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    return session.scalars(query).all()
