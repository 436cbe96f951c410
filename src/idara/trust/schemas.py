"""Pydantic shapes of the trust service: client registration and the verification API."""

from __future__ import annotations

import ipaddress
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from idara.trust import claims, jose

AuthMethod = Literal["private_key_jwt", "client_secret_basic", "client_secret_post"]
Level = Literal["low", "substantial", "high"]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_uri(value: str, *, what: str) -> str:
    """An absolute https URI without fragment (plain http only for loopback, RFC 8252 §7.3)."""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.fragment:
        raise ValueError(f"{what} {value!r} must be an absolute https URI without fragment")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise ValueError(f"{what} {value!r} must use https (http only on loopback)")
    if len(value) > 500:
        raise ValueError(f"{what} is longer than 500 characters")
    return value


class ClientSpec(BaseModel):
    """What the ministry registers for a relying party (issue 4, onboarding)."""

    model_config = ConfigDict(extra="forbid")

    client_id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")
    name_fr: str = Field(min_length=2, max_length=200)
    name_ar: str = Field(min_length=2, max_length=200)
    organisation_fr: str = Field(min_length=2, max_length=200)
    organisation_ar: str = Field(min_length=2, max_length=200)
    purpose_fr: str = Field(min_length=2, max_length=2000)
    purpose_ar: str = Field(min_length=2, max_length=2000)
    legal_basis_fr: str = Field(min_length=2, max_length=2000)
    legal_basis_ar: str = Field(min_length=2, max_length=2000)
    redirect_uris: list[str] = Field(min_length=1, max_length=20)
    post_logout_redirect_uris: list[str] = Field(default_factory=list, max_length=20)
    backchannel_logout_uri: str | None = None
    jwks: dict[str, Any] | None = None
    jwks_uri: str | None = None
    auth_method: AuthMethod = "private_key_jwt"
    scopes: list[str] = Field(default_factory=lambda: ["openid", "profile"])
    allowed_claims: list[str] = Field(default_factory=list)
    subject_type: Literal["pairwise", "public"] = "pairwise"
    sector_identifier: str | None = Field(default=None, max_length=200)
    min_acr: Level = "substantial"
    fapi: bool = False
    require_par: bool = False
    require_dpop: bool = False
    verification_allowed: bool = False
    id_token_ttl_s: int = Field(default=300, ge=60, le=3600)
    access_token_ttl_s: int = Field(default=300, ge=60, le=3600)
    refresh_token_ttl_s: int = Field(default=86_400, ge=0, le=30 * 86_400)
    userinfo_signed_alg: Literal["ES256"] | None = None
    userinfo_encrypted_alg: Literal["RSA-OAEP-256", "ECDH-ES"] | None = None
    userinfo_encrypted_enc: Literal["A256GCM"] | None = None

    @field_validator("redirect_uris", "post_logout_redirect_uris")
    @classmethod
    def _uris(cls, values: list[str]) -> list[str]:
        return [check_uri(v, what="redirect URI") for v in values]

    @field_validator("backchannel_logout_uri", "jwks_uri")
    @classmethod
    def _optional_uri(cls, value: str | None) -> str | None:
        return None if value is None else check_uri(value, what="URI")

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, values: list[str]) -> list[str]:
        unknown = sorted(set(values) - set(claims.ALL_SCOPES))
        if unknown:
            raise ValueError(f"unknown scopes {unknown}; known: {list(claims.ALL_SCOPES)}")
        return list(dict.fromkeys(values))

    @field_validator("allowed_claims")
    @classmethod
    def _sensitive(cls, values: list[str]) -> list[str]:
        unknown = sorted(set(values) - claims.SENSITIVE)
        if unknown:
            raise ValueError(f"allowed_claims lists claims a legal basis may unlock: {unknown}")
        return sorted(set(values))

    @field_validator("jwks")
    @classmethod
    def _jwks(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        keys = value.get("keys")
        if not isinstance(keys, list) or not keys:
            raise ValueError("jwks must be a JWK set with at least one key")
        for key in keys:
            if not isinstance(key, dict):
                raise ValueError("jwks keys must be objects")
            jose.import_public(key)  # refuses private keys and weak or unknown types
        return {"keys": keys}

    @model_validator(mode="after")
    def _coherent(self) -> ClientSpec:
        if self.fapi:
            # FAPI 2.0 Security Profile §5.3.2.1 and §5.3.2.2: PAR and sender-constrained tokens.
            self.require_par = self.require_dpop = True
            if self.auth_method != "private_key_jwt":
                raise ValueError("a FAPI 2.0 client authenticates with private_key_jwt")
        if self.auth_method == "private_key_jwt" and not (self.jwks or self.jwks_uri):
            raise ValueError("private_key_jwt needs the client's jwks or jwks_uri")
        if "openid" not in self.scopes and self.scopes != [claims.VERIFICATION_SCOPE]:
            raise ValueError("an OpenID Connect client needs the openid scope")
        if self.userinfo_encrypted_alg and not self.jwks:
            raise ValueError("userinfo encryption needs a registered jwks with an enc key")
        if self.userinfo_encrypted_alg and jose.encryption_key(self.jwks or {}) is None:
            raise ValueError("userinfo encryption needs a key with use=enc in jwks")
        if self.userinfo_encrypted_alg and not self.userinfo_encrypted_enc:
            self.userinfo_encrypted_enc = "A256GCM"
        if self.sector_identifier is None:
            self.sector_identifier = urlsplit(self.redirect_uris[0]).hostname or "unknown"
        return self


class VerificationRequest(BaseModel):
    """Claimed attributes of a person to check against the registry (never returned)."""

    model_config = ConfigDict(extra="forbid")

    cin: str = Field(min_length=2, max_length=12)
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    birth_date: date | None = None
    card_number: str | None = Field(default=None, max_length=20)
    consent_reference: str | None = Field(default=None, max_length=64)


class VerificationResult(BaseModel):
    """A match per attribute sent, and whether the card is valid today."""

    verification_id: str
    checked_at: datetime
    card_valid: bool
    matches: dict[str, bool]
