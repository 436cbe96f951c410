"""The OpenID Foundation "FAPI 2.0 Security Profile" test plan (fapi2-security-profile-final),
variant private_key_jwt + DPoP + OpenID Connect, plain FAPI: the authorization request, PAR
and PKCE modules. DPoP, token-endpoint and client-assertion modules are in the sibling file.
Modules of other ecosystems (Brazil, CDR, ConnectID, KSA, grant management) and those that
need signed request objects do not apply to this variant and are not mirrored.
"""

from __future__ import annotations

import json

import pytest

from idara.identity.models import Person
from tests.trust_support import (
    REDIRECT,
    Browser,
    ClientFactory,
    RelyingParty,
    code_of,
    decode_id_token,
    exchange,
    fapi_code,
    par_push,
    redirect_params,
    userinfo,
)


@pytest.fixture
def fapi(make_rp: ClientFactory) -> RelyingParty:
    return make_rp(fapi=True)


def _error_at_par(browser: Browser, rp: RelyingParty, **params: str | None) -> str:
    response = par_push(browser.http, rp, rp.authorize_params(**params))
    assert response.status_code == 400, response.text
    return str(response.json()["error"])


def _authorize_pushed(
    browser: Browser, rp: RelyingParty, request_uri: str, person: Person
) -> object:
    return browser.authorize({"client_id": rp.client_id, "request_uri": request_uri}, person)


def test_fapi2_discovery_end_point_verification(browser: Browser) -> None:
    config = browser.http.get("/.well-known/openid-configuration").json()
    assert config["pushed_authorization_request_endpoint"].endswith("/oidc/par")
    assert "private_key_jwt" in config["token_endpoint_auth_methods_supported"]
    assert set(config["token_endpoint_auth_signing_alg_values_supported"]) <= {"ES256", "PS256"}
    assert set(config["dpop_signing_alg_values_supported"]) <= {"ES256", "PS256"}
    assert config["authorization_response_iss_parameter_supported"] is True
    assert config["code_challenge_methods_supported"] == ["S256"]


def test_fapi2_happy_flow(browser: Browser, fapi: RelyingParty, citizen: Person) -> None:
    code, pushed = fapi_code(browser, fapi, citizen)
    tokens = exchange(browser.http, fapi, code, dpop=True)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "DPoP"
    assert decode_id_token(browser.http, body["id_token"])["nonce"] == pushed["nonce"]
    info = userinfo(browser.http, fapi, body["access_token"], dpop=True)
    assert info.status_code == 200 and info.json()["given_name"] == citizen.first_name


