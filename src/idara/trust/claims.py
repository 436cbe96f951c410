"""Claims: scopes per claim group, the registry's values, and the `claims` request parameter.

OpenID Connect Core 1.0 §5.4 (scopes → claims), §5.5 (the `claims` parameter, essential
claims), §5.2 (language tags: `given_name#ar`), §5.1 (standard claims). The CIN and the photo
are released only to clients whose registered legal basis names them (issue 4).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from idara.identity import places
from idara.identity.models import Person
from idara.trust.exceptions import AuthorizationError
from idara.web.errors import N_

# The claim groups a citizen consents to, each a scope a client may be registered for.
SCOPES: dict[str, tuple[str, ...]] = {
    "openid": ("sub",),
    "profile": (
        "given_name",
        "family_name",
        "name",
        "given_name#ar",
        "family_name#ar",
        "name#ar",
        "gender",
    ),
    "birth": ("birthdate", "place_of_birth"),
    "address": ("address",),
    "phone": ("phone_number", "phone_number_verified"),
    "photo": ("picture",),
    "card": ("cin", "card_number", "card_expires_on", "card_status"),
}
# Not identity claims: the scope of the identity-verification API (client credentials).
VERIFICATION_SCOPE = "identity_verification"
ALL_SCOPES = (*SCOPES, VERIFICATION_SCOPE)
CLAIMS: tuple[str, ...] = tuple(claim for group in SCOPES.values() for claim in group)
# Released only when the client's legal basis names them.
SENSITIVE = frozenset({"cin", "picture"})
# Claims that describe the authentication, asked for through `claims` but never consented.
AUTHENTICATION_CLAIMS = frozenset({"acr", "auth_time", "amr"})

LABELS: dict[str, str] = {
    "sub": N_("Your identifier for this service (never your CIN)"),
    "given_name": N_("First name (Latin script)"),
    "family_name": N_("Last name (Latin script)"),
    "name": N_("Full name (Latin script)"),
    "given_name#ar": N_("First name (Arabic script)"),
    "family_name#ar": N_("Last name (Arabic script)"),
    "name#ar": N_("Full name (Arabic script)"),
    "gender": N_("Sex"),
    "birthdate": N_("Date of birth"),
    "place_of_birth": N_("Place of birth"),
    "address": N_("Postal address"),
    "phone_number": N_("Mobile phone number"),
    "phone_number_verified": N_("Whether the phone number is verified"),
    "picture": N_("Identity photo"),
    "cin": N_("National identity card number (CIN)"),
    "card_number": N_("Card serial number"),
    "card_expires_on": N_("Card expiry date"),
    "card_status": N_("Card status"),
}


@dataclass(frozen=True, slots=True)
class ClaimsRequest:
    """The `claims` parameter, reduced to what this provider honours (§5.5)."""

    userinfo: dict[str, dict[str, Any] | None]
    id_token: dict[str, dict[str, Any] | None]

    def essential(self) -> set[str]:
        """Claim names marked essential in either member."""
        return {
            name
            for member in (self.userinfo, self.id_token)
            for name, spec in member.items()
            if isinstance(spec, dict) and spec.get("essential") is True
        }

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form, kept with the grant."""
        return {"userinfo": self.userinfo, "id_token": self.id_token}


def parse_claims_parameter(raw: str | None) -> ClaimsRequest:
    """Parse `claims` (JSON object with `userinfo` and/or `id_token` members)."""
    if not raw:
        return ClaimsRequest({}, {})
    if len(raw) > 4096:
        raise AuthorizationError("invalid_request", "claims parameter too large")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise AuthorizationError("invalid_request", "claims is not valid JSON") from exc
    if not isinstance(value, dict):
        raise AuthorizationError("invalid_request", "claims must be a JSON object")
    members: dict[str, dict[str, dict[str, Any] | None]] = {}
    for member in ("userinfo", "id_token"):
        section = value.get(member, {})
        if not isinstance(section, dict):
            raise AuthorizationError("invalid_request", f"claims.{member} must be an object")
        kept: dict[str, dict[str, Any] | None] = {}
        for name, spec in section.items():
            if spec is not None and not isinstance(spec, dict):
                raise AuthorizationError("invalid_request", f"claims.{member}.{name} malformed")
            if name in CLAIMS or name in AUTHENTICATION_CLAIMS:
                kept[name] = spec  # unknown claims are ignored, as §5.5 says
        members[member] = kept
    return ClaimsRequest(members["userinfo"], members["id_token"])


