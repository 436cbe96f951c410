"""The provider's signing keys: ES256 (P-256) key pairs sealed under the trust passphrase.

A private key is kept as a sealed box (identity's `sealing`: PBKDF2-HMAC-SHA256 then
AES-256-GCM, the key id as associated data so boxes cannot be swapped between keys). The key
id is the RFC 7638 thumbprint of the public key: it cannot collide and anyone can recompute
it. Unsealed keys stay in this process's memory, keyed by kid: unsealing is a slow KDF.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from joserfc.errors import JoseError as _LibraryError
from joserfc.jwk import ECKey

from idara.identity import sealing

PrivateKey = ECKey

_cache: dict[tuple[str, str], ECKey] = {}
_lock = threading.Lock()


class KeyUnsealError(ValueError):
    """A sealed key could not be opened (wrong passphrase or damaged record)."""


@dataclass(frozen=True, slots=True)
class NewKey:
    """A freshly generated key: its id, sealed private half and public JWK."""

    kid: str
    sealed: dict[str, Any]
    public_jwk: dict[str, Any]


def _public(key: ECKey, kid: str) -> dict[str, Any]:
    public = key.as_dict(private=False)
    public.update({"kid": kid, "use": "sig", "alg": "ES256"})
    return public


def generate(passphrase: str, *, iterations: int) -> NewKey:
    """Generate a P-256 key for ES256 and seal its private half under the passphrase."""
    key = ECKey.generate_key("P-256", private=True)
    kid = key.thumbprint()
    pem = key.as_pem(private=True)
    box = sealing.seal(passphrase.encode(), pem, aad=kid.encode(), iterations=iterations)
    return NewKey(kid=kid, sealed=box, public_jwk=_public(key, kid))


def _fingerprint(passphrase: str) -> str:
    # The cache key must change with the passphrase, without keeping the passphrase itself.
    return hashlib.sha256(b"idara-trust-key-cache:" + passphrase.encode()).hexdigest()


def unseal(kid: str, sealed: dict[str, Any], passphrase: str) -> PrivateKey:
    """Open a sealed key (once per process and key), with its kid set."""
    cache_key = (kid, _fingerprint(passphrase))
    with _lock:
        found = _cache.get(cache_key)
    if found is not None:
        return found
    try:
        pem = sealing.open_box(passphrase.encode(), sealed, aad=kid.encode())
        key = ECKey.import_key(pem, {"kid": kid})
    except (sealing.WrongSecretError, sealing.MalformedBoxError) as exc:
        raise KeyUnsealError(f"signing key {kid} cannot be unsealed") from exc
    except (_LibraryError, ValueError, TypeError) as exc:
        raise KeyUnsealError(f"signing key {kid} is damaged") from exc
    if key.thumbprint() != kid:
        raise KeyUnsealError(f"signing key {kid} does not match its id")
    with _lock:
        _cache[cache_key] = key
    return key
