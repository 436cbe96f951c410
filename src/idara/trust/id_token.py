"""The ID token (OpenID Connect Core §2, §3.1.3.6) and verification of `id_token_hint`.

Signed ES256 with the current key. Carries `auth_time`, `acr` (a URN of discovery), `amr`
(RFC 8176 values), `nonce` and `sid` (Back-Channel Logout §2.1), and the claims asked for
in the `id_token` member of the `claims` parameter that the citizen consented to.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from idara.settings import TrustSettings
from idara.trust import jose, keyring, keys


def build(
    *,
    issuer: str,
    client_id: str,
    sub: str,
    nonce: str | None,
    acr: str | None,
    amr: list[str],
    auth_time: datetime | None,
    sid: str | None,
    extra: Mapping[str, Any],
    now: datetime,
    ttl_s: int,
) -> dict[str, Any]:
    """The claims of an ID token."""
    stamp = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": sub,
        "aud": client_id,
        "azp": client_id,
        "iat": stamp,
        "exp": stamp + ttl_s,
    }
    optional = {
        "nonce": nonce,
        "acr": acr,
        "amr": amr or None,
        "auth_time": int(auth_time.timestamp()) if auth_time else None,
        "sid": sid,
    }
    claims.update({k: v for k, v in optional.items() if v is not None})
    for name, value in extra.items():
        claims.setdefault(name, value)
    return claims


def sign(
    db: Session,
    claims: Mapping[str, Any],
    settings: TrustSettings,
    *,
    now: datetime,
    typ: str = "JWT",
) -> str:
    """Sign with the provider's current key."""
    key: keys.PrivateKey = keyring.signing_key(db, settings, now=now)
    return jose.sign(claims, key, typ=typ)


def verify_hint(db: Session, token: str, *, issuer: str, now: datetime) -> dict[str, Any] | None:
    """The claims of an ID token this provider issued (expired ones too, §3.1.2.1), or None."""
    try:
        _header, claims = jose.verify(
            token, keys=keyring.jwks(db, now=now), algorithms=jose.PROVIDER_ALGS
        )
    except jose.JoseError:
        return None
    if claims.get("iss") != issuer or not isinstance(claims.get("sub"), str):
        return None
    return claims
