"""Authorization responses with the issuer identifier (RFC 9207) on the registered redirect URI.

RFC 9207 §2: `iss` is added to every authorization response, success or error, so a client
talking to several providers can tell which one answered (mix-up attacks, RFC 9700 §4.4).
RFC 6749 §3.1.2: a query already in the registered redirect URI is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode


def response_url(redirect_uri: str, params: Mapping[str, str | None], *, issuer: str) -> str:
    """The redirect URI with the response parameters (and `iss`) in its query."""
    values = {k: v for k, v in params.items() if v is not None}
    values["iss"] = issuer
    separator = "&" if "?" in redirect_uri else "?"
    return f"{redirect_uri}{separator}{urlencode(values)}"


def error_url(
    redirect_uri: str,
    *,
    error: str,
    description: str | None,
    state: str | None,
    issuer: str,
) -> str:
    """An error response (RFC 6749 §4.1.2.1): `error`, `error_description`, `state`, `iss`."""
    return response_url(
        redirect_uri,
        {"error": error, "error_description": description, "state": state},
        issuer=issuer,
    )
