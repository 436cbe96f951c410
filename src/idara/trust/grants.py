"""Authorization codes and tokens (RFC 6749 §4.1.2, §4.1.3, §5.1, §6; RFC 9700 §4.14).

A grant is what one authorization produced. Its code is single-use and lives at most 60 s;
a second use of the code revokes the grant and every token issued from it (RFC 6749
§4.1.2, OpenID conformance "codereuse"). Refresh tokens rotate: each use returns a new one,
and using an old one again is treated as theft and revokes the whole grant (RFC 9700
§4.14.2). Tokens are opaque random strings; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from idara.trust.exceptions import OAuthError
from idara.trust.models import Grant, Token

ACCESS = "access"
REFRESH = "refresh"


def digest(value: str) -> str:
    """What is stored of a code or token."""
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True, slots=True)
class Issued:
    """Tokens as handed to the client once (never stored in clear)."""

    access_token: str
    access_expires_in: int
    refresh_token: str | None


def new_grant(
    db: Session,
    *,
    client_id: str,
    person_id: int | None,
    sub: str | None,
    scope: Sequence[str],
    claims: dict[str, Any],
    now: datetime,
    **fields: Any,
) -> Grant:
    """A grant without a code (client credentials) or before its code is set."""
    grant = Grant(
        grant_id=secrets.token_hex(16),
        client_id=client_id,
        person_id=person_id,
        sub=sub,
        scope=" ".join(scope),
        claims=claims,
        amr=list(fields.pop("amr", [])),
        created_at=now,
        **fields,
    )
    db.add(grant)
    db.flush()
    return grant


def attach_code(db: Session, grant: Grant, *, now: datetime, ttl_s: int) -> str:
    """Give a grant its single-use authorization code; returns the code."""
    code = secrets.token_urlsafe(32)
    grant.code_hash = digest(code)
    grant.code_expires_at = now + timedelta(seconds=min(ttl_s, 60))
    db.flush()
    return code


def revoke(db: Session, grant: Grant, *, reason: str, now: datetime) -> None:
    """Revoke a grant and every token issued from it."""
    if grant.revoked_at is None:
        grant.revoked_at = now
        grant.revoked_reason = reason
    db.execute(
        update(Token)
        .where(Token.grant_id == grant.id, Token.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.flush()


def redeem_code(db: Session, code: str, *, client_id: str, now: datetime) -> Grant:
    """The grant of a valid, unused code of this client; a reused code revokes its grant."""
    if not code or len(code) > 200:
        raise OAuthError("invalid_grant", "unknown authorization code")
    grant = db.scalars(
        select(Grant).where(Grant.code_hash == digest(code)).with_for_update()
    ).first()
    if grant is None:
        raise OAuthError("invalid_grant", "unknown authorization code")
    if grant.client_id != client_id:
        # A code stolen by another client: refuse, and do not let the thief burn it.
        raise OAuthError("invalid_grant", "authorization code was issued to another client")
    if grant.code_used_at is not None:
        revoke(db, grant, reason="code_reused", now=now)
        raise OAuthError("invalid_grant", "authorization code already used")
    if grant.revoked_at is not None:
        raise OAuthError("invalid_grant", "authorization was revoked")
    if grant.code_expires_at is None or grant.code_expires_at <= now:
        raise OAuthError("invalid_grant", "authorization code expired")
    grant.code_used_at = now
    db.flush()
    return grant


def issue(
    db: Session,
    grant: Grant,
    *,
    jkt: str | None,
    access_ttl_s: int,
    refresh_ttl_s: int,
    now: datetime,
) -> Issued:
    """An access token (bound to `jkt` when DPoP is used) and, when allowed, a refresh token."""
    access = secrets.token_urlsafe(32)
    db.add(
        Token(
            token_hash=digest(access),
            kind=ACCESS,
            grant_id=grant.id,
            jkt=jkt,
            scope=grant.scope,
            created_at=now,
            expires_at=now + timedelta(seconds=access_ttl_s),
        )
    )
    refresh = None
    if refresh_ttl_s > 0 and grant.person_id is not None:
        refresh = secrets.token_urlsafe(32)
        db.add(
            Token(
                token_hash=digest(refresh),
                kind=REFRESH,
                grant_id=grant.id,
                jkt=jkt,
                scope=grant.scope,
                created_at=now,
                expires_at=now + timedelta(seconds=refresh_ttl_s),
            )
        )
    db.flush()
    return Issued(access_token=access, access_expires_in=access_ttl_s, refresh_token=refresh)


def lookup(db: Session, value: str) -> tuple[Token, Grant] | None:
    """A token and its grant by value, whatever their state (introspection, revocation)."""
    if not value or len(value) > 200:
        return None
    row = db.execute(
        select(Token, Grant)
        .join(Grant, Token.grant_id == Grant.id)
        .where(Token.token_hash == digest(value))
    ).first()
    return (row[0], row[1]) if row is not None else None


def is_active(token: Token, grant: Grant, *, now: datetime) -> bool:
    """Not expired, not revoked, not a used refresh token, grant not revoked."""
    return (
        token.expires_at > now
        and token.revoked_at is None
        and token.used_at is None
        and grant.revoked_at is None
    )


def use_refresh(db: Session, value: str, *, client_id: str, now: datetime) -> tuple[Token, Grant]:
    """Spend a refresh token; a second use revokes the grant (rotation with reuse detection)."""
    found = lookup(db, value)
    if found is None or found[0].kind != REFRESH:
        raise OAuthError("invalid_grant", "unknown refresh token")
    token, grant = found
    if grant.client_id != client_id:
        raise OAuthError("invalid_grant", "refresh token was issued to another client")
    if token.used_at is not None:
        revoke(db, grant, reason="refresh_reused", now=now)
        raise OAuthError("invalid_grant", "refresh token already used")
    if not is_active(token, grant, now=now):
        raise OAuthError("invalid_grant", "refresh token expired or revoked")
    token.used_at = now
    db.flush()
    return token, grant


def revoke_token(db: Session, token: Token, grant: Grant, *, now: datetime) -> None:
    """RFC 7009 §2.1: revoking a refresh token also ends the access tokens of its grant."""
    if token.kind == REFRESH:
        revoke(db, grant, reason="revoked_by_client", now=now)
    elif token.revoked_at is None:
        token.revoked_at = now
        db.flush()


def grants_of(db: Session, *, person_id: int, limit: int = 50) -> Sequence[Grant]:
    """A citizen's sign-ins at relying parties, newest first."""
    return db.scalars(
        select(Grant)
        .where(Grant.person_id == person_id)
        .order_by(Grant.created_at.desc(), Grant.id.desc())
        .limit(limit)
    ).all()


def grants_of_session(db: Session, *, sid: str) -> Sequence[Grant]:
    """The live grants issued within one login session (back-channel logout)."""
    return db.scalars(select(Grant).where(Grant.sid == sid, Grant.revoked_at.is_(None))).all()
