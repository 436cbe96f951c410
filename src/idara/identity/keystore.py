"""The key-store port of the national PKI, and its file implementation.

The PKI never holds a CA private key: it asks the key store to create a key, to give the
public key, and to sign bytes (ECDSA P-256 with SHA-256, DER signature, as X.509 wants).
That is the whole interface of a PKCS#11 HSM too, so an HSM adapter can replace
`FileKeyStore` without touching pki.py. See docs/decisions/0020-national-pki-and-key-store.md.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from idara.identity import sealing

_KEY_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


class KeyStore(Protocol):
    """Where CA private keys live; they never leave it."""

    def create(self, key_id: str) -> bytes:
        """Generate a P-256 key under this id; returns its SubjectPublicKeyInfo (DER)."""
        ...

    def public_key(self, key_id: str) -> bytes:
        """The SubjectPublicKeyInfo (DER) of a key."""
        ...

    def sign(self, key_id: str, data: bytes) -> bytes:
        """ECDSA P-256 / SHA-256 signature of data, DER-encoded (RFC 5480)."""
        ...

    def exists(self, key_id: str) -> bool:
        """Whether a key with this id exists."""
        ...


class FileKeyStore:
    """Keys sealed under a passphrase (PBKDF2 + AES-GCM), one file each, mode 0600.

    Unsealing costs ~0.3 s by design, so unsealed keys are kept in this process's memory.
    """

    def __init__(self, directory: Path, passphrase: bytes, *, iterations: int = 600_000) -> None:
        self._dir = directory
        self._passphrase = passphrase
        self._iterations = iterations
        self._cache: dict[str, ec.EllipticCurvePrivateKey] = {}
        self._lock = threading.Lock()

    def _path(self, key_id: str) -> Path:
        if not _KEY_ID.match(key_id):
            raise ValueError(f"invalid key id {key_id!r}")
        return self._dir / f"{key_id}.key.json"

    def exists(self, key_id: str) -> bool:
        """Whether a key file exists."""
        return self._path(key_id).exists()

    def create(self, key_id: str) -> bytes:
        """Generate and seal a new key; refuses to overwrite one."""
        path = self._path(key_id)
        if path.exists():
            raise FileExistsError(f"key {key_id!r} already exists")
        key = ec.generate_private_key(ec.SECP256R1())
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        box = sealing.seal(
            self._passphrase,
            der,
            aad=f"idara-ca-key:{key_id}".encode(),
            iterations=self._iterations,
        )
        self._dir.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes creating the same key cannot both win.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump({"key_id": key_id, "sealed": box}, handle)
        with self._lock:
            self._cache[key_id] = key
        return _spki(key.public_key())

    def _key(self, key_id: str) -> ec.EllipticCurvePrivateKey:
        with self._lock:
            cached = self._cache.get(key_id)
        if cached is not None:
            return cached
        stored = json.loads(self._path(key_id).read_text())
        der = sealing.open_box(
            self._passphrase, stored["sealed"], aad=f"idara-ca-key:{key_id}".encode()
        )
        key = serialization.load_der_private_key(der, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise TypeError("a CA key must be an EC key")
        with self._lock:
            self._cache[key_id] = key
        return key

    def public_key(self, key_id: str) -> bytes:
        """The key's public half."""
        return _spki(self._key(key_id).public_key())

    def sign(self, key_id: str, data: bytes) -> bytes:
        """Sign with the key (ECDSA with SHA-256)."""
        return self._key(key_id).sign(data, ec.ECDSA(hashes.SHA256()))


def _spki(public: ec.EllipticCurvePublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
