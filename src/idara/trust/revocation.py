"""Token revocation (RFC 7009).

§2.2: the answer is 200 whether or not the token existed, so the endpoint cannot be used to
probe for tokens; a token of another client is left alone. Revoking a refresh token ends
its grant, access tokens included (§2.1).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from idara.trust import grants
from idara.trust.exceptions import OAuthError
from idara.trust.models import Client


def revoke(
    db: Session, token: str | None, *, hint: str | None, client: Client, now: datetime
) -> bool:
    """Revoke a token of this client; True when something was revoked."""
    if not token:
        raise OAuthError("invalid_request", "token is required")
    # §2.1: the hint only speeds up the search; an unknown hint is ignored, not an error.
    del hint
    found = grants.lookup(db, token)
    if found is None:
        return False
    row, grant = found
    if grant.client_id != client.client_id:
        return False
    grants.revoke_token(db, row, grant, now=now)
    return True
