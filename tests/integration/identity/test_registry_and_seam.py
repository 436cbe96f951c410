"""The registry's bulk insert and lookups, and the login seam the trust service uses."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from idara.db import utcnow
from idara.identity import population
from idara.identity.flows import card as card_flow
from idara.identity.flows import login
from idara.identity.flows.context import Ctx
from idara.identity.service import persons
from tests.identity_fixtures import IssuedCard


def test_bulk_insert_then_lookup_by_cin_in_any_case(db_session: Session) -> None:
    seen = []
    added = persons.add_persons(db_session, population.generate(42, 2500), batch_size=1000,
                                progress=seen.append)  # fmt: skip
    assert added == 2500 and seen[-1] == 2500
    wanted = population.person(42, 1234)
    found = persons.find_by_cin(db_session, cin=f" {wanted['cin'].lower()} ")
    assert found is not None and found.public_id == wanted["public_id"]
    assert found.first_name_ar == wanted["first_name_ar"]
    assert persons.find_by_cin(db_session, cin="not a cin") is None


def test_the_trust_service_resumes_after_login_with_level_amr_and_auth_time(
    ctx: Ctx, card: IssuedCard
) -> None:
    url = login.begin_login(ctx.db, ctx.session, next_url="/authorize/resume?id=7",
                            acr_values=["high"], lang="ar")  # fmt: skip
    assert url == "/ar/auth/login"
    assert login.pending_login(ctx.session).methods == [login.Method.CARD]
    assert login.authentication(ctx.session, now=ctx.now) is None
    nonce = card_flow.issue_challenge(ctx).nonce
    _, next_url = card_flow.login_with_token(ctx, card.token("https://idara.test", nonce))
    assert next_url == "/authorize/resume?id=7"
    auth = login.authentication(ctx.session, now=ctx.now, min_level=login.Level.HIGH)
    assert auth is not None and auth.person_id == card.person.public_id
    assert (auth.level, auth.amr, auth.sid) == (login.Level.HIGH, ("hwk", "pin"), ctx.session.sid)
    assert login.authentication(ctx.session, now=ctx.now + timedelta(hours=1), max_age=60) is None


def test_next_must_stay_on_this_site() -> None:
    for bad in ("https://evil.example/", "//evil.example", "/\\evil", "javascript:x", "/a\nb"):
        assert login.safe_next(bad, "fr") == "/fr/auth/session"
    assert login.safe_next("/authorize?x=1", "fr") == "/authorize?x=1"


def test_the_lowest_requested_level_decides_and_unknown_values_are_ignored() -> None:
    assert login.parse_level(["high", "substantial"]) is login.Level.SUBSTANTIAL
    assert login.parse_level(["urn:other", "high"]) is login.Level.HIGH
    assert login.parse_level([]) is login.Level.LOW
    assert utcnow().tzinfo is not None
