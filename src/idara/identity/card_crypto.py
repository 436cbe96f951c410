"""The virtual CNIE: a card file holding the card key sealed under the PIN, and its signing.

A real CNIE generates its key in the chip, checks the PIN there and keeps the retry counter
there. This file-based stand-in seals the key twice with sealing.py: under the PIN (for
signing) and under the PUK (to unblock and set a new PIN). Its retry counter is a field of
the file: whoever copies the file can reset it, which is why the server also counts wrong
PINs presented online (docs/decisions/0021-virtual-card-and-pin-counter.md).

Signing follows the Web eID authentication token format (`web-eid:1.0`): ES256 over
SHA-256(origin) ‖ SHA-256(challenge nonce), the signature as raw r ‖ s (IEEE P1363), as
a card returns it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from idara.identity import sealing

FORMAT = "idara-virtual-cnie/1"
PIN_TRIES = 3
MAX_FILE_BYTES = 64 * 1024
PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
PUK_PATTERN = re.compile(r"^[0-9]{8}$")


class CardFileError(ValueError):
    """The file is not a virtual card (wrong format, altered, too large)."""


class WrongPinError(ValueError):
    """The PIN (or PUK) is wrong; `tries_left` counts the PIN tries before the card blocks."""

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong PIN, {tries_left} tries left")
        self.tries_left = tries_left


class CardBlockedError(ValueError):
    """Three wrong PINs: only the PUK can unblock the card."""


class CardKey:
    """The unlocked card key: it can sign, it is never written anywhere unsealed."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        self._key = key

    @classmethod
    def generate(cls) -> CardKey:
        """A new P-256 key, as the chip generates it at personalisation."""
        return cls(ec.generate_private_key(ec.SECP256R1()))

    def public_key(self) -> bytes:
        """SubjectPublicKeyInfo (DER), for the certificate request."""
        return self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def _pkcs8(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def sign_raw(self, data: bytes) -> bytes:
        """ES256 signature of data as r ‖ s (32 bytes each), as a smart card returns it."""
        r, s = decode_dss_signature(self._key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _aad(card: dict[str, Any], purpose: str) -> bytes:
    # Binds each sealed key to this card number and certificate: boxes cannot be swapped.
    cert_hash = hashlib.sha256(card["certificate"].encode()).hexdigest()
    return f"idara-cnie:{purpose}:{card['card_number']}:{cert_hash}".encode()


def new_card(
    key: CardKey,
    *,
    card_number: str,
    cin: str,
    certificate: bytes,
    chain: list[bytes],
    pin: str,
    puk: str,
    iterations: int,
) -> dict[str, Any]:
    """The content of a new card file (a JSON object)."""
    if not PIN_PATTERN.match(pin) or not PUK_PATTERN.match(puk):
        raise ValueError("the PIN has 4 to 8 digits and the PUK 8 digits")
    card: dict[str, Any] = {
        "format": FORMAT,
        "card_number": card_number,
        "cin": cin,
        "certificate": _b64(certificate),
        "chain": [_b64(der) for der in chain],
        "pin_tries_left": PIN_TRIES,
    }
    secret = key._pkcs8()
    card["key_pin"] = sealing.seal(
        pin.encode(), secret, aad=_aad(card, "pin"), iterations=iterations
    )
    card["key_puk"] = sealing.seal(
        puk.encode(), secret, aad=_aad(card, "puk"), iterations=iterations
    )
    return card


def parse_card(raw: bytes) -> dict[str, Any]:
    """A card file's content, checked for shape; CardFileError otherwise."""
    if len(raw) > MAX_FILE_BYTES:
        raise CardFileError("card file too large")
    try:
        card = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CardFileError("card file is not JSON") from exc
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise CardFileError("not a virtual card file")
    for field in ("card_number", "cin", "certificate"):
        if not isinstance(card.get(field), str):
            raise CardFileError(f"card file lacks {field}")
    if not isinstance(card.get("pin_tries_left"), int):
        raise CardFileError("card file lacks its PIN counter")
    return card


def certificate_of(card: dict[str, Any]) -> bytes:
    """The card certificate (DER)."""
    try:
        return base64.b64decode(card["certificate"], validate=True)
    except ValueError as exc:
        raise CardFileError("bad certificate encoding") from exc


def _load(secret: bytes) -> CardKey:
    key = serialization.load_der_private_key(secret, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CardFileError("the card key is not an EC key")
    return CardKey(key)


def unlock(card: dict[str, Any], pin: str) -> CardKey:
    """Check the PIN as the chip does: counts down on failure, resets on success.

    The caller saves the card afterwards, whatever happened (the counter changed).
    """
    if card["pin_tries_left"] <= 0:
        raise CardBlockedError("card blocked")
    try:
        secret = sealing.open_box(pin.encode(), card.get("key_pin"), aad=_aad(card, "pin"))
    except sealing.WrongSecretError:
        card["pin_tries_left"] = max(0, card["pin_tries_left"] - 1)
        if card["pin_tries_left"] == 0:
            raise CardBlockedError("card blocked") from None
        raise WrongPinError(card["pin_tries_left"]) from None
    except sealing.MalformedBoxError as exc:
        raise CardFileError("the sealed key is damaged") from exc
    card["pin_tries_left"] = PIN_TRIES
    return _load(secret)


def unblock(card: dict[str, Any], puk: str, *, new_pin: str | None, iterations: int) -> None:
    """Reset the PIN counter with the PUK, optionally setting a new PIN."""
    try:
        secret = sealing.open_box(puk.encode(), card.get("key_puk"), aad=_aad(card, "puk"))
    except sealing.WrongSecretError:
        raise WrongPinError(card["pin_tries_left"]) from None
    except sealing.MalformedBoxError as exc:
        raise CardFileError("the sealed key is damaged") from exc
    if new_pin is not None:
        if not PIN_PATTERN.match(new_pin):
            raise ValueError("the PIN has 4 to 8 digits")
        card["key_pin"] = sealing.seal(
            new_pin.encode(), secret, aad=_aad(card, "pin"), iterations=iterations
        )
    card["pin_tries_left"] = PIN_TRIES


def web_eid_token(key: CardKey, *, certificate: bytes, origin: str, nonce: str) -> dict[str, str]:
    """A Web eID authentication token (format web-eid:1.0) answering a challenge nonce."""
    signed = hashlib.sha256(origin.encode()).digest() + hashlib.sha256(nonce.encode()).digest()
    return {
        "unverifiedCertificate": _b64(certificate),
        "algorithm": "ES256",
        "signature": _b64(key.sign_raw(signed)),
        "format": "web-eid:1.0",
        "appVersion": "https://idara.invalid/virtual-cnie/1.0",
    }


def read_card(path: Path) -> dict[str, Any]:
    """Read and check a card file."""
    return parse_card(path.read_bytes())


def write_card(path: Path, card: dict[str, Any]) -> None:
    """Write a card file atomically, readable by its owner only."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(card, handle, indent=1)
    os.replace(tmp, path)
