"""The registry of persons: lookups, listing and bulk insertion (COPY on PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from idara.identity.models import Person

CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,7}$")
COLUMNS: tuple[str, ...] = (
    "public_id", "cin", "first_name", "last_name", "first_name_ar", "last_name_ar",
    "birth_date", "birth_commune", "sex", "street", "street_ar", "region_code",
    "province_code", "commune_code", "phone", "photo_ref", "card_number", "card_issued_on",
    "card_expires_on", "card_status",
)  # fmt: skip


def normalise_cin(value: str) -> str | None:
    """The CIN in canonical form (upper case, no spaces), or None when it cannot be one."""
    cin = value.strip().replace(" ", "").upper()
    return cin if CIN_PATTERN.match(cin) else None


def find_by_cin(db: Session, *, cin: str) -> Person | None:
    """The person with this CIN (uses the unique index on identity_person.cin)."""
    canonical = normalise_cin(cin)
    if canonical is None:
        return None
    return db.scalars(select(Person).where(Person.cin == canonical)).first()


def get_by_public_id(db: Session, *, public_id: str) -> Person | None:
    """The person a session or another table names."""
    return db.scalars(select(Person).where(Person.public_id == public_id)).first()


def list_persons(db: Session, *, limit: int = 20, offset: int = 0) -> Sequence[Person]:
    """Persons in insertion order."""
    query = select(Person).order_by(Person.id).limit(min(limit, 10_000)).offset(offset)
    return db.scalars(query).all()


def count(db: Session) -> int:
    """How many persons the registry holds."""
    return int(db.scalar(select(func.count()).select_from(Person)) or 0)


def add_persons(
    db: Session,
    rows: Iterable[dict[str, Any]],
    *,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert many persons fast: COPY on PostgreSQL, batched executemany elsewhere."""
    connection = db.connection()
    if connection.dialect.name == "postgresql":
        return _copy_persons(connection, rows, batch_size, progress)
    done = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            db.execute(insert(Person), batch)
            done += len(batch)
            batch.clear()
            if progress:
                progress(done)
    if batch:
        db.execute(insert(Person), batch)
        done += len(batch)
        if progress:
            progress(done)
    return done


def _copy_persons(
    connection: Any,
    rows: Iterable[dict[str, Any]],
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> int:
    raw = connection.connection.driver_connection  # psycopg 3, inside this transaction
    statement = f"COPY identity_person ({', '.join(COLUMNS)}) FROM STDIN"
    done = 0
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(tuple(row[c] for c in COLUMNS))
            done += 1
            if progress and done % batch_size == 0:
                progress(done)
    if progress and done % batch_size:
        progress(done)
    return done
