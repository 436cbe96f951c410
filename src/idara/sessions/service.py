"""Create, find, rotate and end server-side sessions; functions flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from idara.sessions.models import WebSession
from idara.settings import SessionSettings

# Below this, an active session's idle expiry is not pushed back (saves a write per request).
_TOUCH_EVERY = timedelta(seconds=60)


def new_token() -> str:
    """A cookie value: 256 random bits."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the table stores instead of the cookie value."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(db: Session, *, settings: SessionSettings, now: datetime) -> tuple[WebSession, str]:
    """A new anonymous session and its cookie value."""
    token = new_token()
    row = WebSession(
        token_hash=token_hash(token),
        sid=secrets.token_hex(16),
        created_at=now,
        last_seen_at=now,
        idle_expires_at=now + timedelta(seconds=settings.idle_timeout_s),
        absolute_expires_at=now + timedelta(seconds=settings.absolute_timeout_s),
        amr=[],
        data={},
    )
    db.add(row)
    db.flush()
    return row, token


def find(db: Session, *, token: str | None, now: datetime) -> WebSession | None:
    """The live session a cookie value names, or None (unknown, malformed or expired)."""
    if not token or len(token) > 128:
        return None
    row = db.scalars(select(WebSession).where(WebSession.token_hash == token_hash(token))).first()
    if row is None or row.idle_expires_at <= now or row.absolute_expires_at <= now:
        return None
    return row


def touch(db: Session, row: WebSession, *, settings: SessionSettings, now: datetime) -> None:
    """Push back the idle expiry of a session in use."""
    if now - row.last_seen_at < _TOUCH_EVERY:
        return
    row.last_seen_at = now
    row.idle_expires_at = min(
        now + timedelta(seconds=settings.idle_timeout_s), row.absolute_expires_at
    )
    db.flush()


def rotate(db: Session, row: WebSession) -> str:
    """Give the session a new cookie value (at login: defeats session fixation)."""
    token = new_token()
    row.token_hash = token_hash(token)
    db.flush()
    return token


def sign_in(
    db: Session,
    row: WebSession,
    *,
    settings: SessionSettings,
    subject_type: str,
    subject_id: str,
    acr: str,
    amr: Sequence[str],
    now: datetime,
) -> str:
    """Record who authenticated and how, rotate the cookie value and return it."""
    row.subject_type = subject_type
    row.subject_id = subject_id
    row.acr = acr
    row.amr = list(amr)
    row.auth_time = now
    row.last_seen_at = now
    row.absolute_expires_at = now + timedelta(seconds=settings.absolute_timeout_s)
    row.idle_expires_at = now + timedelta(seconds=settings.idle_timeout_s)
    return rotate(db, row)


def set_data(db: Session, row: WebSession, **values: object) -> None:
    """Store values in the session's data (None removes a key); JSON-serialisable only."""
    data = dict(row.data)
    for key, value in values.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    row.data = data  # a new dict, so that the JSON column is seen as changed
    db.flush()


def end(db: Session, row: WebSession) -> None:
    """Delete the session (logout)."""
    db.delete(row)
    db.flush()


def end_all_for(db: Session, *, subject_type: str, subject_id: str) -> int:
    """Delete every session of a subject (e.g. a revoked card); returns how many."""
    result = db.execute(
        delete(WebSession).where(
            WebSession.subject_type == subject_type, WebSession.subject_id == subject_id
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired(db: Session, *, now: datetime) -> int:
    """Delete sessions past their absolute or idle expiry; returns how many."""
    result = db.execute(
        delete(WebSession).where(
            (WebSession.absolute_expires_at <= now) | (WebSession.idle_expires_at <= now)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
