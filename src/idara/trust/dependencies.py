"""Dependencies of the trust routes: the flow context, form parameters, client authentication.

`authenticated_client` runs before the `client` access policy on the token, PAR,
introspection and revocation endpoints: it authenticates the client from the form
(RFC 7523 / RFC 6749 §2.3) and leaves the Principal where the policy looks for it, so the
policy then only confirms that a client is speaking.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from idara.audit.schemas import ActorType
from idara.trust import client_auth, clock, discovery
from idara.trust.exceptions import OAuthError
from idara.trust.flows.context import TrustCtx
from idara.trust.models import Client
from idara.web.deps import AppSettings, Audit, DbSession
from idara.web.policy import Principal
from idara.web.templating import request_lang

FORM_TYPE = "application/x-www-form-urlencoded"


def trust_context(request: Request, db: DbSession, settings: AppSettings, audit: Audit) -> TrustCtx:
    """The flow context of this request (the trust clock may be a test's)."""
    return TrustCtx(
        db=db,
        settings=settings,
        now=clock.of(request.app.state).now(),
        audit=audit,
        lang=request_lang(request),
    )


async def form_params(request: Request) -> dict[str, str]:
    """The form body as single values; a repeated parameter is an error (RFC 6749 §3.1)."""
    if request.method != "POST":
        return {}
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type and request.headers.get("content-length", "0") == "0":
        return {}  # a POST without a body (userinfo with the token in the header)
    if content_type != FORM_TYPE:
        raise OAuthError("invalid_request", f"the body must be {FORM_TYPE}")
    try:
        form = await request.form()
    except Exception as exc:  # a malformed body is the client's fault, never a 500
        raise OAuthError("invalid_request", "malformed form body") from exc
    values: dict[str, str] = {}
    for name, value in form.multi_items():
        if not isinstance(value, str):
            raise OAuthError("invalid_request", "file uploads are not accepted")
        if name in values:
            raise OAuthError("invalid_request", f"parameter {name} repeated")
        values[name] = value
    return values


Form = Annotated[dict[str, str], Depends(form_params)]


async def page_form(request: Request) -> dict[str, str]:
    """A browser form's text fields (the access policy has already checked its CSRF token)."""
    form = await request.form()
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


PageForm = Annotated[dict[str, str], Depends(page_form)]


def public_url(request: Request, settings: AppSettings) -> str:
    """This endpoint's URL as clients know it (for DPoP `htu` and assertion audiences)."""
    return settings.public_origin + request.url.path


def authenticated_client(
    request: Request, db: DbSession, settings: AppSettings, form: Form
) -> Client:
    """The client that authenticated this request; sets the request's Principal."""
    issuer = settings.public_origin
    audience = client_auth.Audience(
        issuer=issuer,
        endpoints=(issuer + discovery.TOKEN, public_url(request, settings)),
    )
    client = client_auth.authenticate(
        db,
        form,
        authorization=request.headers.get("authorization"),
        audience=audience,
        settings=settings.trust,
        now=clock.of(request.app.state).now(),
    )
    request.state.principal = Principal(kind=ActorType.CLIENT, id=client.client_id)
    return client


Context = Annotated[TrustCtx, Depends(trust_context)]
AuthenticatedClient = Annotated[Client, Depends(authenticated_client)]
PublicUrl = Annotated[str, Depends(public_url)]
