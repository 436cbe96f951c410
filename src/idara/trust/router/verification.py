"""The identity-verification API for organisations (issue 4), behind client credentials."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from idara.audit.schemas import ActorType, AuditContext
from idara.trust import claims, clock
from idara.trust.dependencies import Context, PublicUrl
from idara.trust.exceptions import OAuthError
from idara.trust.flows import tokens, verification
from idara.trust.flows.context import TrustCtx
from idara.trust.router.common import OAuthRoute
from idara.trust.schemas import VerificationRequest, VerificationResult
from idara.web.deps import AppSettings, DbSession, RateLimits
from idara.web.policy import Principal, client

router = APIRouter(route_class=OAuthRoute, tags=["trust"])


def _caller(
    request: Request, db: DbSession, settings: AppSettings, url: PublicUrl
) -> tokens.Checked:
    """The client behind the access token, which must carry the verification scope."""
    ctx = TrustCtx(
        db=db,
        settings=settings,
        now=clock.of(request.app.state).now(),
        audit=AuditContext.system("trust"),
    )
    presented = tokens.bearer_of(request.headers.get("authorization"), {})
    checked = tokens.check_access_token(
        ctx, presented, dpop_headers=request.headers.getlist("dpop"), method="POST", url=url
    )
    if claims.VERIFICATION_SCOPE not in checked.grant.scope.split():
        raise OAuthError("insufficient_scope", "identity_verification scope required", status=403)
    request.state.principal = Principal(kind=ActorType.CLIENT, id=checked.client.client_id)
    return checked


Caller = Annotated[tokens.Checked, Depends(_caller)]


async def _body(request: Request) -> VerificationRequest:
    try:
        return VerificationRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        raise OAuthError("invalid_request", "malformed verification request") from exc


Body = Annotated[VerificationRequest, Depends(_body)]


@router.post("/api/trust/v1/verifications", dependencies=[Depends(_caller), client])
def verify(
    ctx: Context,
    limits: RateLimits,
    checked: Caller,
    body: Body,
) -> VerificationResult:
    """Does this CIN with these attributes match a valid card? One answer per attribute."""
    decision = limits.hit(
        f"trust:verify:{checked.client.client_id}",
        limit=ctx.trust.verification_per_minute,
        window_s=60,
    )
    if not decision.allowed:
        raise OAuthError(
            "rate_limited",
            "too many verifications",
            status=429,
            headers={"Retry-After": str(decision.retry_after_s)},
        )
    return verification.verify(ctx, checked.client, body)
