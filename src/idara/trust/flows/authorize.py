"""The authorization endpoint's work (OpenID Connect Core §3.1.2): validate, sign in, consent, code.

start → (login at identity, via its seam) → resume → (consent page) → decide → code.
Each step re-reads the pending request, bound to the browser session that started it, so a
link to someone else's consent page is worthless. `prompt`, `max_age` and `id_token_hint`
follow Core §3.1.2.1 and §3.1.2.3; `acr_values` choose the login methods (issue 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from idara.identity.flows import login
from idara.identity.models import Person
from idara.identity.service import persons
from idara.sessions.models import WebSession
from idara.trust import (
    authz_request,
    claims,
    clients,
    consent,
    grants,
    id_token,
    iss,
    pairwise,
    par,
)
from idara.trust.authz_request import Validated
from idara.trust.exceptions import AuthorizationError
from idara.trust.flows.context import TrustCtx
from idara.trust.models import AuthorizationRequest, Client


@dataclass(frozen=True, slots=True)
class Go:
    """Send the browser to this URL."""

    url: str


@dataclass(frozen=True, slots=True)
class Page:
    """Show this error page (the redirect URI cannot be trusted, or the request is gone)."""

    code: str


Outcome_ = Go | Page


def continue_path(handle: str) -> str:
    """Where the login sends the browser back to."""
    return f"/oidc/authorize/continue/{handle}"


def consent_path(lang: str, handle: str) -> str:
    """The consent page of a pending request."""
    return f"/{lang}/oidc/consent/{handle}"


def _error(ctx: TrustCtx, redirect_uri: str, error: str, description: str, state: str | None) -> Go:
    return Go(
        iss.error_url(
            redirect_uri, error=error, description=description, state=state, issuer=ctx.issuer
        )
    )


def _client(ctx: TrustCtx, client_id: str | None) -> Client | Page:
    client = clients.get(ctx.db, client_id=client_id or "")
    if client is None:
        return Page("trust_unknown_client")
    if client.status != clients.ACTIVE:
        return Page("trust_client_suspended")
    return client


def start(ctx: TrustCtx, params: Mapping[str, str], web_session: WebSession) -> Outcome_:
    """Handle a request at the authorization endpoint."""
    client = _client(ctx, params.get("client_id"))
    if isinstance(client, Page):
        return client
    request_uri = params.get("request_uri")
    pushed_handle = None
    if request_uri is not None:
        if not request_uri.startswith(par.URN_PREFIX):
            redirect = authz_request.redirect_uri_of(client, params)
            if redirect is None:
                return Page("trust_request_uri_invalid")
            return _error(
                ctx,
                redirect,
                "request_uri_not_supported",
                "only PAR request_uri values",
                params.get("state"),
            )
        row = par.pushed(ctx.db, request_uri=request_uri, client_id=client.client_id, now=ctx.now)
        if row is None:
            return Page("trust_request_uri_invalid")
        request = Validated.from_json(row.params)
        dpop_jkt, pushed_handle = row.dpop_jkt, row.handle
    else:
        if not params.get("redirect_uri"):
            return Page("trust_redirect_uri_missing")
        redirect = authz_request.redirect_uri_of(client, params)
        if redirect is None:
            return Page("trust_redirect_uri_unregistered")
        try:
            request = authz_request.validate(client, redirect, params, pushed=False)
        except AuthorizationError as exc:
            return _error(ctx, redirect, exc.error, exc.description, params.get("state"))
        dpop_jkt = request.dpop_jkt
    pending = par.begin(
        ctx.db,
        request,
        dpop_jkt=dpop_jkt,
        pushed_handle=pushed_handle,
        session_sid=web_session.sid,
        now=ctx.now,
        ttl_s=ctx.trust.authorization_ttl_s,
    )
    return _proceed(ctx, client, pending, request, web_session)


def _pending(
    ctx: TrustCtx, handle: str, web_session: WebSession
) -> tuple[AuthorizationRequest, Validated, Client] | Page:
    row = par.pending(ctx.db, handle=handle, now=ctx.now)
    if row is None or row.session_sid != web_session.sid:
        return Page("trust_authorization_expired")
    client = _client(ctx, row.client_id)
    if isinstance(client, Page):
        return client
    return row, Validated.from_json(row.params), client


def resume(ctx: TrustCtx, handle: str, web_session: WebSession) -> Outcome_:
    """Back from the login page: check the login again and carry on."""
    found = _pending(ctx, handle, web_session)
    if isinstance(found, Page):
        return found
    row, request, client = found
    return _proceed(ctx, client, row, request, web_session)


def _authentication(
    ctx: TrustCtx, row: AuthorizationRequest, request: Validated, web_session: WebSession
) -> login.Authentication | None:
    level = login.Level(request.acr)
    auth = login.authentication(web_session, now=ctx.now, min_level=level)
    if auth is None:
        return None
    fresh = auth.auth_time >= row.created_at  # signed in during this very request
    if "login" in request.prompt and not fresh:
        return None  # §3.1.2.1: prompt=login re-authenticates even a signed-in citizen
    too_old = request.max_age is not None and ctx.now - auth.auth_time > timedelta(
        seconds=request.max_age
    )
    if too_old and not fresh:
        return None
    if request.id_token_hint:
        hinted = id_token.verify_hint(ctx.db, request.id_token_hint, issuer=ctx.issuer, now=ctx.now)
        person = persons.get_by_public_id(ctx.db, public_id=auth.person_id)
        client = clients.get(ctx.db, client_id=request.client_id)
        if hinted is None or person is None or client is None:
            return None
        if hinted["sub"] != pairwise.subject(client, person.public_id, ctx.trust):
            return None  # §3.1.2.2: the hinted citizen is not the one signed in
    return auth


def _proceed(
    ctx: TrustCtx,
    client: Client,
    row: AuthorizationRequest,
    request: Validated,
    web_session: WebSession,
) -> Outcome_:
    auth = _authentication(ctx, row, request, web_session)
    if auth is None:
        if "none" in request.prompt:
            par.consume(ctx.db, row, now=ctx.now)
            return _error(
                ctx,
                request.redirect_uri,
                "login_required",
                "the citizen must sign in",
                request.state,
            )
        lang = request.ui_locale or ctx.lang
        return Go(
            login.begin_login(
                ctx.db,
                web_session,
                next_url=continue_path(row.handle),
                acr_values=[request.acr],
                lang=lang,
            )
        )
    person = persons.get_by_public_id(ctx.db, public_id=auth.person_id)
    if person is None:
        par.consume(ctx.db, row, now=ctx.now)
        return _error(ctx, request.redirect_uri, "access_denied", "unknown person", request.state)
    names = released_claims(client, request)
    remembered = consent.active(
        ctx.db, person_id=person.id, client_id=client.client_id, now=ctx.now
    )
    if "consent" in request.prompt or not consent.covers(remembered, names):
        if "none" in request.prompt:
            par.consume(ctx.db, row, now=ctx.now)
            return _error(
                ctx, request.redirect_uri, "consent_required", "consent is needed", request.state
            )
        return Go(consent_path(request.ui_locale or ctx.lang, row.handle))
    assert remembered is not None
    return _issue(ctx, client, row, request, auth, person, remembered.reference, names)


def released_claims(client: Client, request: Validated) -> list[str]:
    """The claims this request would release: asked for, in the client's scopes, lawful."""
    asked = claims.requested(request.scope, request.claims_request())
    return claims.releasable(asked, client_scopes=client.scopes, allowed=client.allowed_claims)


