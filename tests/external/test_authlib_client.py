"""Authlib's OAuth 2.0 client as an external relying party: PKCE and private_key_jwt.

Authlib has no PAR or DPoP, so it uses the non-FAPI registration; the ID token is checked
with joserfc against the published JWKS, as Authlib's framework integrations would.
"""

from __future__ import annotations

import secrets

from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.external.conftest import CitizenBrowser, LiveProvider


def test_authlib_signs_in_with_pkce_and_private_key_jwt(
    live_provider: LiveProvider, citizen_browser: CitizenBrowser
) -> None:
    issuer = live_provider.origin
    config = citizen_browser.http.get("/.well-known/openid-configuration").json()
    token_endpoint = config["token_endpoint"]
    key = live_provider.plain_key
    with OAuth2Client(
        client_id="ext-plain",
        client_secret=key,  # Authlib signs private_key_jwt with a joserfc key object
        token_endpoint_auth_method=PrivateKeyJWT(
            token_endpoint, headers={"kid": key.kid}, alg="ES256"
        ),
        revocation_endpoint_auth_method=PrivateKeyJWT(
            token_endpoint, headers={"kid": key.kid}, alg="ES256"
        ),
        redirect_uri=live_provider.redirect_uri,
        scope="openid profile birth",
        code_challenge_method="S256",
    ) as rp:
        verifier = secrets.token_urlsafe(48)
        nonce = secrets.token_urlsafe(16)
        url, state = rp.create_authorization_url(
            config["authorization_endpoint"],
            code_verifier=verifier,
            nonce=nonce,
            acr_values="urn:idara:loa:high",
        )
        callback = citizen_browser.authorize(url)
        tokens = rp.fetch_token(
            token_endpoint, authorization_response=callback, code_verifier=verifier, state=state
        )
        keys = KeySet.import_key_set(citizen_browser.http.get("/oidc/jwks").json())
        claims = jwt.decode(tokens["id_token"], keys, algorithms=["ES256"]).claims
        assert claims["iss"] == issuer and claims["aud"] == "ext-plain" and claims["nonce"] == nonce
        info = rp.get(config["userinfo_endpoint"]).json()
        assert info["sub"] == claims["sub"] and info["birthdate"]
        refreshed = rp.refresh_token(token_endpoint)
        assert refreshed["refresh_token"] != tokens["refresh_token"]
        revoked = rp.revoke_token(
            config["revocation_endpoint"],
            refreshed["refresh_token"],
            token_type_hint="refresh_token",
        )
        assert revoked.status_code == 200, revoked.text
