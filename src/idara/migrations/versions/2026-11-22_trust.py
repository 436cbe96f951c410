"""Trust service: relying parties, signing keys, requests, grants, tokens, consents, releases.

Revision ID: 0004_trust
Revises: 0003_identity
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_trust"
down_revision = "0003_identity"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column[int]:
    return sa.Column("id", _ID, autoincrement=True, nullable=False)


def _time(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _person_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"],
        ["identity_person.id"],
        name=op.f(f"fk_{table}_person_id_identity_person"),
        ondelete="CASCADE",
    )


def _client_table() -> None:
    texts = ("purpose_fr", "purpose_ar", "legal_basis_fr", "legal_basis_ar")
    names = ("name_fr", "name_ar", "organisation_fr", "organisation_ar")
    op.create_table(
        "trust_client",
        _id(),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        *(sa.Column(n, sa.String(200), nullable=False) for n in names),
        *(sa.Column(n, sa.Text(), nullable=False) for n in texts),
        sa.Column("redirect_uris", sa.JSON(), nullable=False),
        sa.Column("post_logout_redirect_uris", sa.JSON(), nullable=False),
        sa.Column("backchannel_logout_uri", sa.String(500), nullable=True),
        sa.Column("jwks", sa.JSON(), nullable=True),
        sa.Column("jwks_uri", sa.String(500), nullable=True),
        sa.Column("auth_method", sa.String(30), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("allowed_claims", sa.JSON(), nullable=False),
        sa.Column("subject_type", sa.String(10), nullable=False),
        sa.Column("sector_identifier", sa.String(200), nullable=False),
        sa.Column("min_acr", sa.String(12), nullable=False),
        *(
            sa.Column(n, sa.Boolean(), nullable=False)
            for n in ("fapi", "require_par", "require_dpop", "verification_allowed")
        ),
        *(
            sa.Column(n, sa.Integer(), nullable=False)
            for n in ("id_token_ttl_s", "access_token_ttl_s", "refresh_token_ttl_s")
        ),
        sa.Column("userinfo_signed_alg", sa.String(10), nullable=True),
        sa.Column("userinfo_encrypted_alg", sa.String(20), nullable=True),
        sa.Column("userinfo_encrypted_enc", sa.String(20), nullable=True),
        _time("created_at"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_client")),
        sa.UniqueConstraint("client_id", name=op.f("uq_trust_client_client_id")),
    )


def _protocol_tables() -> None:
    op.create_table(
        "trust_signing_key",
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("alg", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("sealed_key", sa.JSON(), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        _time("created_at"),
        _time("activated_at", nullable=True),
        _time("retired_at", nullable=True),
        _time("expires_at", nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_trust_signing_key")),
    )
    op.create_table(
        "trust_authz_request",
        _id(),
        sa.Column("handle", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("dpop_jkt", sa.String(64), nullable=True),
        sa.Column("pushed_handle", sa.String(64), nullable=True),
        sa.Column("session_sid", sa.String(32), nullable=True),
        _time("created_at"),
        _time("expires_at"),
        _time("consumed_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_authz_request")),
        sa.UniqueConstraint("handle", name=op.f("uq_trust_authz_request_handle")),
    )
    op.create_index("ix_trust_authz_request_expires_at", "trust_authz_request", ["expires_at"])
    op.create_table(
        "trust_seen_jti",
        _id(),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("issuer", sa.String(64), nullable=False),
        sa.Column("jti", sa.String(128), nullable=False),
        _time("expires_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_seen_jti")),
        sa.UniqueConstraint(
            "purpose", "issuer", "jti", name=op.f("uq_trust_seen_jti_purpose_issuer_jti")
        ),
    )
    op.create_index(op.f("ix_trust_seen_jti_expires_at"), "trust_seen_jti", ["expires_at"])


def _grant_tables() -> None:
    op.create_table(
        "trust_grant",
        _id(),
        sa.Column("grant_id", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("person_id", _ID, nullable=True),
        sa.Column("sub", sa.String(64), nullable=True),
        sa.Column("scope", sa.String(500), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("acr", sa.String(12), nullable=True),
        sa.Column("amr", sa.JSON(), nullable=False),
        _time("auth_time", nullable=True),
        sa.Column("sid", sa.String(32), nullable=True),
        sa.Column("nonce", sa.String(512), nullable=True),
        sa.Column("redirect_uri", sa.String(500), nullable=True),
        sa.Column("code_challenge", sa.String(128), nullable=True),
        sa.Column("dpop_jkt", sa.String(64), nullable=True),
        sa.Column("code_hash", sa.String(64), nullable=True),
        _time("code_expires_at", nullable=True),
        _time("code_used_at", nullable=True),
        _time("created_at"),
        _time("revoked_at", nullable=True),
        sa.Column("revoked_reason", sa.String(30), nullable=True),
        _person_fk("trust_grant"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_grant")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_trust_grant_code_hash")),
        sa.UniqueConstraint("grant_id", name=op.f("uq_trust_grant_grant_id")),
    )
    op.create_index("ix_trust_grant_person", "trust_grant", ["person_id", "created_at"])
    op.create_index("ix_trust_grant_sid", "trust_grant", ["sid"])
    op.create_table(
        "trust_token",
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("grant_id", _ID, nullable=False),
        sa.Column("jkt", sa.String(64), nullable=True),
        sa.Column("scope", sa.String(500), nullable=False),
        _time("created_at"),
        _time("expires_at"),
        _time("used_at", nullable=True),
        _time("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["trust_grant.id"],
            name=op.f("fk_trust_token_grant_id_trust_grant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_trust_token_token_hash")),
    )
    op.create_index(op.f("ix_trust_token_grant_id"), "trust_token", ["grant_id"])


def _citizen_tables() -> None:
    op.create_table(
        "trust_consent",
        _id(),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("person_id", _ID, nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        _time("granted_at"),
        _time("expires_at"),
        _time("revoked_at", nullable=True),
        _person_fk("trust_consent"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_consent")),
        sa.UniqueConstraint("reference", name=op.f("uq_trust_consent_reference")),
    )
    op.create_index("ix_trust_consent_person_client", "trust_consent", ["person_id", "client_id"])
    op.create_table(
        "trust_claim_release",
        _id(),
        sa.Column("person_id", _ID, nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("consent_reference", sa.String(32), nullable=True),
        _time("released_at"),
        _person_fk("trust_claim_release"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_claim_release")),
    )
    op.create_index(
        "ix_trust_claim_release_person", "trust_claim_release", ["person_id", "released_at"]
    )


def upgrade() -> None:
    """Create the trust service's tables."""
    _client_table()
    _protocol_tables()
    _grant_tables()
    _citizen_tables()


def downgrade() -> None:
    """Drop them, dependants first."""
    op.drop_index("ix_trust_claim_release_person", table_name="trust_claim_release")
    op.drop_table("trust_claim_release")
    op.drop_index("ix_trust_consent_person_client", table_name="trust_consent")
    op.drop_table("trust_consent")
    op.drop_index(op.f("ix_trust_token_grant_id"), table_name="trust_token")
    op.drop_table("trust_token")
    op.drop_index("ix_trust_grant_sid", table_name="trust_grant")
    op.drop_index("ix_trust_grant_person", table_name="trust_grant")
    op.drop_table("trust_grant")
    op.drop_index(op.f("ix_trust_seen_jti_expires_at"), table_name="trust_seen_jti")
    op.drop_table("trust_seen_jti")
    op.drop_index("ix_trust_authz_request_expires_at", table_name="trust_authz_request")
    op.drop_table("trust_authz_request")
    op.drop_table("trust_signing_key")
    op.drop_table("trust_client")
