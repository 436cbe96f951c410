"""Law 55-19 checks on published records: maximum delays and once-only candidates.

Law 55-19 (simplification of administrative procedures) caps the processing time at 60 days,
30 for procedures linked to investment, and forbids asking a user for a document that
another administration holds. A service is an investment procedure when its life events
include `investment`. A document is a once-only candidate when its evidence type is issued
by an administration other than the service's own (the `holders` column of the vocabulary).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.vocabulary import MAX_DELAY_DAYS, MAX_DELAY_DAYS_INVESTMENT, evidence_types
from idara.i18n import translate
from idara.web.errors import N_


class Check(StrEnum):
    """The kinds of finding."""

    DELAY_EXCEEDED = "delay_exceeded"
    ONCE_ONLY = "once_only_candidate"


CHECK_LABELS = {
    Check.DELAY_EXCEEDED: N_("Maximum delay exceeded"),
    Check.ONCE_ONLY: N_("Document held by another administration"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation about one service."""

    check: Check
    record: ServiceRecord
    limit_days: int | None = None
    document: int | None = None  # index in record.documents
    evidence_type: str | None = None

    @property
    def authority_code(self) -> str:
        """The administration responsible for the service."""
        return self.record.administration.code


def delay_limit(record: ServiceRecord) -> int:
    """The longest delay the law allows this procedure."""
    return MAX_DELAY_DAYS_INVESTMENT if "investment" in record.life_events else MAX_DELAY_DAYS


def check_record(record: ServiceRecord) -> list[Finding]:
    """Every finding about one record."""
    found = []
    limit = delay_limit(record)
    if record.delay.days > limit:
        found.append(Finding(Check.DELAY_EXCEEDED, record, limit_days=limit))
    vocabulary = evidence_types()
    for index, document in enumerate(record.documents):
        kind = vocabulary.get(document.evidence_type or "")
        if kind is not None and kind.held_elsewhere(record.administration.code):
            found.append(Finding(Check.ONCE_ONLY, record, document=index, evidence_type=kind.code))
    return found


def findings(records: Iterable[ServiceRecord]) -> list[Finding]:
    """Every finding about a set of records, by service id."""
    return [f for r in sorted(records, key=lambda r: r.id) for f in check_record(r)]


@dataclass(slots=True)
class AuthoritySummary:
    """The law 55-19 picture of one administration."""

    code: str
    names: dict[str, str]
    services: int = 0
    delays_exceeded: int = 0
    once_only_documents: int = 0
    services_with_once_only: int = 0


def summarise(records: Iterable[ServiceRecord]) -> list[AuthoritySummary]:
    """Per-administration counts, the administrations with most findings first."""
    summaries: dict[str, AuthoritySummary] = {}
    for record in records:
        authority = record.administration
        summary = summaries.setdefault(
            authority.code,
            AuthoritySummary(authority.code, {"fr": authority.fr, "ar": authority.ar}),
        )
        summary.services += 1
        found = check_record(record)
        summary.delays_exceeded += sum(f.check is Check.DELAY_EXCEEDED for f in found)
        once = sum(f.check is Check.ONCE_ONLY for f in found)
        summary.once_only_documents += once
        summary.services_with_once_only += bool(once)
    return sorted(
        summaries.values(),
        key=lambda s: (-(s.delays_exceeded + s.once_only_documents), s.names["fr"]),
    )


def once_only_by_holder(found: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Once-only candidates grouped by the evidence type's source administration."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    vocabulary = evidence_types()
    for finding in found:
        if finding.check is Check.ONCE_ONLY and finding.evidence_type:
            grouped[vocabulary[finding.evidence_type].source].append(finding)
    return dict(sorted(grouped.items()))


COLUMNS = (
    "authority_code", "authority", "service_id", "service_title", "check", "check_label",
    "delay_days", "limit_days", "document", "evidence_type", "held_by",
)  # fmt: skip


def report_csv(found: Iterable[Finding], lang: str) -> str:
    """The findings as CSV (UTF-8, one finding per row, texts in the chosen language)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    vocabulary = evidence_types()
    for f in found:
        record = f.record
        document = record.documents[f.document] if f.document is not None else None
        kind = vocabulary.get(f.evidence_type or "")
        writer.writerow(
            [
                f.authority_code,
                record.administration.ar if lang == "ar" else record.administration.fr,
                record.id,
                record.title.get(lang),
                f.check.value,
                translate(lang, CHECK_LABELS[f.check]),
                record.delay.days,
                f.limit_days if f.limit_days is not None else delay_limit(record),
                (document.ar if lang == "ar" else document.fr) if document else "",
                f.evidence_type or "",
                kind.source_name(lang) if kind else "",
            ]
        )
    return buffer.getvalue()
