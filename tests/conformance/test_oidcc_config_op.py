"""The OpenID Foundation "Config OP" test plan (oidcc-config-certification-test-plan), mirrored.

The plan has one module, oidcc-discovery-endpoint-verification; key rotation
(oidcc-server-rotate-keys, from the dynamic plan) is checked here too because the
provider publishes its next key in the same document chain.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from joserfc.jwk import KeySet

from idara.identity.models import Person
from tests.trust_support import Browser, ClientFactory, code_of, decode_id_token, exchange

ISSUER = "https://idara.test"


def test_oidcc_discovery_endpoint_verification(client: TestClient) -> None:
    response = client.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    config = response.json()
    assert config["issuer"] == ISSUER  # Discovery §4.3: exactly the URL it was fetched under
    for name in (
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "pushed_authorization_request_endpoint",
        "end_session_endpoint",
        "introspection_endpoint",
        "revocation_endpoint",
    ):
        assert config[name].startswith(ISSUER + "/"), name  # every endpoint over https
    assert "openid" in config["scopes_supported"]
    assert config["response_types_supported"] == ["code"]
    assert set(config["subject_types_supported"]) <= {"public", "pairwise"}
    assert config["id_token_signing_alg_values_supported"] == ["ES256"]
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["claims_parameter_supported"] is True
    assert config["authorization_response_iss_parameter_supported"] is True
    assert config["request_uri_parameter_supported"] is False
    assert {"sub", "acr", "auth_time"} <= set(config["claims_supported"])
    assert all(uri.startswith("urn:idara:loa:") for uri in config["acr_values_supported"])
    jwks = client.get(config["jwks_uri"].removeprefix(ISSUER)).json()
    keys = KeySet.import_key_set(jwks)
    assert len(keys.keys) >= 2  # the current key and the next one
    assert all(k.get("use") == "sig" and "d" not in k for k in jwks["keys"])
    assert all(k.key_type == "EC" for k in keys.keys)


def test_oidcc_server_rotate_keys(
    browser: Browser, make_rp: ClientFactory, citizen: Person, client: TestClient
) -> None:
    from idara.trust import keyring

    rp = make_rp()
    before = exchange(client, rp, code_of(browser.authorize(rp.authorize_params(), citizen))).json()
    published = {k["kid"] for k in client.get("/oidc/jwks").json()["keys"]}
    old, new = keyring.rotate(browser.db, browser.settings.trust, now=browser.clock.now())
    assert new in published  # the next key was published before it signs anything
    after = exchange(client, rp, code_of(browser.authorize(rp.authorize_params(), citizen))).json()
    jwks = client.get("/oidc/jwks").json()
    kids = {k["kid"] for k in jwks["keys"]}
    assert {old, new} <= kids and len(kids) == 3  # retired, current, new next
    assert decode_id_token(client, before["id_token"])["sub"]  # old tokens still verify
    import base64
    import json

    header = json.loads(base64.urlsafe_b64decode(after["id_token"].split(".")[0] + "=="))
    assert header["kid"] == new
