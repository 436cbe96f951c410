"""The application factory: one FastAPI app from one Settings object."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from idara import __version__, db, domains, ratelimit
from idara.sessions.web import SessionCookieMiddleware
from idara.sessions.web import authenticate as session_authenticator
from idara.settings import Settings
from idara.web import ops
from idara.web.errors import install_error_handlers, install_redirect_handler
from idara.web.observability import RequestContextMiddleware
from idara.web.policy import Access
from idara.web.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from idara.web.templating import STATIC_DIR, make_environment


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """Build the web application; nothing is read from the environment here."""
    app = FastAPI(
        title="Idara",
        version=__version__,
        description="APIs of the Idara digital public services platform.",
        docs_url=None,  # the Swagger/ReDoc pages load scripts from a CDN: not under our CSP
        redoc_url=None,
        openapi_url=None,  # served by ops.openapi with an explicit access policy
    )
    app.state.settings = settings
    app.state.engine = engine or db.make_engine(settings)
    app.state.session_factory = db.make_session_factory(app.state.engine)
    app.state.templates = make_environment(auto_reload=settings.is_development)
    # Signed-in browser sessions (server-side, see idara.sessions); domains may add more.
    app.state.sign_in_pages = {Access(k): v for k, v in domains.sign_in_pages().items()}
    app.state.authenticators = [session_authenticator, *domains.authenticators()]
    app.state.rate_limiter = ratelimit.make_rate_limiter(settings)

    install_error_handlers(app)
    install_redirect_handler(app)
    app.include_router(ops.router)
    for router in domains.routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Added innermost first: the security headers wrap everything, even the 500 page.
    app.add_middleware(SessionCookieMiddleware, settings=settings)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.web.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.https)
    return app
