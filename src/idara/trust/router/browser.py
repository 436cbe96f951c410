"""Browser endpoints: authorization, its continuation after login, consent, logout."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.background import BackgroundTask
from starlette.responses import RedirectResponse, Response

from idara.identity.dependencies import LoginSession
from idara.sessions import service as sessions
from idara.sessions import web as session_web
from idara.trust import backchannel, claims, discovery
from idara.trust.dependencies import Context, PageForm
from idara.trust.flows import authorize, logout
from idara.trust.router.common import outcome_response
from idara.web.pages import PageLang
from idara.web.policy import citizen, public
from idara.web.templating import render

router = APIRouter(dependencies=[public], include_in_schema=False)
consent_pages = APIRouter(dependencies=[citizen], include_in_schema=False)


@router.get(discovery.AUTHORIZE)
def authorization(request: Request, ctx: Context, web_session: LoginSession) -> Response:
    """The authorization endpoint (OpenID Connect Core §3.1.2), GET with query parameters."""
    params = dict(request.query_params.items())
    if len(request.query_params.multi_items()) != len(params):
        # RFC 6749 §3.1: parameters must not repeat; the redirect URI cannot be trusted then.
        return outcome_response(request, authorize.Page("trust_redirect_uri_unregistered"))
    return outcome_response(request, authorize.start(ctx, params, web_session))


@router.get("/oidc/authorize/continue/{handle}")
def continuation(
    request: Request, handle: str, ctx: Context, web_session: LoginSession
) -> Response:
    """Where the login sends the citizen back."""
    return outcome_response(request, authorize.resume(ctx, handle, web_session))


@consent_pages.get("/{lang}/oidc/consent/{handle}")
def consent_page(
    request: Request, lang: PageLang, handle: str, ctx: Context, web_session: LoginSession
) -> Response:
    """The consent screen: the administration, its purpose and legal basis, each claim."""
    found = authorize.consent_view(ctx, handle, web_session)
    if isinstance(found, authorize.Page):
        return outcome_response(request, found)
    client, validated, names = found
    essential = validated.claims_request().essential()
    rows = [
        {"name": name, "label": label, "essential": name in essential}
        for name, label in claims.labels(names)
    ]
    arabic = lang == "ar"
    return render(
        request,
        "trust/consent.html",
        {
            "handle": handle,
            "service": client.name_ar if arabic else client.name_fr,
            "organisation": client.organisation_ar if arabic else client.organisation_fr,
            "purpose": client.purpose_ar if arabic else client.purpose_fr,
            "legal_basis": client.legal_basis_ar if arabic else client.legal_basis_fr,
            "claims": rows,
            "sensitive": [r for r in rows if r["name"] in claims.SENSITIVE],
            "days": ctx.trust.consent_ttl_days,
        },
        headers={"Cache-Control": "no-store"},
    )


@consent_pages.post("/{lang}/oidc/consent/{handle}")
def consent_decision(
    request: Request,
    lang: PageLang,
    handle: str,
    ctx: Context,
    web_session: LoginSession,
    form: PageForm,
) -> Response:
    """The citizen's answer on the consent screen."""
    approve = form.get("decision") == "approve"
    return outcome_response(request, authorize.decide(ctx, handle, web_session, approve=approve))


def _signed_out(request: Request, done: logout.Done, ctx_origin: str, timeout_s: float) -> Response:
    task = None
    if done.deliveries:
        task = BackgroundTask(
            backchannel.deliver,
            request.app,
            done.deliveries,
            own_origin=ctx_origin,
            timeout_s=timeout_s,
        )
    session_web.clear_cookie(request)
    if done.redirect:
        return RedirectResponse(
            done.redirect, status_code=303 if request.method == "POST" else 302, background=task
        )
    response = render(request, "trust/signed_out.html", {})
    response.background = task
    return response


@router.get(discovery.LOGOUT)
def end_session(request: Request, ctx: Context, web_session: LoginSession) -> Response:
    """RP-Initiated Logout 1.0 §2: check the request, confirm if needed, sign out."""
    params = dict(request.query_params.items())
    plan = logout.plan(ctx, params, web_session)
    if plan.refused:
        return outcome_response(request, authorize.Page("trust_logout_refused"))
    if plan.confirm:
        sessions.set_data(ctx.db, web_session, logout_redirect=plan.redirect)
        return render(
            request,
            "trust/logout.html",
            {"client_name": plan.client_name},
            headers={"Cache-Control": "no-store"},
        )
    done = logout.end_session(ctx, web_session, redirect=plan.redirect)
    return _signed_out(request, done, ctx.issuer, ctx.trust.backchannel_timeout_s)


@consent_pages.post("/{lang}/oidc/logout")
def confirm_logout(
    request: Request, lang: PageLang, ctx: Context, web_session: LoginSession, form: PageForm
) -> Response:
    """The citizen confirmed the sign-out on the page `end_session` showed."""
    # The redirect was checked and kept server-side when the page was shown: the form's
    # fields are not trusted with where to send the citizen.
    redirect = web_session.data.get("logout_redirect") if form.get("confirm") == "yes" else None
    done = logout.end_session(ctx, web_session, redirect=redirect or None)
    return _signed_out(request, done, ctx.issuer, ctx.trust.backchannel_timeout_s)
