"""The ministry's admin API and the identity-verification API for organisations."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import select

from idara.audit.models import AuditEvent
from idara.audit.schemas import ActorType
from idara.identity.models import Person
from idara.trust import consent
from idara.web.policy import Principal
from tests.trust_support import ClientFactory, RelyingParty, token_request

ADMIN = {"Authorization": "Bearer test-admin"}


@pytest.fixture
def admin_api(app: FastAPI) -> None:
    """A ministry administrator recognised by a test authenticator."""

    def authenticate(request: Request) -> Principal | None:
        if request.headers.get("authorization") == ADMIN["Authorization"]:
            return Principal(kind=ActorType.ADMIN, id="ministere")
        return None

    app.state.authenticators.append(authenticate)


def _spec(rp_key_jwk: dict[str, Any]) -> dict[str, Any]:
    return {
        "client_id": "dgi-impots",
        "name_fr": "Impôts en ligne",
        "name_ar": "الضرائب عبر الإنترنت",
        "organisation_fr": "Direction générale des impôts",
        "organisation_ar": "المديرية العامة للضرائب",
        "purpose_fr": "Déclarer vos revenus",
        "purpose_ar": "التصريح بمداخيلك",
        "legal_basis_fr": "Code général des impôts",
        "legal_basis_ar": "المدونة العامة للضرائب",
        "redirect_uris": ["https://impots.example/cb"],
        "jwks": {"keys": [rp_key_jwk]},
        "scopes": ["openid", "profile"],
        "fapi": True,
    }


def test_the_admin_api_registers_lists_shows_and_suspends_relying_parties(
    client: TestClient, admin_api: None, rp_key: Any
) -> None:
    anonymous = client.get("/api/trust/v1/clients")
    assert anonymous.status_code == 401
    created = client.post(
        "/api/trust/v1/clients", json=_spec(rp_key.as_dict(private=False)), headers=ADMIN
    )
    assert created.status_code == 201, created.text
    assert created.json()["require_par"] is True and "client_secret" not in created.json()
    again = client.post(
        "/api/trust/v1/clients", json=_spec(rp_key.as_dict(private=False)), headers=ADMIN
    )
    assert again.status_code == 409
    listed = client.get("/api/trust/v1/clients", headers=ADMIN).json()
    assert "dgi-impots" in [c["client_id"] for c in listed]
    # A JSON body (even empty) marks an API call: the CSRF check is for forms (ADR 0005).
    suspended = client.post("/api/trust/v1/clients/dgi-impots/suspend", json={}, headers=ADMIN)
    assert suspended.json()["status"] == "suspended"
    assert client.get("/api/trust/v1/clients/nope", headers=ADMIN).status_code == 404


def test_the_admin_api_refuses_a_private_key_and_unknown_scopes(
    client: TestClient, admin_api: None, rp_key: Any
) -> None:
    spec = _spec(rp_key.as_dict(private=True))
    assert client.post("/api/trust/v1/clients", json=spec, headers=ADMIN).status_code == 422
    spec = {**_spec(rp_key.as_dict(private=False)), "scopes": ["openid", "everything"]}
    assert client.post("/api/trust/v1/clients", json=spec, headers=ADMIN).status_code == 422


def _verifier(
    client: TestClient, make_rp: ClientFactory, **overrides: Any
) -> tuple[RelyingParty, str]:
    rp = make_rp(scopes=["openid", "identity_verification"], **overrides)
    response = token_request(
        client, rp, {"grant_type": "client_credentials", "scope": "identity_verification"}
    )
    assert response.status_code == 200, response.text
    return rp, response.json()["access_token"]


def test_verification_answers_a_match_per_attribute_and_never_a_value(
    client: TestClient, make_rp: ClientFactory, citizen: Person
) -> None:
    _rp, token = _verifier(client, make_rp, verification_allowed=True)
    body = {
        "cin": citizen.cin.lower(),
        "first_name": citizen.first_name.upper(),
        "last_name": "Someone Else",
        "birth_date": citizen.birth_date.isoformat(),
    }
    response = client.post(
        "/api/trust/v1/verifications", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["matches"] == {"first_name": True, "last_name": False, "birth_date": True}
    assert result["card_valid"] is True
    assert citizen.last_name not in response.text and citizen.cin not in response.text
    unknown = client.post(
        "/api/trust/v1/verifications",
        json={"cin": "ZZ999999", "first_name": "x"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (
        unknown.json()["matches"] == {"first_name": False} and unknown.json()["card_valid"] is False
    )


def test_verification_without_legal_basis_needs_the_citizens_consent(
    client: TestClient, make_rp: ClientFactory, citizen: Person, db_session: Any
) -> None:
    rp, token = _verifier(client, make_rp)
    headers = {"Authorization": f"Bearer {token}"}
    refused = client.post("/api/trust/v1/verifications", json={"cin": citizen.cin}, headers=headers)
    assert refused.status_code == 403 and refused.json()["error"] == "consent_required"
    given = consent.grant(
        db_session,
        person_id=citizen.id,
        client_id=rp.client_id,
        claims=["given_name"],
        now=rp.clock.now(),
        ttl_days=30,
    )
    body = {
        "cin": citizen.cin,
        "consent_reference": given.reference,
        "card_number": citizen.card_number,
    }
    accepted = client.post("/api/trust/v1/verifications", json=body, headers=headers)
    assert accepted.status_code == 200 and accepted.json()["matches"] == {"card_number": True}
    audited = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "trust.identity_verified")
    ).all()
    assert audited and citizen.cin not in str(audited[-1].details)


def test_verification_is_rate_limited_per_client(
    client: TestClient, make_rp: ClientFactory, citizen: Person, app: FastAPI
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"trust": app.state.settings.trust.model_copy(update={"verification_per_minute": 2})}
    )
    _rp, token = _verifier(client, make_rp, verification_allowed=True)
    headers = {"Authorization": f"Bearer {token}"}
    codes = [
        client.post(
            "/api/trust/v1/verifications", json={"cin": citizen.cin}, headers=headers
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_an_identity_token_cannot_call_the_verification_api(
    client: TestClient, make_rp: ClientFactory
) -> None:
    rp = make_rp()  # not registered for identity_verification
    response = token_request(
        client, rp, {"grant_type": "client_credentials", "scope": "identity_verification"}
    )
    assert response.status_code == 400 and response.json()["error"] == "unauthorized_client"
    anonymous = client.post("/api/trust/v1/verifications", json={"cin": "AB123456"})
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_token"
