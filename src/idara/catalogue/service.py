"""Persistence of published services and their versions (functions flush, never commit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from idara.audit.schemas import AuditContext
from idara.catalogue import models as m
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.text import slugify
from idara.db import Base, utcnow


class Change(StrEnum):
    """What publishing a record did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Published:
    """The outcome of publishing one record."""

    service_id: str
    change: Change
    version: int


# Relationship name on Service -> (child model, its rows as column values).
def _child_rows(record: ServiceRecord) -> dict[str, tuple[type[Base], list[dict[str, Any]]]]:
    return {
        "audiences": (m.ServiceAudience, [{"audience": a} for a in record.audience]),
        "life_events": (m.ServiceLifeEvent, [{"life_event": e} for e in record.life_events]),
        "evidences": (
            m.Evidence,
            [
                {"position": i, "name_fr": d.fr, "name_ar": d.ar, "evidence_type": d.evidence_type,
                 "condition_fr": d.condition.fr if d.condition else None,
                 "condition_ar": d.condition.ar if d.condition else None}
                for i, d in enumerate(record.documents)
            ],
        ),
        "steps": (m.Step, [{"position": i, "text_fr": s.fr, "text_ar": s.ar}
                           for i, s in enumerate(record.steps)]),
        "costs": (m.Cost, [{"position": i, "amount_mad": f.amount_mad, "label_fr": f.label.fr,
                            "label_ar": f.label.ar} for i, f in enumerate(record.fees)]),
        "channels": (m.Channel, [{"position": i, "kind": c.kind, "text_fr": c.fr, "text_ar": c.ar,
                                  "url": c.url} for i, c in enumerate(record.channels)]),
        "legal_resources": (m.LegalResource, [{"position": i, "ref": law.ref, "title_fr": law.fr,
                                               "title_ar": law.ar}
                                              for i, law in enumerate(record.legal_basis)]),
    }  # fmt: skip


def _columns(record: ServiceRecord, *, source: str) -> dict[str, Any]:
    return {
        "slug": slugify(record.title.fr),
        "authority_code": record.administration.code,
        "source": source,
        "priority": record.priority,
        "theme_fr": record.theme.fr,
        "theme_ar": record.theme.ar,
        "title_fr": record.title.fr,
        "title_ar": record.title.ar,
        "description_fr": record.description.fr,
        "description_ar": record.description.ar,
        "eligibility_fr": record.eligibility.fr,
        "eligibility_ar": record.eligibility.ar,
        "output_fr": record.output.fr,
        "output_ar": record.output.ar,
        "validity_fr": record.validity.fr if record.validity else None,
        "validity_ar": record.validity.ar if record.validity else None,
        "delay_days": record.delay.days,
        "delay_text_fr": record.delay.text.fr,
        "delay_text_ar": record.delay.text.ar,
        "digitization_level": record.digitization_level,
        "trips_before": record.trips_before,
        "dp_status": record.data_protection.status,
        "cndp_ref": record.data_protection.cndp_ref,
        "aliases": record.aliases.model_dump(),
        "content_hash": record.content_hash(),
    }


def _upsert_authority(session: Session, record: ServiceRecord) -> None:
    given = record.administration
    authority = session.get(m.Authority, given.code)
    if authority is None:
        session.add(m.Authority(code=given.code, name_fr=given.fr, name_ar=given.ar))
    elif (authority.name_fr, authority.name_ar) != (given.fr, given.ar):
        authority.name_fr, authority.name_ar = given.fr, given.ar


def publish(
    session: Session,
    *,
    record: ServiceRecord,
    origin: str,
    source: str,
    context: AuditContext,
    note: str | None = None,
) -> Published:
    """Make a record the published state of its service, keeping the previous one as history.

    An identical record (same content hash) changes nothing, which makes imports idempotent.
    """
    service = session.get(m.Service, record.id)
    content_hash = record.content_hash()
    if service is not None and service.content_hash == content_hash:
        return Published(record.id, Change.UNCHANGED, service.version)
    _upsert_authority(session, record)
    now = utcnow()
    columns = _columns(record, source=source)
    if service is None:
        service = m.Service(id=record.id, version=1, created_at=now, updated_at=now, **columns)
        change = Change.CREATED
        session.add(service)
    else:
        for name, value in columns.items():
            setattr(service, name, value)
        service.version += 1
        service.updated_at = now
        change = Change.UPDATED
    for name, (model, rows) in _child_rows(record).items():
        setattr(service, name, [model(**row) for row in rows])
    session.flush()  # the version row refers to the service row
    session.add(
        m.ServiceVersion(
            service_id=record.id,
            number=service.version,
            record=record.canonical(),
            content_hash=content_hash,
            origin=origin,
            actor_type=context.actor_type.value,
            actor_id=context.actor_id,
            note=note,
            created_at=now,
        )
    )
    session.flush()
    return Published(record.id, change, service.version)