def test_fapi2_user_rejects_authentication(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    pushed = fapi.authorize_params()
    request_uri = par_push(browser.http, fapi, pushed).json()["request_uri"]
    response = browser.get("/oidc/authorize", client_id=fapi.client_id, request_uri=request_uri)
    next_url = browser.sign_in(citizen)
    consent = browser.get(next_url).headers["location"]
    answer = redirect_params(browser.consent(consent, decision="refuse").headers["location"])
    assert answer["error"] == "access_denied" and answer["state"] == pushed["state"]
    assert response.status_code == 302


def test_fapi2_ensure_authorization_request_without_state_success(
    browser: Browser, fapi: RelyingParty
) -> None:
    # Deliberate deviation: Idara's profile makes state mandatory (issue 4).
    assert _error_at_par(browser, fapi, state=None) == "invalid_request"


def test_fapi2_ensure_authorization_request_without_nonce_success(
    browser: Browser, fapi: RelyingParty
) -> None:
    # Deliberate deviation: Idara's profile makes nonce mandatory (issue 4).
    assert _error_at_par(browser, fapi, nonce=None) == "invalid_request"


def test_fapi2_ensure_authorization_request_with_64_char_nonce_success(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen, nonce="n" * 64)
    tokens = exchange(browser.http, fapi, code, dpop=True).json()
    assert decode_id_token(browser.http, tokens["id_token"])["nonce"] == "n" * 64


def test_fapi2_ensure_other_scope_order_succeeds(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen, scope="profile openid")
    assert exchange(browser.http, fapi, code, dpop=True).status_code == 200


def test_fapi2_test_claims_parameter_identity_claims(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    claims = json.dumps({"id_token": {"family_name": {"essential": True}, "birthdate": None}})
    code, _ = fapi_code(browser, fapi, citizen, scope="openid profile birth", claims=claims)
    id_token = decode_id_token(
        browser.http, exchange(browser.http, fapi, code, dpop=True).json()["id_token"]
    )
    assert id_token["family_name"] == citizen.last_name
    assert id_token["birthdate"] == citizen.birth_date.isoformat()


def test_fapi2_ensure_different_nonce_inside_and_outside_request_object(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    pushed = fapi.authorize_params()
    request_uri = par_push(browser.http, fapi, pushed).json()["request_uri"]
    response = browser.authorize(
        {"client_id": fapi.client_id, "request_uri": request_uri, "nonce": "outside"}, citizen
    )
    tokens = exchange(browser.http, fapi, code_of(response), dpop=True).json()
    assert decode_id_token(browser.http, tokens["id_token"])["nonce"] == pushed["nonce"]


def test_fapi2_ensure_different_state_inside_and_outside_request_object(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    pushed = fapi.authorize_params()
    request_uri = par_push(browser.http, fapi, pushed).json()["request_uri"]
    response = browser.authorize(
        {"client_id": fapi.client_id, "request_uri": request_uri, "state": "outside"}, citizen
    )
    assert redirect_params(response.headers["location"])["state"] == pushed["state"]


def test_fapi2_ensure_authorization_request_with_long_nonce(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen, nonce="n" * 384)
    assert exchange(browser.http, fapi, code, dpop=True).status_code == 200


def test_fapi2_ensure_authorization_request_with_long_state(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, pushed = fapi_code(browser, fapi, citizen, state="s" * 384)
    assert (
        len(pushed["state"]) == 384
        and exchange(browser.http, fapi, code, dpop=True).status_code == 200
    )


def test_fapi2_state_only_outside_request_object_not_used(
    browser: Browser, fapi: RelyingParty
) -> None:
    # The pushed request must carry state itself (profile): without it PAR already refuses.
    assert _error_at_par(browser, fapi, state=None) == "invalid_request"


def test_fapi2_ensure_request_object_without_redirect_uri_fails(
    browser: Browser, fapi: RelyingParty
) -> None:
    assert _error_at_par(browser, fapi, redirect_uri=None) == "invalid_request"


def test_fapi2_ensure_registered_redirect_uri(browser: Browser, fapi: RelyingParty) -> None:
    assert (
        _error_at_par(browser, fapi, redirect_uri="https://attacker.example/cb")
        == "invalid_request"
    )


def test_fapi2_tolerate_unregistered_redirect_uri(browser: Browser, fapi: RelyingParty) -> None:
    # The module accepts either behaviour; Idara requires an exact registered match.
    assert _error_at_par(browser, fapi, redirect_uri=REDIRECT + "/other") == "invalid_request"


def test_fapi2_ensure_unsigned_authorization_request_without_using_par_fails(
    browser: Browser, fapi: RelyingParty
) -> None:
    response = browser.get("/oidc/authorize", **fapi.authorize_params())
    assert redirect_params(response.headers["location"])["error"] == "invalid_request"


def test_fapi2_ensure_redirect_uri_in_authorization_request(
    browser: Browser, fapi: RelyingParty
) -> None:
    assert _error_at_par(browser, fapi, redirect_uri=None) == "invalid_request"


def test_fapi2_ensure_response_type_code_id_token_fails(
    browser: Browser, fapi: RelyingParty
) -> None:
    assert (
        _error_at_par(browser, fapi, response_type="code id_token") == "unsupported_response_type"
    )


def test_fapi2_ensure_response_type_token_fails(browser: Browser, fapi: RelyingParty) -> None:
    assert _error_at_par(browser, fapi, response_type="token") == "unsupported_response_type"


def test_fapi2_par_ensure_server_accepts_reused_request_uri_before_authentication_completion(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    request_uri = par_push(browser.http, fapi, fapi.authorize_params()).json()["request_uri"]
    first = browser.get("/oidc/authorize", client_id=fapi.client_id, request_uri=request_uri)
    again = browser.authorize({"client_id": fapi.client_id, "request_uri": request_uri}, citizen)
    assert first.status_code == 302 and "code" in redirect_params(again.headers["location"])


def test_fapi2_par_attempt_reuse_request_uri(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    request_uri = par_push(browser.http, fapi, fapi.authorize_params()).json()["request_uri"]
    code_of(_authorize_pushed(browser, fapi, request_uri, citizen))
    reused = browser.get("/oidc/authorize", client_id=fapi.client_id, request_uri=request_uri)
    assert reused.status_code == 400 and "location" not in reused.headers


def test_fapi2_par_attempt_to_use_expired_request_uri(browser: Browser, fapi: RelyingParty) -> None:
    request_uri = par_push(browser.http, fapi, fapi.authorize_params()).json()["request_uri"]
    browser.clock.advance(61)
    expired = browser.get("/oidc/authorize", client_id=fapi.client_id, request_uri=request_uri)
    assert expired.status_code == 400 and "location" not in expired.headers


def test_fapi2_par_ensure_request_uri_is_bound_to_client(
    browser: Browser, fapi: RelyingParty, make_rp: ClientFactory
) -> None:
    other = make_rp(fapi=True)
    request_uri = par_push(browser.http, fapi, fapi.authorize_params()).json()["request_uri"]
    response = browser.get("/oidc/authorize", client_id=other.client_id, request_uri=request_uri)
    assert response.status_code == 400 and "location" not in response.headers


def test_fapi2_par_reject_request_uri_in_par_authorization_form_params(
    browser: Browser, fapi: RelyingParty
) -> None:
    uri = "urn:ietf:params:oauth:request_uri:abc"
    assert _error_at_par(browser, fapi, request_uri=uri) == "invalid_request"


def test_fapi2_par_reject_invalid_http_verb(browser: Browser) -> None:
    assert browser.http.get("/oidc/par").status_code == 405


def test_fapi2_par_ensure_pkce_required(browser: Browser, fapi: RelyingParty) -> None:
    assert (
        _error_at_par(browser, fapi, code_challenge=None, code_challenge_method=None)
        == "invalid_request"
    )


def test_fapi2_par_ensure_pkce_code_verifier_required(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen)
    fapi.verifier = ""
    response = exchange(browser.http, fapi, code, dpop=True, code_verifier="")
    assert response.json()["error"] == "invalid_grant"


def test_fapi2_par_incorrect_pkce_code_verifier_rejected(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen)
    response = exchange(browser.http, fapi, code, dpop=True, code_verifier="x" * 50)
    assert response.json()["error"] == "invalid_grant"


def test_fapi2_par_ensure_plain_pkce_rejected(browser: Browser, fapi: RelyingParty) -> None:
    verifier = "v" * 50
    error = _error_at_par(browser, fapi, code_challenge=verifier, code_challenge_method="plain")
    assert error == "invalid_request"


def test_fapi2_par_without_duplicate_parameters(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    request_uri = par_push(browser.http, fapi, fapi.authorize_params()).json()["request_uri"]
    response = browser.authorize({"client_id": fapi.client_id, "request_uri": request_uri}, citizen)
    assert exchange(browser.http, fapi, code_of(response), dpop=True).status_code == 200
