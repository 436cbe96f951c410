"""Ministry administrators of the catalogue: accounts, scrypt passwords, server-side sessions.

A stop-gap until administrators sign in through the trust service (ADR 0011): everything
outside this module and `auth.py` only sees a `Principal` of kind ADMIN.
Passwords are hashed with scrypt (RFC 7914) at N=2^15, r=8, p=1, the OWASP minimum;
session cookies carry 32 random bytes and the table keeps only their SHA-256, so a copy of
the database does not hand out live sessions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from idara.audit.models import AuditEvent
from idara.catalogue.models import Admin, AdminSession
from idara.db import utcnow

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSWORD_LENGTH = 12
LOGIN_ACTION = "catalogue.admin_login"
USERNAME_PATTERN = r"^[a-z][a-z0-9._-]{2,59}$"


class AccountError(ValueError):
    """An account operation was refused (the message says why, for the command line)."""


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=32
    )


def hash_password(password: str) -> str:
    """A self-describing scrypt hash: scrypt$N$r$p$salt$hash (base64)."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encode = base64.b64encode
    return (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"
    )


def verify_password(stored: str, password: str) -> bool:
    """Whether a password matches a stored hash, in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


# Checked against when the username is unknown, so that timing does not reveal accounts.
_DUMMY_HASH = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'A' * 22}==${'A' * 43}="


def check_password_strength(password: str, username: str) -> None:
    """Refuse short passwords and passwords that contain the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if username.lower() in password.lower():
        raise AccountError("the password must not contain the username")


def create(session: Session, *, username: str, display_name: str, password: str) -> Admin:
    """Add an administrator."""
    if not re.match(USERNAME_PATTERN, username):
        raise AccountError("the username must be 3-60 lower-case letters, digits, . _ or -")
    if find(session, username=username) is not None:
        raise AccountError(f"the administrator {username!r} already exists")
    check_password_strength(password, username)
    admin = Admin(
        username=username, display_name=display_name, password_hash=hash_password(password)
    )
    session.add(admin)
    session.flush()
    return admin


def set_password(session: Session, *, admin: Admin, password: str) -> None:
    """Replace a password and end the administrator's sessions."""
    check_password_strength(password, admin.username)
    admin.password_hash = hash_password(password)
    session.execute(delete(AdminSession).where(AdminSession.admin_id == admin.id))
    session.flush()


def disable(session: Session, *, admin: Admin) -> None:
    """Disable an account and end its sessions (accounts are never deleted: audit needs them)."""
    admin.disabled_at = admin.disabled_at or utcnow()
    session.execute(delete(AdminSession).where(AdminSession.admin_id == admin.id))
    session.flush()


def find(session: Session, *, username: str) -> Admin | None:
    """An administrator by username."""
    return session.scalar(select(Admin).where(Admin.username == username))


def all_admins(session: Session) -> Sequence[Admin]:
    """Every administrator, by username."""
    return session.scalars(select(Admin).order_by(Admin.username)).all()


def authenticate(session: Session, *, username: str, password: str) -> Admin | None:
    """The enabled administrator these credentials belong to, or None."""
    admin = find(session, username=username)
    stored = admin.password_hash if admin is not None else _DUMMY_HASH
    valid = verify_password(stored, password)
    if admin is None or not valid or admin.disabled_at is not None:
        return None
    return admin


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def open_session(session: Session, *, admin: Admin, lifetime: timedelta) -> str:
    """Start a session; returns the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        AdminSession(
            id=_token_id(token), admin_id=admin.id, created_at=now, expires_at=now + lifetime
        )
    )
    admin.last_login_at = now
    session.flush()
    return token


def session_admin(session: Session, *, token: str) -> Admin | None:
    """The administrator of a live session token, or None (expired, ended, disabled)."""
    if not token or len(token) > 100:
        return None
    row = session.get(AdminSession, _token_id(token))
    if row is None or row.expires_at <= utcnow():
        return None
    admin = session.get(Admin, row.admin_id)
    if admin is None or admin.disabled_at is not None:
        return None
    return admin


def close_session(session: Session, *, token: str) -> None:
    """End a session (logout); unknown tokens are ignored."""
    session.execute(delete(AdminSession).where(AdminSession.id == _token_id(token)))
    session.flush()


def purge_expired(session: Session) -> int:
    """Delete expired sessions; returns how many."""
    result = session.execute(delete(AdminSession).where(AdminSession.expires_at <= utcnow()))
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def recent_failures(
    session: Session, *, username: str, ip: str | None, since: datetime
) -> tuple[int, int]:
    """Failed sign-ins since a time for this username, and from this address (audit log).

    Counting in the audit table keeps the limit shared by every worker without a new store.
    """

    def count(*where: ColumnElement[bool]) -> int:
        query = (
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == LOGIN_ACTION,
                AuditEvent.outcome == "failure",
                AuditEvent.occurred_at >= since,
                *where,
            )
        )
        return int(session.scalar(query) or 0)

    by_user = count(AuditEvent.target_id == username)
    by_ip = count(AuditEvent.ip == ip) if ip else 0
    return by_user, by_ip
