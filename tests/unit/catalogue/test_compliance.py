"""Law 55-19 checks: maximum delays and documents another administration holds."""

from __future__ import annotations

import csv
import io

from idara.catalogue.compliance import Check, check_record, findings, report_csv, summarise
from idara.catalogue.schemas import ServiceRecord
from tests.catalogue_support import minimal_record


def record(**changes: object) -> ServiceRecord:
    return ServiceRecord.model_validate(minimal_record(**changes))


def test_a_delay_within_sixty_days_is_not_flagged() -> None:
    delay = {"days": 60, "text": {"fr": "60 jours", "ar": "60 يوما"}}
    assert Check.DELAY_EXCEEDED not in {f.check for f in check_record(record(delay=delay))}


def test_a_delay_over_sixty_days_is_flagged() -> None:
    delay = {"days": 61, "text": {"fr": "61 jours", "ar": "61 يوما"}}
    found = [f for f in check_record(record(delay=delay)) if f.check is Check.DELAY_EXCEEDED]
    assert [f.limit_days for f in found] == [60]


def test_an_investment_procedure_is_held_to_thirty_days() -> None:
    delay = {"days": 45, "text": {"fr": "45 jours", "ar": "45 يوما"}}
    found = check_record(record(delay=delay, life_events=["investment"]))
    assert [f.limit_days for f in found if f.check is Check.DELAY_EXCEEDED] == [30]


def test_documents_held_elsewhere_are_once_only_candidates_but_not_ones_own() -> None:
    # The commune issues the family record book itself; the DGSN holds the identity card.
    found = [f for f in check_record(record()) if f.check is Check.ONCE_ONLY]
    assert [f.evidence_type for f in found] == ["identity"]
    dgsn = {"code": "DGSN", "fr": "Sûreté nationale", "ar": "الأمن الوطني"}
    found = [f.evidence_type for f in check_record(record(administration=dgsn))]
    assert found == ["family-record-book"]


def test_the_summary_counts_per_administration() -> None:
    delay = {"days": 90, "text": {"fr": "90 jours", "ar": "90 يوما"}}
    summary = summarise([record(), record(id="TST-0002", delay=delay)])
    assert len(summary) == 1
    assert (summary[0].services, summary[0].delays_exceeded, summary[0].once_only_documents) == (
        2,
        1,
        2,
    )


def test_the_csv_report_has_one_row_per_finding_in_the_chosen_language() -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(findings([record()]), "ar"))))
    assert len(rows) == 1
    assert rows[0]["check"] == "once_only_candidate"
    assert rows[0]["service_title"] == "التصريح بالولادة"
    assert rows[0]["held_by"] == "المديرية العامة للأمن الوطني"
