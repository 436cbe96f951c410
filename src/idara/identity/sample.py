"""Demo data: the national PKI, a small population, and demo citizens with virtual cards."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.db import utcnow
from idara.identity import card_crypto, population
from idara.identity.flows import pki as pki_flow
from idara.identity.models import Person
from idara.identity.service import cards, persons
from idara.settings import Settings

SEED = 2026
POPULATION = 2000
DEMO_PIN = "123456"
DEMO_PUK = "12345678"


def _demo_people(session: Session) -> list[Person]:
    # Two citizens whose card is valid, and one whose card has expired (to see that error).
    query = select(Person).order_by(Person.id)
    active = session.scalars(
        query.where(Person.card_status == "active", Person.phone.is_not(None)).limit(2)
    ).all()
    expired = session.scalars(query.where(Person.card_status == "expired").limit(1)).all()
    return [*active, *expired]


def load(session: Session, settings: Settings) -> list[str]:
    """Create the PKI, the population and the demo cards (again only what is missing)."""
    now = utcnow()
    store = pki_flow.key_store(settings)
    pki_flow.ensure_pki(session, store, now=now)
    lines = [f"National PKI ready: {settings.public_origin}/pki/root-ca.crt"]
    if persons.count(session) == 0:
        persons.add_persons(session, population.generate(SEED, POPULATION))
    lines.append(f"Registry: {persons.count(session):,} synthetic persons (seed {SEED})")
    folder = settings.data_dir / "cards"
    for person in _demo_people(session):
        path = folder / f"{person.cin}.json"
        existing = cards.cards_of(session, person_id=person.id)
        if not path.exists() or not existing:
            issued = pki_flow.issue_card(
                session, store, settings, person=person, pin=DEMO_PIN, puk=DEMO_PUK, now=now
            )
            pki_flow.write_card_file(path, issued.file)
        else:
            content = card_crypto.read_card(path)
            content["pin_tries_left"] = card_crypto.PIN_TRIES
            card_crypto.write_card(path, content)
        lines.append(
            f"Demo citizen {person.first_name} {person.last_name} ({person.first_name_ar} "
            f"{person.last_name_ar}), CIN {person.cin}, card {person.card_status}, "
            f"phone {person.phone or '-'}"
        )
        lines.append(f"    card file {path.resolve()}   PIN {DEMO_PIN}   PUK {DEMO_PUK}")
    origin = settings.public_origin
    lines += [
        f"Sign in: {origin}/fr/auth/login (or /ar/auth/login):",
        "    card: choose the card file and type the PIN (virtual reader), or run",
        f"      idara card sign --card <file> --pin {DEMO_PIN} --origin {origin} --nonce <nonce>",
        "    app: idara app approve --card <file> --pin 123456 --code <code> \\",
        f"           --server {origin}",
        f"    SMS:  type a demo CIN; the code appears in {origin}/fr/auth/outbox",
    ]
    return lines
