"""What every login flow works with, and the abuse-resistance guard around each attempt."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from idara.audit import service as audit_service
from idara.audit.schemas import AuditContext, Outcome
from idara.identity import exceptions  # noqa: F401  (registers the identity error codes)
from idara.ratelimit import LockoutPolicy, RateLimiter
from idara.sessions.models import WebSession
from idara.settings import Settings
from idara.web.errors import IdaraError


@dataclass(frozen=True, slots=True)
class Ctx:
    """One login attempt's collaborators: database, settings, limiter, audit, session, time."""

    db: Session
    settings: Settings
    limiter: RateLimiter
    audit: AuditContext
    now: datetime
    web_session: WebSession | None = None
    lang: str = "fr"

    @property
    def session(self) -> WebSession:
        """The browser's login session (flows that need one are only called with one)."""
        if self.web_session is None:
            raise IdaraError("login_session_expired")
        return self.web_session

    @property
    def policy(self) -> LockoutPolicy:
        """The lockout policy from the settings."""
        lockout = self.settings.identity.lockout
        return LockoutPolicy(
            max_failures=lockout.max_failures,
            wait_increment_s=lockout.wait_increment_s,
            max_wait_s=lockout.max_wait_s,
            failure_reset_s=lockout.failure_reset_s,
        )


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of a text: how nonces and codes are stored."""
    return hashlib.sha256(text.encode()).hexdigest()


def cin_key(ctx: Ctx, cin: str) -> str:
    """A limiter key for a CIN that does not put the CIN itself into Redis."""
    secret = ctx.settings.web.secret_key.get_secret_value().encode()
    return "identity:cin:" + hmac.new(secret, cin.encode(), hashlib.sha256).hexdigest()[:32]


def card_key(serial: str) -> str:
    """A limiter key for a card certificate."""
    return f"identity:card:{serial}"


def audit(
    ctx: Ctx,
    action: str,
    outcome: Outcome,
    *,
    person_id: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Record an attempt and its outcome (never a PIN, code, nonce or token)."""
    audit_service.record(
        ctx.db,
        context=ctx.audit,
        action=action,
        outcome=outcome,
        target_type="person" if person_id else None,
        target_id=person_id,
        details=details,
    )


def check_ip(ctx: Ctx, action: str) -> None:
    """Refuse an attempt above the per-IP limit (a fixed window per action)."""
    lockout = ctx.settings.identity.lockout
    ip = ctx.audit.ip or "unknown"
    decision = ctx.limiter.hit(
        f"identity:{action}:ip:{ip}", limit=lockout.ip_attempts, window_s=lockout.ip_window_s
    )
    if not decision.allowed:
        audit(ctx, f"identity.{action}", Outcome.DENIED, details={"reason": "rate_limited"})
        raise IdaraError("rate_limited", headers={"Retry-After": str(decision.retry_after_s)})


def check_locked(ctx: Ctx, key: str, action: str) -> None:
    """Refuse an attempt on a locked card or CIN, saying how long to wait."""
    seconds = ctx.limiter.locked_for(key)
    if seconds:
        audit(ctx, f"identity.{action}", Outcome.DENIED, details={"reason": "login_locked"})
        raise IdaraError("login_locked", seconds=seconds, headers={"Retry-After": str(seconds)})


def fail(
    ctx: Ctx,
    action: str,
    code: str,
    *,
    key: str | None = None,
    person_id: str | None = None,
    details: Mapping[str, Any] | None = None,
    **params: Any,
) -> IdaraError:
    """Count a failure against the key, audit it, and return the error to raise."""
    locked = ctx.limiter.failure(key, ctx.policy) if key else 0
    info = {"reason": code, **(details or {})}
    if locked:
        info["locked_for_s"] = locked
    audit(ctx, f"identity.{action}", Outcome.FAILURE, person_id=person_id, details=info)
    return IdaraError(code, **params)
