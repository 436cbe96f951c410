"""The export format: what a record must hold, and the canonical form versions keep."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from idara.catalogue.schemas import ServiceRecord, field_path
from tests.catalogue_support import minimal_record


def errors_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        ServiceRecord.model_validate(data)
    return {field_path(tuple(e["loc"])): str(e["msg"]) for e in caught.value.errors()}


def test_a_complete_record_is_accepted_and_round_trips_unchanged() -> None:
    data = minimal_record()
    record = ServiceRecord.model_validate(data)
    assert record.canonical() == data
    assert record.domain == "TST" and record.online_url is None


def test_equal_records_hash_equal_and_a_change_changes_the_hash() -> None:
    one = ServiceRecord.model_validate(minimal_record())
    assert one.content_hash() == ServiceRecord.model_validate(minimal_record()).content_hash()
    other = ServiceRecord.model_validate(minimal_record(trips_before=3))
    assert one.content_hash() != other.content_hash()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "civ-1"}, "id"),
        ({"audience": ["citizen", "martian"]}, "audience"),
        ({"life_events": ["birth", "birth"]}, "life_events"),
        ({"title": {"fr": "Titre", "ar": "Title in Latin letters"}}, "title.ar"),
        ({"title": {"fr": "", "ar": "عنوان"}}, "title.fr"),
        ({"eligibility": {"fr": "Tout le monde", "ar": ""}}, "eligibility"),
        ({"steps": [{"fr": "Une seule étape", "ar": "مرحلة واحدة"}]}, "steps"),
        ({"delay": {"days": "dix", "text": {"fr": "10 jours", "ar": "10 أيام"}}}, "delay.days"),
        ({"digitization_level": 5}, "digitization_level"),
        ({"channels": [{"kind": "online", "fr": "Portail", "ar": "البوابة"}]}, "channels[0]"),
        ({"data_protection": {"status": "compliant", "cndp_ref": None}}, "data_protection"),
        ({"titel": {"fr": "x", "ar": "س"}}, "titel"),
    ],
)
def test_a_wrong_field_is_reported_by_its_path(change: dict[str, Any], field: str) -> None:
    assert field in errors_of(minimal_record(**change))


def test_an_unknown_evidence_type_is_named() -> None:
    data = minimal_record()
    data["documents"][1]["evidence_type"] = "birth"
    assert "unknown evidence type 'birth'" in errors_of(data)["documents[1].evidence_type"]


def test_an_online_channel_needs_an_https_address() -> None:
    channel = {"kind": "online", "fr": "Portail", "ar": "البوابة", "url": "http://x.ma"}
    assert "channels[0]" in errors_of(minimal_record(channels=[channel]))
    channel["url"] = "https://www.watiqa.ma"
    record = ServiceRecord.model_validate(minimal_record(channels=[channel]))
    assert record.online_url == "https://www.watiqa.ma"


def test_amounts_stay_numbers_and_integers_stay_integers() -> None:
    fees = [{"amount_mad": 75, "label": {"fr": "Timbre", "ar": "تنبر"}},
            {"amount_mad": 12.5, "label": {"fr": "Frais", "ar": "رسوم"}}]  # fmt: skip
    canonical = ServiceRecord.model_validate(minimal_record(fees=fees)).canonical()
    assert [f["amount_mad"] for f in canonical["fees"]] == [75, 12.5]
