"""The trust service's persistence: keys, grants and tokens, replay memory, consents."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from idara.db import utcnow
from idara.identity.models import Person
from idara.settings import Settings
from idara.trust import consent, grants, keyring, keys, replay
from idara.trust.exceptions import OAuthError
from idara.trust.models import Grant, SigningKey
from tests.trust_support import citizen_row


@pytest.fixture
def person(db_session: Session) -> Person:
    row = citizen_row(7)
    db_session.add(row)
    db_session.flush()
    return row


def test_first_use_creates_a_current_and_a_next_key_sealed_under_the_passphrase(
    db_session: Session, settings: Settings
) -> None:
    current = keyring.ensure(db_session, settings.trust, now=utcnow())
    rows = db_session.query(SigningKey).all()
    assert {r.status for r in rows} == {"current", "next"}
    stored = json.dumps(current.sealed_key)
    assert "PRIVATE KEY" not in stored and current.sealed_key["kdf"] == "PBKDF2-HMAC-SHA256"
    with pytest.raises(keys.KeyUnsealError):
        keys.unseal(current.kid, current.sealed_key, "wrong passphrase")


def test_rotation_promotes_the_next_key_and_forgets_retired_keys_after_their_tokens(
    db_session: Session, settings: Settings
) -> None:
    now = utcnow()
    first = keyring.ensure(db_session, settings.trust, now=now).kid
    old, new = keyring.rotate(db_session, settings.trust, now=now)
    assert old == first
    published = {row.kid for row in keyring.published(db_session, now=now)}
    assert {old, new} <= published and len(published) == 3
    later = now + timedelta(seconds=settings.trust.max_token_lifetime_s + 1)
    keyring.rotate(db_session, settings.trust, now=later)
    assert old not in {row.kid for row in keyring.published(db_session, now=later)}
    assert db_session.get(SigningKey, old) is None


def _grant(db: Session, person: Person) -> tuple[Grant, str]:
    grant = grants.new_grant(
        db,
        client_id="rp",
        person_id=person.id,
        sub="s",
        scope=["openid"],
        claims={},
        now=utcnow(),
        amr=["hwk"],
    )
    return grant, grants.attach_code(db, grant, now=utcnow(), ttl_s=60)


def test_a_code_is_single_use_and_its_reuse_revokes_the_tokens(
    db_session: Session, person: Person
) -> None:
    grant, code = _grant(db_session, person)
    redeemed = grants.redeem_code(db_session, code, client_id="rp", now=utcnow())
    issued = grants.issue(
        db_session, redeemed, jkt=None, access_ttl_s=60, refresh_ttl_s=600, now=utcnow()
    )
    with pytest.raises(OAuthError, match="already used"):
        grants.redeem_code(db_session, code, client_id="rp", now=utcnow())
    found = grants.lookup(db_session, issued.access_token)
    assert found is not None and not grants.is_active(*found, now=utcnow())
    assert grant.revoked_reason == "code_reused"


def test_a_code_expires_and_belongs_to_its_client(db_session: Session, person: Person) -> None:
    _grant_row, code = _grant(db_session, person)
    with pytest.raises(OAuthError, match="another client"):
        grants.redeem_code(db_session, code, client_id="thief", now=utcnow())
    with pytest.raises(OAuthError, match="expired"):
        grants.redeem_code(db_session, code, client_id="rp", now=utcnow() + timedelta(seconds=61))


def test_refresh_tokens_rotate_and_a_reuse_revokes_the_grant(
    db_session: Session, person: Person
) -> None:
    grant, code = _grant(db_session, person)
    grants.redeem_code(db_session, code, client_id="rp", now=utcnow())
    first = grants.issue(
        db_session, grant, jkt=None, access_ttl_s=60, refresh_ttl_s=600, now=utcnow()
    )
    assert first.refresh_token is not None
    grants.use_refresh(db_session, first.refresh_token, client_id="rp", now=utcnow())
    second = grants.issue(
        db_session, grant, jkt=None, access_ttl_s=60, refresh_ttl_s=600, now=utcnow()
    )
    with pytest.raises(OAuthError, match="already used"):
        grants.use_refresh(db_session, first.refresh_token, client_id="rp", now=utcnow())
    found = grants.lookup(db_session, second.access_token)
    assert found is not None and not grants.is_active(*found, now=utcnow())


def test_a_jti_is_accepted_once_per_purpose_and_issuer(db_session: Session) -> None:
    later = utcnow() + timedelta(minutes=5)
    kwargs = {"expires_at": later, "now": utcnow()}
    assert replay.first_use(db_session, purpose="client", issuer="rp", jti="abcdefgh", **kwargs)
    assert not replay.first_use(db_session, purpose="client", issuer="rp", jti="abcdefgh", **kwargs)
    assert replay.first_use(db_session, purpose="dpop", issuer="rp", jti="abcdefgh", **kwargs)
    assert replay.first_use(db_session, purpose="client", issuer="other", jti="abcdefgh", **kwargs)


def test_a_new_consent_replaces_the_previous_and_expired_ones_no_longer_count(
    db_session: Session, person: Person
) -> None:
    now = utcnow()
    first = consent.grant(
        db_session, person_id=person.id, client_id="rp", claims=["given_name"], now=now, ttl_days=10
    )
    second = consent.grant(
        db_session,
        person_id=person.id,
        client_id="rp",
        claims=["given_name", "birthdate"],
        now=now,
        ttl_days=10,
    )
    assert first.revoked_at is not None
    live = consent.active(db_session, person_id=person.id, client_id="rp", now=now)
    assert (
        live is second and consent.covers(live, ["birthdate"]) and not consent.covers(live, ["cin"])
    )
    assert (
        consent.active(
            db_session, person_id=person.id, client_id="rp", now=now + timedelta(days=11)
        )
        is None
    )
    consent.revoke(db_session, second, now=now)
    assert consent.of_person(db_session, person_id=person.id, now=now) == []
