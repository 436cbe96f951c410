"""The session cookie: its name and attributes, setting it from any response, authentication.

The cookie is `__Host-idara_session` over HTTPS (no Domain, Path=/, Secure: a sibling
subdomain cannot plant or read it), HttpOnly and SameSite=Lax. Routes ask for a cookie to
be set with `set_cookie(request, value)`; the middleware adds it to whatever response goes
out, error pages included, so a rotation is never lost.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from idara.audit.schemas import ActorType
from idara.db import utcnow
from idara.sessions import service
from idara.sessions.models import WebSession
from idara.settings import Settings
from idara.web.policy import Principal

_STATE_KEY = "idara_session_cookie"
_DELETE = ""


def cookie_name(settings: Settings) -> str:
    """__Host- cookies cannot be set by subdomains or over plain HTTP, so use it when we can."""
    return "__Host-idara_session" if settings.https else "idara_session"


def read_token(connection: HTTPConnection, settings: Settings) -> str | None:
    """The session cookie's value, if any."""
    return connection.cookies.get(cookie_name(settings))


def set_cookie(request: Request, token: str) -> None:
    """Send this cookie value with the response, whatever the response is."""
    request.scope.setdefault("state", {})[_STATE_KEY] = token


def clear_cookie(request: Request) -> None:
    """Delete the session cookie with the response."""
    request.scope.setdefault("state", {})[_STATE_KEY] = _DELETE


def _header(settings: Settings, value: str) -> str:
    parts = [f"{cookie_name(settings)}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if settings.https:
        parts.append("Secure")
    if value == _DELETE:
        parts.append("Max-Age=0")
    return "; ".join(parts)


class SessionCookieMiddleware:
    """Adds the Set-Cookie header a route asked for to the response start message."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap send; nothing happens unless a route asked for a cookie."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = scope.get("state", {}).get(_STATE_KEY)
                if value is not None:
                    headers = MutableHeaders(scope=message)
                    headers.append("set-cookie", _header(self.settings, value))
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def principal_of(row: WebSession | None) -> Principal | None:
    """The Principal a signed-in session row stands for (None when anonymous)."""
    if row is None or row.subject_type is None or row.subject_id is None:
        return None
    try:
        kind = ActorType(row.subject_type)
    except ValueError:
        return None
    return Principal(kind=kind, id=row.subject_id)


def remember_principal(request: Request, row: WebSession | None) -> None:
    """Routes that load the session row themselves spare the authenticator its own query."""
    request.state.principal = principal_of(row)


def authenticate(request: Request) -> Principal | None:
    """The Authenticator of signed-in sessions: the session's subject as a Principal."""
    settings: Settings = request.app.state.settings
    token = read_token(request, settings)
    if not token:
        return None
    # Its own short transaction: authenticators run before the route's DbSession exists.
    with request.app.state.session_factory() as db:
        return principal_of(service.find(db, token=token, now=utcnow()))
