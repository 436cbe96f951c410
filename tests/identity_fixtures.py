"""Fixtures shared by the identity tests: key store, PKI, persons, cards, a login context."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from idara.audit.schemas import ActorType, AuditContext
from idara.db import utcnow
from idara.identity import card_crypto, population
from idara.identity.flows import pki as pki_flow
from idara.identity.flows.context import Ctx
from idara.identity.keystore import FileKeyStore
from idara.identity.models import Person
from idara.identity.service import persons
from idara.ratelimit import MemoryRateLimiter
from idara.sessions import service as sessions
from idara.sessions.models import WebSession
from idara.settings import Settings

PIN, PUK = "1234", "12345678"
SEED = 99


@pytest.fixture(scope="session")
def store(settings: Settings) -> FileKeyStore:
    """The key store the application also uses (unsealed once per test session)."""
    return pki_flow.key_store(settings)


@pytest.fixture
def registry(db_session: Session) -> list[Person]:
    """Six synthetic persons, the first three with an active card and a phone."""
    rows = []
    today = utcnow().date()
    for row in population.generate(SEED, 6):
        row.update(card_status="active", phone="+212600000000")
        row.update(
            card_issued_on=today - timedelta(days=400), card_expires_on=today + timedelta(days=2000)
        )
        rows.append(row)
    rows[3]["card_status"] = "lost"
    rows[4].update(card_status="expired", card_expires_on=today - timedelta(days=3))
    rows[5]["phone"] = None
    persons.add_persons(db_session, rows)
    return [p for r in rows if (p := persons.find_by_cin(db_session, cin=r["cin"])) is not None]


@dataclass
class IssuedCard:
    """A card issued for a test: its record, its file content and the unlocked key."""

    person: Person
    serial: str
    file: dict[str, Any]
    key: card_crypto.CardKey

    @property
    def certificate(self) -> bytes:
        """The card certificate (DER)."""
        return card_crypto.certificate_of(self.file)

    def token(self, origin: str, nonce: str) -> bytes:
        """A Web eID token answering a nonce, as JSON bytes."""
        token = card_crypto.web_eid_token(
            self.key, certificate=self.certificate, origin=origin, nonce=nonce
        )
        return json.dumps(token).encode()


def issue(
    db: Session,
    store: FileKeyStore,
    settings: Settings,
    person: Person,
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> IssuedCard:
    """Issue a card to a person, with PIN and PUK above."""
    issued = pki_flow.issue_card(
        db,
        store,
        settings,
        person=person,
        pin=PIN,
        puk=PUK,
        now=utcnow(),
        not_before=not_before,
        not_after=not_after,
    )
    content = json.loads(json.dumps(issued.file))
    key = card_crypto.unlock(json.loads(json.dumps(content)), PIN)
    return IssuedCard(person=person, serial=issued.card.serial, file=content, key=key)


@pytest.fixture
def card(
    db_session: Session, store: FileKeyStore, settings: Settings, registry: list[Person]
) -> IssuedCard:
    """An active card of the first person."""
    return issue(db_session, store, settings, registry[0])


@pytest.fixture
def web_session(db_session: Session, settings: Settings) -> WebSession:
    """An anonymous browser session."""
    row, _ = sessions.create(db_session, settings=settings.session, now=utcnow())
    return row


@pytest.fixture
def limiter() -> MemoryRateLimiter:
    """A fresh in-memory limiter."""
    return MemoryRateLimiter()


@pytest.fixture
def ctx(
    db_session: Session, settings: Settings, limiter: MemoryRateLimiter, web_session: WebSession
) -> Ctx:
    """A login attempt's context from a remote address."""
    return make_ctx(db_session, settings, limiter, web_session)


def make_ctx(
    db: Session,
    settings: Settings,
    limiter: MemoryRateLimiter,
    web_session: WebSession | None,
    *,
    shift: timedelta = timedelta(0),
) -> Ctx:
    """A context whose clock is shifted (to see challenges and codes expire)."""
    return Ctx(
        db=db,
        settings=settings,
        limiter=limiter,
        audit=AuditContext(actor_type=ActorType.ANONYMOUS, ip="198.51.100.4"),
        now=utcnow() + shift,
        web_session=web_session,
    )
