"""Stable error codes, translated messages, and handlers that never show a stack trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from idara.i18n import translate

log = structlog.get_logger("idara.web")


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for "mark, translate later")
    """Mark a message for extraction without translating it yet."""
    return message


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    """One kind of error: its HTTP status, its title and the message a person reads."""

    status: int
    title: str
    message: str


# The stable codes: API clients branch on them, so a code is never renamed or reused.
ERRORS: dict[str, ErrorSpec] = {
    "not_found": ErrorSpec(
        404, N_("Page not found"), N_("The page you asked for does not exist or has moved.")
    ),
    "method_not_allowed": ErrorSpec(
        405, N_("Action not allowed"), N_("This address does not accept this kind of request.")
    ),
    "csrf_failed": ErrorSpec(
        403,
        N_("Your form has expired"),
        N_(
            "For your security the form could not be accepted. "
            "Go back, reload the page and send it again."
        ),
    ),
    "cross_origin": ErrorSpec(
        403,
        N_("Request refused"),
        N_("This request came from another site and was refused for your security."),
    ),
    "body_too_large": ErrorSpec(
        413,
        N_("Too much data"),
        N_("What you sent is larger than the %(limit)s bytes this service accepts."),
    ),
    "invalid_request": ErrorSpec(
        422,
        N_("Some information is missing or wrong"),
        N_("The request could not be understood: check the fields and try again."),
    ),
    "unauthorized": ErrorSpec(
        401, N_("Sign-in required"), N_("You need to sign in to see this page.")
    ),
    "forbidden": ErrorSpec(403, N_("Access refused"), N_("You are not allowed to see this page.")),
    "rate_limited": ErrorSpec(
        429,
        N_("Too many attempts"),
        N_("Too many requests in a short time. Wait a moment and try again."),
    ),
    "service_unavailable": ErrorSpec(
        503,
        N_("Service temporarily unavailable"),
        N_("The service cannot answer right now. Try again in a few minutes."),
    ),
    "internal_error": ErrorSpec(
        500,
        N_("Something went wrong on our side"),
        N_(
            "The error has been recorded with reference %(request_id)s. "
            "Try again later; quote this reference if you contact us."
        ),
    ),
}

_STATUS_CODES = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}


class IdaraError(Exception):
    """An error a user or client caused, with a stable code and message parameters."""

    def __init__(
        self,
        code: str,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        if code not in ERRORS:
            raise KeyError(f"unknown error code {code!r}: add it to ERRORS with its message")
        super().__init__(code)
        self.code = code
        self.status = status or ERRORS[code].status
        self.headers = headers or {}
        self.params = params


def wants_json(request: Request) -> bool:
    """Whether to answer with JSON (API paths, JSON callers) rather than an HTML page."""
    path = request.url.path
    if path.startswith(("/api/", "/.well-known/", "/auth/")) or path in ("/metrics", "/readyz"):
        return True
    accept = request.headers.get("accept", "")
    content_type = request.headers.get("content-type", "")
    if "text/html" in accept:
        return False
    return "application/json" in accept or content_type.startswith("application/json")


def error_response(
    request: Request,
    code: str,
    *,
    status: int | None = None,
    headers: dict[str, str] | None = None,
    details: list[dict[str, Any]] | None = None,
    **params: Any,
) -> Response:
    """Render an error in the request's language, as JSON or as an HTML page."""
    from idara.web.templating import render, request_lang  # late: templating imports errors

    spec = ERRORS[code]
    status = status or spec.status
    lang = request_lang(request)
    params.setdefault("request_id", getattr(request.state, "request_id", "-"))
    title = translate(lang, spec.title)
    message = translate(lang, spec.message, **params)
    if wants_json(request):
        body: dict[str, Any] = {"error": {"code": code, "title": title, "message": message}}
        if details:
            body["error"]["details"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    return render(
        request,
        "error.html",
        {"code": code, "title": title, "message": message, "status": status, "details": details},
        status_code=status,
        headers=headers,
    )


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only field paths and error kinds: never echo the submitted values back.
    return [
        {"field": ".".join(str(part) for part in err.get("loc", ())), "kind": err.get("type")}
        for err in exc.errors()[:50]
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Map expected exceptions to translated pages or JSON with a stable code.

    Unexpected exceptions are caught by the request-context middleware instead, so that
    the 500 page still passes through the security-headers middleware.
    """

    async def on_idara_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, IdaraError)
        return error_response(
            request, exc.code, status=exc.status, headers=exc.headers, **exc.params
        )

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = _STATUS_CODES.get(exc.status_code)
        if exc.status_code == 413:
            limit = request.app.state.settings.web.max_body_bytes
            return error_response(request, "body_too_large", limit=limit)
        if code is None:
            code = "invalid_request" if exc.status_code < 500 else "internal_error"
        return error_response(
            request, code, status=exc.status_code, headers=dict(exc.headers or {})
        )

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, "invalid_request", details=_validation_details(exc))

    async def on_database_unavailable(request: Request, exc: Exception) -> Response:
        # An unreachable or overloaded database (SQLite busy, pool exhausted) is a temporary
        # state of the service, not a bug: 503 with Retry-After, and the work rolled back.
        log.warning("database_unavailable", exc_type=type(exc).__name__)
        return error_response(request, "service_unavailable", headers={"Retry-After": "5"})

    app.add_exception_handler(IdaraError, on_idara_error)
    app.add_exception_handler(OperationalError, on_database_unavailable)
    app.add_exception_handler(SQLAlchemyTimeoutError, on_database_unavailable)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)


class Redirect(Exception):  # noqa: N818  (a control-flow signal, not an error)
    """Raised by a dependency that wants the request to go elsewhere (e.g. a language fix)."""

    def __init__(self, url: str, status: int = 307) -> None:
        super().__init__(url)
        self.url = url
        self.status = status


def install_redirect_handler(app: FastAPI) -> None:
    """Answer Redirect with a plain redirect response."""

    async def on_redirect(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Redirect)
        return RedirectResponse(exc.url, status_code=exc.status)

    app.add_exception_handler(Redirect, on_redirect)
