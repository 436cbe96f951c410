"""An authorization whose login is the real card login of the identity domain (its JSON API)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from idara.identity.keystore import FileKeyStore
from tests.identity_fixtures import IssuedCard, card, registry, store
from tests.trust_support import Browser, ClientFactory, code_of, decode_id_token, exchange

__all__ = ["card", "registry", "store"]


@pytest.fixture(autouse=True)
def _key_store(app: FastAPI, store: FileKeyStore) -> None:
    app.state.identity_key_store = store


def test_the_virtual_card_signs_the_challenge_and_the_authorization_resumes(
    client: TestClient, browser: Browser, make_rp: ClientFactory, card: IssuedCard
) -> None:
    rp = make_rp(min_acr="high")
    params = rp.authorize_params()
    start = browser.get("/oidc/authorize", **params)
    assert start.headers["location"] == "/fr/auth/login"
    nonce = client.post("/auth/card/challenge", json={}).json()["nonce"]
    answer = client.post(
        "/auth/card/token",
        content=card.token("https://idara.test", nonce),
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    next_url = answer.json()["next"]
    assert next_url.startswith("/oidc/authorize/continue/")
    consent = browser.get(next_url).headers["location"]
    code = code_of(browser.consent(consent))
    claims = decode_id_token(client, exchange(client, rp, code).json()["id_token"])
    assert claims["acr"] == "urn:idara:loa:high" and set(claims["amr"]) == {"hwk", "pin"}
