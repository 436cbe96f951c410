"""Client authentication at the token, PAR, introspection and revocation endpoints.

`private_key_jwt` is RFC 7523 §2.2/§3 as profiled by OpenID Connect Core §9 and FAPI 2.0
§5.3.2.1; `client_secret_basic`/`client_secret_post` (RFC 6749 §2.3.1) only for clients
registered for them. A request uses exactly one method (RFC 6749 §2.3). Every failure is
`invalid_client` with no detail an attacker could use to tell which check failed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus

from sqlalchemy.orm import Session

from idara.settings import TrustSettings
from idara.trust import clients, jose, replay
from idara.trust.exceptions import OAuthError, invalid_client
from idara.trust.models import Client

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
METHODS = ("private_key_jwt", "client_secret_basic", "client_secret_post")


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a client assertion may be addressed to for this request."""

    issuer: str
    endpoints: tuple[str, ...]

    def accepts(self, aud: object, *, strict: bool) -> bool:
        """FAPI clients name the issuer alone (FAPI 2.0 §5.3.2.1); others may name an endpoint."""
        if strict:
            return aud == self.issuer
        values = aud if isinstance(aud, list) else [aud]
        allowed = {self.issuer, *self.endpoints}
        return any(isinstance(v, str) and v in allowed for v in values)


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise invalid_client("malformed Basic credentials") from exc
    user, sep, password = decoded.partition(":")
    if not sep:
        raise invalid_client("malformed Basic credentials")
    # RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return unquote_plus(user), unquote_plus(password)


def _active(db: Session, client_id: str | None) -> Client:
    client = clients.get(db, client_id=client_id or "")
    if client is None or client.status != clients.ACTIVE:
        raise invalid_client("client authentication failed")
    return client


def _number(claims: Mapping[str, Any], name: str) -> int | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid_client(f"client assertion {name} is not a number")
    return int(value)


def _check_assertion(
    db: Session,
    client: Client,
    assertion: str,
    *,
    audience: Audience,
    settings: TrustSettings,
    now: datetime,
) -> None:
    header, _claims = jose.peek(assertion)
    keys = clients.keys_of(client, kid=header.get("kid"))
    try:
        _header, claims = jose.verify(assertion, keys=keys, algorithms=jose.CLIENT_ALGS)
    except jose.JoseError as exc:
        raise invalid_client("client assertion signature or algorithm refused") from exc
    if claims.get("iss") != client.client_id or claims.get("sub") != client.client_id:
        raise invalid_client("client assertion iss and sub must be the client_id")
    if not audience.accepts(claims.get("aud"), strict=client.fapi):
        raise invalid_client("client assertion audience refused")
    stamp = int(now.timestamp())
    skew = settings.clock_skew_s
    exp, iat, nbf = (_number(claims, n) for n in ("exp", "iat", "nbf"))
    if exp is None or exp <= stamp - skew:
        raise invalid_client("client assertion expired or without exp")
    if exp - (iat if iat is not None else stamp) > settings.assertion_max_lifetime_s:
        raise invalid_client("client assertion lives too long")
    # FAPI 2.0 conformance: iat/nbf slightly in the future is clock skew, a minute is not.
    for value in (iat, nbf):
        if value is not None and value > stamp + max(skew, 10):
            raise invalid_client("client assertion not yet valid")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 8 <= len(jti) <= 128:
        raise invalid_client("client assertion without a usable jti")
    if not replay.first_use(
        db,
        purpose="client",
        issuer=client.client_id,
        jti=jti,
        expires_at=datetime.fromtimestamp(exp, now.tzinfo) + timedelta(seconds=skew),
        now=now,
    ):
        raise invalid_client("client assertion replayed")


def authenticate(
    db: Session,
    form: Mapping[str, str],
    *,
    authorization: str | None,
    audience: Audience,
    settings: TrustSettings,
    now: datetime,
) -> Client:
    """The client that authenticated this request, or `invalid_client`."""
    basic = _basic(authorization)
    assertion = form.get("client_assertion")
    secret = form.get("client_secret")
    presented = [m for m, used in zip(METHODS, (assertion, basic, secret), strict=True) if used]
    if len(presented) > 1:
        raise OAuthError("invalid_request", "use exactly one client authentication method")
    if not presented:
        raise invalid_client("client authentication required")
    method = presented[0]
    if method == "private_key_jwt":
        assert assertion is not None
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise invalid_client("unsupported client_assertion_type")
        try:
            _header, unverified = jose.peek(assertion)
        except jose.JoseError as exc:
            raise invalid_client("malformed client assertion") from exc
        claimed = unverified.get("sub") if isinstance(unverified.get("sub"), str) else None
        if claimed is None:
            raise invalid_client("client assertion without sub")
        if form.get("client_id") not in (None, claimed):
            raise invalid_client("client_id does not match the assertion")
        client = _active(db, claimed)
        if client.auth_method != "private_key_jwt":
            raise invalid_client("client not registered for private_key_jwt")
        _check_assertion(db, client, assertion, audience=audience, settings=settings, now=now)
        return client
    if method == "client_secret_basic":
        assert basic is not None
        client_id, presented_secret = basic
        if form.get("client_id") not in (None, client_id):
            raise invalid_client("client_id does not match the credentials")
    else:
        client_id, presented_secret = form.get("client_id", ""), secret or ""
    client = _active(db, client_id)
    if client.auth_method != method or not clients.check_secret(client, presented_secret):
        raise invalid_client("client authentication failed")
    return client
