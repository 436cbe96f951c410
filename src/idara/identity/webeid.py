"""Validation of Web eID authentication tokens (format `web-eid:1.0`).

Implements the token format of the Web eID system architecture ("Web eID authentication
token format"): `unverifiedCertificate` (base64 DER), `algorithm`, `signature` (base64),
`format`, optional `appVersion`. The signature is over hash(origin) ‖ hash(nonce), hash
being the algorithm's (SHA-256 for ES256), and an ECDSA signature is raw r ‖ s.

Never trust the token: its `algorithm` must be in ALLOWED_ALGORITHMS *and* match the
certificate's key; the verification itself is fixed (ECDSA P-256 with SHA-256), whatever
the token says. Certificate paths follow RFC 5280 with one trusted issuing CA per path.
Each failure has a stable error code (the `code` of TokenError); nothing here has state.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MAX_TOKEN_BYTES = 8 * 1024
ALLOWED_ALGORITHMS = frozenset({"ES256"})
FORMATS = frozenset({"web-eid:1", "web-eid:1.0"})
_FIELDS = {"unverifiedCertificate", "algorithm", "signature", "format", "appVersion"}
SERIAL_PREFIX = "PNOMA-"


class TokenError(ValueError):
    """A token was refused; `code` is the stable error code the client receives."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class AuthToken:
    """A parsed (not yet verified) token."""

    certificate: bytes
    algorithm: str
    signature: bytes


@dataclass(frozen=True, slots=True)
class CardIdentity:
    """What a verified token proves: the certificate serial and the CIN it names."""

    serial: str
    cin: str


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate member")  # two "algorithm" members: refuse, do not pick
    return dict(pairs)


# Built once: json.loads would build a decoder at every call when given a hook.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates)
_ES256 = ec.ECDSA(hashes.SHA256())


def _b64(value: object) -> bytes:
    if not isinstance(value, str) or not value:
        raise TokenError("card_token_malformed")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise TokenError("card_token_malformed") from None


def parse_token(raw: bytes | str) -> AuthToken:
    """Parse a token's JSON strictly; refuses oversize, malformed and disallowed ones."""
    data = raw.encode() if isinstance(raw, str) else raw
    if len(data) > MAX_TOKEN_BYTES:
        raise TokenError("card_token_too_large")
    try:
        body = _DECODER.decode(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise TokenError("card_token_malformed") from None
    if not isinstance(body, dict) or not {"unverifiedCertificate", "algorithm", "signature"} <= set(
        body
    ):
        raise TokenError("card_token_malformed")
    if not set(body) <= _FIELDS:
        raise TokenError("card_token_malformed")
    token_format = body.get("format")
    if not isinstance(token_format, str) or token_format not in FORMATS:
        raise TokenError("card_token_format")
    algorithm = body["algorithm"]
    if not isinstance(algorithm, str) or algorithm not in ALLOWED_ALGORITHMS:
        raise TokenError("card_token_algorithm")
    if "appVersion" in body and not isinstance(body["appVersion"], str):
        raise TokenError("card_token_malformed")
    return AuthToken(
        certificate=_b64(body["unverifiedCertificate"]),
        algorithm=algorithm,
        signature=_b64(body["signature"]),
    )


@lru_cache(maxsize=8192)
def _certificate(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


@lru_cache(maxsize=8192)
def _issued_by(der: bytes, issuer_der: bytes) -> bool:
    # Cached: the same bytes and the same anchor always give the same answer, and a card
    # presents the same certificate at every login (the time and revocation checks are not cached).
    try:
        _certificate(der).verify_directly_issued_by(_certificate(issuer_der))
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


class TrustAnchors:
    """The issuing CAs whose card certificates are accepted."""

    def __init__(self, issuers: Iterable[bytes]) -> None:
        self._by_subject: dict[bytes, bytes] = {}
        for der in issuers:
            self._by_subject[_certificate(der).subject.public_bytes()] = der

    def issuer_of(self, issuer_name: bytes) -> bytes | None:
        """The trusted issuing CA certificate (DER) whose subject is this issuer name (DER)."""
        return self._by_subject.get(issuer_name)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What a certificate says, parsed once per certificate (not per login)."""

    public: ec.EllipticCurvePublicKey | None
    issuer: bytes
    not_before: datetime
    not_after: datetime
    usage_ok: bool
    subject_serial: str
    serial: str


def _usage_ok(cert: x509.Certificate) -> bool:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        extended = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return not basic.ca and usage.digital_signature and ExtendedKeyUsageOID.CLIENT_AUTH in extended


@lru_cache(maxsize=8192)
def _facts(der: bytes) -> _Facts:
    cert = _certificate(der)
    public = cert.public_key()
    serials = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    subject = serials[0].value if serials else ""
    return _Facts(
        public=public
        if isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name == "secp256r1"
        else None,
        issuer=cert.issuer.public_bytes(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        usage_ok=_usage_ok(cert),
        subject_serial=subject if isinstance(subject, str) else "",
        serial=format(cert.serial_number, "x"),
    )


def signed_data(origin: str, nonce_sha256: bytes) -> bytes:
    """What the card signs: SHA-256(origin) ‖ SHA-256(nonce)."""
    return hashlib.sha256(origin.encode()).digest() + nonce_sha256


def verify(
    token: AuthToken,
    *,
    anchors: TrustAnchors,
    origin: str,
    nonce_sha256: bytes,
    now: datetime,
) -> CardIdentity:
    """Verify certificate path, validity, key usage and signature; raises TokenError."""
    try:
        facts = _facts(token.certificate)
    except ValueError:
        raise TokenError("card_certificate_malformed") from None
    public = facts.public
    if public is None:
        raise TokenError("card_token_algorithm")  # ES256 is only ever checked with P-256
    issuer = anchors.issuer_of(facts.issuer)
    if issuer is None or not _issued_by(token.certificate, issuer):
        raise TokenError("card_certificate_untrusted")
    if now < facts.not_before:
        raise TokenError("card_certificate_not_yet_valid")
    if now > facts.not_after:
        raise TokenError("card_certificate_expired")
    if not facts.usage_ok:
        raise TokenError("card_certificate_key_usage")
    if not facts.subject_serial.startswith(SERIAL_PREFIX):
        raise TokenError("card_certificate_untrusted")
    if len(token.signature) != 64:
        raise TokenError("card_signature_invalid")
    der = encode_dss_signature(
        int.from_bytes(token.signature[:32], "big"), int.from_bytes(token.signature[32:], "big")
    )
    try:
        public.verify(der, signed_data(origin, nonce_sha256), _ES256)
    except InvalidSignature:
        raise TokenError("card_signature_invalid") from None
    return CardIdentity(serial=facts.serial, cin=facts.subject_serial[len(SERIAL_PREFIX) :])
