"""Introspection (RFC 7662), revocation (RFC 7009), and OAuth error bodies of the endpoints."""

from __future__ import annotations

from fastapi.testclient import TestClient

from idara.identity.models import Person
from tests.trust_support import (
    Browser,
    ClientFactory,
    RelyingParty,
    code_of,
    exchange,
    userinfo,
)


def _tokens(browser: Browser, rp: RelyingParty, citizen: Person) -> dict[str, str]:
    body: dict[str, str] = exchange(
        browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen))
    ).json()
    return body


def test_introspection_describes_an_active_token_to_its_own_client_only(
    client: TestClient, browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp, other = make_rp(), make_rp()
    tokens = _tokens(browser, rp, citizen)
    mine = client.post("/oidc/introspect", data={"token": tokens["access_token"], **rp.auth()})
    assert mine.status_code == 200
    body = mine.json()
    assert body["active"] is True and body["client_id"] == rp.client_id
    assert body["token_type"] == "Bearer" and body["acr"] == "urn:idara:loa:high"
    foreign = client.post(
        "/oidc/introspect", data={"token": tokens["access_token"], **other.auth()}
    )
    assert foreign.json() == {"active": False}
    unknown = client.post("/oidc/introspect", data={"token": "nope", **rp.auth()})
    assert unknown.json() == {"active": False}


def test_revoking_a_refresh_token_ends_the_access_tokens_of_its_grant(
    client: TestClient, browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    tokens = _tokens(browser, rp, citizen)
    response = client.post(
        "/oidc/revoke",
        data={"token": tokens["refresh_token"], "token_type_hint": "refresh_token", **rp.auth()},
    )
    assert response.status_code == 200
    assert userinfo(client, rp, tokens["access_token"]).status_code == 401
    check = client.post("/oidc/introspect", data={"token": tokens["access_token"], **rp.auth()})
    assert check.json() == {"active": False}


def test_revocation_of_an_unknown_or_foreign_token_answers_200_and_changes_nothing(
    client: TestClient, browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp, other = make_rp(), make_rp()
    tokens = _tokens(browser, rp, citizen)
    assert client.post("/oidc/revoke", data={"token": "unknown", **rp.auth()}).status_code == 200
    foreign = client.post("/oidc/revoke", data={"token": tokens["access_token"], **other.auth()})
    assert foreign.status_code == 200
    assert userinfo(client, rp, tokens["access_token"]).status_code == 200


def test_token_endpoint_errors_are_oauth_json_not_the_platform_format(
    client: TestClient, make_rp: ClientFactory
) -> None:
    rp = make_rp()
    as_json = client.post("/oidc/token", json={"grant_type": "authorization_code"})
    assert as_json.status_code == 400
    assert as_json.json() == {
        "error": "invalid_request",
        "error_description": "the body must be application/x-www-form-urlencoded",
    }
    unknown = client.post("/oidc/token", data={"grant_type": "password", **rp.auth()})
    assert unknown.json()["error"] == "unsupported_grant_type"
    anonymous = client.post("/oidc/token", data={"grant_type": "authorization_code"})
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"
    repeated = client.post(
        "/oidc/token",
        content="grant_type=a&grant_type=b",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert repeated.json()["error"] == "invalid_request"


def test_userinfo_without_a_token_is_a_401_with_a_bearer_challenge(client: TestClient) -> None:
    response = client.get("/oidc/userinfo")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"] == "invalid_token"


def test_a_suspended_client_can_no_longer_authenticate_nor_use_its_tokens(
    client: TestClient, browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    from idara.trust import clients

    rp = make_rp()
    tokens = _tokens(browser, rp, citizen)
    registered = clients.get(browser.db, client_id=rp.client_id)
    assert registered is not None
    clients.set_status(browser.db, registered, status=clients.SUSPENDED, now=browser.clock.now())
    assert userinfo(client, rp, tokens["access_token"]).status_code == 401
    page = browser.get("/oidc/authorize", **rp.authorize_params())
    assert page.status_code == 403 and "location" not in page.headers
    refused = client.post("/oidc/introspect", data={"token": "x", **rp.auth()})
    assert refused.status_code == 401
