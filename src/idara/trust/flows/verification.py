"""The identity-verification API: do these claimed attributes match a valid card? (issue 4)

The answer is one boolean per attribute sent and the card's validity, never a registry
value, so the API cannot be used to read the registry. A client whose registered legal
basis does not cover verification must present the citizen's consent reference instead.
Every check is recorded for the citizen (a release of the checked attribute names).
"""

from __future__ import annotations

import secrets
import unicodedata

from idara.identity.models import Person
from idara.identity.service import persons
from idara.trust import consent
from idara.trust.exceptions import OAuthError
from idara.trust.flows.context import TrustCtx
from idara.trust.models import Client
from idara.trust.schemas import VerificationRequest, VerificationResult

# The attributes checked, named as the claims the citizen's space shows.
_AS_CLAIM = {
    "first_name": "given_name",
    "last_name": "family_name",
    "birth_date": "birthdate",
    "card_number": "card_number",
}


def normalise(value: str) -> str:
    """Case, accents, spaces and hyphens do not make two names different."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.replace("-", " ").replace("'", " ").split())


def _matches(person: Person | None, request: VerificationRequest) -> dict[str, bool]:
    checks: dict[str, bool] = {}
    if request.first_name is not None:
        wanted = normalise(request.first_name)
        checks["first_name"] = person is not None and wanted in (
            normalise(person.first_name),
            normalise(person.first_name_ar),
        )
    if request.last_name is not None:
        wanted = normalise(request.last_name)
        checks["last_name"] = person is not None and wanted in (
            normalise(person.last_name),
            normalise(person.last_name_ar),
        )
    if request.birth_date is not None:
        checks["birth_date"] = person is not None and person.birth_date == request.birth_date
    if request.card_number is not None:
        checks["card_number"] = person is not None and (
            normalise(person.card_number) == normalise(request.card_number)
        )
    return checks


def verify(ctx: TrustCtx, client: Client, request: VerificationRequest) -> VerificationResult:
    """Check the claimed attributes against the registry."""
    cin = persons.normalise_cin(request.cin)
    person = persons.find_by_cin(ctx.db, cin=cin) if cin else None
    reference = None
    if not client.verification_allowed:
        given = consent.by_reference(ctx.db, reference=request.consent_reference or "")
        live = given is not None and given.revoked_at is None and given.expires_at > ctx.now
        if not live or given is None or person is None or given.person_id != person.id:
            raise OAuthError(
                "consent_required",
                "a live consent of this citizen to this client is needed",
                status=403,
            )
        if given.client_id != client.client_id:
            raise OAuthError(
                "consent_required", "the consent was given to another client", status=403
            )
        reference = given.reference
    matches = _matches(person, request)
    today = ctx.now.date()
    card_valid = (
        person is not None and person.card_status == "active" and person.card_expires_on >= today
    )
    result = VerificationResult(
        verification_id=secrets.token_hex(12),
        checked_at=ctx.now,
        card_valid=card_valid,
        matches=matches,
    )
    if person is not None:
        consent.record_release(
            ctx.db,
            person_id=person.id,
            client_id=client.client_id,
            channel="verification",
            claims=["card_status", *(_AS_CLAIM[name] for name in matches)],
            consent_reference=reference,
            now=ctx.now,
        )
    ctx.record(
        "trust.identity_verified",
        target_type="client",
        target_id=client.client_id,
        details={
            "verification": result.verification_id,
            "attributes": sorted(matches),
            "all_match": bool(matches) and all(matches.values()) and card_valid,
        },
    )
    return result
