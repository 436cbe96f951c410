"""Trust service tables: relying parties, signing keys, requests, grants, tokens, consents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from idara.db import Base, UTCDateTime

_ID = BigInteger().with_variant(Integer(), "sqlite")


class Client(Base):
    """A relying party onboarded by the ministry, with the legal basis that bounds its claims."""

    __tablename__ = "trust_client"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    status: Mapped[str] = mapped_column(String(12), nullable=False)
    name_fr: Mapped[str] = mapped_column(String(200), nullable=False)
    name_ar: Mapped[str] = mapped_column(String(200), nullable=False)
    organisation_fr: Mapped[str] = mapped_column(String(200), nullable=False)
    organisation_ar: Mapped[str] = mapped_column(String(200), nullable=False)
    purpose_fr: Mapped[str] = mapped_column(Text, nullable=False)
    purpose_ar: Mapped[str] = mapped_column(Text, nullable=False)
    legal_basis_fr: Mapped[str] = mapped_column(Text, nullable=False)
    legal_basis_ar: Mapped[str] = mapped_column(Text, nullable=False)
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    post_logout_redirect_uris: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    backchannel_logout_uri: Mapped[str | None] = mapped_column(String(500))
    jwks: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    jwks_uri: Mapped[str | None] = mapped_column(String(500))
    auth_method: Mapped[str] = mapped_column(String(30), nullable=False)
    # SHA-256 of a server-generated 256-bit secret: a slow hash adds nothing to such entropy.
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    allowed_claims: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    subject_type: Mapped[str] = mapped_column(String(10), nullable=False)
    sector_identifier: Mapped[str] = mapped_column(String(200), nullable=False)
    min_acr: Mapped[str] = mapped_column(String(12), nullable=False)
    fapi: Mapped[bool] = mapped_column(Boolean, nullable=False)
    require_par: Mapped[bool] = mapped_column(Boolean, nullable=False)
    require_dpop: Mapped[bool] = mapped_column(Boolean, nullable=False)
    verification_allowed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    id_token_ttl_s: Mapped[int] = mapped_column(Integer, nullable=False)
    access_token_ttl_s: Mapped[int] = mapped_column(Integer, nullable=False)
    refresh_token_ttl_s: Mapped[int] = mapped_column(Integer, nullable=False)
    userinfo_signed_alg: Mapped[str | None] = mapped_column(String(10))
    userinfo_encrypted_alg: Mapped[str | None] = mapped_column(String(20))
    userinfo_encrypted_enc: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class SigningKey(Base):
    """One of the provider's signing keys: next, current, or retired until its tokens expire."""

    __tablename__ = "trust_signing_key"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False)
    # A sealed box under the trust passphrase (see trust.keys); the public half is published.
    sealed_key: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A retired key stays published until every token it signed has expired.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuthorizationRequest(Base):
    """A validated authorization request: pushed (RFC 9126) or waiting for login and consent."""

    __tablename__ = "trust_authz_request"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    handle: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    dpop_jkt: Mapped[str | None] = mapped_column(String(64))
    pushed_handle: Mapped[str | None] = mapped_column(String(64))
    # The browser session the request was started in: only it may resume and consent.
    session_sid: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_trust_authz_request_expires_at", "expires_at"),)


class Grant(Base):
    """What one authorization produced: its single-use code, then the tokens issued from it."""

    __tablename__ = "trust_grant"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    grant_id: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("identity_person.id", ondelete="CASCADE")
    )
    sub: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(500), nullable=False)
    claims: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    acr: Mapped[str | None] = mapped_column(String(12))
    amr: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    auth_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sid: Mapped[str | None] = mapped_column(String(32))
    nonce: Mapped[str | None] = mapped_column(String(512))
    redirect_uri: Mapped[str | None] = mapped_column(String(500))
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    dpop_jkt: Mapped[str | None] = mapped_column(String(64))
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    code_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(30))

    __table_args__ = (
        Index("ix_trust_grant_person", "person_id", "created_at"),
        Index("ix_trust_grant_sid", "sid"),
    )


class Token(Base):
    """An access or refresh token; only its SHA-256 is stored."""

    __tablename__ = "trust_token"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("trust_grant.id", ondelete="CASCADE"), nullable=False, index=True
    )
    jkt: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(500), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # A refresh token is used once: it is rotated, and a second use revokes the grant.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SeenJti(Base):
    """JWT ids already accepted (client assertions, DPoP proofs), kept until they expire."""

    __tablename__ = "trust_seen_jti"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    purpose: Mapped[str] = mapped_column(String(10), nullable=False)
    issuer: Mapped[str] = mapped_column(String(64), nullable=False)
    jti: Mapped[str] = mapped_column(String(128), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)

    __table_args__ = (UniqueConstraint("purpose", "issuer", "jti"),)


class Consent(Base):
    """A citizen's consent to release named claims to a client, until it expires or is revoked."""

    __tablename__ = "trust_consent"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("identity_person.id", ondelete="CASCADE"), nullable=False
    )
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    claims: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_trust_consent_person_client", "person_id", "client_id"),)


class ClaimRelease(Base):
    """One release of claims (their names, never their values) to a client, for the citizen."""

    __tablename__ = "trust_claim_release"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("identity_person.id", ondelete="CASCADE"), nullable=False
    )
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    channel: Mapped[str] = mapped_column(String(12), nullable=False)
    claims: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    consent_reference: Mapped[str | None] = mapped_column(String(32))
    released_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    __table_args__ = (Index("ix_trust_claim_release_person", "person_id", "released_at"),)
