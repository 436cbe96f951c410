"""Alembic environment: runs on the connection or settings handed over by idara.migrate."""

from __future__ import annotations

from alembic import context

import idara.models  # noqa: F401  (registers every table on Base.metadata)
from idara.db import Base

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = config.attributes["engine"]
    with engine.begin() as conn:
        _run(conn)
