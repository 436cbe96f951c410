"""Migrations: one head, reversible, and in step with the ORM models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import idara.models  # noqa: F401
from idara import db, migrate
from idara.db import Base
from idara.settings import Settings
from tests.conftest import make_settings


def test_there_is_exactly_one_head() -> None:
    assert len(migrate.heads()) == 1


def test_migration_files_are_named_by_date_and_slug() -> None:
    for path in (migrate.MIGRATIONS_DIR / "versions").glob("*.py"):
        stem = path.stem
        assert stem[:10].count("-") == 2 and stem[10] == "_", stem


def test_the_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_go_down_to_empty_and_up_again(tmp_path: Path, settings: Settings) -> None:
    # On its own SQLite file: the shared test database stays migrated for other tests.
    own = make_settings(tmp_path, f"sqlite:///{tmp_path / 'roundtrip.db'}")
    engine = db.make_engine(own)
    try:
        migrate.upgrade(engine)
        assert migrate.is_up_to_date(engine)
        migrate.downgrade(engine, "base")
        assert migrate.current(engine) is None
        assert inspect(engine).get_table_names() == ["alembic_version"]
        migrate.upgrade(engine)
        assert "audit_event" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.mark.parametrize("pragma", ["journal_mode", "foreign_keys"])
def test_the_embedded_database_uses_wal_and_foreign_keys(tmp_path: Path, pragma: str) -> None:
    own = make_settings(tmp_path, f"sqlite:///{tmp_path / 'pragmas.db'}")
    engine = db.make_engine(own)
    try:
        with engine.connect() as connection:
            value = connection.exec_driver_sql(f"PRAGMA {pragma}").scalar()
        assert str(value).lower() in {"wal", "1"}
    finally:
        engine.dispose()
