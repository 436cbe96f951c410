"""Persistence of ministry drafts: unpublished edits, one per service (flush, never commit)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.catalogue.models import Draft, Service
from idara.catalogue.schemas import ServiceRecord
from idara.db import utcnow


def get(session: Session, *, service_id: str) -> Draft | None:
    """The draft of a service, or None."""
    return session.get(Draft, service_id)


def all_drafts(session: Session) -> Sequence[Draft]:
    """Every pending draft, most recently edited first."""
    return session.scalars(select(Draft).order_by(Draft.updated_at.desc(), Draft.service_id)).all()


def save(
    session: Session, *, record: ServiceRecord, base_version: int | None, author: str
) -> Draft:
    """Create or replace the draft of a service; the base version is kept from the first save."""
    draft = session.get(Draft, record.id)
    now = utcnow()
    if draft is None:
        draft = Draft(
            service_id=record.id,
            record=record.canonical(),
            base_version=base_version,
            created_by=author,
            updated_by=author,
            created_at=now,
            updated_at=now,
        )
        session.add(draft)
    else:
        draft.record = record.canonical()
        draft.updated_by = author
        draft.updated_at = now
    session.flush()
    return draft


def discard(session: Session, *, service_id: str) -> bool:
    """Delete a draft; False when there was none."""
    draft = session.get(Draft, service_id)
    if draft is None:
        return False
    session.delete(draft)
    session.flush()
    return True


def next_service_id(session: Session, *, prefix: str) -> str:
    """The next free id of a domain (CIV-0039 after CIV-0038), drafts included."""
    pattern = f"{prefix}-%"
    used = [
        *session.scalars(select(Service.id).where(Service.id.like(pattern))),
        *session.scalars(select(Draft.service_id).where(Draft.service_id.like(pattern))),
    ]
    numbers = [int(i.split("-")[1]) for i in used if i.split("-")[1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:04d}"
