"""Login pages in French and Arabic (/{lang}/auth/...): choose a method, card, app, code.

Pages work without JavaScript; the mobile-app page adds one small static script that
polls the JSON status and continues on its own. A failed attempt re-renders the page with
a translated message (and the stable error code), committing only the audit trail.
"""

from __future__ import annotations

from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from idara.i18n import translate
from idara.identity import card_crypto
from idara.identity.dependencies import FlowContext, LoginSession, Sms
from idara.identity.flows import app as app_flow
from idara.identity.flows import card as card_flow
from idara.identity.flows import login
from idara.identity.flows import otp as otp_flow
from idara.identity.flows.context import Ctx
from idara.identity.service import persons
from idara.identity.sms import OutboxSmsSender
from idara.sessions import service as sessions
from idara.sessions import web as session_web
from idara.web.errors import ERRORS, IdaraError
from idara.web.pages import PageLang
from idara.web.policy import citizen, public
from idara.web.templating import render

router = APIRouter(prefix="/{lang}/auth", include_in_schema=False, dependencies=[public])
account = APIRouter(prefix="/{lang}/auth", include_in_schema=False, dependencies=[citizen])


def _error(lang: str, exc: IdaraError) -> dict[str, str]:
    spec = ERRORS[exc.code]
    return {
        "code": exc.code,
        "title": translate(lang, spec.title),
        "message": translate(lang, spec.message, **exc.params),
    }


def _page(request: Request, ctx: Ctx, template: str, status: int = 200, **context: Any) -> Response:
    pending = login.pending_login(ctx.session, ctx.lang)
    context.setdefault("methods", [m.value for m in pending.methods])
    return render(request, f"identity/{template}", context, status_code=status)


def _continue(request: Request, result: tuple[str, str]) -> Response:
    cookie, next_url = result
    session_web.set_cookie(request, cookie)
    return RedirectResponse(next_url, status_code=303)


@router.get("/login")
def login_page(
    request: Request, lang: PageLang, ctx: FlowContext, next: str | None = None, acr: str = ""
) -> Response:
    """Choose how to sign in; `next` and `acr` start a login for a link or a service."""
    if next is not None or acr:
        login.begin_login(ctx.db, ctx.session, next_url=next, acr_values=acr.split(), lang=lang)
    return _page(request, ctx, "login.html")


def _card_page(request: Request, ctx: Ctx, error: IdaraError | None = None) -> Response:
    try:
        challenge = card_flow.issue_challenge(ctx)
    except IdaraError as exc:
        return _page(request, ctx, "card.html", exc.status, error=_error(ctx.lang, exc))
    return _page(
        request,
        ctx,
        "card.html",
        error.status if error else 200,
        error=_error(ctx.lang, error) if error else None,
        nonce=challenge.nonce,
        origin=ctx.settings.public_origin,
        ttl_minutes=ctx.settings.identity.challenge_ttl_s // 60,
    )


@router.get("/card")
def card_page(request: Request, lang: PageLang, ctx: FlowContext) -> Response:
    """Sign in with the card: the demo's virtual reader, or a token from `idara card sign`."""
    return _card_page(request, ctx)


@router.post("/card/reader")
async def card_reader(
    request: Request,
    lang: PageLang,
    ctx: FlowContext,
    card_file: UploadFile,
    pin: Annotated[str, Form(max_length=16)],
) -> Response:
    """The virtual reader (demo): the card file and PIN go to the server, which plays the card."""
    content = await card_file.read(card_crypto.MAX_FILE_BYTES + 1)
    try:
        return _continue(request, card_flow.login_with_card_file(ctx, content, pin))
    except IdaraError as exc:
        return _card_page(request, ctx, exc)


@router.post("/card/token")
def card_token_form(
    request: Request,
    lang: PageLang,
    ctx: FlowContext,
    token: Annotated[str, Form(max_length=20_000)],
) -> Response:
    """A Web eID token pasted from `idara card sign` (or any Web eID software)."""
    try:
        return _continue(request, card_flow.login_with_token(ctx, token.encode()))
    except IdaraError as exc:
        return _card_page(request, ctx, exc)


