"""The seam between ministry administrators and the web: a cookie and an Authenticator.

`authenticate` is registered in `app.state.authenticators` (see `idara.domains`). When the
trust service signs administrators in, it replaces this module and `accounts.py`; the
routes only depend on the `admin` policy and on `Principal.id` (the username).
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from idara.audit.schemas import ActorType
from idara.catalogue import accounts
from idara.settings import Settings
from idara.web.policy import Principal
from idara.web.templating import request_settings

ROLE = "catalogue_editor"


def cookie_name(settings: Settings) -> str:
    """__Host- cookies cannot be set by subdomains or over plain HTTP, so use it when we can."""
    return "__Host-idara_admin" if settings.https else "idara_admin"


def read_token(request: Request) -> str | None:
    """The administrator session token the browser sent, if any."""
    return request.cookies.get(cookie_name(request_settings(request)))


# Pages that need an administrator send people here first (see idara.web.policy).
SIGN_IN_PAGES = {"admin": "/{lang}/admin/login"}


def authenticate(request: Request) -> Principal | None:
    """The Authenticator of administrator sessions (a short read-only database session)."""
    token = read_token(request)
    if not token:
        return None
    with request.app.state.session_factory() as session:
        admin = accounts.session_admin(session, token=token)
        if admin is None:
            return None
        return Principal(kind=ActorType.ADMIN, id=admin.username, roles=frozenset({ROLE}))


def lifetime(settings: Settings) -> timedelta:
    """How long an administrator session lasts."""
    return timedelta(hours=settings.catalogue.admin_session_hours)


def set_cookie(response: Response, settings: Settings, token: str) -> None:
    """Give the browser its session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS)."""
    response.set_cookie(
        cookie_name(settings),
        token,
        max_age=int(lifetime(settings).total_seconds()),
        httponly=True,
        secure=settings.https,
        samesite="lax",
        path="/",
    )
    response.headers["Cache-Control"] = "no-store"


def clear_cookie(response: Response, settings: Settings) -> None:
    """Remove the session cookie."""
    response.delete_cookie(
        cookie_name(settings), path="/", secure=settings.https, httponly=True, samesite="lax"
    )
