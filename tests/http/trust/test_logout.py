"""RP-Initiated Logout 1.0 and Back-Channel Logout 1.0 at the provider."""

from __future__ import annotations

from fastapi.testclient import TestClient

from idara.identity.models import Person
from tests.conftest import TEST_ORIGIN
from tests.trust_support import (
    Browser,
    ClientFactory,
    code_of,
    csrf_from,
    exchange,
    redirect_params,
    userinfo,
)


def test_logout_with_the_sessions_id_token_signs_out_and_returns_with_state(
    client: TestClient, browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    tokens = exchange(client, rp, code_of(browser.authorize(rp.authorize_params(), citizen))).json()
    response = browser.get(
        "/oidc/logout",
        id_token_hint=tokens["id_token"],
        post_logout_redirect_uri="https://rp.example/bye",
        state="xyz",
    )
    assert response.status_code == 302
    assert response.headers["location"] == "https://rp.example/bye?state=xyz"
    assert userinfo(client, rp, tokens["access_token"]).status_code == 401  # grants revoked
    again = browser.get("/oidc/authorize", **rp.authorize_params(prompt="none"))
    assert redirect_params(again.headers["location"])["error"] == "login_required"


def test_an_unregistered_post_logout_redirect_uri_is_refused_with_a_page(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    tokens = exchange(
        browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen))
    ).json()
    response = browser.get(
        "/oidc/logout",
        id_token_hint=tokens["id_token"],
        post_logout_redirect_uri="https://attacker.example/",
    )
    assert response.status_code == 400 and "location" not in response.headers


def test_a_tampered_id_token_hint_is_refused(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    tokens = exchange(
        browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen))
    ).json()
    head, body, signature = tokens["id_token"].split(".")
    tampered = f"{head}.{body}.{signature[::-1]}"
    response = browser.get("/oidc/logout", id_token_hint=tampered)
    assert response.status_code == 400


def test_without_a_hint_the_citizen_confirms_before_being_signed_out(
    browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    code_of(browser.authorize(rp.authorize_params(), citizen))
    page = browser.get("/oidc/logout")
    assert page.status_code == 200 and 'action="/fr/oidc/logout"' in page.text
    done = browser.http.post(
        "/fr/oidc/logout",
        data={"csrf_token": csrf_from(page.text), "confirm": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 200
    again = browser.get("/oidc/authorize", **rp.authorize_params(prompt="none"))
    assert redirect_params(again.headers["location"])["error"] == "login_required"


def test_back_channel_logout_reaches_the_portal_and_ends_its_session(
    client: TestClient, browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    start = client.get("/fr/me/login", follow_redirects=False)
    response = browser.authorize(redirect_params(start.headers["location"]), citizen)
    client.get(response.headers["location"].removeprefix(TEST_ORIGIN), follow_redirects=False)
    assert client.get("/fr/me/", follow_redirects=False).status_code == 200
    rp = make_rp()
    tokens = exchange(client, rp, code_of(browser.authorize(rp.authorize_params(), citizen))).json()
    logout = browser.get("/oidc/logout", id_token_hint=tokens["id_token"])
    assert logout.status_code == 200  # signed out page; the back-channel ran after it
    signed_out = client.get("/fr/me/", follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/fr/me/login?")
