"""Signing-key rotation: a current key, a next key already published, retired keys kept.

RFC 7517 key sets with OpenID Connect Core §10.1.1 rotation: relying parties cache the JWKS,
so the next key is published before it signs anything, and a retired key stays published
until every token it signed has expired (the longest lifetime a client may register).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from idara.settings import TrustSettings
from idara.trust import keys
from idara.trust.models import SigningKey

NEXT = "next"
CURRENT = "current"
RETIRED = "retired"


def _new(db: Session, settings: TrustSettings, *, status: str, now: datetime) -> SigningKey:
    fresh = keys.generate(
        settings.key_passphrase.get_secret_value(), iterations=settings.key_kdf_iterations
    )
    row = SigningKey(
        kid=fresh.kid,
        alg="ES256",
        status=status,
        sealed_key=fresh.sealed,
        public_jwk=fresh.public_jwk,
        created_at=now,
        activated_at=now if status == CURRENT else None,
    )
    db.add(row)
    db.flush()
    return row


def _with_status(db: Session, status: str) -> SigningKey | None:
    return db.scalars(
        select(SigningKey).where(SigningKey.status == status).order_by(SigningKey.created_at)
    ).first()


def ensure(db: Session, settings: TrustSettings, *, now: datetime) -> SigningKey:
    """The current key, creating the current and next keys on first use."""
    current = _with_status(db, CURRENT)
    if current is None:
        current = _new(db, settings, status=CURRENT, now=now)
    if _with_status(db, NEXT) is None:
        _new(db, settings, status=NEXT, now=now)
    return current


def signing_key(db: Session, settings: TrustSettings, *, now: datetime) -> keys.PrivateKey:
    """The private key to sign with now (unsealed once per process, see keys.unseal)."""
    row = ensure(db, settings, now=now)
    return keys.unseal(row.kid, row.sealed_key, settings.key_passphrase.get_secret_value())


def rotate(db: Session, settings: TrustSettings, *, now: datetime) -> tuple[str, str]:
    """Retire the current key, promote the next one, create a new next; returns (old, new)."""
    current = ensure(db, settings, now=now)
    promoted = _with_status(db, NEXT)
    assert promoted is not None  # ensure() created it
    current.status = RETIRED
    current.retired_at = now
    current.expires_at = now + timedelta(seconds=settings.max_token_lifetime_s)
    promoted.status = CURRENT
    promoted.activated_at = now
    db.flush()
    _new(db, settings, status=NEXT, now=now)
    purge(db, now=now)
    return current.kid, promoted.kid


def purge(db: Session, *, now: datetime) -> int:
    """Forget retired keys once everything they signed has expired."""
    result = db.execute(
        delete(SigningKey).where(SigningKey.status == RETIRED, SigningKey.expires_at <= now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def published(db: Session, *, now: datetime) -> Sequence[SigningKey]:
    """The keys in the JWKS: next, current and retired-but-not-expired."""
    rows = db.scalars(select(SigningKey).order_by(SigningKey.created_at)).all()
    return [r for r in rows if r.status != RETIRED or (r.expires_at and r.expires_at > now)]


def jwks(db: Session, *, now: datetime) -> dict[str, Any]:
    """The provider's JWK set (RFC 7517 §5)."""
    return {"keys": [dict(row.public_jwk) for row in published(db, now=now)]}
