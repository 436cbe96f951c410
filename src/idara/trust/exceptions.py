"""Errors of the trust service: OAuth errors as the RFCs spell them, and translated pages.

Machine endpoints (token, PAR, introspection, revocation, userinfo, verification) answer
`{"error", "error_description"}` (RFC 6749 §5.2, RFC 6750 §3, RFC 9449 §7.1); the
authorization endpoint redirects with `error`, `state` and `iss` once the redirect URI is
known to be registered (RFC 6749 §4.1.2.1, RFC 9207), and shows a translated page otherwise.
"""

from __future__ import annotations

from idara.web.errors import ERRORS, N_, ErrorSpec


class OAuthError(Exception):
    """An OAuth 2.0 / OpenID Connect error with its registered code and HTTP status."""

    def __init__(
        self,
        error: str,
        description: str,
        *,
        status: int = 400,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers or {}


def invalid_client(description: str) -> OAuthError:
    """RFC 6749 §5.2: failed client authentication is a 401 naming the scheme."""
    return OAuthError(
        "invalid_client",
        description,
        status=401,
        headers={"WWW-Authenticate": 'Basic realm="idara", error="invalid_client"'},
    )


def invalid_token(description: str, *, scheme: str = "Bearer") -> OAuthError:
    """RFC 6750 §3.1 / RFC 9449 §7.1: a bad access token is a 401 with a challenge."""
    challenge = f'{scheme} error="invalid_token", error_description="{description}"'
    if scheme == "DPoP":
        challenge += ', algs="ES256 PS256"'
    return OAuthError(
        "invalid_token", description, status=401, headers={"WWW-Authenticate": challenge}
    )


class AuthorizationError(Exception):
    """An authorization request error that goes back to the (registered) redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


TRUST_ERRORS: dict[str, ErrorSpec] = {
    "trust_unknown_client": ErrorSpec(
        400,
        N_("Unknown service"),
        N_("The service that sent you here is not registered with the trusted third party."),
    ),
    "trust_client_suspended": ErrorSpec(
        403,
        N_("Service suspended"),
        N_("The service that sent you here may not use the trusted third party at the moment."),
    ),
    "trust_redirect_uri_missing": ErrorSpec(
        400,
        N_("Incomplete request"),
        N_(
            "The service that sent you here did not say where to send you back. "
            "Go back to the service you came from and start again."
        ),
    ),
    "trust_redirect_uri_unregistered": ErrorSpec(
        400,
        N_("Return address refused"),
        N_(
            "The service that sent you here asked to send you back to an address it has not "
            "registered. For your safety, you were not sent there."
        ),
    ),
    "trust_request_uri_invalid": ErrorSpec(
        400,
        N_("Request expired or unknown"),
        N_(
            "This sign-in request has expired or was already used. "
            "Go back to the service you came from and start again."
        ),
    ),
    "trust_authorization_expired": ErrorSpec(
        400,
        N_("Sign-in request expired"),
        N_(
            "You took too long to sign in and approve the request. "
            "Go back to the service you came from and start again."
        ),
    ),
    "trust_logout_refused": ErrorSpec(
        400,
        N_("Sign-out request refused"),
        N_("The service asked to sign you out in a way this site cannot accept."),
    ),
    "trust_consent_unknown": ErrorSpec(
        404,
        N_("Consent not found"),
        N_("This consent does not exist or is not yours."),
    ),
    "trust_client_exists": ErrorSpec(
        409,
        N_("Already registered"),
        N_("A relying party with this identifier is already registered."),
    ),
    "trust_portal_login_failed": ErrorSpec(
        400,
        N_("Sign-in could not be completed"),
        N_("Your sign-in could not be completed. Start again from the home page."),
    ),
}

ERRORS.update(TRUST_ERRORS)
