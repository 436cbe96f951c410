"""The citizen's space (/{lang}/me/...), signed in through the trust service as a relying party.

Sign-in is the real code flow (see oidc_rp): /{lang}/me/login starts it, /me/callback
finishes it and opens the portal's own session. The pages show the citizen's sign-ins at
relying parties, what was shared with whom, and their consents, each with a revoke button.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from idara import db as database
from idara.identity.models import Person
from idara.identity.service import persons
from idara.portal import auth, oidc_rp, rp_setup
from idara.sessions import service as sessions
from idara.sessions.models import WebSession
from idara.settings import Settings
from idara.trust import claims, clients, consent, grants, loa
from idara.trust.clock import SYSTEM
from idara.web.deps import AppSettings, DbSession
from idara.web.errors import N_, IdaraError, Redirect, error_response
from idara.web.pages import PageLang, local_path
from idara.web.policy import citizen, public
from idara.web.templating import render

entry = APIRouter(dependencies=[public], include_in_schema=False)
space = APIRouter(dependencies=[citizen], include_in_schema=False)


def _portal(request: Request, settings: Settings) -> rp_setup.PortalClient:
    state = request.app.state
    found: rp_setup.PortalClient | None = getattr(state, "portal_client", None)
    if found is None:
        with database.transaction(state.session_factory) as db:
            found = rp_setup.ensure_registered(db, settings)
        state.portal_client = found
    return found


def _set_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        auth.cookie_name(settings),
        token,
        httponly=True,
        secure=settings.https,
        samesite="lax",
        path="/",
    )


@entry.get("/{lang}/me/login")
def login(
    request: Request,
    lang: PageLang,
    settings: AppSettings,
    db: DbSession,
    next: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """Start the code flow at the trust service; come back to `next` (a local page) after."""
    portal = _portal(request, settings)
    begun = oidc_rp.begin(
        issuer=portal.issuer,
        client_id=portal.client_id,
        redirect_uri=portal.redirect_uri,
        lang=lang,
    )
    row, token = sessions.create(db, settings=settings.session, now=SYSTEM.now())
    pending = {
        "state": begun.state,
        "nonce": begun.nonce,
        "verifier": begun.verifier,
        "lang": lang,
        "next": local_path(next) or f"/{lang}/me/",
    }
    sessions.set_data(db, row, portal_login=pending)
    response = RedirectResponse(begun.url, status_code=302, headers={"Cache-Control": "no-store"})
    _set_cookie(response, settings, token)
    return response


@entry.get(rp_setup.CALLBACK)
def callback(request: Request, settings: AppSettings) -> Response:
    """The authorization response: check state, exchange the code, validate the ID token."""
    portal = _portal(request, settings)
    factory = request.app.state.session_factory
    token = auth.read_token(request, settings)
    # Short transactions around the in-process calls: the token endpoint writes meanwhile.
    with database.transaction(factory) as db:
        row = sessions.find(db, token=token, now=SYSTEM.now())
        pending: dict[str, Any] = dict(row.data.get("portal_login") or {}) if row else {}
    lang = pending.get("lang", "fr")
    state = request.query_params.get("state", "")
    if not pending or not secrets.compare_digest(state, pending.get("state", "")):
        return error_response(request, "trust_portal_login_failed")
    if request.query_params.get("iss") != portal.issuer:
        return error_response(request, "trust_portal_login_failed")  # RFC 9207 §2.4
    code = request.query_params.get("code")
    if not code:
        return RedirectResponse(f"/{lang}/", status_code=303)  # refused or cancelled
    try:
        tokens = oidc_rp.exchange(
            request.app,
            portal.key,
            issuer=portal.issuer,
            client_id=portal.client_id,
            redirect_uri=portal.redirect_uri,
            code=code,
            verifier=pending["verifier"],
        )
        jwks = oidc_rp.call(request.app, portal.issuer, "GET", "/oidc/jwks").json()
        id_claims = oidc_rp.validate_id_token(
            str(tokens.get("id_token", "")),
            jwks,
            issuer=portal.issuer,
            client_id=portal.client_id,
            nonce=pending["nonce"],
        )
        info = oidc_rp.userinfo(request.app, portal.issuer, str(tokens.get("access_token", "")))
    except oidc_rp.LoginError:
        return error_response(request, "trust_portal_login_failed")
    if info.get("sub") != id_claims["sub"]:
        return error_response(request, "trust_portal_login_failed")  # Core §5.3.2
    level = loa.level_of(id_claims.get("acr"))
    with database.transaction(factory) as db:
        row = sessions.find(db, token=token, now=SYSTEM.now())
        if row is None:
            return error_response(request, "trust_portal_login_failed")
        new_token = sessions.sign_in(
            db,
            row,
            settings=settings.session,
            subject_type="citizen",
            subject_id=str(id_claims["sub"]),
            acr=level.value if level else "low",
            amr=list(id_claims.get("amr", [])),
            now=SYSTEM.now(),
        )
        sessions.set_data(
            db,
            row,
            portal_login=None,
            portal=True,
            op_sid=id_claims.get("sid"),
            id_token=tokens.get("id_token"),
            name=info.get("name#ar") if lang == "ar" else info.get("name"),
        )
    back = local_path(pending.get("next")) or f"/{lang}/me/"
    response = RedirectResponse(back, status_code=303)
    _set_cookie(response, settings, new_token)
    return response


def portal_session(request: Request, settings: AppSettings, db: DbSession) -> WebSession:
    """The portal's signed-in session; without one the citizen is sent to sign in."""
    row = sessions.find(db, token=auth.read_token(request, settings), now=SYSTEM.now())
    if row is None or row.subject_id is None or not row.data.get(auth.MARK):
        lang = request.path_params.get("lang", "fr")
        raise Redirect(f"/{lang}/me/login", status=303)
    return row


