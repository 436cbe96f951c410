"""Shared helpers of the catalogue tests: the sample records, a loaded database, an admin."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy.orm import Session, sessionmaker

from idara.catalogue import accounts, service
from idara.catalogue.index import SearchIndex
from idara.catalogue.sample import sample_dir
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.search import IndexHolder, catalogue_stamp, doc_from_record

ADMIN = "redactrice"
ADMIN_PASSWORD = "correct horse battery staple"


@cache
def raw_records() -> tuple[tuple[str, dict[str, Any]], ...]:
    """Every record of the shipped sample, with its file stem."""
    found = []
    for path in sorted((sample_dir() / "procedures").glob("*.json")):
        for raw in json.loads(path.read_text(encoding="utf-8")):
            found.append((path.stem, raw))
    return tuple(found)


@cache
def sample_records() -> tuple[ServiceRecord, ...]:
    """The sample, validated."""
    return tuple(ServiceRecord.model_validate(raw) for _, raw in raw_records())


@cache
def sample_index() -> SearchIndex:
    """The search index of the sample, built without a database."""
    return SearchIndex(doc_from_record(r) for r in sample_records())


def record(service_id: str) -> ServiceRecord:
    """One sample record by id."""
    return next(r for r in sample_records() if r.id == service_id)


def changed(service_id: str, **changes: Any) -> ServiceRecord:
    """A copy of a sample record with some top-level fields replaced."""
    data = record(service_id).canonical()
    data.update(changes)
    return ServiceRecord.model_validate(data)


def load_sample(session: Session) -> None:
    """Insert the whole sample (bulk) into the session's transaction."""
    by_source: dict[str, list[ServiceRecord]] = {}
    for (source, _raw), parsed in zip(raw_records(), sample_records(), strict=True):
        by_source.setdefault(source, []).append(parsed)
    for source, records in by_source.items():
        service.insert_new(session, records=records, source=source)


@pytest.fixture
def catalogue(db_session: Session) -> Session:
    """The test's session with the sample catalogue published in it."""
    load_sample(db_session)
    return db_session


@pytest.fixture
def loaded_app(app: FastAPI, catalogue: Session) -> FastAPI:
    """The app with the sample published and its search index already built."""
    holder = IndexHolder()
    holder.prime(sample_index(), catalogue_stamp(catalogue))
    app.state.catalogue_index = holder
    return app


def csrf_token(client: TestClient, path: str = "/fr/admin/login") -> str:
    """The form token of a page (its cookie is kept by the client)."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def sign_in(client: TestClient, username: str = ADMIN, password: str = ADMIN_PASSWORD) -> Response:
    """Submit the ministry sign-in form."""
    token = csrf_token(client)
    return client.post(
        "/fr/admin/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


@pytest.fixture
def admin_account(db_session: Session) -> str:
    """A ministry administrator; returns the username."""
    accounts.create(db_session, username=ADMIN, display_name="Rédactrice", password=ADMIN_PASSWORD)
    return ADMIN


@pytest.fixture
def shared_sessions(app: FastAPI, db_session: Session) -> Iterator[None]:
    """Let the admin Authenticator's own sessions see the test's uncommitted rows."""
    original = app.state.session_factory
    app.state.session_factory = sessionmaker(
        bind=db_session.connection(), join_transaction_mode="create_savepoint"
    )
    yield
    app.state.session_factory = original


def minimal_record(service_id: str = "TST-0001", **changes: Any) -> dict[str, Any]:
    """A small valid record in the export format (no file needed)."""
    data: dict[str, Any] = {
        "id": service_id,
        "priority": False,
        "audience": ["citizen"],
        "life_events": ["birth"],
        "theme": {"fr": "État civil", "ar": "الحالة المدنية"},
        "title": {"fr": "Déclaration de naissance", "ar": "التصريح بالولادة"},
        "description": {"fr": "Déclarer la naissance d'un enfant.", "ar": "التصريح بولادة طفل."},
        "administration": {"code": "MI-COMMUNE", "fr": "Commune", "ar": "الجماعة"},
        "eligibility": {"fr": "", "ar": ""},
        "documents": [
            {"fr": "Certificat d'accouchement", "ar": "شهادة الولادة", "evidence_type": None,
             "condition": None},
            {"fr": "Livret de famille", "ar": "الدفتر العائلي",
             "evidence_type": "family-record-book", "condition": None},
            {"fr": "Carte d'identité du père", "ar": "بطاقة تعريف الأب",
             "evidence_type": "identity",
             "condition": {"fr": "Si le père déclare", "ar": "إذا صرح الأب"}},
        ],
        "steps": [{"fr": "Se présenter au bureau.", "ar": "الحضور إلى المكتب."},
                  {"fr": "Signer le registre.", "ar": "التوقيع في السجل."}],
        "fees": [],
        "delay": {"days": 1, "text": {"fr": "1 jour", "ar": "يوم واحد"}},
        "channels": [{"kind": "office", "fr": "Bureau d'état civil", "ar": "مكتب الحالة المدنية"}],
        "output": {"fr": "Acte de naissance", "ar": "رسم الولادة"},
        "validity": None,
        "legal_basis": [{"ref": "Loi n° 36-21", "fr": "Loi relative à l'état civil",
                         "ar": "القانون المتعلق بالحالة المدنية"}],
        "digitization_level": 1,
        "trips_before": 2,
        "data_protection": {"status": "in_progress", "cndp_ref": None},
        "aliases": {"fr": ["déclarer un bébé"], "ar": [], "darija": ["نسجل الدري"],
                    "arabizi": ["nsjel derri"]},
    }  # fmt: skip
    data.update(changes)
    return data
