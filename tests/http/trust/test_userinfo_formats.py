"""Userinfo as JSON, as a signed JWT, and signed then encrypted (OpenID Connect Core §5.3.2)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwe, jwt
from joserfc.jwk import ECKey, RSAKey

from idara.identity.models import Person
from tests.trust_support import (
    Browser,
    ClientFactory,
    code_of,
    exchange,
    provider_keys,
    userinfo,
)


def _info(browser: Browser, make_rp: ClientFactory, citizen: Person, **registration: Any) -> Any:
    rp = make_rp(**registration)
    tokens = exchange(browser.http, rp, code_of(browser.authorize(rp.authorize_params(), citizen)))
    response = userinfo(browser.http, rp, tokens.json()["access_token"])
    assert response.status_code == 200
    return response, rp


def test_a_client_registered_for_signed_userinfo_gets_a_jwt(
    browser: Browser, make_rp: ClientFactory, citizen: Person, client: TestClient
) -> None:
    response, rp = _info(browser, make_rp, citizen, userinfo_signed_alg="ES256")
    assert response.headers["content-type"].startswith("application/jwt")
    claims = jwt.decode(response.text, provider_keys(client), algorithms=["ES256"]).claims
    assert claims["aud"] == rp.client_id and claims["iss"] == "https://idara.test"
    assert claims["given_name"] == citizen.first_name


@pytest.mark.parametrize("alg", ["RSA-OAEP-256", "ECDH-ES"])
def test_a_client_with_an_encryption_key_gets_a_nested_encrypted_jwt(
    browser: Browser,
    make_rp: ClientFactory,
    citizen: Person,
    client: TestClient,
    rp_key: ECKey,
    alg: str,
) -> None:
    enc_key = RSAKey.generate_key(2048) if alg == "RSA-OAEP-256" else ECKey.generate_key("P-256")
    public = {**enc_key.as_dict(private=False), "use": "enc", "kid": "enc-1"}
    jwks = {"keys": [rp_key.as_dict(private=False), public]}
    response, _rp = _info(
        browser,
        make_rp,
        citizen,
        jwks=jwks,
        userinfo_signed_alg="ES256",
        userinfo_encrypted_alg=alg,
    )
    algorithms = [alg, "A256GCM"]
    decrypted = jwe.decrypt_compact(response.text, enc_key, algorithms=algorithms)
    assert decrypted.headers()["cty"] == "JWT"
    assert decrypted.plaintext is not None
    inner = jwt.decode(decrypted.plaintext, provider_keys(client), algorithms=["ES256"]).claims
    assert inner["family_name"] == citizen.last_name
