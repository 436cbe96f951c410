"""Pushed Authorization Requests (RFC 9126) and the pending requests a login resumes.

A pushed request is validated and stored when the client pushes it (§2.1), answered with a
`request_uri` that lives `par_ttl_s` (§2.2); the authorization endpoint then takes only
`client_id` and `request_uri` (§4) and ignores anything else sent beside them. The same URI
may be opened again until the authorization completes (a reload during login), never after.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from idara.trust.authz_request import Validated
from idara.trust.models import AuthorizationRequest

URN_PREFIX = "urn:ietf:params:oauth:request_uri:"
PUSHED = "pushed"
PENDING = "pending"


def _sweep(db: Session, now: datetime) -> None:
    # Expired requests are deleted by about one call in 200 (no scheduler needed).
    if secrets.randbelow(200) == 0:
        db.execute(delete(AuthorizationRequest).where(AuthorizationRequest.expires_at <= now))


def push(
    db: Session, request: Validated, *, dpop_jkt: str | None, now: datetime, ttl_s: int
) -> str:
    """Store a pushed request; returns its request_uri."""
    _sweep(db, now)
    handle = secrets.token_urlsafe(32)
    db.add(
        AuthorizationRequest(
            handle=handle,
            kind=PUSHED,
            client_id=request.client_id,
            params=request.to_json(),
            dpop_jkt=dpop_jkt,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_s),
        )
    )
    db.flush()
    return URN_PREFIX + handle


def pushed(
    db: Session, *, request_uri: str, client_id: str, now: datetime
) -> AuthorizationRequest | None:
    """The live pushed request a request_uri names for this client (§4), else None."""
    if not request_uri.startswith(URN_PREFIX) or len(request_uri) > 200:
        return None
    row = db.scalars(
        select(AuthorizationRequest).where(
            AuthorizationRequest.handle == request_uri.removeprefix(URN_PREFIX),
            AuthorizationRequest.kind == PUSHED,
        )
    ).first()
    if row is None or row.client_id != client_id or row.consumed_at is not None:
        return None
    if row.expires_at <= now:
        return None
    return row


def begin(
    db: Session,
    request: Validated,
    *,
    dpop_jkt: str | None,
    pushed_handle: str | None,
    session_sid: str | None,
    now: datetime,
    ttl_s: int,
) -> AuthorizationRequest:
    """Keep a validated request while the citizen signs in and consents."""
    _sweep(db, now)
    row = AuthorizationRequest(
        handle=secrets.token_urlsafe(24),
        kind=PENDING,
        client_id=request.client_id,
        params=request.to_json(),
        dpop_jkt=dpop_jkt,
        pushed_handle=pushed_handle,
        session_sid=session_sid,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_s),
    )
    db.add(row)
    db.flush()
    return row


def pending(db: Session, *, handle: str, now: datetime) -> AuthorizationRequest | None:
    """A live pending request by its handle."""
    if not handle or len(handle) > 64:
        return None
    row = db.scalars(
        select(AuthorizationRequest).where(
            AuthorizationRequest.handle == handle, AuthorizationRequest.kind == PENDING
        )
    ).first()
    if row is None or row.consumed_at is not None or row.expires_at <= now:
        return None
    return row


def consume(db: Session, row: AuthorizationRequest, *, now: datetime) -> None:
    """Mark a pending request (and the pushed one it came from) as done: no second code."""
    row.consumed_at = now
    if row.pushed_handle is not None:
        origin = db.scalars(
            select(AuthorizationRequest).where(AuthorizationRequest.handle == row.pushed_handle)
        ).first()
        if origin is not None:
            origin.consumed_at = now
    db.flush()
