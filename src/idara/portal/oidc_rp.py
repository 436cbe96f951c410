"""The portal as a relying party of the trust service (OpenID Connect Core §3.1, RFC 7636, 7523).

The portal signs citizens in exactly like any administration would: an authorization request
with PKCE S256, state and nonce; the code exchanged at the token endpoint with a
`private_key_jwt` assertion; the ID token validated here with joserfc (ES256 only, `iss`,
`aud`, `azp`, `exp`, `iat`, `nonce`) against the provider's published JWKS. The HTTP calls
go to the provider through the ASGI application in-process when the provider is this very
application (docs/decisions/0034): the same requests, without a trip out and back through
the load balancer, and they work in tests where there is no network.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

import anyio.from_thread
import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ["ES256"]
SCOPE = "openid profile"
ClientKey = ECKey  # the portal's key type, for modules that must not import joserfc


class LoginError(ValueError):
    """The provider's answer could not be accepted; the message names the check (no token)."""


@dataclass(frozen=True, slots=True)
class Begin:
    """What the portal keeps between the redirect and the callback, and where to send."""

    url: str
    state: str
    nonce: str
    verifier: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def load_or_create_key(path: Path) -> ECKey:
    """The portal's client key (P-256), created on first use, readable by its owner only."""
    if path.exists():
        return ECKey.import_key(json.loads(path.read_text(encoding="utf-8")))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    path.write_text(json.dumps(key.as_dict(private=True)), encoding="utf-8")
    path.chmod(0o600)
    return key


def public_jwks(key: ECKey) -> dict[str, Any]:
    """The JWK set the portal registers with the provider."""
    public: dict[str, Any] = dict(key.as_dict(private=False))
    public.update({"use": "sig", "alg": "ES256", "kid": key.kid})
    return {"keys": [public]}


def begin(*, issuer: str, client_id: str, redirect_uri: str, lang: str) -> Begin:
    """A fresh authorization request (state, nonce and PKCE verifier are 256-bit random)."""
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    challenge = _b64(hashlib.sha256(verifier.encode("ascii")).digest())
    query = urlencode(
        {
            "client_id": client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "scope": SCOPE,
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "ui_locales": lang,
        }
    )
    return Begin(f"{issuer}/oidc/authorize?{query}", state, nonce, verifier)


def client_assertion(key: ECKey, *, client_id: str, issuer: str) -> str:
    """A private_key_jwt assertion for the provider (aud: the issuer, FAPI 2.0 style)."""
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": issuer,
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode({"alg": "ES256", "kid": key.kid}, claims, key, algorithms=ALGORITHMS)


async def _call(
    app: Any, issuer: str, method: str, path: str, data: dict[str, str] | None
) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 0))
    async with httpx.AsyncClient(transport=transport, base_url=issuer, timeout=10) as http:
        return await http.request(method, path, data=data)


def call(
    app: Any, issuer: str, method: str, path: str, data: dict[str, str] | None = None
) -> httpx.Response:
    """An HTTP call to the provider in-process, from a worker thread of the server."""
    return anyio.from_thread.run(_call, app, issuer, method, path, data)


def exchange(
    app: Any,
    key: ECKey,
    *,
    issuer: str,
    client_id: str,
    redirect_uri: str,
    code: str,
    verifier: str,
) -> dict[str, Any]:
    """The token response for a code (RFC 6749 §4.1.3 with PKCE and private_key_jwt)."""
    response = call(
        app,
        issuer,
        "POST",
        "/oidc/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": client_assertion(key, client_id=client_id, issuer=issuer),
        },
    )
    if response.status_code != 200:
        raise LoginError(f"token endpoint answered {response.status_code}")
    body: dict[str, Any] = response.json()
    return body


def userinfo(app: Any, issuer: str, access_token: str) -> dict[str, Any]:
    """The userinfo answer for an access token (OpenID Connect Core §5.3, JSON)."""
    response = anyio.from_thread.run(_userinfo, app, issuer, access_token)
    if response.status_code != 200:
        raise LoginError(f"userinfo answered {response.status_code}")
    body: dict[str, Any] = response.json()
    return body


async def _userinfo(app: Any, issuer: str, access_token: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 0))
    async with httpx.AsyncClient(transport=transport, base_url=issuer, timeout=10) as http:
        return await http.get("/oidc/userinfo", headers={"Authorization": f"Bearer {access_token}"})


def validate_id_token(
    token: str,
    jwks: dict[str, Any],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    now: float | None = None,
) -> dict[str, Any]:
    """OpenID Connect Core §3.1.3.7: the ID token's signature and claims."""
    try:
        decoded = jwt.decode(token, KeySet.import_key_set(cast(Any, jwks)), algorithms=ALGORITHMS)
    except (JoseError, ValueError) as exc:
        raise LoginError("ID token signature refused") from exc
    claims = dict(decoded.claims)
    stamp = now if now is not None else time.time()
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    checks = {
        "iss": claims.get("iss") == issuer,
        "aud": client_id in audiences and (len(audiences) == 1 or claims.get("azp") == client_id),
        "exp": isinstance(claims.get("exp"), int) and claims["exp"] > stamp - 30,
        "iat": isinstance(claims.get("iat"), int) and claims["iat"] < stamp + 30,
        "nonce": isinstance(claims.get("nonce"), str)
        and secrets.compare_digest(claims["nonce"], nonce),
        "sub": isinstance(claims.get("sub"), str),
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        raise LoginError(f"ID token claims refused: {failed}")
    return claims


def validate_logout_token(
    token: str, jwks: dict[str, Any], *, issuer: str, client_id: str
) -> dict[str, Any]:
    """Back-Channel Logout 1.0 §2.6: a logout token's signature and claims."""
    try:
        decoded = jwt.decode(token, KeySet.import_key_set(cast(Any, jwks)), algorithms=ALGORITHMS)
    except (JoseError, ValueError) as exc:
        raise LoginError("logout token signature refused") from exc
    if decoded.header.get("typ") != "logout+jwt":
        raise LoginError("logout token typ refused")
    claims = dict(decoded.claims)
    events = claims.get("events")
    ok = (
        claims.get("iss") == issuer
        and claims.get("aud") in (client_id, [client_id])
        and isinstance(events, dict)
        and "http://schemas.openid.net/event/backchannel-logout" in events
        and "nonce" not in claims
        and (isinstance(claims.get("sid"), str) or isinstance(claims.get("sub"), str))
        and isinstance(claims.get("exp"), int)
        and claims["exp"] > time.time() - 30
    )
    if not ok:
        raise LoginError("logout token claims refused")
    return claims