def _qr_data_uri(payload: str) -> str:
    qr = segno.make(payload, error="m")
    uri: str = qr.svg_data_uri(scale=5, dark="#1b1b1b", light="#ffffff", border=2)
    return uri


def _app_page(request: Request, ctx: Ctx, error: IdaraError | None = None) -> Response:
    code = ctx.session.data.get("app_code")
    state = app_flow.status(ctx)
    if not isinstance(code, str) or state in ("none", "expired", "consumed"):
        try:
            started = app_flow.start(ctx)
        except IdaraError as exc:
            return _page(request, ctx, "app.html", exc.status, error=_error(ctx.lang, exc))
        code = started.code
        sessions.set_data(ctx.db, ctx.session, app_code=code)
    payload = app_flow.qr_payload(ctx.settings.public_origin, code)
    return _page(
        request,
        ctx,
        "app.html",
        error.status if error else 200,
        error=_error(ctx.lang, error) if error else None,
        code=code,
        qr=_qr_data_uri(payload),
        origin=ctx.settings.public_origin,
    )


@router.get("/app")
def app_page(request: Request, lang: PageLang, ctx: FlowContext) -> Response:
    """The QR code for the mobile app; the page continues by itself once approved."""
    return _app_page(request, ctx)


@router.post("/app/complete")
def app_complete(request: Request, lang: PageLang, ctx: FlowContext) -> Response:
    """Continue after approving in the app (the script submits this; so can a person)."""
    try:
        result = app_flow.complete(ctx)
    except IdaraError as exc:
        if exc.code == "app_code_expired":
            sessions.set_data(ctx.db, ctx.session, app_code=None)
        return _app_page(request, ctx, exc)
    sessions.set_data(ctx.db, ctx.session, app_code=None)
    return _continue(request, result)


@router.get("/otp")
def otp_page(request: Request, lang: PageLang, ctx: FlowContext) -> Response:
    """Ask for a one-time code by SMS."""
    return _page(request, ctx, "otp.html", step="cin")


@router.post("/otp/send")
def otp_send(
    request: Request,
    lang: PageLang,
    ctx: FlowContext,
    sms: Sms,
    cin: Annotated[str, Form(max_length=20)],
) -> Response:
    """Send the code (or pretend to, for an unknown CIN) and ask for it."""
    try:
        otp_flow.send(ctx, cin=cin, sender=sms)
    except IdaraError as exc:
        return _page(request, ctx, "otp.html", exc.status, step="cin", error=_error(lang, exc))
    return _page(request, ctx, "otp.html", step="code", outbox=isinstance(sms, OutboxSmsSender))


@router.post("/otp/verify")
def otp_verify(
    request: Request, lang: PageLang, ctx: FlowContext, code: Annotated[str, Form(max_length=12)]
) -> Response:
    """Check the code and continue."""
    try:
        return _continue(request, otp_flow.verify(ctx, code=code))
    except IdaraError as exc:
        step = "cin" if exc.code == "otp_missing" else "code"
        return _page(request, ctx, "otp.html", exc.status, step=step, error=_error(lang, exc))


@router.get("/outbox")
def sms_outbox(request: Request, lang: PageLang, ctx: FlowContext, sms: Sms) -> Response:
    """The development SMS outbox (only with the outbox stand-in, i.e. in development)."""
    if not isinstance(sms, OutboxSmsSender) or not ctx.settings.is_development:
        raise IdaraError("not_found")
    return _page(request, ctx, "outbox.html", messages=sms.messages())


@account.get("/session")
def session_page(
    request: Request, lang: PageLang, web_session: LoginSession, ctx: FlowContext
) -> Response:
    """Who is signed in, how, and a button to sign out."""
    auth = login.authentication(web_session, now=ctx.now)
    person = persons.get_by_public_id(ctx.db, public_id=auth.person_id) if auth else None
    if auth is None or person is None:
        raise IdaraError("unauthorized")
    return render(request, "identity/session.html", {"auth": auth, "person": person})


@account.post("/logout")
def logout(
    request: Request, lang: PageLang, web_session: LoginSession, ctx: FlowContext
) -> Response:
    """Sign out and go back to the home page."""
    login.logout(ctx.db, web_session)
    session_web.clear_cookie(request)
    return RedirectResponse(f"/{lang}/", status_code=303)
