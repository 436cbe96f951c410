"""Provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2) and the endpoint paths.

Extensions named where they are advertised: PAR (RFC 9126 §5), DPoP (RFC 9449 §5.1),
`iss` in the authorization response (RFC 9207 §3), RP-Initiated Logout 1.0 §2.1,
Back-Channel Logout 1.0 §2.1, introspection (RFC 8414 §2, RFC 7662), revocation (RFC 7009).
"""

from __future__ import annotations

from typing import Any

from idara.trust import claims, jose, loa

AUTHORIZE = "/oidc/authorize"
TOKEN = "/oidc/token"  # noqa: S105  (a path, not a secret)
PAR = "/oidc/par"
USERINFO = "/oidc/userinfo"
JWKS = "/oidc/jwks"
INTROSPECT = "/oidc/introspect"
REVOKE = "/oidc/revoke"
LOGOUT = "/oidc/logout"
CONFIGURATION = "/.well-known/openid-configuration"
AUTH_METHODS = ["private_key_jwt", "client_secret_basic", "client_secret_post"]
PROTOCOL_CLAIMS = ["iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "azp"]


def metadata(issuer: str) -> dict[str, Any]:
    """The provider configuration document."""
    return {
        "issuer": issuer,
        "authorization_endpoint": issuer + AUTHORIZE,
        "token_endpoint": issuer + TOKEN,
        "userinfo_endpoint": issuer + USERINFO,
        "jwks_uri": issuer + JWKS,
        "pushed_authorization_request_endpoint": issuer + PAR,
        # Enforced per client (FAPI 2.0 clients must push); others may still use GET.
        "require_pushed_authorization_requests": False,
        "introspection_endpoint": issuer + INTROSPECT,
        "revocation_endpoint": issuer + REVOKE,
        "end_session_endpoint": issuer + LOGOUT,
        "scopes_supported": ["openid", *[s for s in claims.SCOPES if s != "openid"]],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["pairwise", "public"],
        "id_token_signing_alg_values_supported": list(jose.PROVIDER_ALGS),
        "userinfo_signing_alg_values_supported": list(jose.PROVIDER_ALGS),
        "userinfo_encryption_alg_values_supported": list(jose.JWE_KEY_ALGS),
        "userinfo_encryption_enc_values_supported": list(jose.JWE_ENC_ALGS),
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "token_endpoint_auth_signing_alg_values_supported": list(jose.CLIENT_ALGS),
        "introspection_endpoint_auth_methods_supported": AUTH_METHODS,
        "introspection_endpoint_auth_signing_alg_values_supported": list(jose.CLIENT_ALGS),
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint_auth_signing_alg_values_supported": list(jose.CLIENT_ALGS),
        "code_challenge_methods_supported": ["S256"],
        "dpop_signing_alg_values_supported": list(jose.CLIENT_ALGS),
        "authorization_response_iss_parameter_supported": True,
        "claims_supported": ["sub", *[c for c in claims.CLAIMS if c != "sub"], *PROTOCOL_CLAIMS],
        "claims_parameter_supported": True,
        "claim_types_supported": ["normal"],
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "acr_values_supported": loa.supported(),
        "prompt_values_supported": ["none", "login", "consent"],
        "display_values_supported": ["page"],
        "ui_locales_supported": ["fr", "ar"],
        "claims_locales_supported": ["fr", "ar"],
        "backchannel_logout_supported": True,
        "backchannel_logout_session_supported": True,
        "frontchannel_logout_supported": False,
        "service_documentation": issuer + "/openapi.json",
    }
