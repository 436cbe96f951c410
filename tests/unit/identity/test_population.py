"""The synthetic population: deterministic, unique CINs, real places, names in both scripts."""

from __future__ import annotations

import re

from idara.identity import names, places, population


def test_the_same_seed_gives_the_same_persons_whatever_the_slice() -> None:
    whole = list(population.generate(5, 300))
    assert list(population.generate(5, 100, start=200)) == whole[200:]
    assert list(population.generate(6, 3)) != whole[:3]


def test_cins_and_card_numbers_are_unique_and_shaped_like_real_ones() -> None:
    people = list(population.generate(1, 20_000))
    assert len({p["cin"] for p in people}) == len(people)
    assert len({p["card_number"] for p in people}) == len(people)
    assert all(re.fullmatch(r"[A-Z]{1,2}[0-9]{6}", p["cin"]) for p in people)


def test_every_address_is_a_real_commune_of_its_province_and_region() -> None:
    for person in population.generate(3, 2000):
        commune = places.COMMUNE_BY_CODE[person["commune_code"]]
        assert places.province_of(commune.code).code == person["province_code"]
        assert places.region_of(person["province_code"]).code == person["region_code"]
        assert person["birth_commune"] in places.COMMUNE_BY_CODE


def test_names_come_in_latin_and_arabic_script() -> None:
    arabic = re.compile(r"^[\u0600-\u06FF ]+$")
    for person in population.generate(4, 500):
        assert arabic.match(person["first_name_ar"]) and arabic.match(person["last_name_ar"])
        assert person["first_name"].isascii() or "é" in person["first_name"]
    assert len(names.FAMILY_NAMES) >= 100


def test_the_map_has_the_twelve_regions_and_seventy_five_provinces() -> None:
    assert len(places.REGIONS) == 12 and len(places.PROVINCES) == 75
    assert len({prefix for prefix, _ in places.OFFICES}) == len(places.OFFICES)


def test_adults_only_with_plausible_card_dates() -> None:
    for person in population.generate(8, 1000):
        age_years = (population.REFERENCE_DAY - person["birth_date"]).days / 365.25
        assert 18 <= age_years <= 96
        assert person["card_expires_on"] > person["card_issued_on"]
        assert person["card_status"] in {"active", "lost", "revoked", "expired"}
