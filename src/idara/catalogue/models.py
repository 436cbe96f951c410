"""Catalogue tables, named after the EU Core Public Service Vocabulary (CPSV-AP) classes.

A published public service is spread over relational tables so that the exchange, the
procedures and the law 55-19 report can query it (which services ask for a birth
certificate?). Each publication also keeps the whole record as JSON in a version row:
history, diffs and rollback need the exact text that was published.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idara.db import Base, UTCDateTime, utcnow

_ID = BigInteger().with_variant(Integer(), "sqlite")


def _service_fk() -> ForeignKey:
    return ForeignKey("catalogue_service.id", ondelete="CASCADE")


class Authority(Base):
    """cv:PublicOrganisation, the competent authority of services."""

    __tablename__ = "catalogue_authority"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_fr: Mapped[str] = mapped_column(Text, nullable=False)
    name_ar: Mapped[str] = mapped_column(Text, nullable=False)


class Service(Base):
    """cpsv:PublicService as currently published."""

    __tablename__ = "catalogue_service"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), nullable=False)
    authority_code: Mapped[str] = mapped_column(
        String(40), ForeignKey("catalogue_authority.code"), index=True, nullable=False
    )
    source: Mapped[str] = mapped_column(String(80), nullable=False)
    priority: Mapped[bool] = mapped_column(Boolean, nullable=False)
    theme_fr: Mapped[str] = mapped_column(String(200), nullable=False)
    theme_ar: Mapped[str] = mapped_column(String(200), nullable=False)
    title_fr: Mapped[str] = mapped_column(Text, nullable=False)
    title_ar: Mapped[str] = mapped_column(Text, nullable=False)
    description_fr: Mapped[str] = mapped_column(Text, nullable=False)
    description_ar: Mapped[str] = mapped_column(Text, nullable=False)
    eligibility_fr: Mapped[str] = mapped_column(Text, nullable=False)
    eligibility_ar: Mapped[str] = mapped_column(Text, nullable=False)
    output_fr: Mapped[str] = mapped_column(Text, nullable=False)
    output_ar: Mapped[str] = mapped_column(Text, nullable=False)
    validity_fr: Mapped[str | None] = mapped_column(Text)
    validity_ar: Mapped[str | None] = mapped_column(Text)
    delay_days: Mapped[int] = mapped_column(Integer, nullable=False)
    delay_text_fr: Mapped[str] = mapped_column(String(200), nullable=False)
    delay_text_ar: Mapped[str] = mapped_column(String(200), nullable=False)
    digitization_level: Mapped[int] = mapped_column(Integer, nullable=False)
    trips_before: Mapped[int] = mapped_column(Integer, nullable=False)
    dp_status: Mapped[str] = mapped_column(String(20), nullable=False)
    cndp_ref: Mapped[str | None] = mapped_column(String(60))
    aliases: Mapped[dict[str, list[str]]] = mapped_column(JSON, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    authority: Mapped[Authority] = relationship(lazy="joined")
    audiences: Mapped[list[ServiceAudience]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceAudience.audience"
    )
    life_events: Mapped[list[ServiceLifeEvent]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceLifeEvent.life_event"
    )
    evidences: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", order_by="Evidence.position"
    )
    steps: Mapped[list[Step]] = relationship(cascade="all, delete-orphan", order_by="Step.position")
    costs: Mapped[list[Cost]] = relationship(cascade="all, delete-orphan", order_by="Cost.position")
    channels: Mapped[list[Channel]] = relationship(
        cascade="all, delete-orphan", order_by="Channel.position"
    )
    legal_resources: Mapped[list[LegalResource]] = relationship(
        cascade="all, delete-orphan", order_by="LegalResource.position"
    )


class ServiceAudience(Base):
    """Who a service is for (citizens, businesses, Moroccans abroad...)."""

    __tablename__ = "catalogue_service_audience"

    service_id: Mapped[str] = mapped_column(String(20), _service_fk(), primary_key=True)
    audience: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ServiceLifeEvent(Base):
    """cv:LifeEvent / cv:BusinessEvent grouping a service (cv:isGroupedBy)."""

    __tablename__ = "catalogue_service_life_event"

    service_id: Mapped[str] = mapped_column(String(20), _service_fk(), primary_key=True)
    life_event: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class Evidence(Base):
    """cv:Evidence, a document the administration may ask for (cpsv:hasInput)."""

    __tablename__ = "catalogue_evidence"

    service_id: Mapped[str] = mapped_column(String(20), _service_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_fr: Mapped[str] = mapped_column(Text, nullable=False)
    name_ar: Mapped[str] = mapped_column(Text, nullable=False)
    evidence_type: Mapped[str | None] = mapped_column(String(60), index=True)
    condition_fr: Mapped[str | None] = mapped_column(Text)
    condition_ar: Mapped[str | None] = mapped_column(Text)


class Step(Base):
    """One step of the procedure, in order."""

    __tablename__ = "catalogue_step"

    service_id: Mapped[str] = mapped_column(String(20), _service_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_fr: Mapped[str] = mapped_column(Text, nullable=False)
    text_ar: Mapped[str] = mapped_column(Text, nullable=False)


class Cost(Base):
    """cv:Cost, a fee in Moroccan dirhams."""

    __tablename__ = "catalogue_cost"

    service_id: Mapped[str] = mapped_column(String(20), _service_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount_mad: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    label_fr: Mapped[str] = mapped_column(Text, nullable=False)
    label_ar: Mapped[str] = mapped_column(Text, nullable=False)


class Channel(Base):
    """cv:Channel, where and how to apply (office, online, mail, phone)."""

    __tablename__ = "catalogue_channel"

    service_id: Mapped[str] = mapped_column(String(20), _service_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    text_fr: Mapped[str] = mapped_column(Text, nullable=False)
    text_ar: Mapped[str] = mapped_column(Text, nullable=False)
    url: Mapped[str | None] = mapped_column(String(500))


class LegalResource(Base):
    """eli:LegalResource, a text the service is based on (cv:hasLegalResource)."""

    __tablename__ = "catalogue_legal_resource"

    service_id: Mapped[str] = mapped_column(String(20), _service_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(120), nullable=False)
    title_fr: Mapped[str] = mapped_column(Text, nullable=False)
    title_ar: Mapped[str] = mapped_column(Text, nullable=False)


class ServiceVersion(Base):
    """One published state of a service, kept forever: who published what, and when."""

    __tablename__ = "catalogue_service_version"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(String(20), _service_fk(), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    record: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    origin: Mapped[str] = mapped_column(String(20), nullable=False)  # import | editor
    actor_type: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_id: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    __table_args__ = (UniqueConstraint("service_id", "number"),)


class Draft(Base):
    """A ministry edit not yet published; at most one per service, new services included."""

    __tablename__ = "catalogue_draft"

    # No foreign key: the draft of a new service exists before the service does.
    service_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    base_version: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(120), nullable=False)
    updated_by: Mapped[str] = mapped_column(String(120), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class Admin(Base):
    """A ministry administrator who may edit the catalogue (until the trust service signs in)."""

    __tablename__ = "catalogue_admin"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AdminSession(Base):
    """A signed-in administrator; the cookie holds a random token, the table its SHA-256."""

    __tablename__ = "catalogue_admin_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    admin_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("catalogue_admin.id", ondelete="CASCADE"), index=True, nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
