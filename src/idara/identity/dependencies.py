"""Dependencies of the identity routes: the login session, the flow context, the ports."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from idara.db import utcnow
from idara.identity.flows.context import Ctx
from idara.identity.flows.pki import key_store
from idara.identity.keystore import KeyStore
from idara.identity.sms import SmsSender, make_sender
from idara.sessions import service as sessions
from idara.sessions import web as session_web
from idara.sessions.models import WebSession
from idara.web.deps import AppSettings, Audit, DbSession, RateLimits
from idara.web.templating import request_lang


def login_session(request: Request, db: DbSession, settings: AppSettings) -> WebSession:
    """The browser's session, created (with its cookie) when it has none."""
    now = utcnow()
    row = sessions.find(db, token=session_web.read_token(request, settings), now=now)
    if row is None:
        if secrets.randbelow(200) == 0:  # now and then, sweep sessions nobody will resume
            sessions.purge_expired(db, now=now)
        row, token = sessions.create(db, settings=settings.session, now=now)
        session_web.set_cookie(request, token)
    else:
        sessions.touch(db, row, settings=settings.session, now=now)
    session_web.remember_principal(request, row)
    return row


LoginSession = Annotated[WebSession, Depends(login_session)]


def flow_context(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    limiter: RateLimits,
    web_session: LoginSession,  # before Audit: it tells the audit who the session is
    audit: Audit,
) -> Ctx:
    """Everything a login flow needs, for a browser (or script) with a session."""
    return Ctx(
        db=db,
        settings=settings,
        limiter=limiter,
        audit=audit,
        now=utcnow(),
        web_session=web_session,
        lang=request_lang(request),
    )


def app_context(db: DbSession, settings: AppSettings, limiter: RateLimits, audit: Audit) -> Ctx:
    """The context of a call from the mobile app (it has no browser session)."""
    return Ctx(db=db, settings=settings, limiter=limiter, audit=audit, now=utcnow())


def get_sms_sender(request: Request) -> SmsSender:
    """The application's SMS sender (built once; tests put their own in app.state)."""
    state = request.app.state
    if getattr(state, "identity_sms", None) is None:
        state.identity_sms = make_sender(state.settings)
    sender: SmsSender = state.identity_sms
    return sender


def get_key_store(request: Request) -> KeyStore:
    """The application's key store (keeps unsealed CA keys in memory once opened)."""
    state = request.app.state
    if getattr(state, "identity_key_store", None) is None:
        state.identity_key_store = key_store(state.settings)
    store: KeyStore = state.identity_key_store
    return store


FlowContext = Annotated[Ctx, Depends(flow_context)]
AppContext = Annotated[Ctx, Depends(app_context)]
Sms = Annotated[SmsSender, Depends(get_sms_sender)]
Keys = Annotated[KeyStore, Depends(get_key_store)]
