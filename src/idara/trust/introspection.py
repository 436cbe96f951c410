"""Token introspection (RFC 7662) for resource servers and clients.

§2.2: an inactive, unknown or foreign token is just `{"active": false}`: a client learns
nothing about tokens issued to others (§4, privacy). Sender-constrained tokens carry their
confirmation (`cnf.jkt`, RFC 9449 §6.2) so a resource server can check the DPoP proof.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from idara.trust import grants, loa
from idara.trust.models import Client

INACTIVE: dict[str, Any] = {"active": False}


def introspect(
    db: Session, token: str | None, *, client: Client, issuer: str, now: datetime
) -> dict[str, Any]:
    """The introspection response for a token presented by an authenticated client."""
    found = grants.lookup(db, token or "")
    if found is None:
        return dict(INACTIVE)
    row, grant = found
    if grant.client_id != client.client_id or not grants.is_active(row, grant, now=now):
        return dict(INACTIVE)
    answer: dict[str, Any] = {
        "active": True,
        "iss": issuer,
        "client_id": grant.client_id,
        "scope": row.scope,
        "token_type": ("DPoP" if row.jkt else "Bearer") if row.kind == grants.ACCESS else None,
        "exp": int(row.expires_at.timestamp()),
        "iat": int(row.created_at.timestamp()),
        "sub": grant.sub,
        "aud": grant.client_id,
        "auth_time": int(grant.auth_time.timestamp()) if grant.auth_time else None,
        "acr": loa.PREFIX + grant.acr if grant.acr else None,
    }
    if row.jkt:
        answer["cnf"] = {"jkt": row.jkt}
    return {k: v for k, v in answer.items() if v is not None}
