"""The UserInfo response (OpenID Connect Core §5.3): JSON, signed JWT, or signed then encrypted.

§5.3.2: a signed response carries `iss` and `aud`; an encrypted one is a nested JWT (signed,
then encrypted with the key the client registered, `cty` = JWT) as §16.14 recommends.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from idara.settings import TrustSettings
from idara.trust import id_token, jose
from idara.trust.models import Client

JSON_TYPE = "application/json"
JWT_TYPE = "application/jwt"


def render(
    db: Session,
    client: Client,
    claims: Mapping[str, Any],
    *,
    issuer: str,
    settings: TrustSettings,
    now: datetime,
) -> tuple[str, str]:
    """The body and content type of a userinfo response for this client."""
    if not client.userinfo_signed_alg and not client.userinfo_encrypted_alg:
        return json.dumps(dict(claims), ensure_ascii=False), JSON_TYPE
    body: dict[str, Any] = {**claims, "iss": issuer, "aud": client.client_id}
    body["iat"] = int(now.timestamp())
    signed = id_token.sign(db, body, settings, now=now)
    if not client.userinfo_encrypted_alg:
        return signed, JWT_TYPE
    key = jose.encryption_key(client.jwks or {})
    if key is None:
        raise ValueError(f"client {client.client_id} has no encryption key")
    encrypted = jose.encrypt(
        signed,
        key,
        alg=client.userinfo_encrypted_alg,
        enc=client.userinfo_encrypted_enc or "A256GCM",
        cty="JWT",
    )
    return encrypted, JWT_TYPE
