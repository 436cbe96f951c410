"""Claims and privacy: pairwise sub, lawful CIN and photo, remembered consent, releases."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from idara.audit.models import AuditEvent
from idara.identity.models import Person
from idara.trust.models import ClaimRelease
from tests.trust_support import (
    Browser,
    ClientFactory,
    RelyingParty,
    code_of,
    decode_id_token,
    exchange,
    userinfo,
)


def _sub(browser: Browser, rp: RelyingParty, citizen: Person) -> str:
    tokens = exchange(browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen)))
    return str(decode_id_token(browser.http, tokens.json()["id_token"])["sub"])


def test_the_subject_is_pairwise_per_sector(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    tax = make_rp(sector_identifier="impots.gov.ma")
    tax_other = make_rp(sector_identifier="impots.gov.ma")
    health = make_rp(sector_identifier="sante.gov.ma")
    first, second, third = (_sub(browser, rp, citizen) for rp in (tax, tax_other, health))
    assert first == second != third
    assert citizen.cin not in (first, third) and citizen.public_id not in (first, third)


def _card_userinfo(browser: Browser, rp: RelyingParty, citizen: Person) -> dict[str, object]:
    request = rp.authorize_params(scope="openid card photo")
    tokens = exchange(browser.http, rp, code_of(browser.authorize(request, citizen))).json()
    info: dict[str, object] = userinfo(browser.http, rp, tokens["access_token"]).json()
    return info


def test_the_cin_and_photo_are_released_only_under_a_legal_basis(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    without = _card_userinfo(browser, make_rp(), citizen)
    assert "cin" not in without and "picture" not in without and "card_status" in without
    lawful = _card_userinfo(browser, make_rp(allowed_claims=["cin", "picture"]), citizen)
    assert lawful["cin"] == citizen.cin


def test_the_consent_screen_names_the_administration_purpose_legal_basis_and_claims(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    start = browser.get(
        "/oidc/authorize", **rp.authorize_params(scope="openid birth", ui_locales="ar")
    )
    consent = browser.get(browser.sign_in(citizen)).headers["location"]
    assert consent.startswith("/ar/oidc/consent/")
    page = browser.http.get(consent)
    for text in ("وزارة الاختبارات", "التحقق من هويتك للاختبار", "القانون 00-00", "تاريخ الازدياد"):
        assert text in page.text
    assert start.status_code == 302 and 'dir="rtl"' in page.text


def test_a_remembered_consent_is_not_asked_again_until_it_expires(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    code_of(browser.authorize(rp.authorize_params(), citizen))
    again = browser.get("/oidc/authorize", **rp.authorize_params())
    assert "code=" in again.headers["location"]
    wider = browser.get("/oidc/authorize", **rp.authorize_params(scope="openid profile phone"))
    assert "/oidc/consent/" in wider.headers["location"]  # a new claim needs a new consent
    forced = browser.get("/oidc/authorize", **rp.authorize_params(prompt="consent"))
    assert "/oidc/consent/" in forced.headers["location"]
    browser.clock.advance(181 * 86400)
    browser.sign_in(citizen)
    expired = browser.get("/oidc/authorize", **rp.authorize_params())
    assert "/oidc/consent/" in expired.headers["location"]


def test_prompt_none_without_consent_answers_consent_required(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    browser.get("/oidc/authorize", **rp.authorize_params())
    browser.sign_in(citizen)
    response = browser.get("/oidc/authorize", **rp.authorize_params(prompt="none"))
    assert "error=consent_required" in response.headers["location"]


def test_every_release_is_recorded_by_name_and_audited_without_values(
    browser: Browser, make_rp: ClientFactory, citizen: Person, client: TestClient
) -> None:
    rp = make_rp()
    tokens = exchange(
        client, rp, code_of(browser.authorize(rp.authorize_params(scope="openid birth"), citizen))
    ).json()
    userinfo(client, rp, tokens["access_token"])
    releases = browser.db.scalars(
        select(ClaimRelease).where(ClaimRelease.person_id == citizen.id)
    ).all()
    assert [r.channel for r in releases] == ["userinfo"]
    assert set(releases[0].claims) == {"birthdate", "place_of_birth"}
    events = browser.db.scalars(
        select(AuditEvent).where(AuditEvent.action == "trust.claims_released")
    ).all()
    assert events and citizen.birth_date.isoformat() not in str(events[-1].details)


def test_a_client_minimum_level_sends_the_citizen_to_a_stronger_login(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    from idara.identity.flows import login

    rp = make_rp(min_acr="high")
    browser.get("/oidc/authorize", **rp.authorize_params())
    browser.sign_in(citizen, method=login.Method.OTP)  # a weaker login than the client needs
    response = browser.get("/oidc/authorize", **rp.authorize_params(acr_values="urn:idara:loa:low"))
    assert response.headers["location"] == "/fr/auth/login"
