"""The portal's own session (the relying party's, not the provider's): cookie and Authenticator.

After the code flow, the portal keeps who signed in in a server-side session (idara.sessions)
named by its own cookie; `authenticate` turns that cookie into the citizen's Principal.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection, Request

from idara.audit.schemas import ActorType
from idara.db import utcnow
from idara.sessions import service
from idara.settings import Settings
from idara.web.policy import Principal

MARK = "portal"
# Pages that need a signed-in citizen send people here first (see idara.web.policy).
SIGN_IN_PAGES = {"citizen": "/{lang}/me/login"}


def cookie_name(settings: Settings) -> str:
    """__Host- when served over HTTPS, like every session cookie of the platform."""
    return "__Host-idara_portal" if settings.https else "idara_portal"


def read_token(connection: HTTPConnection, settings: Settings) -> str | None:
    """The portal session cookie's value, if any."""
    return connection.cookies.get(cookie_name(settings))


def authenticate(request: Request) -> Principal | None:
    """The Authenticator of portal sessions signed in through the trust service."""
    settings: Settings = request.app.state.settings
    token = read_token(request, settings)
    if not token:
        return None
    with request.app.state.session_factory() as db:
        row = service.find(db, token=token, now=utcnow())
        if row is None or row.subject_id is None or not row.data.get(MARK):
            return None
        return Principal(kind=ActorType.CITIZEN, id=row.subject_id)
