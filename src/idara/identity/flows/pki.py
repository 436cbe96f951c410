"""National PKI operations: set up the CAs, issue and revoke cards, publish the CRL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from idara.identity import card_crypto, pki
from idara.identity.keystore import FileKeyStore, KeyStore
from idara.identity.models import Card, CertificateAuthority, Person
from idara.identity.service import cards
from idara.settings import Settings

ROOT, ISSUING = "root", "issuing"
ROOT_KEY_ID, ISSUING_KEY_ID = "root-ca-1", "issuing-ca-1"
CRL_LIFETIME = timedelta(days=1)


def key_store(settings: Settings) -> FileKeyStore:
    """The file key store in data_dir/pki (or IDARA_IDENTITY__KEY_DIR)."""
    directory = settings.identity.key_dir or settings.data_dir / "pki"
    return FileKeyStore(directory, settings.identity.ca_passphrase.get_secret_value().encode())


@dataclass(frozen=True, slots=True)
class Pki:
    """The two CAs."""

    root: CertificateAuthority
    issuing: CertificateAuthority


def ensure_pki(db: Session, store: KeyStore, *, now: datetime) -> Pki:
    """The root and issuing CAs, created (keys, certificates, empty CRL) on first use."""
    root, issuing = cards.get_ca(db, name=ROOT), cards.get_ca(db, name=ISSUING)
    if root is None:
        if not store.exists(ROOT_KEY_ID):
            store.create(ROOT_KEY_ID)
        der = pki.build_root(store, ROOT_KEY_ID, now=now)
        facts = pki.facts(der)
        root = cards.add_ca(
            db, name=ROOT, key_id=ROOT_KEY_ID, certificate=der, serial=facts.serial,
            not_after=facts.not_after, now=now,
        )  # fmt: skip
    if issuing is None:
        if not store.exists(ISSUING_KEY_ID):
            store.create(ISSUING_KEY_ID)
        der = pki.build_issuing(
            store, ISSUING_KEY_ID, root_key_id=root.key_id, root_der=root.certificate, now=now
        )
        facts = pki.facts(der)
        issuing = cards.add_ca(
            db, name=ISSUING, key_id=ISSUING_KEY_ID, certificate=der, serial=facts.serial,
            not_after=facts.not_after, now=now,
        )  # fmt: skip
        publish_crl(db, store, issuing, now=now)
    return Pki(root=root, issuing=issuing)


def publish_crl(db: Session, store: KeyStore, ca: CertificateAuthority, *, now: datetime) -> bytes:
    """Sign a new CRL of the issuing CA with every revoked card, and keep it."""
    revoked = [
        pki.Revocation(card.serial, card.revoked_at or now, card.revocation_reason or "revoked")
        for card in cards.revoked_cards(db, issuer_id=ca.id)
    ]
    number = cards.next_crl_number(db, ca)
    der = pki.build_crl(
        store, issuer_key_id=ca.key_id, issuer_der=ca.certificate, revoked=revoked,
        number=number, now=now, next_update=now + CRL_LIFETIME,
    )  # fmt: skip
    ca.crl, ca.crl_next_update = der, now + CRL_LIFETIME
    db.flush()
    return der


def current_crl(db: Session, store: KeyStore, *, now: datetime) -> bytes:
    """The issuing CA's CRL, re-signed when it is within an hour of its next update."""
    issuing = ensure_pki(db, store, now=now).issuing
    if (
        issuing.crl is None
        or issuing.crl_next_update is None
        or (issuing.crl_next_update - now < timedelta(hours=1))
    ):
        return publish_crl(db, store, issuing, now=now)
    return issuing.crl


@dataclass(frozen=True, slots=True)
class IssuedCard:
    """A new virtual card: its record and the content of its file."""

    card: Card
    file: dict[str, Any]


def issue_card(
    db: Session,
    store: KeyStore,
    settings: Settings,
    *,
    person: Person,
    pin: str,
    puk: str,
    now: datetime,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> IssuedCard:
    """Personalise a virtual card: key pair, certificate, sealed file; older cards revoked."""
    issuing = ensure_pki(db, store, now=now).issuing
    key = card_crypto.CardKey.generate()
    expires = datetime.combine(person.card_expires_on, time(23, 59, 59), tzinfo=UTC)
    # The chip's certificate lives as long as the card (an expired card keeps its dates).
    issued = datetime.combine(person.card_issued_on, time(0, 0), tzinfo=UTC)
    der = pki.build_card_certificate(
        store,
        issuer_key_id=issuing.key_id,
        issuer_der=issuing.certificate,
        card_public_key=key.public_key(),
        cin=person.cin,
        first_name=person.first_name,
        last_name=person.last_name,
        not_before=not_before or min(now - timedelta(minutes=1), issued),
        not_after=not_after
        or min(expires, now + timedelta(days=settings.identity.card_validity_days)),
        base_url=settings.public_origin,
    )
    facts = pki.facts(der)
    superseded = [c for c in cards.cards_of(db, person_id=person.id) if c.status == cards.ACTIVE]
    card = cards.add_card(
        db, person=person, issuer=issuing, serial=facts.serial, certificate=der,
        not_before=facts.not_before, not_after=facts.not_after, now=now,
    )  # fmt: skip
    for old in superseded:
        cards.revoke(db, old, reason="superseded", now=now)
    if superseded:
        publish_crl(db, store, issuing, now=now)
    content = card_crypto.new_card(
        key, card_number=person.card_number, cin=person.cin, certificate=der,
        chain=[issuing.certificate], pin=pin, puk=puk,
        iterations=settings.identity.pin_kdf_iterations,
    )  # fmt: skip
    return IssuedCard(card=card, file=content)


def revoke_card(db: Session, store: KeyStore, card: Card, *, reason: str, now: datetime) -> None:
    """Revoke a card certificate and publish the CRL at once."""
    cards.revoke(db, card, reason=reason, now=now)
    issuing = ensure_pki(db, store, now=now).issuing
    publish_crl(db, store, issuing, now=now)


@dataclass(frozen=True, slots=True)
class CertificateStatus:
    """The answer of the status endpoint (an OCSP-like good / revoked / unknown)."""

    serial: str
    status: str
    revoked_at: datetime | None = None
    reason: str | None = None


def certificate_status(db: Session, *, serial: str) -> CertificateStatus:
    """Whether a card certificate is good, revoked, or not one of ours."""
    card = cards.card_by_serial(db, serial=serial)
    if card is None:
        return CertificateStatus(serial=serial.lower(), status="unknown")
    if card.status == cards.REVOKED:
        return CertificateStatus(
            serial=card.serial, status="revoked", revoked_at=card.revoked_at,
            reason=card.revocation_reason,
        )  # fmt: skip
    return CertificateStatus(serial=card.serial, status="good")


def write_card_file(path: Path, content: dict[str, Any]) -> None:
    """Write a card file (mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    card_crypto.write_card(path, content)
