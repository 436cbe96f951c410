"""Run Alembic from code: the CLI, the demo and the tests all migrate the same way."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(*, engine: Engine | None = None, connection: Connection | None = None) -> Config:
    """An Alembic configuration that runs on the given engine or open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    elif engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to a revision (the newest by default)."""
    command.upgrade(alembic_config(engine=engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to a revision ('base' removes every table)."""
    command.downgrade(alembic_config(engine=engine), revision)


@cache
def heads() -> tuple[str, ...]:
    """The head revisions of the migration scripts (there must be exactly one)."""
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_up_to_date(engine: Engine) -> bool:
    """Whether the database is at the single head revision."""
    return current(engine) in heads()
