"""The OpenID Foundation "Basic OP" test plan (oidcc-basic-certification-test-plan), mirrored.

One test per module of the plan, named after it (oidcc-codereuse → test_oidcc_codereuse).
Where Idara's profile is deliberately stricter than Basic OP (nonce required in the code
flow, no POST at the authorization endpoint), the test asserts the documented refusal and
says so. Time is moved with the provider's manual clock, never with sleep.
"""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from idara.identity.models import Person
from tests.trust_support import (
    REDIRECT,
    Browser,
    ClientFactory,
    code_of,
    decode_id_token,
    exchange,
    redirect_params,
    token_request,
    userinfo,
)


def _signed_in_flow(
    browser: Browser, rp_factory: ClientFactory, citizen: Person, **params: str
) -> tuple[dict[str, str], dict[str, object]]:
    rp = rp_factory()
    request = rp.authorize_params(**params)
    tokens = exchange(browser.http, rp, code_of(browser.authorize(request, citizen)))
    assert tokens.status_code == 200, tokens.text
    return request, tokens.json()


def test_oidcc_server(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    request = rp.authorize_params()
    response = browser.authorize(request, citizen)
    answer = redirect_params(response.headers["location"])
    assert answer["state"] == request["state"]
    assert answer["iss"] == "https://idara.test"  # RFC 9207
    tokens = exchange(browser.http, rp, answer["code"]).json()
    claims = decode_id_token(browser.http, tokens["id_token"])
    assert claims["iss"] == "https://idara.test" and claims["aud"] == rp.client_id
    assert claims["nonce"] == request["nonce"]
    assert claims["exp"] > claims["iat"] and isinstance(claims["sub"], str)
    assert set(claims["amr"]) == {"hwk", "pin"} and "auth_time" in claims and "sid" in claims


def test_oidcc_response_type_missing(browser: Browser, make_rp: ClientFactory) -> None:
    rp = make_rp()
    response = browser.get("/oidc/authorize", **rp.authorize_params(response_type=None))
    answer = redirect_params(response.headers["location"])
    assert response.headers["location"].startswith(REDIRECT)
    assert answer["error"] == "invalid_request" and "state" in answer


def test_oidcc_idtoken_signature(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    _request, tokens = _signed_in_flow(browser, make_rp, citizen)
    header = json.loads(_b64json(str(tokens["id_token"]).split(".")[0]))
    assert header["alg"] == "ES256"
    kids = {k["kid"] for k in browser.http.get("/oidc/jwks").json()["keys"]}
    assert header["kid"] in kids


def _b64json(segment: str) -> str:
    import base64

    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode()


def test_oidcc_idtoken_unsigned(client: TestClient) -> None:
    # The module registers a client for unsigned ID tokens; the provider never offers `none`.
    algs = client.get("/.well-known/openid-configuration").json()[
        "id_token_signing_alg_values_supported"
    ]
    assert "none" not in algs and algs == ["ES256"]


def test_oidcc_userinfo_get(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    tokens = exchange(browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen)))
    info = userinfo(browser.http, rp, tokens.json()["access_token"])
    assert info.status_code == 200 and info.json()["given_name"] == citizen.first_name


def test_oidcc_userinfo_post_header(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    tokens = exchange(browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen)))
    info = userinfo(browser.http, rp, tokens.json()["access_token"], method="POST")
    assert info.status_code == 200 and "sub" in info.json()


def test_oidcc_userinfo_post_body(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    tokens = exchange(browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen)))
    info = browser.http.post("/oidc/userinfo", data={"access_token": tokens.json()["access_token"]})
    assert info.status_code == 200 and info.json()["family_name"] == citizen.last_name


def test_oidcc_ensure_request_without_nonce_succeeds_for_code_flow(
    browser: Browser, make_rp: ClientFactory
) -> None:
    # Deliberate deviation: Idara's profile (issue 4) makes nonce mandatory in the code flow.
    rp = make_rp()
    response = browser.get("/oidc/authorize", **rp.authorize_params(nonce=None))
    assert redirect_params(response.headers["location"])["error"] == "invalid_request"


def _userinfo_for_scope(
    browser: Browser, make_rp: ClientFactory, citizen: Person, scope: str
) -> dict[str, object]:
    rp = make_rp()
    request = rp.authorize_params(scope=scope)
    tokens = exchange(browser.http, rp, code_of(browser.authorize(request, citizen))).json()
    info = userinfo(browser.http, rp, tokens["access_token"])
    assert info.status_code == 200
    result: dict[str, object] = info.json()
    return result


