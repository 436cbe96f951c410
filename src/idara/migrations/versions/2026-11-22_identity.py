"""Identity: server-side sessions, the registry of persons, the PKI, cards, logins in flight.

Revision ID: 0003_identity
Revises: 0002_catalogue
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_identity"
down_revision = "0002_catalogue"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", _ID, primary_key=True, autoincrement=True)


def _fk(table: str, column: str, target: str, *, cascade: bool = True) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE" if cascade else None,
    )


def _unique(table: str, column: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(column, name=op.f(f"uq_{table}_{column}"))


def upgrade() -> None:
    """Create the session and identity tables."""
    op.create_table(
        "web_session",
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("sid", sa.String(32), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("last_seen_at", _TS, nullable=False),
        sa.Column("idle_expires_at", _TS, nullable=False),
        sa.Column("absolute_expires_at", _TS, nullable=False),
        sa.Column("subject_type", sa.String(20), nullable=True),
        sa.Column("subject_id", sa.String(64), nullable=True),
        sa.Column("acr", sa.String(20), nullable=True),
        sa.Column("amr", sa.JSON(), nullable=False),
        sa.Column("auth_time", _TS, nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        _unique("web_session", "token_hash"),
        _unique("web_session", "sid"),
    )
    op.create_index("ix_web_session_subject", "web_session", ["subject_type", "subject_id"])
    op.create_index("ix_web_session_absolute_expires_at", "web_session", ["absolute_expires_at"])
    op.create_table(
        "identity_person",
        _id(),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("cin", sa.String(10), nullable=False),
        sa.Column("first_name", sa.String(60), nullable=False),
        sa.Column("last_name", sa.String(60), nullable=False),
        sa.Column("first_name_ar", sa.String(60), nullable=False),
        sa.Column("last_name_ar", sa.String(60), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("birth_commune", sa.String(10), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("street", sa.String(120), nullable=False),
        sa.Column("street_ar", sa.String(120), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("province_code", sa.String(5), nullable=False),
        sa.Column("commune_code", sa.String(10), nullable=False),
        sa.Column("phone", sa.String(16), nullable=True),
        sa.Column("photo_ref", sa.String(200), nullable=True),
        sa.Column("card_number", sa.String(12), nullable=False),
        sa.Column("card_issued_on", sa.Date(), nullable=False),
        sa.Column("card_expires_on", sa.Date(), nullable=False),
        sa.Column("card_status", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_person")),
        _unique("identity_person", "public_id"),
        # The unique index is also what makes a lookup by CIN fast with millions of persons.
        _unique("identity_person", "cin"),
        _unique("identity_person", "card_number"),
    )
    op.create_table(
        "identity_ca",
        _id(),
        sa.Column("name", sa.String(20), nullable=False),
        sa.Column("key_id", sa.String(80), nullable=False),
        sa.Column("certificate", sa.LargeBinary(), nullable=False),
        sa.Column("serial", sa.String(40), nullable=False),
        sa.Column("not_after", _TS, nullable=False),
        sa.Column("crl_number", sa.Integer(), nullable=False),
        sa.Column("crl", sa.LargeBinary(), nullable=True),
        sa.Column("crl_next_update", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_ca")),
        _unique("identity_ca", "name"),
    )
    op.create_table(
        "identity_card",
        _id(),
        sa.Column("person_id", _ID, nullable=False),
        sa.Column("issuer_id", _ID, nullable=False),
        sa.Column("card_number", sa.String(12), nullable=False),
        sa.Column("serial", sa.String(40), nullable=False),
        sa.Column("certificate", sa.LargeBinary(), nullable=False),
        sa.Column("not_before", _TS, nullable=False),
        sa.Column("not_after", _TS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.Column("revocation_reason", sa.String(30), nullable=True),
        sa.Column("pin_failures", sa.Integer(), nullable=False),
        sa.Column("blocked_at", _TS, nullable=True),
        sa.Column("issued_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_card")),
        _fk("identity_card", "person_id", "identity_person"),
        _fk("identity_card", "issuer_id", "identity_ca", cascade=False),
        _unique("identity_card", "serial"),
    )
    op.create_index("ix_identity_card_person_id", "identity_card", ["person_id"])
    op.create_table(
        "identity_card_challenge",
        _id(),
        sa.Column("session_id", _ID, nullable=False),
        sa.Column("nonce_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("used_at", _TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_card_challenge")),
        _fk("identity_card_challenge", "session_id", "web_session"),
        _unique("identity_card_challenge", "nonce_hash"),
    )
    op.create_index(
        "ix_identity_card_challenge_session_id", "identity_card_challenge", ["session_id"]
    )
    op.create_table(
        "identity_app_request",
        _id(),
        sa.Column("session_id", _ID, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("person_id", _ID, nullable=True),
        sa.Column("card_id", _ID, nullable=True),
        sa.Column("approved_at", _TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_app_request")),
        _fk("identity_app_request", "session_id", "web_session"),
        _fk("identity_app_request", "person_id", "identity_person"),
        _fk("identity_app_request", "card_id", "identity_card"),
        _unique("identity_app_request", "code_hash"),
    )
    op.create_index("ix_identity_app_request_session_id", "identity_app_request", ["session_id"])
    op.create_table(
        "identity_otp",
        _id(),
        sa.Column("session_id", _ID, nullable=False),
        sa.Column("person_id", _ID, nullable=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", _TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_otp")),
        _fk("identity_otp", "session_id", "web_session"),
        _fk("identity_otp", "person_id", "identity_person"),
    )
    op.create_index("ix_identity_otp_session_id", "identity_otp", ["session_id"])


def downgrade() -> None:
    """Drop the identity and session tables, dependants first."""
    op.drop_index("ix_identity_otp_session_id", table_name="identity_otp")
    op.drop_table("identity_otp")
    op.drop_index("ix_identity_app_request_session_id", table_name="identity_app_request")
    op.drop_table("identity_app_request")
    op.drop_index("ix_identity_card_challenge_session_id", table_name="identity_card_challenge")
    op.drop_table("identity_card_challenge")
    op.drop_index("ix_identity_card_person_id", table_name="identity_card")
    op.drop_table("identity_card")
    op.drop_table("identity_ca")
    op.drop_table("identity_person")
    op.drop_index("ix_web_session_absolute_expires_at", table_name="web_session")
    op.drop_index("ix_web_session_subject", table_name="web_session")
    op.drop_table("web_session")
