"""JSON login API (/auth/...): any front-end, script or app can use it; see the OpenAPI."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from idara.identity.dependencies import AppContext, FlowContext, LoginSession, Sms
from idara.identity.flows import app as app_flow
from idara.identity.flows import card as card_flow
from idara.identity.flows import login
from idara.identity.flows import otp as otp_flow
from idara.identity.router.common import RawBody, refuse
from idara.identity.schemas import (
    AppApproval,
    AppApprovedOut,
    AppStartOut,
    AppStatusOut,
    ChallengeOut,
    LoginOut,
    OtpSendIn,
    OtpSentOut,
    OtpVerifyIn,
    SessionOut,
    WebEidToken,
    raw_body,
)
from idara.sessions import web as session_web
from idara.web.errors import IdaraError
from idara.web.policy import public

router = APIRouter(prefix="/auth", tags=["identity"], dependencies=[public])


def _signed_in(request: Request, result: tuple[str, str], level: login.Level) -> LoginOut:
    cookie, next_url = result
    session_web.set_cookie(request, cookie)
    return LoginOut(next=next_url, level=level.value)


@router.post("/card/challenge", response_model=ChallengeOut, summary="Get a card challenge")
def card_challenge(request: Request, ctx: FlowContext) -> ChallengeOut | Response:
    """A one-time nonce (32 random bytes, 5 minutes) bound to the caller's login session."""
    try:
        challenge = card_flow.issue_challenge(ctx)
    except IdaraError as exc:
        return refuse(request, exc)
    return ChallengeOut(
        nonce=challenge.nonce, origin=ctx.settings.public_origin, expires_at=challenge.expires_at
    )


@router.post(
    "/card/token",
    response_model=LoginOut,
    summary="Sign in with a Web eID token",
    openapi_extra=raw_body(WebEidToken),
)
def card_token(
    request: Request,
    ctx: FlowContext,
    body: RawBody,
    nonce: Annotated[str | None, Query(max_length=100)] = None,
) -> LoginOut | Response:
    """Validate the token answering this session's challenge; signs the session in (high)."""
    try:
        result = card_flow.login_with_token(ctx, body, nonce=nonce)
    except IdaraError as exc:
        return refuse(request, exc)
    return _signed_in(request, result, login.Level.HIGH)


@router.post("/app/start", response_model=AppStartOut, summary="Start a mobile-app login")
def app_start(request: Request, ctx: FlowContext) -> AppStartOut | Response:
    """A code (shown as a QR code) for the mobile app to approve, valid 2 minutes."""
    try:
        started = app_flow.start(ctx)
    except IdaraError as exc:
        return refuse(request, exc)
    return AppStartOut(
        code=started.code, qr_payload=started.qr_payload, expires_at=started.expires_at
    )


@router.get("/app/status", response_model=AppStatusOut, summary="Poll a mobile-app login")
def app_status(ctx: FlowContext) -> AppStatusOut:
    """Whether the app has approved the session's code yet."""
    return AppStatusOut(status=app_flow.status(ctx))


@router.post(
    "/app/approve",
    response_model=AppApprovedOut,
    summary="Approve a login from the mobile app",
    openapi_extra=raw_body(AppApproval),
)
def app_approve(request: Request, ctx: AppContext, body: RawBody) -> AppApprovedOut | Response:
    """The app signs the scanned code with the card key (Web eID format) after the PIN."""
    try:
        app_flow.approve(ctx, body)
    except IdaraError as exc:
        return refuse(request, exc)
    return AppApprovedOut()


@router.post("/app/complete", response_model=LoginOut, summary="Finish a mobile-app login")
def app_complete(request: Request, ctx: FlowContext) -> LoginOut | Response:
    """Once approved, sign the page's session in (level substantial)."""
    try:
        result = app_flow.complete(ctx)
    except IdaraError as exc:
        return refuse(request, exc)
    return _signed_in(request, result, login.Level.SUBSTANTIAL)


@router.post("/otp/send", response_model=OtpSentOut, summary="Send a one-time code by SMS")
def otp_send(
    request: Request, ctx: FlowContext, body: OtpSendIn, sms: Sms
) -> OtpSentOut | Response:
    """The same answer whether or not the CIN exists or has a phone."""
    try:
        expires = otp_flow.send(ctx, cin=body.cin, sender=sms)
    except IdaraError as exc:
        return refuse(request, exc)
    return OtpSentOut(expires_at=expires)


@router.post("/otp/verify", response_model=LoginOut, summary="Sign in with the SMS code")
def otp_verify(request: Request, ctx: FlowContext, body: OtpVerifyIn) -> LoginOut | Response:
    """Check the code (three tries); signs the session in (level low)."""
    try:
        result = otp_flow.verify(ctx, code=body.code)
    except IdaraError as exc:
        return refuse(request, exc)
    return _signed_in(request, result, login.Level.LOW)


@router.get("/session", response_model=SessionOut, summary="The caller's login session")
def session_info(ctx: FlowContext) -> SessionOut:
    """Whether the session is signed in, at which level and how (no personal data)."""
    auth = login.authentication(ctx.web_session, now=ctx.now)
    if auth is None:
        return SessionOut(authenticated=False)
    return SessionOut(
        authenticated=True, level=auth.level.value, amr=list(auth.amr), auth_time=auth.auth_time
    )


@router.post("/logout", status_code=204, summary="Sign out")
def logout(request: Request, web_session: LoginSession, ctx: FlowContext) -> Response:
    """End the session at the provider and delete its cookie."""
    login.logout(ctx.db, web_session)
    session_web.clear_cookie(request)
    return Response(status_code=204)