def test_oidcc_scope_profile(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    info = _userinfo_for_scope(browser, make_rp, citizen, "openid profile")
    assert (
        info["given_name"] == citizen.first_name and info["family_name#ar"] == citizen.last_name_ar
    )
    assert "address" not in info and "phone_number" not in info


def test_oidcc_scope_email(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    # The registry holds no e-mail address: the scope is not offered, and asking is harmless.
    assert (
        "email"
        not in browser.http.get("/.well-known/openid-configuration").json()["scopes_supported"]
    )
    info = _userinfo_for_scope(browser, make_rp, citizen, "openid email")
    assert set(info) == {"sub"}


def test_oidcc_scope_address(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    info = _userinfo_for_scope(browser, make_rp, citizen, "openid address")
    address = info["address"]
    assert isinstance(address, dict) and address["country"] == "MA"
    assert address["street_address"] == citizen.street


def test_oidcc_scope_phone(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    info = _userinfo_for_scope(browser, make_rp, citizen, "openid phone")
    assert info["phone_number"] == citizen.phone and info["phone_number_verified"] is True


def test_oidcc_scope_all(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    info = _userinfo_for_scope(browser, make_rp, citizen, "openid profile birth address phone")
    assert {"given_name", "birthdate", "address", "phone_number"} <= set(info)


def test_oidcc_ensure_other_scope_order_succeeds(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    info = _userinfo_for_scope(browser, make_rp, citizen, "profile phone openid")
    assert "given_name" in info and "phone_number" in info


def test_oidcc_display_page(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    _signed_in_flow(browser, make_rp, citizen, display="page")


def test_oidcc_display_popup(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    _signed_in_flow(browser, make_rp, citizen, display="popup")


def test_oidcc_prompt_login(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    first = decode_id_token(
        browser.http,
        exchange(
            browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen))
        ).json()["id_token"],
    )
    browser.clock.advance(5)
    again = browser.get("/oidc/authorize", **rp.authorize_params(prompt="login"))
    assert "/auth/login" in again.headers["location"]  # signed in, and asked again
    second = decode_id_token(
        browser.http,
        exchange(
            browser.http,
            rp,
            code_of(browser.authorize(rp.authorize_params(prompt="login"), citizen)),
        ).json()["id_token"],
    )
    assert second["auth_time"] > first["auth_time"]


def test_oidcc_prompt_none_not_logged_in(browser: Browser, make_rp: ClientFactory) -> None:
    rp = make_rp()
    request = rp.authorize_params(prompt="none")
    answer = redirect_params(browser.get("/oidc/authorize", **request).headers["location"])
    assert answer["error"] == "login_required" and answer["state"] == request["state"]


def test_oidcc_prompt_none_logged_in(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    code_of(browser.authorize(rp.authorize_params(), citizen))
    response = browser.get("/oidc/authorize", **rp.authorize_params(prompt="none"))
    tokens = exchange(browser.http, rp, code_of(response))
    assert tokens.status_code == 200


def test_oidcc_max_age_1(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    first = exchange(
        browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen))
    ).json()
    browser.clock.advance(2)
    response = browser.get("/oidc/authorize", **rp.authorize_params(max_age="1"))
    assert "/auth/login" in response.headers["location"]
    tokens = exchange(
        browser.http, rp, code_of(browser.authorize(rp.authorize_params(max_age="1"), citizen))
    ).json()
    before = decode_id_token(browser.http, first["id_token"])["auth_time"]
    assert decode_id_token(browser.http, tokens["id_token"])["auth_time"] > before


def test_oidcc_max_age_10000(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    code_of(browser.authorize(rp.authorize_params(), citizen))
    browser.clock.advance(2)
    response = browser.get("/oidc/authorize", **rp.authorize_params(max_age="10000"))
    assert exchange(browser.http, rp, code_of(response)).status_code == 200


def test_oidcc_ensure_request_with_unknown_parameter_succeeds(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    _signed_in_flow(browser, make_rp, citizen, extra_parameter="ignored")


def test_oidcc_id_token_hint(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    first = exchange(
        browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen))
    ).json()
    response = browser.get(
        "/oidc/authorize", **rp.authorize_params(prompt="none", id_token_hint=first["id_token"])
    )
    second = exchange(browser.http, rp, code_of(response)).json()
    assert (
        decode_id_token(browser.http, second["id_token"])["sub"]
        == decode_id_token(browser.http, first["id_token"])["sub"]
    )


def test_oidcc_login_hint(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    _signed_in_flow(browser, make_rp, citizen, login_hint=citizen.cin)


def test_oidcc_ui_locales(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    response = browser.get("/oidc/authorize", **rp.authorize_params(ui_locales="ar-MA fr"))
    assert response.headers["location"].startswith("/ar/auth/login")


def test_oidcc_claims_locales(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    _signed_in_flow(browser, make_rp, citizen, claims_locales="ar")


def test_oidcc_ensure_request_with_acr_values_succeeds(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    _request, tokens = _signed_in_flow(
        browser, make_rp, citizen, acr_values="urn:idara:loa:substantial urn:idara:loa:high"
    )
    assert decode_id_token(browser.http, str(tokens["id_token"]))["acr"] in (
        "urn:idara:loa:substantial",
        "urn:idara:loa:high",
    )


def test_oidcc_codereuse(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    code = code_of(browser.authorize(rp.authorize_params(), citizen))
    first = exchange(browser.http, rp, code)
    second = exchange(browser.http, rp, code)
    assert first.status_code == 200 and second.status_code == 400
    assert second.json()["error"] == "invalid_grant"


def test_oidcc_codereuse_30seconds(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    code = code_of(browser.authorize(rp.authorize_params(), citizen))
    tokens = exchange(browser.http, rp, code).json()
    browser.clock.advance(30)
    assert exchange(browser.http, rp, code).json()["error"] == "invalid_grant"
    # RFC 6749 §4.1.2: the tokens issued from a reused code are revoked.
    assert userinfo(browser.http, rp, tokens["access_token"]).status_code == 401
    refreshed = token_request(
        browser.http, rp, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.json()["error"] == "invalid_grant"


def test_oidcc_ensure_registered_redirect_uri(browser: Browser, make_rp: ClientFactory) -> None:
    rp = make_rp()
    response = browser.get(
        "/oidc/authorize", **rp.authorize_params(redirect_uri="https://attacker.example/cb")
    )
    assert response.status_code == 400 and "location" not in response.headers
    assert "Adresse de retour refusée" in response.text or "Return address" in response.text


def test_oidcc_ensure_redirect_uri_in_authorization_request(
    browser: Browser, make_rp: ClientFactory
) -> None:
    rp = make_rp()
    response = browser.get("/oidc/authorize", **rp.authorize_params(redirect_uri=None))
    assert response.status_code == 400 and "location" not in response.headers


def test_oidcc_redirect_uri_query_mismatch(browser: Browser, make_rp: ClientFactory) -> None:
    rp = make_rp()
    response = browser.get("/oidc/authorize", **rp.authorize_params(redirect_uri=REDIRECT + "?x=1"))
    assert response.status_code == 400 and "location" not in response.headers


def test_oidcc_ensure_post_request_succeeds(browser: Browser, make_rp: ClientFactory) -> None:
    # Deliberate deviation: the authorization endpoint answers GET only (every unsafe request
    # passes the CSRF policy, ADR 0005); a client that wants a POST channel uses PAR.
    rp = make_rp()
    response = browser.http.post(
        "/oidc/authorize", data=rp.authorize_params(), follow_redirects=False
    )
    assert response.status_code == 405


def test_oidcc_server_client_secret_post(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp(auth_method="client_secret_post", jwks=None)
    code = code_of(browser.authorize(rp.authorize_params(), citizen))
    response = browser.http.post(
        "/oidc/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": rp.verifier,
            "client_id": rp.client_id,
            "client_secret": rp.secret or "",
        },
    )
    assert response.status_code == 200, response.text


def test_oidcc_request_uri_unsigned_supported_correctly_or_rejected_as_unsupported(
    browser: Browser, make_rp: ClientFactory
) -> None:
    rp = make_rp()
    response = browser.get(
        "/oidc/authorize", **rp.authorize_params(request_uri="https://rp.example/request.jwt")
    )
    assert redirect_params(response.headers["location"])["error"] == "request_uri_not_supported"


def test_oidcc_unsigned_request_object_supported_correctly_or_rejected_as_unsupported(
    browser: Browser, make_rp: ClientFactory
) -> None:
    rp = make_rp()
    response = browser.get(
        "/oidc/authorize", **rp.authorize_params(request="eyJhbGciOiJub25lIn0.e30.")
    )
    assert redirect_params(response.headers["location"])["error"] == "request_not_supported"


def test_oidcc_ensure_request_object_with_redirect_uri(
    browser: Browser, make_rp: ClientFactory
) -> None:
    rp = make_rp()
    params = rp.authorize_params(request="eyJhbGciOiJub25lIn0.e30.")
    response = browser.get("/oidc/authorize", **params)
    assert response.headers["location"].startswith(REDIRECT)  # rejected at the registered URI


def test_oidcc_claims_essential(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    claims = json.dumps(
        {
            "userinfo": {"birthdate": {"essential": True}},
            "id_token": {"given_name": {"essential": True}},
        }
    )
    request = rp.authorize_params(scope="openid", claims=claims)
    tokens = exchange(browser.http, rp, code_of(browser.authorize(request, citizen))).json()
    assert decode_id_token(browser.http, tokens["id_token"])["given_name"] == citizen.first_name
    assert (
        userinfo(browser.http, rp, tokens["access_token"]).json()["birthdate"]
        == citizen.birth_date.isoformat()
    )


def test_oidcc_refresh_token(browser: Browser, make_rp: ClientFactory, citizen: Person) -> None:
    rp = make_rp()
    tokens = exchange(
        browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen))
    ).json()
    refreshed = token_request(
        browser.http, rp, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
    renewed = refreshed.json()
    assert renewed["refresh_token"] != tokens["refresh_token"]  # rotated
    assert (
        decode_id_token(browser.http, renewed["id_token"])["sub"]
        == decode_id_token(browser.http, tokens["id_token"])["sub"]
    )
    again = token_request(
        browser.http, rp, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert again.json()["error"] == "invalid_grant"  # reuse detected: the grant is revoked
    assert userinfo(browser.http, rp, renewed["access_token"]).status_code == 401


def test_oidcc_ensure_request_with_valid_pkce_succeeds(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    code = code_of(browser.authorize(rp.authorize_params(), citizen))
    assert exchange(browser.http, rp, code).status_code == 200
