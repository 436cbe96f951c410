"""Version differences, and the ministry's edit form read back into a record."""

from __future__ import annotations

from idara.catalogue.diff import diff_records
from idara.catalogue.editor_form import field_name, row_counts, to_values, validate
from tests.catalogue_support import minimal_record


def test_a_diff_lists_only_the_changed_leaves_with_their_paths() -> None:
    before = minimal_record()
    after = minimal_record(trips_before=0)
    after["documents"][0]["fr"] = "Certificat médical d'accouchement"
    after["steps"].append({"fr": "Retirer l'acte.", "ar": "سحب الرسم."})
    changes = {c.path: (c.before, c.after) for c in diff_records(before, after)}
    assert changes == {
        "documents[0].fr": ("Certificat d'accouchement", "Certificat médical d'accouchement"),
        "steps[2].fr": (None, "Retirer l'acte."),
        "steps[2].ar": (None, "سحب الرسم."),
        "trips_before": (2, 0),
    }


def test_a_first_version_differs_from_nothing_in_every_field() -> None:
    paths = {c.section for c in diff_records(None, minimal_record())}
    assert {"id", "title", "documents", "aliases"} <= paths


def test_the_form_reads_back_the_record_it_shows() -> None:
    data = minimal_record()
    values = to_values(data)
    form = {k: str(v) if not isinstance(v, list) else v for k, v in values.items()}
    form["priority"] = ""  # an unchecked box is not sent
    record, state = validate(form, "TST-0001")
    assert state.errors == {}
    assert record is not None and record.canonical() == data


def test_blank_rows_are_ignored_and_each_list_offers_spare_rows() -> None:
    values = to_values(minimal_record())
    counts = row_counts(values)
    assert counts["documents"] == 5 and counts["steps"] == 6 and counts["fees"] == 2


def test_form_errors_land_on_the_field_that_caused_them() -> None:
    form = {k: v for k, v in to_values(minimal_record()).items() if not isinstance(v, bool)}
    form["title_ar"] = "Latin only"
    form["documents-2-fr"] = ""  # the row still has its Arabic text
    form["delay_days"] = "ten"
    record, state = validate(form, "TST-0001")
    assert record is None
    assert {"title_ar", "documents-2-fr", "delay_days"} <= set(state.errors)


def test_nested_locations_map_to_form_names() -> None:
    positions = {"documents": [0, 3], "steps": [], "fees": [1], "channels": [], "legal": [2]}
    assert field_name(("documents", 1, "condition", "ar"), positions) == "documents-3-condition_ar"
    assert field_name(("fees", 0, "amount_mad"), positions) == "fees-1-amount"
    assert field_name(("legal_basis", 0, "ref"), positions) == "legal-2-ref"
    assert field_name(("delay", "text", "fr"), positions) == "delay_text_fr"
    assert field_name(("aliases", "darija", 0), positions) == "aliases_darija"
