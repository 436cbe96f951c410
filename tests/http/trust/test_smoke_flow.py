"""The whole code flow through HTTP: authorize, sign in, consent, token, userinfo."""

from __future__ import annotations

from fastapi.testclient import TestClient

from idara.identity.models import Person
from tests.trust_support import (
    USERINFO_URL,
    Browser,
    ClientFactory,
    code_of,
    decode_id_token,
    exchange,
)


def test_a_citizen_signs_in_to_a_relying_party_and_its_claims_reach_it(
    client: TestClient, browser: Browser, make_rp: ClientFactory, citizen: Person
) -> None:
    rp = make_rp()
    params = rp.authorize_params(scope="openid profile birth")
    response = browser.authorize(params, citizen)
    code = code_of(response)
    tokens = exchange(client, rp, code)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    claims = decode_id_token(client, body["id_token"])
    assert claims["nonce"] == params["nonce"]
    assert claims["acr"] == "urn:idara:loa:high"
    info = client.get(USERINFO_URL, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert info.status_code == 200, info.text
    assert info.json()["family_name"] == citizen.last_name
    assert info.json()["birthdate"] == citizen.birth_date.isoformat()
