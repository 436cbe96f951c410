"""CSRF protection: a signed double-submit token (OWASP), checked by every access policy.

The cookie holds a random value; forms carry HMAC(secret key, cookie value). An attacker who
can plant a cookie (a sibling subdomain) still cannot compute the matching form token.
Requests with a non-simple content type (application/json...) cannot be sent cross-site
without a CORS preflight, which this site never grants, so they need no token; their
Origin header, when present, must still be ours.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from starlette.requests import Request

from idara.settings import Settings
from idara.web.errors import IdaraError

FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# The content types a cross-site HTML form (or a no-preflight fetch) can send.
_SIMPLE_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


def cookie_name(settings: Settings) -> str:
    """__Host- cookies cannot be set by subdomains or over plain HTTP, so use it when we can."""
    return "__Host-idara_csrf" if settings.https else "idara_csrf"


def _sign(settings: Settings, value: str) -> str:
    key = settings.web.secret_key.get_secret_value().encode()
    digest = hmac.new(key, b"csrf:" + value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_for(request: Request, settings: Settings) -> str:
    """The form token of this request, creating the cookie value when there is none yet."""
    value = request.cookies.get(cookie_name(settings))
    if not value or len(value) > 128:
        value = getattr(request.state, "csrf_new_cookie", None) or secrets.token_urlsafe(32)
        request.state.csrf_new_cookie = value
    return _sign(settings, value)


def _is_simple(content_type: str) -> bool:
    return not content_type or content_type.split(";")[0].strip().lower() in _SIMPLE_TYPES


async def check(request: Request, settings: Settings) -> None:
    """Refuse an unsafe request that lacks a valid token or comes from another origin."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    # Under `Referrer-Policy: no-referrer` browsers send `Origin: null` even for our own
    # forms (Fetch, "serializing a request origin"): it proves nothing either way, so the
    # signed token below decides, as when the header is absent.
    if origin == "null":
        origin = None
    if origin and origin.rstrip("/") != settings.public_origin:
        raise IdaraError("cross_origin")
    if not _is_simple(request.headers.get("content-type", "")):
        return
    cookie = request.cookies.get(cookie_name(settings))
    submitted = request.headers.get(HEADER)
    if submitted is None:
        try:
            form = await request.form()
        except Exception as exc:  # a malformed multipart body is the client's fault
            raise IdaraError("invalid_request") from exc
        value = form.get(FORM_FIELD)
        submitted = value if isinstance(value, str) else None
    if not cookie or not submitted or not hmac.compare_digest(submitted, _sign(settings, cookie)):
        raise IdaraError("csrf_failed")
