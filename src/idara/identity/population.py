"""A deterministic synthetic population: person `index` of seed `seed` is always the same.

Each person is drawn from their own random stream, so any slice of the population can be
generated alone (`start`), in any order, and the result never depends on the batch size.
CINs are unique by construction: a bijection of the index gives an issuing-office prefix
and six digits.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from idara.identity import names, places

# Fixed, so that the same seed gives the same ages whatever the day it runs.
REFERENCE_DAY = date(2026, 11, 1)
_DIGITS = 1_000_000
_CIN_MULTIPLIER = 7_777_777
_CARD_MULTIPLIER = 48_271  # coprime with 10**9
MAX_PERSONS = len(places.OFFICES) * _DIGITS


def _weights(count: int) -> list[float]:
    # Zipf-like: a few names are very common, most are rarer, as in civil-status records.
    return list(accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(count)))


_MALE_W = _weights(len(names.MALE_NAMES))
_FEMALE_W = _weights(len(names.FEMALE_NAMES))
_FAMILY_W = _weights(len(names.FAMILY_NAMES))
_PROVINCE_W = list(accumulate(p.weight for p in places.PROVINCES))


def _scramble(seed: int, index: int) -> int:
    # n = (a*index + b) mod MAX_PERSONS is a bijection (a is coprime with 2, 3, 5 and 17),
    # so CINs are unique yet neighbours in the index do not look alike.
    return (_CIN_MULTIPLIER * index + seed * 7_919) % MAX_PERSONS


def office_of(seed: int, index: int) -> tuple[str, places.Province]:
    """The CIN prefix of person `index` and the province of its issuing office."""
    return places.OFFICES[_scramble(seed, index) % len(places.OFFICES)]


def cin_of(seed: int, index: int) -> str:
    """The CIN of person `index` (unique for every index below MAX_PERSONS)."""
    n = _scramble(seed, index)
    prefix, _ = places.OFFICES[n % len(places.OFFICES)]
    return f"{prefix}{n // len(places.OFFICES):06d}"


def person(seed: int, index: int) -> dict[str, Any]:
    """The registry record of person `index` of the population `seed`."""
    if not 0 <= index < MAX_PERSONS:
        raise ValueError(f"index must be below {MAX_PERSONS}")
    # Reproducible synthetic data, not secrets: a seeded PRNG is what is wanted here.
    rng = random.Random(seed * 100_000_007 + index)  # noqa: S311
    _, office = office_of(seed, index)
    female = rng.random() < 0.5
    given = rng.choices(
        names.FEMALE_NAMES if female else names.MALE_NAMES,
        cum_weights=_FEMALE_W if female else _MALE_W,
    )[0]
    family = rng.choices(names.FAMILY_NAMES, cum_weights=_FAMILY_W)[0]
    home = office if rng.random() < 0.75 else _any_province(rng)
    commune = rng.choice(home.communes)
    birth_province = home if rng.random() < 0.7 else _any_province(rng)
    age_days = int((18 + min(rng.expovariate(1 / 20), 77)) * 365.25) + rng.randrange(365)
    issued = REFERENCE_DAY - timedelta(days=rng.randrange(11 * 365))
    expires = issued + timedelta(days=10 * 365)
    status = _card_status(rng, expires)
    number = rng.randrange(1, 160)
    street_type = rng.choice(names.STREET_TYPES)
    street_name = rng.choice(names.STREET_NAMES)
    phone = f"+2126{rng.randrange(10**8):08d}" if rng.random() < 0.92 else None
    card = (_CARD_MULTIPLIER * index + seed) % 10**9
    return {
        "public_id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        "cin": cin_of(seed, index),
        "first_name": given[0],
        "last_name": family[0],
        "first_name_ar": given[1],
        "last_name_ar": family[1],
        "birth_date": REFERENCE_DAY - timedelta(days=age_days),
        "birth_commune": rng.choice(birth_province.communes).code,
        "sex": "F" if female else "M",
        "street": f"{number}, {street_type[0]} {street_name[0]}",
        "street_ar": f"{number}، {street_type[1]} {street_name[1]}",
        "region_code": places.region_of(home.code).code,
        "province_code": home.code,
        "commune_code": commune.code,
        "phone": phone,
        "photo_ref": None,
        "card_number": f"C{card:09d}",
        "card_issued_on": issued,
        "card_expires_on": expires,
        "card_status": status,
    }


def _any_province(rng: random.Random) -> places.Province:
    return rng.choices(places.PROVINCES, cum_weights=_PROVINCE_W)[0]


def _card_status(rng: random.Random, expires: date) -> str:
    if expires < REFERENCE_DAY:
        return "expired"
    roll = rng.random()
    if roll < 0.01:
        return "lost"
    if roll < 0.015:
        return "revoked"
    return "active"


def generate(seed: int, count: int, *, start: int = 0) -> Iterator[dict[str, Any]]:
    """Persons start .. start+count-1 of the population `seed`."""
    for index in range(start, start + count):
        yield person(seed, index)