def insert_new(
    session: Session,
    *,
    records: Sequence[ServiceRecord],
    source: str,
    context: AuditContext | None = None,
    note: str | None = None,
) -> int:
    """Insert services that do not exist yet, in bulk (first imports, scale benchmarks)."""
    context = context or AuditContext.system("bulk")
    now = utcnow()
    authorities = {r.administration.code: r.administration for r in records}
    known = set(session.scalars(select(m.Authority.code)))
    new_authorities = [
        {"code": code, "name_fr": a.fr, "name_ar": a.ar}
        for code, a in authorities.items()
        if code not in known
    ]
    if new_authorities:
        session.execute(insert(m.Authority), new_authorities)
    rows: dict[type[Base], list[dict[str, Any]]] = {}
    for record in records:
        columns = _columns(record, source=source)
        rows.setdefault(m.Service, []).append(
            {"id": record.id, "version": 1, "created_at": now, "updated_at": now} | columns
        )
        rows.setdefault(m.ServiceVersion, []).append(
            {
                "service_id": record.id,
                "number": 1,
                "record": record.canonical(),
                "content_hash": columns["content_hash"],
                "origin": "import",
                "actor_type": context.actor_type.value,
                "actor_id": context.actor_id,
                "note": note,
                "created_at": now,
            }
        )
        for model, child_rows in _child_rows(record).values():
            rows.setdefault(model, []).extend(
                {**row, "service_id": record.id} for row in child_rows
            )
    # Parents first: the children's foreign keys need the service rows.
    order: tuple[type[Base], ...] = (
        m.Service,
        m.ServiceAudience,
        m.ServiceLifeEvent,
        m.Evidence,
        m.Step,
        m.Cost,
        m.Channel,
        m.LegalResource,
        m.ServiceVersion,
    )
    for model in order:
        if rows.get(model):
            session.execute(insert(model), rows[model])
    session.flush()
    return len(records)


def content_hashes(session: Session) -> dict[str, str]:
    """The content hash of every published service, by id (what an import compares)."""
    return dict(session.execute(select(m.Service.id, m.Service.content_hash)).all())


def get(session: Session, *, service_id: str) -> m.Service | None:
    """A published service, or None."""
    return session.get(m.Service, service_id)


def current_record(session: Session, *, service: m.Service) -> ServiceRecord:
    """The record as published in the service's current version."""
    version = get_version(session, service_id=service.id, number=service.version)
    assert version is not None, f"{service.id} has no version {service.version}"
    return ServiceRecord.model_validate(version.record)


def get_version(session: Session, *, service_id: str, number: int) -> m.ServiceVersion | None:
    """One version of a service."""
    return session.scalar(
        select(m.ServiceVersion).where(
            m.ServiceVersion.service_id == service_id, m.ServiceVersion.number == number
        )
    )


def versions(session: Session, *, service_id: str) -> Sequence[m.ServiceVersion]:
    """Every version of a service, newest first."""
    return session.scalars(
        select(m.ServiceVersion)
        .where(m.ServiceVersion.service_id == service_id)
        .order_by(m.ServiceVersion.number.desc())
    ).all()


def recent_versions(session: Session, *, limit: int = 20) -> Sequence[m.ServiceVersion]:
    """The latest publications across the catalogue."""
    return session.scalars(
        select(m.ServiceVersion).order_by(m.ServiceVersion.id.desc()).limit(limit)
    ).all()


def authorities(session: Session) -> list[tuple[m.Authority, int]]:
    """Every authority with its number of published services, by French name."""
    rows = session.execute(
        select(m.Authority, func.count(m.Service.id))
        .join(m.Service, m.Service.authority_code == m.Authority.code)
        .group_by(m.Authority.code)
        .order_by(m.Authority.name_fr)
    )
    return list(rows)


def get_authority(session: Session, *, code: str) -> m.Authority | None:
    """One authority by code."""
    return session.get(m.Authority, code)


def services_of(session: Session, *, authority_code: str | None = None) -> Sequence[m.Service]:
    """Published services, of one authority or all, by id."""
    query = select(m.Service).order_by(m.Service.id)
    if authority_code is not None:
        query = query.where(m.Service.authority_code == authority_code)
    return session.scalars(query).all()


def all_records(session: Session) -> list[tuple[m.Service, ServiceRecord]]:
    """Every published service with its current record, by id (exports)."""
    rows = session.execute(
        select(m.Service, m.ServiceVersion.record)
        .join(
            m.ServiceVersion,
            (m.ServiceVersion.service_id == m.Service.id)
            & (m.ServiceVersion.number == m.Service.version),
        )
        .order_by(m.Service.id)
    )
    return [(service, ServiceRecord.model_validate(record)) for service, record in rows]


def counts_by_domain(session: Session) -> dict[str, int]:
    """Published services per id prefix (CIV, EDU...)."""
    counts: dict[str, int] = {}
    for service_id in session.scalars(select(m.Service.id)):
        domain = service_id.split("-")[0]
        counts[domain] = counts.get(domain, 0) + 1
    return dict(sorted(counts.items()))


def last_change(session: Session) -> datetime | None:
    """When the catalogue last changed (for open-data metadata)."""
    return session.scalar(select(func.max(m.Service.updated_at)))


def total_amount(costs: Sequence[m.Cost]) -> Decimal:
    """The sum of a service's fees."""
    return sum((c.amount_mad for c in costs), Decimal(0))
