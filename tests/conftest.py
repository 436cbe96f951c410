"""Shared fixtures: test settings, a migrated database, a rolled-back session per test, an app."""

from __future__ import annotations

import logging
import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from idara import db, migrate
from idara.main import create_app
from idara.settings import Environment, Settings
from idara.web.deps import get_db

TEST_ORIGIN = "https://idara.test"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Commands under test configure logging globally; put it back after each test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpx2", "httpcore")}
    yield
    structlog.reset_defaults()
    root.handlers[:], root.level = handlers, level
    logging.getLogger("uvicorn.access").disabled = False
    for name, value in quiet.items():
        logging.getLogger(name).setLevel(value)


def _database_url(tmp_root: Path, worker: str) -> tuple[str, str | None]:
    """SQLite in a temporary directory, or a fresh schema in IDARA_TEST_DB_URL's database."""
    url = os.environ.get("IDARA_TEST_DB_URL")
    if not url:
        return f"sqlite:///{tmp_root / 'test.db'}", None
    return url, f"idara_test_{worker}_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory for the whole session."""
    return tmp_path_factory.mktemp("idara-data")


@pytest.fixture(scope="session")
def database(data_dir: Path, worker_id: str) -> Iterator[tuple[str, dict[str, object]]]:
    """The database URL and connect arguments for this test session (and xdist worker)."""
    url, schema = _database_url(data_dir, worker_id)
    if schema is None:
        yield url, {}
        return
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url, {"options": f"-csearch_path={schema}"}
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def make_settings(data_dir: Path, url: str, **overrides: object) -> Settings:
    """Settings as production would hold them: https origin, a real secret, env=test."""
    values: dict[str, object] = {
        "env": Environment.TEST,
        "public_origin": TEST_ORIGIN,
        "data_dir": data_dir,
        "db": {"url": url},
        "web": {"secret_key": secrets.token_urlsafe(32)},
        "log": {"json": True},
        # Outside development the SMS outbox stand-in is refused: tests swap the sender port.
        "identity": {
            "ca_passphrase": secrets.token_urlsafe(24),
            "pin_kdf_iterations": 1000,  # cheap cards for tests; the default is tested apart
            "sms": {"backend": "http", "url": "https://sms-gateway.invalid/send"},
        },
        "trust": {
            "key_passphrase": secrets.token_urlsafe(24),
            "key_kdf_iterations": 1000,  # cheap key sealing for tests
            "subject_secret": secrets.token_urlsafe(24),
        },
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def settings(data_dir: Path, database: tuple[str, dict[str, object]]) -> Settings:
    """The settings every test app is built with."""
    return make_settings(data_dir, database[0])


@pytest.fixture(scope="session")
def engine(settings: Settings, database: tuple[str, dict[str, object]]) -> Iterator[Engine]:
    """An engine on a database migrated to the newest revision."""
    extra = {"connect_args": database[1]} if database[1] else {}
    engine = db.make_engine(settings, **extra)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included."""
    connection = engine.connect()
    outer = connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite begins lazily, before the first write: without this, a SAVEPOINT issued
        # first would be the outermost transaction and releasing it (a commit in a route)
        # would commit the test's data for good.
        connection.exec_driver_sql("BEGIN")
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def app(settings: Settings, engine: Engine, db_session: Session) -> FastAPI:
    """The application, its requests sharing the test's rolled-back session."""
    application = create_app(settings, engine=engine)

    def test_db() -> Iterator[Session]:
        # Same contract as get_db; commit only releases this test's savepoint.
        try:
            yield db_session
            db_session.commit()
        except BaseException:
            db_session.rollback()
            raise

    application.dependency_overrides[get_db] = test_db
    # Code that opens its own session (the session authenticator) joins the test's too.
    application.state.session_factory = sessionmaker(
        bind=db_session.connection(),
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client on the app, calling from a remote (non-loopback) address."""
    with TestClient(app, base_url=TEST_ORIGIN, client=("203.0.113.7", 50000)) as test_client:
        yield test_client


def is_postgres(engine: Engine) -> bool:
    """Whether the suite runs on PostgreSQL."""
    return make_url(str(engine.url)).get_backend_name() == "postgresql"
