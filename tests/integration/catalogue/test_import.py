"""Importing the ministry's export: the whole sample, bad files, idempotence, versions."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idara.audit import service as audit
from idara.audit.schemas import AuditContext
from idara.catalogue import flows, service
from idara.catalogue.diff import diff_records
from idara.catalogue.models import Evidence, ServiceVersion
from idara.catalogue.sample import sample_dir
from tests.catalogue_support import minimal_record, record

SYSTEM = AuditContext.system("test")
SAMPLE_COUNTS = {
    "CIV": 38,
    "EDU": 38,
    "ENT": 36,
    "FIN": 38,
    "JUS": 34,
    "LOC": 31,
    "SOC": 36,
    "TRA": 35,
}


def test_the_whole_sample_is_imported_with_its_counts_by_domain(db_session: Session) -> None:
    summary = flows.import_export(db_session, paths=[sample_dir()], context=SYSTEM)
    assert summary.export.errors == []
    assert summary.accepted == 286 and len(summary.export.files) == 8
    assert dict(summary.by_domain) == SAMPLE_COUNTS
    assert dict(summary.changes) == {"created": 286}
    assert service.counts_by_domain(db_session) == SAMPLE_COUNTS
    birth = db_session.scalar(
        select(func.count())
        .select_from(Evidence)
        .where(Evidence.evidence_type == "birth-certificate")
    )
    assert birth == 57
    event = audit.list_events(db_session, action="catalogue.import")[0]
    assert event.details["accepted"] == 286


def test_importing_the_same_export_twice_changes_nothing(db_session: Session) -> None:
    flows.import_export(db_session, paths=[sample_dir()], context=SYSTEM)
    again = flows.import_export(db_session, paths=[sample_dir()], context=SYSTEM)
    assert dict(again.changes) == {"unchanged": 286}
    versions = db_session.scalar(select(func.count()).select_from(ServiceVersion))
    assert versions == 286


def test_a_malformed_file_keeps_its_valid_records(db_session: Session, tmp_path: Path) -> None:
    broken = minimal_record("TST-0002", delay={"days": 10})
    wrong_language = minimal_record("TST-0003", title={"fr": "Titre", "ar": "Title"})
    (tmp_path / "good.json").write_text(json.dumps([minimal_record("TST-0001")]), encoding="utf-8")
    (tmp_path / "mixed.json").write_text(
        json.dumps([broken, wrong_language, minimal_record("TST-0004")]), encoding="utf-8"
    )
    (tmp_path / "truncated.json").write_text('[{"id": "TST-0005"', encoding="utf-8")
    summary = flows.import_export(db_session, paths=[tmp_path], context=SYSTEM)
    assert sorted(r.id for _, r in summary.export.records) == ["TST-0001", "TST-0004"]
    assert [(e.file, e.record_id, e.field) for e in summary.export.errors] == [
        ("mixed.json", "TST-0002", "delay.text"),
        ("mixed.json", "TST-0003", "title.ar"),
        ("truncated.json", "(file)", "(json)"),
    ]
    assert service.get(db_session, service_id="TST-0004") is not None
    assert service.get(db_session, service_id="TST-0002") is None


def test_a_changed_record_becomes_a_new_version_with_its_history(db_session: Session) -> None:
    original = record("CIV-0024")
    service.publish(db_session, record=original, origin="import", source="civil", context=SYSTEM)
    data = original.canonical()
    data["delay"] = {"days": 2, "text": {"fr": "2 jours", "ar": "يومان"}}
    data["documents"] = data["documents"][:-1]
    changed = type(original).model_validate(data)
    editor = AuditContext(actor_type=SYSTEM.actor_type, actor_id="ministry-export-2027")
    outcome = service.publish(
        db_session, record=changed, origin="import", source="civil", context=editor
    )
    assert (outcome.change.value, outcome.version) == ("updated", 2)
    current = service.get(db_session, service_id="CIV-0024")
    assert current is not None and current.delay_days == 2
    assert len(current.evidences) == len(original.documents) - 1
    history = service.versions(db_session, service_id="CIV-0024")
    assert [v.number for v in history] == [2, 1]
    assert history[0].actor_id == "ministry-export-2027" and history[1].actor_id == "test"
    paths = {c.path for c in diff_records(history[1].record, history[0].record)}
    assert {"delay.days", "delay.text.fr", "delay.text.ar"} <= paths
    assert service.current_record(db_session, service=current) == changed
