"""Machine endpoints: discovery, JWKS, token, PAR, introspection, revocation, userinfo.

Each authenticates its caller before the `client` policy confirms it (see dependencies)
and answers errors as the RFCs spell them (see router.common.OAuthRoute).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, Response

from idara.audit.schemas import ActorType, AuditContext
from idara.trust import (
    authz_request,
    clock,
    discovery,
    dpop,
    introspection,
    keyring,
    par,
    revocation,
)
from idara.trust.dependencies import (
    AuthenticatedClient,
    Context,
    Form,
    PublicUrl,
    authenticated_client,
)
from idara.trust.exceptions import AuthorizationError, OAuthError
from idara.trust.flows import tokens
from idara.trust.flows.context import TrustCtx
from idara.trust.router.common import OAuthRoute, oauth_response
from idara.web.deps import AppSettings, DbSession
from idara.web.policy import Principal, client, public

meta = APIRouter(dependencies=[public], tags=["trust"])
clients_only = APIRouter(
    dependencies=[Depends(authenticated_client), client], route_class=OAuthRoute, tags=["trust"]
)
bearer = APIRouter(route_class=OAuthRoute, tags=["trust"])

_CACHE_METADATA = {"Cache-Control": "public, max-age=300"}
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@meta.get(discovery.CONFIGURATION)
def configuration(settings: AppSettings) -> JSONResponse:
    """OpenID Provider metadata (Discovery 1.0 §4)."""
    return JSONResponse(discovery.metadata(settings.public_origin), headers=_CACHE_METADATA)


@meta.get(discovery.JWKS)
def jwks(ctx: Context) -> JSONResponse:
    """The provider's public keys: next, current and still-needed retired ones (RFC 7517)."""
    keyring.ensure(ctx.db, ctx.trust, now=ctx.now)  # a fresh installation creates its keys
    return JSONResponse(
        keyring.jwks(ctx.db, now=ctx.now),
        headers={**_CACHE_METADATA, "Content-Type": "application/jwk-set+json"},
    )


@clients_only.post(discovery.TOKEN)
def token(
    request: Request, ctx: Context, client: AuthenticatedClient, form: Form, url: PublicUrl
) -> Response:
    """The token endpoint (RFC 6749 §3.2)."""
    try:
        answer = tokens.token(
            ctx, client, form, dpop_headers=request.headers.getlist("dpop"), url=url
        )
    except OAuthError as exc:
        # Returned, not raised: a reused code's revocation must be committed with the refusal.
        return oauth_response(exc)
    return JSONResponse(answer.body, headers=answer.headers)


@clients_only.post(discovery.PAR, status_code=201)
def pushed_authorization_request(
    request: Request, ctx: Context, client: AuthenticatedClient, form: Form, url: PublicUrl
) -> JSONResponse:
    """RFC 9126 §2: validate and store an authorization request, answer its request_uri."""
    if "request_uri" in form:
        raise OAuthError("invalid_request", "request_uri is not allowed at the PAR endpoint")
    if not form.get("redirect_uri"):
        raise OAuthError("invalid_request", "redirect_uri is required")
    redirect = authz_request.redirect_uri_of(client, form)
    if redirect is None:
        raise OAuthError("invalid_request", "redirect_uri is not registered for this client")
    try:
        validated = authz_request.validate(client, redirect, form, pushed=True)
    except AuthorizationError as exc:
        raise OAuthError(exc.error, exc.description) from exc
    headers = request.headers.getlist("dpop")
    jkt = validated.dpop_jkt
    if headers:
        proof = dpop.verify(
            ctx.db, headers, method="POST", url=url, settings=ctx.trust, now=ctx.now
        )
        if jkt is not None and jkt != proof.jkt:
            raise OAuthError("invalid_dpop_proof", "dpop_jkt does not match the DPoP proof")
        jkt = proof.jkt
    request_uri = par.push(ctx.db, validated, dpop_jkt=jkt, now=ctx.now, ttl_s=ctx.trust.par_ttl_s)
    ctx.record("trust.request_pushed", target_type="client", target_id=client.client_id)
    return JSONResponse(
        {"request_uri": request_uri, "expires_in": ctx.trust.par_ttl_s},
        status_code=201,
        headers=_NO_STORE,
    )


@clients_only.post(discovery.INTROSPECT)
def introspect(ctx: Context, client: AuthenticatedClient, form: Form) -> JSONResponse:
    """RFC 7662 §2.1."""
    body = introspection.introspect(
        ctx.db, form.get("token"), client=client, issuer=ctx.issuer, now=ctx.now
    )
    return JSONResponse(body, headers=_NO_STORE)


@clients_only.post(discovery.REVOKE)
def revoke(ctx: Context, client: AuthenticatedClient, form: Form) -> Response:
    """RFC 7009 §2.1."""
    if revocation.revoke(
        ctx.db, form.get("token"), hint=form.get("token_type_hint"), client=client, now=ctx.now
    ):
        ctx.record("trust.token_revoked", target_type="client", target_id=client.client_id)
    return Response(status_code=200, headers=_NO_STORE)


def _access_grant(
    request: Request, db: DbSession, settings: AppSettings, form: Form, url: PublicUrl
) -> tokens.Checked:
    """The grant behind the access token; sets the client as the request's Principal."""
    # No Audit dependency here: the audit context must be built after the Principal is set.
    ctx = TrustCtx(
        db=db,
        settings=settings,
        now=clock.of(request.app.state).now(),
        audit=AuditContext.system("trust"),
    )
    presented = tokens.bearer_of(request.headers.get("authorization"), form)
    checked = tokens.check_access_token(
        ctx, presented, dpop_headers=request.headers.getlist("dpop"), method=request.method, url=url
    )
    request.state.principal = Principal(kind=ActorType.CLIENT, id=checked.client.client_id)
    return checked


Bearer = Annotated[tokens.Checked, Depends(_access_grant)]


@bearer.get(discovery.USERINFO, dependencies=[Depends(_access_grant), client])
def userinfo_get(ctx: Context, checked: Bearer) -> Response:
    """OpenID Connect Core §5.3: the consented claims, as JSON or a (nested) JWT."""
    body, media_type = tokens.userinfo_response(ctx, checked.grant, checked.client)
    return Response(body, media_type=media_type, headers=_NO_STORE)


@bearer.post(discovery.USERINFO, dependencies=[Depends(_access_grant), client])
def userinfo_post(ctx: Context, checked: Bearer) -> Response:
    """§5.3.1: the same with POST (token in the Authorization header or the form body)."""
    return userinfo_get(ctx, checked)
