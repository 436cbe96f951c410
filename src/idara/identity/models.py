"""Identity tables: persons, certification authorities, cards, and login attempts in flight."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from idara.db import Base, UTCDateTime

_ID = BigInteger().with_variant(Integer(), "sqlite")


class Person(Base):
    """A person of the national registry, with their identity card as the registry knows it."""

    __tablename__ = "identity_person"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    # What other tables and sessions name: never the CIN, which is personal data.
    public_id: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    cin: Mapped[str] = mapped_column(String(10), nullable=False, unique=True)
    first_name: Mapped[str] = mapped_column(String(60), nullable=False)
    last_name: Mapped[str] = mapped_column(String(60), nullable=False)
    first_name_ar: Mapped[str] = mapped_column(String(60), nullable=False)
    last_name_ar: Mapped[str] = mapped_column(String(60), nullable=False)
    birth_date: Mapped[date] = mapped_column(Date, nullable=False)
    birth_commune: Mapped[str] = mapped_column(String(10), nullable=False)
    sex: Mapped[str] = mapped_column(String(1), nullable=False)
    street: Mapped[str] = mapped_column(String(120), nullable=False)
    street_ar: Mapped[str] = mapped_column(String(120), nullable=False)
    region_code: Mapped[str] = mapped_column(String(2), nullable=False)
    province_code: Mapped[str] = mapped_column(String(5), nullable=False)
    commune_code: Mapped[str] = mapped_column(String(10), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(16))
    photo_ref: Mapped[str | None] = mapped_column(String(200))
    card_number: Mapped[str] = mapped_column(String(12), nullable=False, unique=True)
    card_issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    card_expires_on: Mapped[date] = mapped_column(Date, nullable=False)
    card_status: Mapped[str] = mapped_column(String(10), nullable=False)


class CertificateAuthority(Base):
    """A CA of the national PKI; its private key lives in the key store, never here."""

    __tablename__ = "identity_ca"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    key_id: Mapped[str] = mapped_column(String(80), nullable=False)
    certificate: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    serial: Mapped[str] = mapped_column(String(40), nullable=False)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    crl_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The latest published CRL, re-signed when a card is revoked or it nears its next update.
    crl: Mapped[bytes | None] = mapped_column(LargeBinary)
    crl_next_update: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class Card(Base):
    """A card certificate issued to a person (the chip's key pair), its status and PIN counter."""

    __tablename__ = "identity_card"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("identity_person.id", ondelete="CASCADE"), nullable=False, index=True
    )
    issuer_id: Mapped[int] = mapped_column(ForeignKey("identity_ca.id"), nullable=False)
    card_number: Mapped[str] = mapped_column(String(12), nullable=False)
    serial: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    certificate: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(String(30))
    # Wrong PINs presented online (the demo reader): a copied card file cannot reset it.
    pin_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class CardChallenge(Base):
    """A one-time challenge nonce bound to a login session (only its SHA-256 is kept)."""

    __tablename__ = "identity_card_challenge"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("web_session.id", ondelete="CASCADE"), nullable=False, index=True
    )
    nonce_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AppRequest(Base):
    """A mobile-app login: the code in the QR, bound to the page's session, then approved."""

    __tablename__ = "identity_app_request"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("web_session.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("identity_person.id", ondelete="CASCADE")
    )
    card_id: Mapped[int | None] = mapped_column(ForeignKey("identity_card.id", ondelete="CASCADE"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OneTimeCode(Base):
    """A one-time code sent by SMS; the person is empty when the CIN matched nobody."""

    __tablename__ = "identity_otp"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("web_session.id", ondelete="CASCADE"), nullable=False, index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("identity_person.id", ondelete="CASCADE")
    )
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
