"""Administrator accounts and sessions, stored as the auditors expect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from idara.audit import service as audit
from idara.audit.schemas import ActorType, AuditContext, Outcome
from idara.catalogue import accounts
from idara.catalogue.models import AdminSession
from idara.db import utcnow
from tests.catalogue_support import ADMIN, ADMIN_PASSWORD


def test_an_administrator_signs_in_with_the_right_password_only(
    admin_account: str, db_session: Session
) -> None:
    assert accounts.authenticate(db_session, username=ADMIN, password=ADMIN_PASSWORD) is not None
    assert accounts.authenticate(db_session, username=ADMIN, password="wrong password!!") is None
    assert accounts.authenticate(db_session, username="nobody", password=ADMIN_PASSWORD) is None


def test_the_session_table_never_holds_the_token_itself(
    admin_account: str, db_session: Session
) -> None:
    admin = accounts.find(db_session, username=ADMIN)
    assert admin is not None
    token = accounts.open_session(db_session, admin=admin, lifetime=timedelta(hours=1))
    stored = db_session.query(AdminSession).one()
    assert stored.id != token and len(stored.id) == 64
    assert accounts.session_admin(db_session, token=token) == admin
    accounts.close_session(db_session, token=token)
    assert accounts.session_admin(db_session, token=token) is None


def test_an_expired_session_or_a_disabled_account_lets_nobody_in(
    admin_account: str, db_session: Session
) -> None:
    admin = accounts.find(db_session, username=ADMIN)
    assert admin is not None
    expired = accounts.open_session(db_session, admin=admin, lifetime=timedelta(seconds=-1))
    assert accounts.session_admin(db_session, token=expired) is None
    live = accounts.open_session(db_session, admin=admin, lifetime=timedelta(hours=1))
    accounts.disable(db_session, admin=admin)
    assert accounts.session_admin(db_session, token=live) is None
    assert accounts.authenticate(db_session, username=ADMIN, password=ADMIN_PASSWORD) is None


def test_a_second_account_with_the_same_name_is_refused(
    admin_account: str, db_session: Session
) -> None:
    with pytest.raises(accounts.AccountError):
        accounts.create(
            db_session, username=ADMIN, display_name="X", password="another long password"
        )


def test_failed_sign_ins_are_counted_per_username_and_per_address(db_session: Session) -> None:
    for ip in ("198.51.100.1", "198.51.100.2"):
        context = AuditContext(actor_type=ActorType.ANONYMOUS, ip=ip)
        audit.record(
            db_session,
            context=context,
            action=accounts.LOGIN_ACTION,
            outcome=Outcome.FAILURE,
            target_type="catalogue_admin",
            target_id="fatima",
        )
    since = utcnow() - timedelta(minutes=15)
    assert accounts.recent_failures(
        db_session, username="fatima", ip="198.51.100.1", since=since
    ) == (2, 1)
    assert accounts.recent_failures(db_session, username="omar", ip="203.0.113.9", since=since) == (
        0,
        0,
    )
