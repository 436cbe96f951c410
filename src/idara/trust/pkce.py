"""Proof Key for Code Exchange (RFC 7636), S256 only: `plain` is refused (FAPI 2.0 §5.3.2.2)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

METHOD = "S256"
# RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
# §4.2: a S256 challenge is BASE64URL(SHA256(verifier)), 43 characters without padding.
_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def challenge_is_valid(challenge: str | None, method: str | None) -> bool:
    """Whether an authorization request's challenge and method are acceptable (§4.3)."""
    return method == METHOD and challenge is not None and bool(_CHALLENGE.match(challenge))


def s256(verifier: str) -> str:
    """BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) (§4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify(verifier: str | None, challenge: str) -> bool:
    """Whether a token request's verifier matches the stored challenge (§4.6)."""
    if verifier is None or not _VERIFIER.match(verifier):
        return False
    return hmac.compare_digest(s256(verifier), challenge)
