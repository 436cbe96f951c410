"""Consents and releases: what a citizen agreed to share with whom, and what was shared.

A consent names claims (never values) and expires; a remembered consent covers a later
request when it names every claim asked for. Releases are appended each time claims leave
the provider (ID token, userinfo, verification) so the citizen can see them in their space.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.trust.models import ClaimRelease, Consent


def active(db: Session, *, person_id: int, client_id: str, now: datetime) -> Consent | None:
    """The newest unexpired, unrevoked consent of a person to a client."""
    return db.scalars(
        select(Consent)
        .where(
            Consent.person_id == person_id,
            Consent.client_id == client_id,
            Consent.revoked_at.is_(None),
            Consent.expires_at > now,
        )
        .order_by(Consent.granted_at.desc(), Consent.id.desc())
    ).first()


def covers(consent: Consent | None, claims: Iterable[str]) -> bool:
    """Whether a consent already names every one of these claims."""
    return consent is not None and set(claims) <= set(consent.claims)


def grant(
    db: Session,
    *,
    person_id: int,
    client_id: str,
    claims: Iterable[str],
    now: datetime,
    ttl_days: int,
) -> Consent:
    """Record a consent (replacing, not widening, the previous one)."""
    previous = active(db, person_id=person_id, client_id=client_id, now=now)
    if previous is not None:
        previous.revoked_at = now
    row = Consent(
        reference=secrets.token_hex(12),
        person_id=person_id,
        client_id=client_id,
        claims=sorted(set(claims)),
        granted_at=now,
        expires_at=now + timedelta(days=ttl_days),
    )
    db.add(row)
    db.flush()
    return row


def by_reference(db: Session, *, reference: str) -> Consent | None:
    """A consent by its public reference."""
    if not reference or len(reference) > 64:
        return None
    return db.scalars(select(Consent).where(Consent.reference == reference)).first()


def revoke(db: Session, consent: Consent, *, now: datetime) -> None:
    """Withdraw a consent."""
    if consent.revoked_at is None:
        consent.revoked_at = now
        db.flush()


def of_person(db: Session, *, person_id: int, now: datetime) -> Sequence[Consent]:
    """A citizen's live consents, newest first."""
    return db.scalars(
        select(Consent)
        .where(
            Consent.person_id == person_id,
            Consent.revoked_at.is_(None),
            Consent.expires_at > now,
        )
        .order_by(Consent.granted_at.desc())
    ).all()


def record_release(
    db: Session,
    *,
    person_id: int,
    client_id: str,
    channel: str,
    claims: Iterable[str],
    consent_reference: str | None,
    now: datetime,
) -> ClaimRelease:
    """Append one release of claims (names only)."""
    row = ClaimRelease(
        person_id=person_id,
        client_id=client_id,
        channel=channel,
        claims=sorted(set(claims)),
        consent_reference=consent_reference,
        released_at=now,
    )
    db.add(row)
    db.flush()
    return row


def releases_of(db: Session, *, person_id: int, limit: int = 100) -> Sequence[ClaimRelease]:
    """What was shared about a citizen, newest first."""
    return db.scalars(
        select(ClaimRelease)
        .where(ClaimRelease.person_id == person_id)
        .order_by(ClaimRelease.released_at.desc(), ClaimRelease.id.desc())
        .limit(limit)
    ).all()
