"""Demonstrating Proof of Possession (RFC 9449): proofs, server nonces, key thumbprints.

§4.3 lists the checks made here: one `DPoP` header; `typ` dpop+jwt; an allowed asymmetric
`alg` (never `none`, never a MAC); a public `jwk` that verifies the signature; `htm` and
`htu` of this request; a recent `iat`; a fresh `jti` (§11.1); the server `nonce` (§8, §9);
and at protected resources `ath`, the hash of the access token (§4.3 item 12, §7).
Nonces are stateless: an HMAC of a time window, so every worker accepts every worker's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.orm import Session

from idara.settings import TrustSettings
from idara.trust import jose, replay
from idara.trust.exceptions import OAuthError

TYP = "dpop+jwt"


@dataclass(frozen=True, slots=True)
class Proof:
    """A verified proof: the key's thumbprint (`jkt`) and the proof's id."""

    jkt: str
    jti: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _nonce_for(settings: TrustSettings, window: int) -> str:
    key = settings.key_passphrase.get_secret_value().encode()
    mac = hmac.new(key, b"dpop-nonce:" + str(window).encode(), hashlib.sha256).digest()[:18]
    return _b64(window.to_bytes(8, "big") + mac)


def nonce(settings: TrustSettings, now: datetime) -> str:
    """The server nonce to hand out now (RFC 9449 §8)."""
    return _nonce_for(settings, int(now.timestamp()) // settings.dpop_nonce_window_s)


def nonce_is_valid(settings: TrustSettings, value: object, now: datetime) -> bool:
    """A nonce of this window or the previous one (a client may hold one a little while)."""
    if not isinstance(value, str) or len(value) > 64:
        return False
    window = int(now.timestamp()) // settings.dpop_nonce_window_s
    return any(hmac.compare_digest(value, _nonce_for(settings, w)) for w in (window, window - 1))


def access_token_hash(token: str) -> str:
    """`ath`: base64url SHA-256 of the access token (§4.2)."""
    return _b64(hashlib.sha256(token.encode("ascii", "replace")).digest())


def normalise_htu(url: str) -> str:
    """Scheme and host lower-cased, no query or fragment (§4.3 item 9, RFC 3986 §6.2.2)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", "", ""))


def _fail(description: str, *, resource: bool) -> OAuthError:
    if resource:
        challenge = f'DPoP error="invalid_dpop_proof", error_description="{description}"'
        return OAuthError(
            "invalid_dpop_proof", description, status=401, headers={"WWW-Authenticate": challenge}
        )
    return OAuthError("invalid_dpop_proof", description)


def _need_nonce(settings: TrustSettings, now: datetime, *, resource: bool) -> OAuthError:
    headers = {"DPoP-Nonce": nonce(settings, now)}
    if resource:
        headers["WWW-Authenticate"] = 'DPoP error="use_dpop_nonce", algs="ES256 PS256"'
        return OAuthError("use_dpop_nonce", "a DPoP nonce is required", status=401, headers=headers)
    return OAuthError("use_dpop_nonce", "a DPoP nonce is required", headers=headers)


def verify(
    db: Session,
    headers: list[str],
    *,
    method: str,
    url: str,
    settings: TrustSettings,
    now: datetime,
    access_token: str | None = None,
    require_nonce: bool = True,
) -> Proof:
    """Check the request's DPoP proof; raises invalid_dpop_proof or use_dpop_nonce."""
    resource = access_token is not None
    if len(headers) != 1:
        raise _fail("exactly one DPoP header is required", resource=resource)
    proof = headers[0]
    try:
        header, _unverified = jose.peek(proof)
    except jose.JoseError as exc:
        raise _fail("malformed DPoP proof", resource=resource) from exc
    if str(header.get("typ", "")).lower() != TYP or header.get("alg") not in jose.CLIENT_ALGS:
        raise _fail("DPoP proof typ or alg refused", resource=resource)
    jwk = header.get("jwk")
    if not isinstance(jwk, dict):
        raise _fail("DPoP proof without a public jwk", resource=resource)
    try:
        key = jose.import_public(jwk)
        _header, claims = jose.verify(proof, keys=key, algorithms=jose.CLIENT_ALGS, typ=TYP)
    except jose.JoseError as exc:
        raise _fail("DPoP proof signature refused", resource=resource) from exc
    if claims.get("htm") != method:
        raise _fail("DPoP proof htm mismatch", resource=resource)
    htu = claims.get("htu")
    if not isinstance(htu, str) or normalise_htu(htu) != normalise_htu(url):
        raise _fail("DPoP proof htu mismatch", resource=resource)
    stamp = now.timestamp()
    iat = claims.get("iat")
    skew = settings.clock_skew_s
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        raise _fail("DPoP proof without iat", resource=resource)
    if iat > stamp + max(skew, 10) or iat < stamp - settings.dpop_max_age_s:
        raise _fail("DPoP proof iat out of range", resource=resource)
    for name, late in (("exp", True), ("nbf", False)):
        value = claims.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(f"DPoP proof {name} malformed", resource=resource)
        if (late and value < stamp - skew) or (not late and value > stamp + max(skew, 10)):
            raise _fail(f"DPoP proof {name} refused", resource=resource)
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 8 <= len(jti) <= 128:
        raise _fail("DPoP proof without a usable jti", resource=resource)
    if access_token is not None and claims.get("ath") != access_token_hash(access_token):
        raise _fail("DPoP proof ath does not match the access token", resource=resource)
    if require_nonce and not nonce_is_valid(settings, claims.get("nonce"), now):
        raise _need_nonce(settings, now, resource=resource)
    jkt = key.thumbprint()
    if not replay.first_use(
        db,
        purpose="dpop",
        issuer=jkt,
        jti=jti,
        expires_at=datetime.fromtimestamp(iat, now.tzinfo)
        + timedelta(seconds=settings.dpop_max_age_s + skew),
        now=now,
    ):
        raise _fail("DPoP proof replayed", resource=resource)
    return Proof(jkt=jkt, jti=jti)
