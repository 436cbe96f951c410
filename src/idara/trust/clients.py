"""The client registry: relying parties onboarded by the ministry (flush, never commit)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.trust.models import Client
from idara.trust.schemas import ClientSpec

ACTIVE = "active"
SUSPENDED = "suspended"


class ClientExistsError(ValueError):
    """A client with this id is already registered."""


def secret_hash(secret: str) -> str:
    """What is stored of a client secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def add(db: Session, spec: ClientSpec, *, now: datetime) -> tuple[Client, str | None]:
    """Register a client; returns it and, for secret-based clients, the one-time secret."""
    client_id = spec.client_id or f"rp-{secrets.token_hex(8)}"
    if get(db, client_id=client_id) is not None:
        raise ClientExistsError(client_id)
    secret = None
    if spec.auth_method != "private_key_jwt":
        secret = secrets.token_urlsafe(32)
    values = spec.model_dump(exclude={"client_id"})
    client = Client(
        client_id=client_id,
        status=ACTIVE,
        secret_hash=secret_hash(secret) if secret else None,
        created_at=now,
        updated_at=now,
        **values,
    )
    db.add(client)
    db.flush()
    return client, secret


def get(db: Session, *, client_id: str) -> Client | None:
    """The client with this id, whatever its status."""
    if not client_id or len(client_id) > 64:
        return None
    return db.scalars(select(Client).where(Client.client_id == client_id)).first()


def list_clients(db: Session) -> Sequence[Client]:
    """Every registered client, by id."""
    return db.scalars(select(Client).order_by(Client.client_id)).all()


def set_status(db: Session, client: Client, *, status: str, now: datetime) -> None:
    """Suspend or reactivate a client."""
    if status not in (ACTIVE, SUSPENDED):
        raise ValueError(status)
    client.status = status
    client.updated_at = now
    db.flush()


def check_secret(client: Client, secret: str) -> bool:
    """Constant-time comparison of a presented client secret."""
    if client.secret_hash is None:
        return False
    return hmac.compare_digest(secret_hash(secret), client.secret_hash)


def view(client: Client) -> dict[str, Any]:
    """A client as the admin API and `idara trust client show` print it (no secret)."""
    fields = ClientSpec.model_fields.keys() - {"client_id"}
    shown: dict[str, Any] = {"client_id": client.client_id, "status": client.status}
    shown.update({name: getattr(client, name) for name in sorted(fields)})
    shown["created_at"] = client.created_at.isoformat()
    return shown


# A jwks_uri is fetched at most every five minutes per client, and again when a kid is
# unknown (the client rotated its keys), never more than once per 30 s.
_JWKS_TTL_S = 300.0
_JWKS_MIN_REFRESH_S = 30.0
_jwks_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks_lock = threading.Lock()


def keys_of(client: Client, *, kid: str | None = None, timeout_s: float = 3.0) -> dict[str, Any]:
    """The client's public keys: its registered JWKS, or its jwks_uri's (cached)."""
    if client.jwks is not None:
        return client.jwks
    if not client.jwks_uri:
        return {"keys": []}
    now = time.monotonic()
    with _jwks_lock:
        cached = _jwks_cache.get(client.jwks_uri)
    if cached is not None:
        age = now - cached[0]
        known = {k.get("kid") for k in cached[1].get("keys", []) if isinstance(k, dict)}
        if age < _JWKS_TTL_S and (kid is None or kid in known or age < _JWKS_MIN_REFRESH_S):
            return cached[1]
    try:
        response = httpx.get(client.jwks_uri, timeout=timeout_s, follow_redirects=False)
        response.raise_for_status()
        fetched = response.json()
    except (httpx.HTTPError, ValueError):
        return cached[1] if cached else {"keys": []}
    if not isinstance(fetched, dict) or not isinstance(fetched.get("keys"), list):
        return cached[1] if cached else {"keys": []}
    with _jwks_lock:
        _jwks_cache[client.jwks_uri] = (now, fetched)
    return fetched
