"""Authorization request validation (OpenID Connect Core §3.1.2.1–§3.1.2.2, RFC 6749 §4.1.1).

Two stages, because the redirect URI decides where errors may go (RFC 6749 §4.1.2.1): the
client and its exactly-registered redirect URI first (errors shown as a page), then every
other parameter (errors sent back to the client with `state` and `iss`). The profile is
stricter than Core: code flow only, `state` and `nonce` required, PKCE S256 required.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from idara.trust import claims, loa, pkce
from idara.trust.claims import ClaimsRequest
from idara.trust.exceptions import AuthorizationError
from idara.trust.models import Client

PROMPTS = frozenset({"none", "login", "consent", "select_account"})
MAX_STATE = 512
MAX_NONCE = 512
_PRINTABLE = re.compile(r"^[\x20-\x7e]+$")
UI_LOCALES = ("fr", "ar")


@dataclass(frozen=True, slots=True)
class Validated:
    """A request that passed every check, as kept while the citizen signs in and consents."""

    client_id: str
    redirect_uri: str
    scope: list[str]
    state: str
    nonce: str
    code_challenge: str
    prompt: list[str] = field(default_factory=list)
    max_age: int | None = None
    acr: str = "low"
    acr_essential: bool = False
    claims: dict[str, Any] = field(default_factory=dict)
    ui_locale: str | None = None
    login_hint: str | None = None
    id_token_hint: str | None = None
    dpop_jkt: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (stored with the pending request)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Validated:
        """Back from the stored form."""
        return cls(**dict(data))

    def claims_request(self) -> ClaimsRequest:
        """The parsed `claims` parameter."""
        return ClaimsRequest(
            userinfo=dict(self.claims.get("userinfo", {})),
            id_token=dict(self.claims.get("id_token", {})),
        )


def redirect_uri_of(client: Client, params: Mapping[str, str]) -> str | None:
    """The redirect URI if it is registered exactly (no pattern, no prefix: RFC 9700 §4.1.3)."""
    value = params.get("redirect_uri")
    if value is not None and value in client.redirect_uris:
        return value
    return None


def _one(params: Mapping[str, str], name: str, *, limit: int = 2048) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if len(value) > limit:
        raise AuthorizationError("invalid_request", f"{name} is too long")
    return value


def _ui_locale(value: str | None) -> str | None:
    for tag in (value or "").split():
        base = tag.split("-")[0].lower()
        if base in UI_LOCALES:
            return base
    return None


def _acr(params: Mapping[str, str], request: claims.ClaimsRequest) -> tuple[list[str], bool]:
    values = (_one(params, "acr_values") or "").split()
    essential = False
    spec = request.id_token.get("acr") or request.userinfo.get("acr")
    if isinstance(spec, dict):
        essential = spec.get("essential") is True
        if isinstance(spec.get("values"), list):
            values = [v for v in spec["values"] if isinstance(v, str)] + values
        elif isinstance(spec.get("value"), str):
            values = [spec["value"], *values]
    return values, essential


def validate(
    client: Client, redirect_uri: str, params: Mapping[str, str], *, pushed: bool
) -> Validated:
    """Check every parameter but the client and redirect URI; AuthorizationError otherwise."""
    if params.get("request") is not None:
        raise AuthorizationError("request_not_supported", "request objects are not supported")
    response_type = _one(params, "response_type")
    if response_type is None:
        raise AuthorizationError("invalid_request", "response_type is required")
    if response_type != "code":
        raise AuthorizationError("unsupported_response_type", "only response_type=code")
    if _one(params, "response_mode") not in (None, "query"):
        raise AuthorizationError("invalid_request", "only response_mode=query is supported")
    if client.require_par and not pushed:
        raise AuthorizationError("invalid_request", "this client must use a pushed request")
    scope = list(dict.fromkeys((_one(params, "scope") or "").split()))
    if "openid" not in scope:
        raise AuthorizationError("invalid_scope", "the openid scope is required")
    # Scopes this client is not registered for, or that do not exist, are dropped (RFC 6749
    # §3.3 lets the server grant less); the token response says what was granted.
    scope = [s for s in scope if s in client.scopes and s in claims.SCOPES]
    state = _one(params, "state", limit=MAX_STATE)
    if state is None:
        raise AuthorizationError("invalid_request", "state is required")
    nonce = _one(params, "nonce", limit=MAX_NONCE)
    if nonce is None:
        raise AuthorizationError("invalid_request", "nonce is required")
    challenge = _one(params, "code_challenge", limit=128)
    method = _one(params, "code_challenge_method")
    if challenge is None:
        raise AuthorizationError("invalid_request", "code_challenge (PKCE) is required")
    if not pkce.challenge_is_valid(challenge, method):
        raise AuthorizationError("invalid_request", "code_challenge_method must be S256")
    prompt = (_one(params, "prompt") or "").split()
    if set(prompt) - PROMPTS:
        raise AuthorizationError("invalid_request", "unknown prompt value")
    if "none" in prompt and len(prompt) > 1:
        raise AuthorizationError("invalid_request", "prompt=none cannot be combined")
    max_age_raw = _one(params, "max_age", limit=12)
    max_age = None
    if max_age_raw is not None:
        if not max_age_raw.isdigit():
            raise AuthorizationError("invalid_request", "max_age must be a non-negative integer")
        max_age = int(max_age_raw)
    request = claims.parse_claims_parameter(_one(params, "claims", limit=4096))
    acr_values, acr_essential = _acr(params, request)
    level = loa.required(acr_values, client_minimum=client.min_acr)
    hint = _one(params, "login_hint", limit=64)
    if hint is not None and not _PRINTABLE.match(hint):
        hint = None
    return Validated(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        state=state,
        nonce=nonce,
        code_challenge=challenge,
        prompt=prompt,
        max_age=max_age,
        acr=level.value,
        acr_essential=acr_essential,
        claims=request.to_json(),
        ui_locale=_ui_locale(_one(params, "ui_locales", limit=200)),
        login_hint=hint,
        id_token_hint=_one(params, "id_token_hint", limit=8192),
        dpop_jkt=_one(params, "dpop_jkt", limit=64),
    )
