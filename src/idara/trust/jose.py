"""JOSE for the trust service: JWS (RFC 7515), JWE (RFC 7516), JWK thumbprints (RFC 7638).

The only module besides `keys.py` that imports joserfc. Every verification takes an explicit
algorithm allow-list: a token's own `alg` header is never trusted, and `none` is never in a
list. Claim checks (iss, aud, exp...) are done by the callers, next to the rule they enforce.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Mapping
from typing import Any

from joserfc import jwe, jws
from joserfc.errors import JoseError as _LibraryError
from joserfc.jwk import ECKey, RSAKey
from joserfc.jws import JWSRegistry

# What the provider signs with (FAPI 2.0 §5.4: PS256, ES256 or EdDSA; we sign ES256 only).
PROVIDER_ALGS = ("ES256",)
# What relying parties may sign client assertions, DPoP proofs and logout hints with.
CLIENT_ALGS = ("ES256", "PS256")
# Userinfo encryption for clients that register an encryption key (issue 4).
JWE_KEY_ALGS = ("RSA-OAEP-256", "ECDH-ES")
JWE_ENC_ALGS = ("A256GCM",)
MAX_TOKEN_BYTES = 16 * 1024

PublicKey = ECKey | RSAKey


class JoseError(ValueError):
    """A token could not be parsed or verified; the message is safe to log (no token)."""


def _b64decode(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JoseError("malformed base64url") from exc


def peek(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims of a compact JWS, unverified (to choose a key, never to trust)."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        raise JoseError("token missing or too large")
    parts = token.split(".")
    if len(parts) != 3:
        raise JoseError("not a compact JWS")
    try:
        header = json.loads(_b64decode(parts[0]))
        claims = json.loads(_b64decode(parts[1]))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JoseError("malformed JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise JoseError("header and claims must be JSON objects")
    return header, claims


def import_public(jwk: Mapping[str, Any]) -> PublicKey:
    """A public key from a JWK (EC P-256 or RSA ≥ 2048 bits); private parts are refused."""
    if any(name in jwk for name in ("d", "p", "q")):
        raise JoseError("a private key was sent where a public key belongs")
    try:
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            return ECKey.import_key(dict(jwk))
        if jwk.get("kty") == "RSA":
            # Measured before importing: the library only warns about weak keys.
            modulus = _b64decode(str(jwk.get("n", ""))).lstrip(b"\x00")
            if len(modulus) * 8 < 2048:
                raise JoseError("RSA key shorter than 2048 bits")
            return RSAKey.import_key(dict(jwk))
    except JoseError:
        raise
    except _LibraryError as exc:
        raise JoseError("unusable JWK") from exc
    except (ValueError, TypeError) as exc:
        raise JoseError("unusable JWK") from exc
    raise JoseError("unsupported key type")


def thumbprint(jwk: Mapping[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public JWK (DPoP `jkt`)."""
    return import_public(jwk).thumbprint()


def _keyset(jwks: Mapping[str, Any]) -> list[PublicKey]:
    keys = jwks.get("keys")
    if not isinstance(keys, list):
        raise JoseError("JWKS without keys")
    found = []
    for item in keys:
        if isinstance(item, dict) and item.get("use", "sig") == "sig":
            try:
                found.append(import_public(item))
            except JoseError:
                continue  # a client's unusable extra key must not break its good one
    return found


def verify(
    token: str,
    *,
    keys: Mapping[str, Any] | list[PublicKey] | PublicKey,
    algorithms: Collection[str],
    typ: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify a compact JWS against an allow-list; returns (header, claims)."""
    if "none" in algorithms:
        raise ValueError("'none' can never be allowed")
    header, _claims = peek(token)
    alg = header.get("alg")
    if alg not in algorithms:
        raise JoseError(f"algorithm {alg!r} not allowed")
    if typ is not None and str(header.get("typ", "")).lower() != typ.lower():
        raise JoseError("unexpected typ")
    if isinstance(keys, Mapping):
        candidates = _keyset(keys)
    elif isinstance(keys, list):
        candidates = keys
    else:
        candidates = [keys]
    kid = header.get("kid")
    if kid is not None:
        candidates = [k for k in candidates if k.kid in (None, kid)] or []
    if not candidates:
        raise JoseError("no key matches")
    registry = JWSRegistry(algorithms=list(algorithms))
    for key in candidates:
        try:
            result = jws.deserialize_compact(token, key, algorithms=algorithms, registry=registry)
        except _LibraryError:
            continue
        except (ValueError, TypeError):
            continue
        claims = json.loads(result.payload)
        if not isinstance(claims, dict):
            raise JoseError("claims must be a JSON object")
        return dict(result.headers()), claims
    raise JoseError("signature invalid")


def sign(claims: Mapping[str, Any], key: ECKey, *, typ: str = "JWT") -> str:
    """Sign claims with one of the provider's keys (ES256, with its kid)."""
    header = {"alg": "ES256", "typ": typ, "kid": key.kid}
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False)
    return jws.serialize_compact(header, payload, key, algorithms=PROVIDER_ALGS)


def encrypt(plaintext: str, jwk: Mapping[str, Any], *, alg: str, enc: str, cty: str) -> str:
    """Encrypt for a client's registered encryption key (compact JWE)."""
    if alg not in JWE_KEY_ALGS or enc not in JWE_ENC_ALGS:
        raise JoseError("encryption algorithm not allowed")
    key = import_public(jwk)
    header: dict[str, Any] = {"alg": alg, "enc": enc, "cty": cty}
    if "kid" in jwk:
        header["kid"] = jwk["kid"]
    return jwe.encrypt_compact(header, plaintext, key, algorithms=[*JWE_KEY_ALGS, *JWE_ENC_ALGS])


def encryption_key(jwks: Mapping[str, Any]) -> dict[str, Any] | None:
    """The first key a client registered for encryption (`use` = `enc`), if any."""
    for item in jwks.get("keys", []) if isinstance(jwks.get("keys"), list) else []:
        if isinstance(item, dict) and item.get("use") == "enc":
            return dict(item)
    return None


def generate_client_key() -> dict[str, Any]:
    """A P-256 private JWK for a relying party (the demo administration, tests of the CLI)."""
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    private: dict[str, Any] = dict(key.as_dict(private=True))
    private.update({"kid": key.kid, "use": "sig", "alg": "ES256"})
    return private


def public_part(jwk: Mapping[str, Any]) -> dict[str, Any]:
    """The public half of a private JWK (what a client registers)."""
    key = ECKey.import_key(dict(jwk))
    public: dict[str, Any] = dict(key.as_dict(private=False))
    public.update({k: jwk[k] for k in ("kid", "use", "alg") if k in jwk})
    return public
