"""The portal's back-channel logout endpoint (Back-Channel Logout 1.0 §2.5, relying-party side).

The provider posts a signed logout token; the portal validates it (§2.6) and ends its own
sessions of that provider session (`sid`), or of the subject when no `sid` is given.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from starlette.responses import Response

from idara.audit.schemas import ActorType
from idara.portal import auth, oidc_rp, rp_setup
from idara.sessions import service as sessions
from idara.sessions.models import WebSession
from idara.web.deps import AppSettings, DbSession
from idara.web.policy import Principal, client

router = APIRouter(include_in_schema=False)


async def _logout_token(request: Request) -> str:
    form = await request.form()
    value = form.get("logout_token")
    return value if isinstance(value, str) else ""


def _provider(
    request: Request, settings: AppSettings, token: str = Depends(_logout_token)
) -> dict[str, object] | None:
    """The validated logout token's claims; the provider becomes the request's Principal."""
    jwks = oidc_rp.call(request.app, settings.public_origin, "GET", "/oidc/jwks").json()
    try:
        claims = oidc_rp.validate_logout_token(
            token, jwks, issuer=settings.public_origin, client_id=settings.trust.portal_client_id
        )
    except oidc_rp.LoginError:
        request.state.principal = None
        return None
    request.state.principal = Principal(kind=ActorType.CLIENT, id=settings.public_origin)
    return claims


Provider = Annotated[dict[str, object] | None, Depends(_provider)]


@router.post(rp_setup.BACKCHANNEL, dependencies=[Depends(_provider), client])
def backchannel_logout(db: DbSession, claims: Provider) -> Response:
    """End the portal sessions the logout token names (the policy refused invalid tokens)."""
    assert claims is not None
    sid, sub = claims.get("sid"), claims.get("sub")
    if not isinstance(sub, str):
        return Response(status_code=200)  # this provider always names the subject
    rows = db.scalars(
        select(WebSession).where(WebSession.subject_type == "citizen", WebSession.subject_id == sub)
    ).all()
    for row in rows:
        if row.data.get(auth.MARK) and (sid is None or row.data.get("op_sid") == sid):
            sessions.end(db, row)
    return Response(status_code=200, headers={"Cache-Control": "no-store"})