def requested(scopes: Iterable[str], claims: ClaimsRequest) -> list[str]:
    """Every identity claim the request asks for, through scopes or the `claims` parameter."""
    names: list[str] = []
    for scope in scopes:
        names.extend(SCOPES.get(scope, ()))
    names.extend(claims.userinfo)
    names.extend(claims.id_token)
    return [n for n in dict.fromkeys(names) if n in CLAIMS]


def releasable(
    names: Iterable[str], *, client_scopes: Iterable[str], allowed: Iterable[str]
) -> list[str]:
    """The requested claims this client may receive: in its scopes, sensitive ones by law."""
    in_scope = {claim for scope in client_scopes for claim in SCOPES.get(scope, ())}
    allowed_set = set(allowed)
    return [n for n in names if n in in_scope and (n not in SENSITIVE or n in allowed_set)]


def _place_of_birth(commune_code: str) -> dict[str, str]:
    commune = places.COMMUNE_BY_CODE.get(commune_code)
    if commune is None:
        return {"country": "MA"}
    province = places.province_of(commune_code)
    return {
        "locality": commune.latin,
        "region": places.region_of(province.code).latin,
        "country": "MA",
    }


def _address(person: Person) -> dict[str, str]:
    commune = places.COMMUNE_BY_CODE.get(person.commune_code)
    province = places.PROVINCE_BY_CODE.get(person.province_code)
    region = places.REGION_BY_CODE.get(person.region_code)
    parts = [person.street, commune.latin if commune else "", province.latin if province else ""]
    return {
        "formatted": ", ".join(p for p in parts if p),
        "street_address": person.street,
        "locality": commune.latin if commune else "",
        "region": region.latin if region else "",
        "country": "MA",
    }


def _picture(person: Person) -> str | None:
    # The registry keeps a reference to the photo; the demo registry has no image bytes,
    # so the claim is a reference URI under the registry's namespace.
    if not person.photo_ref:
        return None
    ref = base64.urlsafe_b64encode(person.photo_ref.encode()).decode().rstrip("=")
    return f"urn:idara:photo:{ref}"


def values(person: Person, names: Iterable[str]) -> dict[str, Any]:
    """The registry's values of the named claims (absent values are left out)."""
    source: dict[str, Any] = {
        "given_name": person.first_name,
        "family_name": person.last_name,
        "name": f"{person.first_name} {person.last_name}",
        "given_name#ar": person.first_name_ar,
        "family_name#ar": person.last_name_ar,
        "name#ar": f"{person.first_name_ar} {person.last_name_ar}",
        "gender": {"F": "female", "M": "male"}.get(person.sex, "other"),
        "birthdate": person.birth_date.isoformat(),
        "place_of_birth": _place_of_birth(person.birth_commune),
        "address": _address(person),
        "phone_number": person.phone,
        "phone_number_verified": bool(person.phone),
        "picture": _picture(person),
        "cin": person.cin,
        "card_number": person.card_number,
        "card_expires_on": person.card_expires_on.isoformat(),
        "card_status": person.card_status,
    }
    return {n: source[n] for n in names if n in source and source[n] is not None}


def labels(names: Iterable[str]) -> list[tuple[str, str]]:
    """(claim, message id of its label) for the consent screen, in registry order."""
    wanted = set(names)
    return [(n, LABELS[n]) for n in CLAIMS if n in wanted and n in LABELS]


def in_order(names: Iterable[str]) -> list[str]:
    """Claim names in the registry's order (for pages), unknown names last."""
    rank = {name: index for index, name in enumerate(CLAIMS)}
    return sorted(set(names), key=lambda n: (rank.get(n, len(rank)), n))


def scopes_of(claim_names: Mapping[str, object] | Iterable[str]) -> set[str]:
    """The scopes (claim groups) the named claims belong to."""
    names = set(claim_names)
    return {scope for scope, group in SCOPES.items() if names & set(group)}
