"""Audit events are recorded in the caller's transaction and can never be changed."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from idara.audit import service as audit
from idara.audit.models import AuditEvent
from idara.audit.schemas import ActorType, AuditContext, Outcome

CONTEXT = AuditContext(
    actor_type=ActorType.CITIZEN, actor_id="c-1", ip="198.51.100.4", request_id="req-12345678"
)


def test_an_event_records_who_did_what_to_what_when_and_from_where(db_session: Session) -> None:
    event = audit.record(
        db_session,
        context=CONTEXT,
        action="identity.login",
        outcome=Outcome.FAILURE,
        target_type="card",
        target_id="K1234",
        details={"method": "card", "attempts_left": 2},
    )
    stored = db_session.get(AuditEvent, event.id)
    assert stored is not None
    assert (stored.actor_type, stored.actor_id, stored.ip) == ("citizen", "c-1", "198.51.100.4")
    assert (stored.action, stored.outcome, stored.target_id) == (
        "identity.login",
        "failure",
        "K1234",
    )
    assert stored.occurred_at.tzinfo is not None
    assert stored.details == {"method": "card", "attempts_left": 2}


def test_events_are_listed_newest_first_and_filtered(db_session: Session) -> None:
    for target in ("a", "b", "a"):
        audit.record(
            db_session,
            context=AuditContext.system(),
            action="catalogue.publish",
            target_type="service",
            target_id=target,
        )
    found = audit.list_events(db_session, target_type="service", target_id="a")
    assert [e.target_id for e in found] == ["a", "a"]
    assert found[0].id > found[1].id


def test_a_secret_in_the_details_is_refused_and_nothing_is_written(db_session: Session) -> None:
    before = db_session.query(AuditEvent).count()
    with pytest.raises(audit.SecretInAuditError):
        audit.record(db_session, context=CONTEXT, action="identity.login", details={"pin": "1234"})
    assert db_session.query(AuditEvent).count() == before


def test_an_action_must_be_named_domain_dot_verb(db_session: Session) -> None:
    with pytest.raises(ValueError, match=r"domain\.verb"):
        audit.record(db_session, context=CONTEXT, action="Login")


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_event SET outcome = 'success'", "DELETE FROM audit_event"],
)
def test_the_database_refuses_to_change_or_delete_an_event(engine: Engine, statement: str) -> None:
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection) as session:
            audit.record(session, context=CONTEXT, action="identity.login")
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text(statement))
        transaction.rollback()
