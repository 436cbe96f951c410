"""One-time use of JWT ids (RFC 7523 §3 item 7 for client assertions, RFC 9449 §11.1 for DPoP).

A unique constraint decides, not a read-then-write: two workers racing with the same `jti`
cannot both win. The insert is `ON CONFLICT DO NOTHING` (SQLite and PostgreSQL), so a refused
one leaves the request's transaction usable without a savepoint. Rows are kept until the
token they protect would have expired anyway.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from idara.trust.models import SeenJti

# Expired rows are swept by about one call in this many (no scheduler needed).
_SWEEP_ONE_IN = 200


def first_use(
    db: Session, *, purpose: str, issuer: str, jti: str, expires_at: datetime, now: datetime
) -> bool:
    """Record a jti; False when it was seen before (a replay)."""
    if secrets.randbelow(_SWEEP_ONE_IN) == 0:
        db.execute(delete(SeenJti).where(SeenJti.expires_at <= now))
    insert = postgresql_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(SeenJti)
        .values(purpose=purpose, issuer=issuer[:64], jti=jti[:128], expires_at=expires_at)
        .on_conflict_do_nothing()
        .returning(SeenJti.id)
    )
    # A row comes back only when it was inserted (rowcount is not reliable across drivers).
    return db.execute(statement).first() is not None
