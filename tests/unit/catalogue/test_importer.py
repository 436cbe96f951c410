"""Reading an export: valid records kept, each error named by file, record and field."""

from __future__ import annotations

import json

from idara.catalogue.importer import ParsedExport, RecordError, parse_text
from tests.catalogue_support import minimal_record


def parse(files: dict[str, str]) -> ParsedExport:
    export = ParsedExport()
    seen: dict[str, str] = {}
    for name, text in files.items():
        parse_text(text, name, export, seen)
    return export


def test_a_malformed_file_keeps_its_valid_records_and_reports_every_error() -> None:
    bad_delay = minimal_record("TST-0002")
    bad_delay["delay"]["days"] = -1
    bad_doc = minimal_record("TST-0003")
    bad_doc["documents"][0]["evidence_type"] = "passport"
    missing = minimal_record("TST-0004")
    del missing["output"]
    records = [minimal_record("TST-0001"), bad_delay, bad_doc, missing, "not a record",
               minimal_record("TST-0005")]  # fmt: skip
    export = parse({"civil.json": json.dumps(records)})
    assert [r.id for _, r in export.records] == ["TST-0001", "TST-0005"]
    assert {(e.record_id, e.field) for e in export.errors} == {
        ("TST-0002", "delay.days"),
        ("TST-0003", "documents[0].evidence_type"),
        ("TST-0004", "output"),
        ("record #5", "(record)"),
    }
    assert all(e.file == "civil.json" for e in export.errors)


def test_a_file_that_is_not_json_or_not_an_array_is_reported_not_raised() -> None:
    export = parse(
        {"broken.json": "[{", "object.json": "{}", "ok.json": json.dumps([minimal_record()])}
    )
    assert [(e.file, e.field) for e in export.errors] == [
        ("broken.json", "(json)"),
        ("object.json", "(json)"),
    ]
    assert len(export.records) == 1


def test_an_id_used_twice_across_files_is_an_error_on_the_second() -> None:
    export = parse(
        {"a.json": json.dumps([minimal_record()]), "b.json": json.dumps([minimal_record()])}
    )
    assert len(export.records) == 1
    assert export.errors == [
        RecordError("b.json", "TST-0001", "id", "this id is already used in a.json")
    ]


def test_an_error_reads_as_file_record_field_and_message() -> None:
    error = RecordError("f.json", "CIV-0001", "title.ar", "field required")
    assert str(error) == "f.json: CIV-0001: title.ar: field required"
