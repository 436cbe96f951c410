"""Authorization request validation, claims, levels of assurance, subjects, registrations."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from joserfc.jwk import ECKey
from pydantic import SecretStr, ValidationError

from idara.identity.flows.login import Level
from idara.identity.models import Person
from idara.settings import TrustSettings
from idara.trust import authz_request, claims, loa, pairwise
from idara.trust.exceptions import AuthorizationError
from idara.trust.models import Client
from idara.trust.schemas import ClientSpec

CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
JWKS = {"keys": [ECKey.generate_key("P-256").as_dict(private=False)]}


def _spec(**overrides: Any) -> ClientSpec:
    values: dict[str, Any] = {
        "name_fr": "Service",
        "name_ar": "خدمة",
        "organisation_fr": "Org",
        "organisation_ar": "منظمة",
        "purpose_fr": "But",
        "purpose_ar": "غاية",
        "legal_basis_fr": "Loi",
        "legal_basis_ar": "قانون",
        "redirect_uris": ["https://rp.example/cb"],
        "jwks": JWKS,
        "scopes": ["openid", "profile", "card"],
    }
    values.update(overrides)
    return ClientSpec(**values)


def _client(**overrides: Any) -> Client:
    spec = _spec(**overrides)
    return Client(client_id="rp", status="active", **spec.model_dump(exclude={"client_id"}))


def _params(**overrides: str | None) -> dict[str, str]:
    params: dict[str, str | None] = {
        "response_type": "code",
        "scope": "openid profile",
        "state": "s",
        "nonce": "n",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"state": None}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"response_mode": "fragment"}, "invalid_request"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"prompt": "none login"}, "invalid_request"),
        ({"prompt": "sometimes"}, "invalid_request"),
        ({"max_age": "-1"}, "invalid_request"),
        ({"claims": "{not json"}, "invalid_request"),
        ({"request": "eyJ.x.y"}, "request_not_supported"),
    ],
)
def test_each_invalid_parameter_has_its_oauth_error(
    overrides: dict[str, str | None], error: str
) -> None:
    with pytest.raises(AuthorizationError) as caught:
        authz_request.validate(
            _client(), "https://rp.example/cb", _params(**overrides), pushed=False
        )
    assert caught.value.error == error


def test_scopes_outside_the_registration_are_dropped_and_locales_negotiated() -> None:
    request = authz_request.validate(
        _client(),
        "https://rp.example/cb",
        _params(
            scope="openid phone profile", ui_locales="en ar-MA", acr_values="urn:idara:loa:high"
        ),
        pushed=False,
    )
    assert (
        request.scope == ["openid", "profile"]
        and request.ui_locale == "ar"
        and request.acr == "high"
    )


def test_a_fapi_client_must_push_its_request() -> None:
    with pytest.raises(AuthorizationError, match="pushed"):
        authz_request.validate(_client(fapi=True), "https://rp.example/cb", _params(), pushed=False)


def test_the_redirect_uri_must_match_exactly() -> None:
    client = _client()
    assert authz_request.redirect_uri_of(client, {"redirect_uri": "https://rp.example/cb"})
    for near in ("https://rp.example/cb/", "https://rp.example/cb?x", "HTTPS://rp.example/cb"):
        assert authz_request.redirect_uri_of(client, {"redirect_uri": near}) is None


@given(st.text(max_size=300))
def test_the_claims_parameter_parser_never_fails_unexpectedly(raw: str) -> None:
    with contextlib.suppress(AuthorizationError):
        claims.parse_claims_parameter(raw)


def test_sensitive_claims_need_the_legal_basis() -> None:
    asked = claims.requested(["openid", "card", "photo"], claims.ClaimsRequest({}, {}))
    assert "cin" in asked and "picture" in asked
    kept = claims.releasable(asked, client_scopes=["openid", "card", "photo"], allowed=[])
    assert "cin" not in kept and "picture" not in kept and "card_status" in kept
    assert "cin" in claims.releasable(asked, client_scopes=["openid", "card"], allowed=["cin"])


def test_claim_values_come_from_the_registry_in_both_scripts() -> None:
    person = Person(
        public_id="p1",
        cin="AB123456",
        first_name="Amina",
        last_name="Alaoui",
        first_name_ar="أمينة",
        last_name_ar="العلوي",
        birth_date=date(1990, 5, 17),
        birth_commune="04-01-1",
        sex="F",
        street="12 rue X",
        street_ar="12 زنقة",
        region_code="04",
        province_code="04-01",
        commune_code="04-01-1",
        phone=None,
        photo_ref=None,
        card_number="C1",
        card_issued_on=date(2020, 1, 1),
        card_expires_on=date(2030, 1, 1),
        card_status="active",
    )
    values = claims.values(
        person, ["name", "name#ar", "gender", "birthdate", "phone_number", "picture"]
    )
    assert values == {
        "name": "Amina Alaoui",
        "name#ar": "أمينة العلوي",
        "gender": "female",
        "birthdate": "1990-05-17",
    }


def test_the_required_level_is_never_below_the_clients_minimum() -> None:
    assert loa.required(["urn:idara:loa:low"], client_minimum="substantial") is Level.SUBSTANTIAL
    assert loa.required(["urn:idara:loa:high", "unknown"], client_minimum="low") is Level.HIGH
    assert loa.required([], client_minimum="low") is Level.LOW


def test_pairwise_subjects_depend_on_the_sector_and_the_secret_only() -> None:
    settings = TrustSettings(subject_secret=SecretStr("s" * 32))
    a, b = _client(sector_identifier="a.gov.ma"), _client(sector_identifier="b.gov.ma")
    assert pairwise.subject(a, "p1", settings) == pairwise.subject(a, "p1", settings)
    assert pairwise.subject(a, "p1", settings) != pairwise.subject(b, "p1", settings)
    other = TrustSettings(subject_secret=SecretStr("t" * 32))
    assert pairwise.subject(a, "p1", settings) != pairwise.subject(a, "p1", other)
    assert pairwise.subject(_client(subject_type="public"), "p1", settings) == "p1"


@pytest.mark.parametrize(
    "overrides",
    [
        {"redirect_uris": ["http://rp.example/cb"]},
        {"redirect_uris": ["https://rp.example/cb#frag"]},
        {"fapi": True, "auth_method": "client_secret_basic", "jwks": None},
        {"jwks": None},
        {"allowed_claims": ["birthdate"]},
        {"scopes": ["profile"]},
        {"userinfo_encrypted_alg": "RSA-OAEP-256"},
    ],
)
def test_an_incoherent_registration_is_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _spec(**overrides)


def test_a_fapi_registration_requires_par_and_dpop_and_loopback_http_is_allowed() -> None:
    spec = _spec(fapi=True, redirect_uris=["http://127.0.0.1:9000/cb"])
    assert spec.require_par and spec.require_dpop and spec.sector_identifier == "127.0.0.1"
