"""Catalogue: public services (CPSV-AP), their versions and drafts, and ministry administrators.

Revision ID: 0002_catalogue
Revises: 0001_audit_events
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_catalogue"
down_revision = "0001_audit_events"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [target],
        name=op.f(f"fk_{table}_{column}_{target.split('.')[0]}"),
        ondelete="CASCADE",
    )


def _child(name: str, *columns: sa.Column[object]) -> None:
    """A list of a service ordered by position (documents, steps, fees, channels, laws)."""
    op.create_table(
        name,
        sa.Column("service_id", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *columns,
        _fk(name, "service_id", "catalogue_service.id"),
        sa.PrimaryKeyConstraint("service_id", "position", name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    """Create the catalogue tables."""
    op.create_table(
        "catalogue_authority",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name_fr", sa.Text(), nullable=False),
        sa.Column("name_ar", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_catalogue_authority")),
    )
    op.create_table(
        "catalogue_service",
        sa.Column("id", sa.String(20), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("authority_code", sa.String(40), nullable=False),
        sa.Column("source", sa.String(80), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("theme_fr", sa.String(200), nullable=False),
        sa.Column("theme_ar", sa.String(200), nullable=False),
        sa.Column("title_fr", sa.Text(), nullable=False),
        sa.Column("title_ar", sa.Text(), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.Column("description_ar", sa.Text(), nullable=False),
        sa.Column("eligibility_fr", sa.Text(), nullable=False),
        sa.Column("eligibility_ar", sa.Text(), nullable=False),
        sa.Column("output_fr", sa.Text(), nullable=False),
        sa.Column("output_ar", sa.Text(), nullable=False),
        sa.Column("validity_fr", sa.Text(), nullable=True),
        sa.Column("validity_ar", sa.Text(), nullable=True),
        sa.Column("delay_days", sa.Integer(), nullable=False),
        sa.Column("delay_text_fr", sa.String(200), nullable=False),
        sa.Column("delay_text_ar", sa.String(200), nullable=False),
        sa.Column("digitization_level", sa.Integer(), nullable=False),
        sa.Column("trips_before", sa.Integer(), nullable=False),
        sa.Column("dp_status", sa.String(20), nullable=False),
        sa.Column("cndp_ref", sa.String(60), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_code"],
            ["catalogue_authority.code"],
            name=op.f("fk_catalogue_service_authority_code_catalogue_authority"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_service")),
    )
    op.create_index("ix_catalogue_service_authority_code", "catalogue_service", ["authority_code"])
    for name, column in (
        ("catalogue_service_audience", "audience"),
        ("catalogue_service_life_event", "life_event"),
    ):
        op.create_table(
            name,
            sa.Column("service_id", sa.String(20), nullable=False),
            sa.Column(column, sa.String(40), nullable=False),
            _fk(name, "service_id", "catalogue_service.id"),
            sa.PrimaryKeyConstraint("service_id", column, name=op.f(f"pk_{name}")),
        )
        op.create_index(f"ix_{name}_{column}", name, [column])
    _child(
        "catalogue_evidence",
        sa.Column("name_fr", sa.Text(), nullable=False),
        sa.Column("name_ar", sa.Text(), nullable=False),
        sa.Column("evidence_type", sa.String(60), nullable=True),
        sa.Column("condition_fr", sa.Text(), nullable=True),
        sa.Column("condition_ar", sa.Text(), nullable=True),
    )
    op.create_index("ix_catalogue_evidence_evidence_type", "catalogue_evidence", ["evidence_type"])
    _child(
        "catalogue_step",
        sa.Column("text_fr", sa.Text(), nullable=False),
        sa.Column("text_ar", sa.Text(), nullable=False),
    )
    _child(
        "catalogue_cost",
        sa.Column("amount_mad", sa.Numeric(12, 2), nullable=False),
        sa.Column("label_fr", sa.Text(), nullable=False),
        sa.Column("label_ar", sa.Text(), nullable=False),
    )
    _child(
        "catalogue_channel",
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("text_fr", sa.Text(), nullable=False),
        sa.Column("text_ar", sa.Text(), nullable=False),
        sa.Column("url", sa.String(500), nullable=True),
    )
    _child(
        "catalogue_legal_resource",
        sa.Column("ref", sa.String(120), nullable=False),
        sa.Column("title_fr", sa.Text(), nullable=False),
        sa.Column("title_ar", sa.Text(), nullable=False),
    )
    op.create_table(
        "catalogue_service_version",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("actor_type", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.String(120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        _fk("catalogue_service_version", "service_id", "catalogue_service.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_service_version")),
        sa.UniqueConstraint(
            "service_id", "number", name=op.f("uq_catalogue_service_version_service_id_number")
        ),
    )
    op.create_table(
        "catalogue_draft",
        sa.Column("service_id", sa.String(20), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_catalogue_draft")),
    )
    op.create_table(
        "catalogue_admin",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("disabled_at", _TS, nullable=True),
        sa.Column("last_login_at", _TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_admin")),
        sa.UniqueConstraint("username", name=op.f("uq_catalogue_admin_username")),
    )
    op.create_table(
        "catalogue_admin_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("admin_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        _fk("catalogue_admin_session", "admin_id", "catalogue_admin.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_admin_session")),
    )
    op.create_index("ix_catalogue_admin_session_admin_id", "catalogue_admin_session", ["admin_id"])


def downgrade() -> None:
    """Drop the catalogue tables, children first."""
    op.drop_index("ix_catalogue_admin_session_admin_id", table_name="catalogue_admin_session")
    op.drop_table("catalogue_admin_session")
    op.drop_table("catalogue_admin")
    op.drop_table("catalogue_draft")
    op.drop_table("catalogue_service_version")
    for name in (
        "catalogue_legal_resource",
        "catalogue_channel",
        "catalogue_cost",
        "catalogue_step",
    ):
        op.drop_table(name)
    op.drop_index("ix_catalogue_evidence_evidence_type", table_name="catalogue_evidence")
    op.drop_table("catalogue_evidence")
    for name, column in (
        ("catalogue_service_life_event", "life_event"),
        ("catalogue_service_audience", "audience"),
    ):
        op.drop_index(f"ix_{name}_{column}", table_name=name)
        op.drop_table(name)
    op.drop_index("ix_catalogue_service_authority_code", table_name="catalogue_service")
    op.drop_table("catalogue_service")
    op.drop_table("catalogue_authority")
