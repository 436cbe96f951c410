"""CSV exports: one row per service, and one row per document (UTF-8, RFC 4180, CRLF)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from idara.catalogue.models import Service
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.vocabulary import evidence_types

SERVICE_COLUMNS = (
    "id", "title_fr", "title_ar", "theme_fr", "theme_ar", "authority_code", "authority_fr",
    "authority_ar", "audiences", "life_events", "priority", "delay_days", "fees_total_mad",
    "channels", "online_url", "digitization_level", "trips_before", "documents",
    "documents_held_elsewhere", "data_protection_status", "cndp_ref", "legal_basis",
    "version", "updated_at",
)  # fmt: skip
DOCUMENT_COLUMNS = (
    "service_id", "position", "document_fr", "document_ar", "evidence_type",
    "conditional", "held_by",
)  # fmt: skip


def _amount(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


def services_csv(rows: Sequence[tuple[Service, ServiceRecord]]) -> str:
    """The published services, one per row; lists are joined with "|"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SERVICE_COLUMNS)
    vocabulary = evidence_types()
    for service, r in rows:
        held = [
            d
            for d in r.documents
            if d.evidence_type and vocabulary[d.evidence_type].held_elsewhere(r.administration.code)
        ]
        writer.writerow(
            [
                r.id, r.title.fr, r.title.ar, r.theme.fr, r.theme.ar, r.administration.code,
                r.administration.fr, r.administration.ar, "|".join(r.audience),
                "|".join(r.life_events), str(r.priority).lower(), r.delay.days,
                _amount(sum((f.amount_mad for f in r.fees), Decimal(0))),
                "|".join(c.kind for c in r.channels), r.online_url or "",
                r.digitization_level, r.trips_before, len(r.documents), len(held),
                r.data_protection.status, r.data_protection.cndp_ref or "",
                "|".join(law.ref for law in r.legal_basis), service.version,
                service.updated_at.isoformat(timespec="seconds"),
            ]
        )  # fmt: skip
    return buffer.getvalue()


def documents_csv(rows: Sequence[tuple[Service, ServiceRecord]]) -> str:
    """Every document every service may ask for, with its evidence type and holder."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DOCUMENT_COLUMNS)
    vocabulary = evidence_types()
    for _service, r in rows:
        for position, d in enumerate(r.documents, 1):
            kind = vocabulary.get(d.evidence_type or "")
            writer.writerow(
                [
                    r.id, position, d.fr, d.ar, d.evidence_type or "",
                    str(d.condition is not None).lower(), kind.source if kind else "",
                ]
            )  # fmt: skip
    return buffer.getvalue()