PortalSession = Annotated[WebSession, Depends(portal_session)]


def _person(db: DbSession, row: WebSession) -> Person:
    person = persons.get_by_public_id(db, public_id=row.subject_id or "")
    if person is None:
        raise IdaraError("forbidden")
    return person


CHANNELS = {
    "id_token": N_("Sent at sign-in (ID token)"),
    "userinfo": N_("Sent on the service's request (userinfo)"),
    "verification": N_("Checked by an identity verification"),
}
LEVELS = {"low": N_("low"), "substantial": N_("substantial"), "high": N_("high")}


def _page(request: Request, template: str, **context: Any) -> Response:
    context.update(labels=claims.LABELS, channels=CHANNELS, levels=LEVELS)
    return render(request, template, context, headers={"Cache-Control": "no-store"})


def _names(db: DbSession, lang: str) -> dict[str, str]:
    return {
        c.client_id: (c.name_ar if lang == "ar" else c.name_fr) for c in clients.list_clients(db)
    }


@space.get("/{lang}/me/")
def overview(request: Request, lang: PageLang, db: DbSession, row: PortalSession) -> Response:
    """The citizen's space: their sign-ins at relying parties."""
    person = _person(db, row)
    names = _names(db, lang)
    logins = [
        {
            "service": names.get(g.client_id, g.client_id),
            "at": g.created_at,
            "level": g.acr or "",
            "active": g.revoked_at is None,
        }
        for g in grants.grants_of(db, person_id=person.id, limit=30)
        if g.person_id is not None
    ]
    return _page(request, "portal/me.html", logins=logins, tab="logins", name=row.data.get("name"))


@space.get("/{lang}/me/shared")
def shared(request: Request, lang: PageLang, db: DbSession, row: PortalSession) -> Response:
    """What was shared about the citizen, with whom and when (claim names, never values)."""
    person = _person(db, row)
    names = _names(db, lang)
    releases = [
        {
            "service": names.get(r.client_id, r.client_id),
            "at": r.released_at,
            "channel": r.channel,
            "claims": claims.in_order(r.claims),
        }
        for r in consent.releases_of(db, person_id=person.id)
    ]
    return _page(request, "portal/me_shared.html", releases=releases, tab="shared")


@space.get("/{lang}/me/consents")
def consents(request: Request, lang: PageLang, db: DbSession, row: PortalSession) -> Response:
    """The citizen's live consents, each with a button to withdraw it."""
    person = _person(db, row)
    names = _names(db, lang)
    items = [
        {
            "service": names.get(c.client_id, c.client_id),
            "reference": c.reference,
            "claims": claims.in_order(c.claims),
            "granted_at": c.granted_at,
            "expires_at": c.expires_at,
        }
        for c in consent.of_person(db, person_id=person.id, now=SYSTEM.now())
    ]
    return _page(request, "portal/me_consents.html", consents=items, tab="consents")


@space.post("/{lang}/me/consents/{reference}/revoke")
def revoke_consent(lang: PageLang, reference: str, db: DbSession, row: PortalSession) -> Response:
    """Withdraw a consent: the next sign-in at that service asks again."""
    person = _person(db, row)
    found = consent.by_reference(db, reference=reference)
    if found is None or found.person_id != person.id:
        raise IdaraError("trust_consent_unknown")
    consent.revoke(db, found, now=SYSTEM.now())
    return RedirectResponse(f"/{lang}/me/consents", status_code=303)


@space.post("/{lang}/me/logout")
def logout(
    request: Request, lang: PageLang, settings: AppSettings, db: DbSession, row: PortalSession
) -> Response:
    """End the portal session, then ask the provider to end its own (RP-Initiated Logout)."""
    hint = row.data.get("id_token")
    sessions.end(db, row)
    params = {"post_logout_redirect_uri": f"{settings.public_origin}/{lang}/"}
    if isinstance(hint, str):
        params["id_token_hint"] = hint
    response = RedirectResponse(f"/oidc/logout?{urlencode(params)}", status_code=303)
    response.delete_cookie(
        auth.cookie_name(settings), path="/", secure=settings.https, httponly=True
    )
    return response