def consent_view(
    ctx: TrustCtx, handle: str, web_session: WebSession
) -> tuple[Client, Validated, list[str]] | Page:
    """What the consent page shows: the client, the request, the claims."""
    found = _pending(ctx, handle, web_session)
    if isinstance(found, Page):
        return found
    _row, request, client = found
    if login.authentication(web_session, now=ctx.now, min_level=login.Level(request.acr)) is None:
        return Page("trust_authorization_expired")
    return client, request, released_claims(client, request)


def decide(ctx: TrustCtx, handle: str, web_session: WebSession, *, approve: bool) -> Outcome_:
    """The citizen approved or refused on the consent page."""
    found = _pending(ctx, handle, web_session)
    if isinstance(found, Page):
        return found
    row, request, client = found
    auth = login.authentication(web_session, now=ctx.now, min_level=login.Level(request.acr))
    if auth is None:
        return Page("trust_authorization_expired")
    person = persons.get_by_public_id(ctx.db, public_id=auth.person_id)
    if person is None:
        return Page("trust_authorization_expired")
    if not approve:
        par.consume(ctx.db, row, now=ctx.now)
        ctx.record("trust.consent_refused", target_type="client", target_id=client.client_id)
        return _error(
            ctx, request.redirect_uri, "access_denied", "the citizen refused", request.state
        )
    names = released_claims(client, request)
    given = consent.grant(
        ctx.db,
        person_id=person.id,
        client_id=client.client_id,
        claims=names,
        now=ctx.now,
        ttl_days=ctx.trust.consent_ttl_days,
    )
    ctx.record(
        "trust.consent_given",
        target_type="client",
        target_id=client.client_id,
        details={"claims": names, "consent": given.reference},
    )
    return _issue(ctx, client, row, request, auth, person, given.reference, names)


def _issue(
    ctx: TrustCtx,
    client: Client,
    row: AuthorizationRequest,
    request: Validated,
    auth: login.Authentication,
    person: Person,
    consent_reference: str,
    names: list[str],
) -> Go:
    id_token_names = [n for n in request.claims_request().id_token if n in names]
    grant = grants.new_grant(
        ctx.db,
        client_id=client.client_id,
        person_id=person.id,
        sub=pairwise.subject(client, person.public_id, ctx.trust),
        scope=request.scope,
        claims={"userinfo": names, "id_token": id_token_names, "consent": consent_reference},
        now=ctx.now,
        acr=auth.level.value,
        amr=list(auth.amr),
        auth_time=auth.auth_time,
        sid=auth.sid,
        nonce=request.nonce,
        redirect_uri=request.redirect_uri,
        code_challenge=request.code_challenge,
        dpop_jkt=row.dpop_jkt,
    )
    code = grants.attach_code(ctx.db, grant, now=ctx.now, ttl_s=ctx.trust.code_ttl_s)
    par.consume(ctx.db, row, now=ctx.now)
    ctx.record(
        "trust.authorized",
        target_type="client",
        target_id=client.client_id,
        details={"grant": grant.grant_id, "acr": auth.level.value, "scope": request.scope},
    )
    return Go(
        iss.response_url(
            request.redirect_uri, {"code": code, "state": request.state}, issuer=ctx.issuer
        )
    )
