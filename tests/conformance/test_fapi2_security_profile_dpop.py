"""FAPI 2.0 Security Profile test plan, continued: DPoP (RFC 9449), the token endpoint,
private_key_jwt client assertions (RFC 7523) and refresh tokens. One test per module.
"""

from __future__ import annotations

import secrets

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from idara.identity.models import Person
from tests.trust_support import (
    PAR_URL,
    TOKEN_URL,
    USERINFO_URL,
    Browser,
    ClientFactory,
    RelyingParty,
    code_of,
    exchange,
    fapi_code,
    par_push,
    token_request,
    userinfo,
)

ISSUER = "https://idara.test"


@pytest.fixture
def fapi(make_rp: ClientFactory) -> RelyingParty:
    return make_rp(fapi=True)


def _tokens(browser: Browser, rp: RelyingParty, citizen: Person) -> dict[str, str]:
    code, _ = fapi_code(browser, rp, citizen)
    response = exchange(browser.http, rp, code, dpop=True)
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


def _with_proof(browser: Browser, rp: RelyingParty, token: str, proof: str) -> int:
    headers = {"Authorization": f"DPoP {token}", "DPoP": proof}
    return browser.http.get("/oidc/userinfo", headers=headers).status_code


def test_fapi2_access_token_type_header_case_sensitivity(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    token = _tokens(browser, fapi, citizen)["access_token"]
    headers = {
        "Authorization": f"dpop {token}",
        "DPoP": fapi.proof("GET", USERINFO_URL, token=token),
    }
    assert browser.http.get("/oidc/userinfo", headers=headers).status_code == 200


def test_fapi2_check_dpop_proof_nbf_exp(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    token = _tokens(browser, fapi, citizen)["access_token"]
    now = fapi.now()
    good = fapi.proof("GET", USERINFO_URL, token=token, nbf=now - 5, exp=now + 60)
    assert _with_proof(browser, fapi, token, good) == 200
    stale = fapi.proof("GET", USERINFO_URL, token=token, exp=now - 60)
    assert _with_proof(browser, fapi, token, stale) == 401


def test_fapi2_ensure_dpop_proof_with_iat_10_seconds_before_succeeds(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    token = _tokens(browser, fapi, citizen)["access_token"]
    proof = fapi.proof("GET", USERINFO_URL, token=token, iat=fapi.now() - 10)
    assert _with_proof(browser, fapi, token, proof) == 200


def test_fapi2_ensure_dpop_proof_with_iat_10_seconds_after_succeeds(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    token = _tokens(browser, fapi, citizen)["access_token"]
    proof = fapi.proof("GET", USERINFO_URL, token=token, iat=fapi.now() + 10)
    assert _with_proof(browser, fapi, token, proof) == 200


def test_fapi2_ensure_mismatched_dpop_jkt_fails(browser: Browser, fapi: RelyingParty) -> None:
    other = ECKey.generate_key("P-256")
    params = fapi.authorize_params(dpop_jkt=other.thumbprint())
    response = par_push(browser.http, fapi, params)
    assert response.status_code == 400 and response.json()["error"] == "invalid_dpop_proof"


def test_fapi2_ensure_token_endpoint_fails_with_mismatched_dpop_proof_jkt(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen)  # bound at PAR by the proof's key
    fapi.dpop_key = ECKey.generate_key("P-256")
    response = exchange(browser.http, fapi, code, dpop=True)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_fapi2_ensure_token_endpoint_fails_with_mismatched_dpop_jkt(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    other = ECKey.generate_key("P-256")
    code, _ = fapi_code(browser, fapi, citizen)
    fapi.dpop_key = other
    assert exchange(browser.http, fapi, code, dpop=True).json()["error"] == "invalid_grant"


def test_fapi2_ensure_dpop_proof_at_par_endpoint_binding_success(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    tokens = _tokens(browser, fapi, citizen)
    assert tokens["token_type"] == "DPoP"


def test_fapi2_ensure_dpop_auth_code_binding_success(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    pushed = fapi.authorize_params(dpop_jkt=fapi.dpop_key.thumbprint())
    response = par_push(browser.http, fapi, pushed, dpop=False)
    request_uri = response.json()["request_uri"]
    code = code_of(
        browser.authorize({"client_id": fapi.client_id, "request_uri": request_uri}, citizen)
    )
    assert exchange(browser.http, fapi, code, dpop=True).status_code == 200


def test_fapi2_ensure_dpop_proof_mismatch_fails(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    token = _tokens(browser, fapi, citizen)["access_token"]
    thief = ECKey.generate_key("P-256")
    proof = fapi.proof("GET", USERINFO_URL, token=token, key=thief)
    assert _with_proof(browser, fapi, token, proof) == 401


def test_fapi2_dpop_negative_tests(browser: Browser, fapi: RelyingParty, citizen: Person) -> None:
    token = _tokens(browser, fapi, citizen)["access_token"]
    cases = {
        "wrong htm": fapi.proof("POST", USERINFO_URL, token=token),
        "wrong htu": fapi.proof("GET", "https://idara.test/other", token=token),
        "no ath": fapi.proof("GET", USERINFO_URL),
        "wrong ath": fapi.proof("GET", USERINFO_URL, token=token, ath="x" * 43),
        "old iat": fapi.proof("GET", USERINFO_URL, token=token, iat=fapi.now() - 3600),
        "no jti": fapi.proof("GET", USERINFO_URL, token=token, jti=None),
        "no nonce": fapi.proof("GET", USERINFO_URL, token=token, nonce=None),
    }
    private = fapi.dpop_key.as_dict(private=True)
    cases["private jwk"] = jwt.encode(
        {"typ": "dpop+jwt", "alg": "ES256", "jwk": private},
        {"jti": secrets.token_urlsafe(8), "htm": "GET", "htu": USERINFO_URL, "iat": fapi.now()},
        fapi.dpop_key,
    )
    cases["wrong typ"] = jwt.encode(
        {"typ": "JWT", "alg": "ES256", "jwk": fapi.dpop_key.as_dict(private=False)},
        {"jti": secrets.token_urlsafe(8), "htm": "GET", "htu": USERINFO_URL, "iat": fapi.now()},
        fapi.dpop_key,
    )
    cases["alg none"] = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Im5vbmUifQ.e30."
    refused = {name: _with_proof(browser, fapi, token, proof) for name, proof in cases.items()}
    assert refused == dict.fromkeys(cases, 401)
    replayed = fapi.proof("GET", USERINFO_URL, token=token)
    assert _with_proof(browser, fapi, token, replayed) == 200
    assert _with_proof(browser, fapi, token, replayed) == 401  # RFC 9449 §11.1


def test_fapi2_ensure_holder_of_key_required(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen)
    response = exchange(browser.http, fapi, code, dpop=False)
    assert response.status_code == 400 and response.json()["error"] == "invalid_dpop_proof"


def test_fapi2_dpop_bound_token_refused_as_bearer(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    token = _tokens(browser, fapi, citizen)["access_token"]
    assert userinfo(browser.http, fapi, token, dpop=False).status_code == 401


def test_fapi2_ensure_client_id_in_token_endpoint(
    browser: Browser, fapi: RelyingParty, citizen: Person, make_rp: ClientFactory
) -> None:
    other = make_rp(fapi=True)
    code, _ = fapi_code(browser, fapi, citizen)
    response = exchange(browser.http, fapi, code, dpop=True, client_id=other.client_id)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_fapi2_ensure_authorization_code_is_bound_to_client(
    browser: Browser, fapi: RelyingParty, citizen: Person, make_rp: ClientFactory
) -> None:
    other = make_rp(fapi=True)
    code, _ = fapi_code(browser, fapi, citizen)
    other.verifier = fapi.verifier
    assert exchange(browser.http, other, code, dpop=True).json()["error"] == "invalid_grant"
    assert exchange(browser.http, fapi, code, dpop=True).status_code == 200  # not burnt


def test_fapi2_attempt_reuse_authorization_code_after_one_second(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen)
    tokens = exchange(browser.http, fapi, code, dpop=True).json()
    browser.clock.advance(1)
    assert exchange(browser.http, fapi, code, dpop=True).json()["error"] == "invalid_grant"
    assert userinfo(browser.http, fapi, tokens["access_token"], dpop=True).status_code == 401


def test_fapi2_attempt_to_use_expired_auth_code(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen)
    browser.clock.advance(61)
    assert exchange(browser.http, fapi, code, dpop=True).json()["error"] == "invalid_grant"


def test_fapi2_ensure_signed_client_assertion_with_rs256_fails(
    browser: Browser, make_rp: ClientFactory
) -> None:
    rsa = RSAKey.generate_key(2048, auto_kid=True)
    rp = make_rp(fapi=True, key=rsa)
    response = par_push(browser.http, rp, rp.authorize_params(), _alg="RS256")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert par_push(browser.http, rp, rp.authorize_params(), _alg="PS256").status_code == 201


def test_fapi2_ensure_client_assertion_in_token_endpoint(
    browser: Browser, fapi: RelyingParty, citizen: Person
) -> None:
    code, _ = fapi_code(browser, fapi, citizen)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": "https://rp.example/callback",
        "code_verifier": fapi.verifier,
        "client_id": fapi.client_id,
    }
    response = browser.http.post(
        "/oidc/token", data=form, headers={"DPoP": fapi.proof("POST", TOKEN_URL)}
    )
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


def test_fapi2_ensure_client_assertion_with_exp_is_5_minutes_in_past_fails(
    browser: Browser, fapi: RelyingParty
) -> None:
    now = fapi.now()
    response = par_push(browser.http, fapi, fapi.authorize_params(), iat=now - 360, exp=now - 300)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_fapi2_ensure_client_assertion_with_wrong_aud_fails(
    browser: Browser, fapi: RelyingParty
) -> None:
    response = par_push(
        browser.http, fapi, fapi.authorize_params(), aud="https://elsewhere.example"
    )
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_fapi2_ensure_client_assertion_with_no_sub_fails(
    browser: Browser, fapi: RelyingParty
) -> None:
    response = par_push(browser.http, fapi, fapi.authorize_params(), sub=None)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_fapi2_client_assertion_replay_fails(browser: Browser, make_rp: ClientFactory) -> None:
    rp = make_rp()  # no DPoP needed to show the replay of the assertion itself
    auth = rp.auth()
    first = browser.http.post("/oidc/par", data={**rp.authorize_params(), **auth})
    second = browser.http.post("/oidc/par", data={**rp.authorize_params(), **auth})
    assert first.status_code == 201 and second.status_code == 401  # RFC 7523 §3 item 7


def test_fapi2_refresh_token(browser: Browser, fapi: RelyingParty, citizen: Person) -> None:
    tokens = _tokens(browser, fapi, citizen)
    refreshed = token_request(
        browser.http,
        fapi,
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        dpop=True,
    )
    assert refreshed.status_code == 200 and refreshed.json()["token_type"] == "DPoP"
    assert (
        userinfo(browser.http, fapi, refreshed.json()["access_token"], dpop=True).status_code == 200
    )


def test_fapi2_par_ensure_jwt_client_assertion_with_iat_nbf_8_seconds_in_the_future_is_accepted(
    browser: Browser, fapi: RelyingParty
) -> None:
    now = fapi.now()
    response = par_push(
        browser.http, fapi, fapi.authorize_params(), iat=now + 8, nbf=now + 8, exp=now + 68
    )
    assert response.status_code == 201, response.text


def test_fapi2_par_ensure_jwt_client_assertion_with_iat_nbf_over_60_seconds_in_the_future_fails(
    browser: Browser, fapi: RelyingParty
) -> None:
    now = fapi.now()
    response = par_push(
        browser.http, fapi, fapi.authorize_params(), iat=now + 61, nbf=now + 61, exp=now + 120
    )
    assert response.status_code == 401


def test_fapi2_par_endpoint_as_audience_fails(browser: Browser, fapi: RelyingParty) -> None:
    assert par_push(browser.http, fapi, fapi.authorize_params(), aud=PAR_URL).status_code == 401


def test_fapi2_par_endpoint_as_array_audience_fails(browser: Browser, fapi: RelyingParty) -> None:
    assert par_push(browser.http, fapi, fapi.authorize_params(), aud=[PAR_URL]).status_code == 401


def test_fapi2_par_token_endpoint_as_audience_fails(browser: Browser, fapi: RelyingParty) -> None:
    assert par_push(browser.http, fapi, fapi.authorize_params(), aud=TOKEN_URL).status_code == 401


def test_fapi2_client_assertion_with_issuer_audience_succeeds(
    browser: Browser, fapi: RelyingParty
) -> None:
    assert par_push(browser.http, fapi, fapi.authorize_params(), aud=ISSUER).status_code == 201
