"""The portal signs citizens in through the provider with the real code flow (issue 4)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from idara.identity.models import Person
from tests.conftest import TEST_ORIGIN
from tests.trust_support import Browser, csrf_from, redirect_params


def _sign_in_to_portal(
    client: TestClient,
    browser: Browser,
    citizen: Person,
    lang: str = "fr",
    next_page: str | None = None,
    lands_on: str | None = None,
) -> None:
    query = {"next": next_page} if next_page else {}
    start = client.get(f"/{lang}/me/login", params=query, follow_redirects=False)
    assert start.status_code == 302
    authorize = start.headers["location"]
    assert authorize.startswith(f"{TEST_ORIGIN}/oidc/authorize?")
    params = redirect_params(authorize)
    assert params["code_challenge_method"] == "S256" and params["client_id"] == "idara-portal"
    response = browser.authorize(params, citizen)
    callback = response.headers["location"]
    assert callback.startswith(f"{TEST_ORIGIN}/me/callback?")
    landed = client.get(callback.removeprefix(TEST_ORIGIN), follow_redirects=False)
    assert landed.status_code == 303, landed.text
    assert landed.headers["location"] == (lands_on or f"/{lang}/me/")


def test_the_citizen_space_sends_an_anonymous_visitor_to_sign_in(client: TestClient) -> None:
    response = client.get("/ar/me/shared?page=2", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ar/me/login?next=%2Far%2Fme%2Fshared%3Fpage%3D2"


def test_an_anonymous_json_call_to_the_citizen_space_is_a_401(client: TestClient) -> None:
    response = client.get("/fr/me/", headers={"accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_after_signing_in_the_citizen_comes_back_to_the_page_they_asked_for(
    client: TestClient, browser: Browser, citizen: Person
) -> None:
    _sign_in_to_portal(
        client, browser, citizen, next_page="/fr/me/shared", lands_on="/fr/me/shared"
    )


def test_a_next_page_on_another_site_is_ignored(
    client: TestClient, browser: Browser, citizen: Person
) -> None:
    _sign_in_to_portal(client, browser, citizen, next_page="//evil.example/x", lands_on="/fr/me/")


def test_the_portal_signs_in_through_the_provider_and_shows_the_sign_in(
    client: TestClient, browser: Browser, citizen: Person
) -> None:
    _sign_in_to_portal(client, browser, citizen)
    page = client.get("/fr/me/")
    assert page.status_code == 200
    assert "Portail Idara" in page.text  # the portal's own sign-in is listed
    assert f"Bonjour, {citizen.first_name} {citizen.last_name}." in page.text  # from userinfo
    shared = client.get("/fr/me/shared")
    assert "Envoyé à la demande du service (userinfo)" in shared.text


def test_a_forged_callback_with_another_state_is_refused(
    client: TestClient, browser: Browser, citizen: Person
) -> None:
    start = client.get("/fr/me/login", follow_redirects=False)
    params = redirect_params(start.headers["location"])
    response = browser.authorize(params, citizen)
    answer = redirect_params(response.headers["location"])
    forged = client.get(
        "/me/callback", params={"code": answer["code"], "state": "forged", "iss": answer["iss"]}
    )
    assert forged.status_code == 400


def test_the_citizen_withdraws_a_consent_from_their_space(
    client: TestClient, browser: Browser, citizen: Person
) -> None:
    _sign_in_to_portal(client, browser, citizen, lang="ar")
    page = client.get("/ar/me/consents")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    action = page.text.split('action="/ar/me/consents/')[1].split('"')[0]
    revoked = client.post(
        f"/ar/me/consents/{action}",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert "/ar/me/consents/" not in client.get("/ar/me/consents").text


def test_signing_out_of_the_portal_ends_the_provider_session_too(
    client: TestClient, browser: Browser, citizen: Person
) -> None:
    _sign_in_to_portal(client, browser, citizen)
    page = client.get("/fr/me/")
    out = client.post(
        "/fr/me/logout", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert out.status_code == 303 and out.headers["location"].startswith("/oidc/logout?")
    ended = client.get(out.headers["location"], follow_redirects=False)
    assert ended.status_code == 302 and ended.headers["location"] == f"{TEST_ORIGIN}/fr/"
    signed_out = client.get("/fr/me/", follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/fr/me/login?")
