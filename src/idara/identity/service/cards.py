"""The PKI's records: certification authorities and card certificates with their status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.identity.models import Card, CertificateAuthority, Person

ACTIVE = "active"
REVOKED = "revoked"
# Registry card statuses (identity_person.card_status).
CARD_STATUSES = ("active", "lost", "revoked", "expired")


def get_ca(db: Session, *, name: str) -> CertificateAuthority | None:
    """The CA of this name (root or issuing)."""
    return db.scalars(select(CertificateAuthority).where(CertificateAuthority.name == name)).first()


def add_ca(
    db: Session,
    *,
    name: str,
    key_id: str,
    certificate: bytes,
    serial: str,
    not_after: datetime,
    now: datetime,
) -> CertificateAuthority:
    """Record a CA whose key is in the key store."""
    ca = CertificateAuthority(
        name=name,
        key_id=key_id,
        certificate=certificate,
        serial=serial,
        not_after=not_after,
        crl_number=0,
        created_at=now,
    )
    db.add(ca)
    db.flush()
    return ca


def issuing_certificates(db: Session) -> list[bytes]:
    """The certificates of the CAs that issue cards (the trust anchors of card logins)."""
    return list(
        db.scalars(
            select(CertificateAuthority.certificate).where(CertificateAuthority.name == "issuing")
        )
    )


def add_card(
    db: Session,
    *,
    person: Person,
    issuer: CertificateAuthority,
    serial: str,
    certificate: bytes,
    not_before: datetime,
    not_after: datetime,
    now: datetime,
) -> Card:
    """Record a card certificate issued to a person."""
    card = Card(
        person_id=person.id,
        issuer_id=issuer.id,
        card_number=person.card_number,
        serial=serial,
        certificate=certificate,
        not_before=not_before,
        not_after=not_after,
        status=ACTIVE,
        pin_failures=0,
        issued_at=now,
    )
    db.add(card)
    db.flush()
    return card


def card_by_serial(db: Session, *, serial: str) -> Card | None:
    """The card whose certificate has this serial (hex, lower case)."""
    return db.scalars(select(Card).where(Card.serial == serial.lower())).first()


def cards_of(db: Session, *, person_id: int) -> Sequence[Card]:
    """A person's cards, newest first."""
    return db.scalars(
        select(Card).where(Card.person_id == person_id).order_by(Card.id.desc())
    ).all()


def revoke(db: Session, card: Card, *, reason: str, now: datetime) -> None:
    """Revoke a card certificate (it goes on the next CRL)."""
    if card.status != REVOKED:
        card.status = REVOKED
        card.revoked_at = now
        card.revocation_reason = reason
        db.flush()


def revoked_cards(db: Session, *, issuer_id: int) -> Sequence[Card]:
    """The revoked cards of an issuing CA, for its CRL."""
    return db.scalars(
        select(Card)
        .where(Card.issuer_id == issuer_id, Card.status == REVOKED)
        .order_by(Card.revoked_at)
    ).all()


def next_crl_number(db: Session, ca: CertificateAuthority) -> int:
    """Increment and return the CA's CRL number (RFC 5280 §5.2.3: monotonically increasing)."""
    ca.crl_number += 1
    db.flush()
    return ca.crl_number


def record_pin_failure(db: Session, card: Card, *, limit: int, now: datetime) -> int:
    """Count a wrong PIN presented online; blocks the card at the limit. Returns tries left."""
    card.pin_failures += 1
    if card.pin_failures >= limit and card.blocked_at is None:
        card.blocked_at = now
    db.flush()
    return max(0, limit - card.pin_failures)


def reset_pin_failures(db: Session, card: Card) -> None:
    """A right PIN, or the PUK: the online counter starts again."""
    if card.pin_failures or card.blocked_at is not None:
        card.pin_failures = 0
        card.blocked_at = None
        db.flush()
