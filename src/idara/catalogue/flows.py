"""Catalogue work that spans persistence and the audit log: imports, drafts, publication."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from idara.audit import service as audit
from idara.audit.schemas import AuditContext
from idara.catalogue import drafts, service
from idara.catalogue.importer import ParsedExport, read_export
from idara.catalogue.models import Draft
from idara.catalogue.schemas import ServiceRecord


@dataclass(slots=True)
class ImportSummary:
    """What an import did: per-record outcome counts, per-domain counts and every error."""

    export: ParsedExport
    changes: Counter[str] = field(default_factory=Counter)
    by_domain: Counter[str] = field(default_factory=Counter)
    changed_ids: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        """Records that passed validation."""
        return len(self.export.records)


def import_export(
    session: Session, *, paths: Iterable[Path], context: AuditContext
) -> ImportSummary:
    """Validate and publish an export; invalid records are reported, valid ones kept."""
    export = read_export(paths)
    summary = ImportSummary(export=export)
    known = service.content_hashes(session)
    fresh: dict[str, list[ServiceRecord]] = {}
    for source, record in export.records:
        summary.by_domain[record.domain] += 1
        if record.id not in known:
            fresh.setdefault(source, []).append(record)
            continue
        if known[record.id] == record.content_hash():
            summary.changes[service.Change.UNCHANGED.value] += 1
            continue
        outcome = service.publish(session, record=record, origin="import", source=source,
                                  context=context, note=f"import of {source}.json")  # fmt: skip
        summary.changes[outcome.change.value] += 1
        summary.changed_ids.append(record.id)
    # New services go in bulk: a first import of a national catalogue takes seconds.
    for source, records in fresh.items():
        service.insert_new(session, records=records, source=source, context=context,
                           note=f"import of {source}.json")  # fmt: skip
        summary.changes[service.Change.CREATED.value] += len(records)
        summary.changed_ids.extend(r.id for r in records)
    audit.record(
        session,
        context=context,
        action="catalogue.import",
        target_type="catalogue",
        details={
            "files": export.files,
            "accepted": summary.accepted,
            "rejected_errors": len(export.errors),
            "changes": dict(summary.changes),
            "changed_ids": summary.changed_ids[:500],
        },
    )
    return summary


def save_draft(
    session: Session, *, record: ServiceRecord, context: AuditContext, is_new: bool
) -> Draft:
    """Save a ministry edit as a draft (nothing public changes)."""
    current = service.get(session, service_id=record.id)
    existing = drafts.get(session, service_id=record.id)
    base = existing.base_version if existing else (current.version if current else None)
    draft = drafts.save(session, record=record, base_version=base, author=context.actor_id or "?")
    audit.record(
        session,
        context=context,
        action="catalogue.draft_save",
        target_type="catalogue_service",
        target_id=record.id,
        details={"new_service": is_new and current is None, "base_version": base},
    )
    return draft


def publish_draft(
    session: Session, *, draft: Draft, context: AuditContext, note: str | None
) -> service.Published:
    """Publish a reviewed draft as the service's new version and remove the draft."""
    record = ServiceRecord.model_validate(draft.record)
    outcome = service.publish(
        session,
        record=record,
        origin="editor",
        source=(
            current.source if (current := service.get(session, service_id=record.id)) else "editor"
        ),
        context=context,
        note=note,
    )
    drafts.discard(session, service_id=record.id)
    audit.record(
        session,
        context=context,
        action="catalogue.service_publish",
        target_type="catalogue_service",
        target_id=record.id,
        details={"version": outcome.version, "change": outcome.change.value},
    )
    return outcome


def discard_draft(session: Session, *, service_id: str, context: AuditContext) -> bool:
    """Throw a draft away."""
    removed = drafts.discard(session, service_id=service_id)
    if removed:
        audit.record(
            session,
            context=context,
            action="catalogue.draft_discard",
            target_type="catalogue_service",
            target_id=service_id,
        )
    return removed
