"""Secrets sealed under a passphrase or PIN: PBKDF2-HMAC-SHA256 (RFC 8018) then AES-256-GCM.

PBKDF2 rather than scrypt so that a Web Crypto front-end could open the same sealed box
(browsers offer PBKDF2, not scrypt); 600,000 iterations is OWASP's 2023 figure for SHA-256.
The associated data binds a box to what it belongs to (a card number, a key id), so boxes
cannot be swapped between files.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

KDF = "PBKDF2-HMAC-SHA256"
AEAD = "AES-256-GCM"
MIN_ITERATIONS = 1000
# A box claiming more would let a crafted file stall the server that opens it.
MAX_ITERATIONS = 10_000_000


class WrongSecretError(ValueError):
    """The passphrase or PIN does not open the box (or the box was altered)."""


class MalformedBoxError(ValueError):
    """The box is not a sealed box this module wrote."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise MalformedBoxError("expected base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise MalformedBoxError("bad base64") from exc


def _derive(secret: bytes, salt: bytes, iterations: int) -> bytes:
    return PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations
    ).derive(secret)


def seal(secret: bytes, plaintext: bytes, *, aad: bytes, iterations: int) -> dict[str, Any]:
    """Encrypt plaintext under a key derived from secret; returns a JSON-ready box."""
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValueError("iterations out of range")
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _derive(secret, salt, iterations)
    return {
        "kdf": KDF,
        "iterations": iterations,
        "salt": _b64(salt),
        "aead": AEAD,
        "nonce": _b64(nonce),
        "ciphertext": _b64(AESGCM(key).encrypt(nonce, plaintext, aad)),
    }


def open_box(secret: bytes, box: object, *, aad: bytes) -> bytes:
    """Decrypt a box; WrongSecretError when the secret is wrong or the box was altered."""
    if not isinstance(box, dict) or box.get("kdf") != KDF or box.get("aead") != AEAD:
        raise MalformedBoxError("unknown box format")
    iterations = box.get("iterations")
    if not isinstance(iterations, int) or not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise MalformedBoxError("iterations out of range")
    salt, nonce, ciphertext = (_unb64(box.get(k)) for k in ("salt", "nonce", "ciphertext"))
    if len(salt) < 16 or len(nonce) != 12:
        raise MalformedBoxError("salt or nonce of the wrong size")
    key = _derive(secret, salt, iterations)
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag as exc:
        raise WrongSecretError("wrong secret") from exc
