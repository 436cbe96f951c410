"""HTTP plumbing shared by the trust routes: OAuth error bodies, pages, redirects."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.responses import JSONResponse, RedirectResponse, Response

from idara.trust.exceptions import OAuthError
from idara.trust.flows.authorize import Go, Page
from idara.web.errors import IdaraError, error_response

# Errors before the endpoint (a malformed body, a refused policy) still answer in OAuth form.
_IDARA_TO_OAUTH = {
    "unauthorized": ("invalid_client", 401),
    "forbidden": ("access_denied", 403),
    "body_too_large": ("invalid_request", 413),
    "rate_limited": ("slow_down", 429),
    "service_unavailable": ("temporarily_unavailable", 503),
}


def oauth_response(exc: OAuthError) -> JSONResponse:
    """`{"error", "error_description"}` with the error's status and headers (RFC 6749 §5.2)."""
    headers = {"Cache-Control": "no-store", **exc.headers}
    return JSONResponse(
        {"error": exc.error, "error_description": exc.description},
        status_code=exc.status,
        headers=headers,
    )


class OAuthRoute(APIRoute):
    """A route whose every error, from dependencies too, is an OAuth error body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler."""
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except OAuthError as exc:
                return oauth_response(exc)
            except IdaraError as exc:
                error, status = _IDARA_TO_OAUTH.get(exc.code, ("invalid_request", exc.status))
                return oauth_response(
                    OAuthError(error, exc.code, status=status, headers=exc.headers)
                )

        return answer


def outcome_response(request: Request, outcome: Go | Page) -> Response:
    """A redirect (303 after a form, 302 otherwise), or the translated error page."""
    if isinstance(outcome, Page):
        return error_response(request, outcome.code)
    status = 303 if request.method == "POST" else 302
    return RedirectResponse(outcome.url, status_code=status, headers={"Cache-Control": "no-store"})
