"""The JSON login API as any front-end or app uses it, with the session cookie it sets."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from tests.http.identity.conftest import FakeSms
from tests.identity_fixtures import IssuedCard

ORIGIN = "https://idara.test"
COOKIE = "__Host-idara_session"


def set_cookie_header(response: object) -> str:
    headers = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return next(h for h in headers if h.startswith(COOKIE))


def test_a_card_login_through_the_api_sets_then_rotates_a_host_only_session_cookie(
    client: TestClient, card: IssuedCard
) -> None:
    challenge = client.post("/auth/card/challenge", json={})
    assert challenge.status_code == 200
    header = set_cookie_header(challenge)
    for attribute in ("Path=/", "HttpOnly", "SameSite=Lax", "Secure"):
        assert attribute in header
    assert "Domain" not in header
    before = client.cookies[COOKIE]
    body = challenge.json()
    assert body["origin"] == ORIGIN and len(body["nonce"]) == 44
    token = card.token(ORIGIN, body["nonce"])
    response = client.post(
        "/auth/card/token", content=token, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"next": "/fr/auth/session", "level": "high"}
    assert client.cookies[COOKIE] != before
    session = client.get("/auth/session").json()
    assert (
        session["authenticated"] and session["level"] == "high" and session["amr"] == ["hwk", "pin"]
    )


def test_a_refused_token_is_a_json_error_with_its_stable_code(
    client: TestClient, card: IssuedCard
) -> None:
    response = client.post(
        "/auth/card/token",
        content=card.token(ORIGIN, "x"),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "card_challenge_unknown"
    nonce = client.post("/auth/card/challenge", json={}).json()["nonce"]
    bad = json.loads(card.token(ORIGIN, nonce)) | {"algorithm": "none"}
    response = client.post("/auth/card/token", json=bad)
    assert response.json()["error"]["code"] == "card_token_algorithm"


def test_the_login_endpoints_are_described_in_the_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/auth/card/challenge", "/auth/card/token", "/auth/app/start", "/auth/app/status",
                 "/auth/app/approve", "/auth/app/complete", "/auth/otp/send", "/auth/otp/verify",
                 "/api/identity/certificates/{serial}/status"):  # fmt: skip
        assert path in paths, path
    token_body = paths["/auth/card/token"]["post"]["requestBody"]["content"]["application/json"]
    assert "unverifiedCertificate" in token_body["schema"]["properties"]
    approve = paths["/auth/app/approve"]["post"]["requestBody"]["content"]["application/json"]
    assert "signature" in approve["schema"]["properties"]["token"]["properties"]


def test_the_app_approves_from_another_device_while_the_page_polls(
    client: TestClient, app: object, card: IssuedCard
) -> None:
    from idara.identity import card_crypto

    started = client.post("/auth/app/start", json={}).json()
    assert client.get("/auth/app/status").json() == {"status": "pending"}
    token = card_crypto.web_eid_token(card.key, certificate=card.certificate, origin=ORIGIN,
                                      nonce=started["code"].replace("-", ""))  # fmt: skip
    with TestClient(app, base_url=ORIGIN, client=("192.0.2.9", 1)) as phone:  # type: ignore[arg-type]
        approved = phone.post("/auth/app/approve", json={"code": started["code"], "token": token})
        assert approved.status_code == 200, approved.text
        again = phone.post("/auth/app/approve", json={"code": started["code"], "token": token})
        assert again.json()["error"]["code"] == "app_code_used"
    assert client.get("/auth/app/status").json() == {"status": "approved"}
    done = client.post("/auth/app/complete", json={})
    assert done.json()["level"] == "substantial"


def test_the_sms_endpoint_answers_the_same_whether_or_not_the_cin_exists(
    client: TestClient, sms: FakeSms, registry: list
) -> None:
    known = client.post("/auth/otp/send", json={"cin": registry[0].cin})
    unknown = client.post("/auth/otp/send", json={"cin": "ZZ123456"})
    assert known.status_code == unknown.status_code == 200
    assert known.json().keys() == unknown.json().keys() and known.json()["sent"] is True
    assert len(sms.sent) == 1
    code = re.findall(r"\b[0-9]{6}\b", sms.sent[0][1])[0]
    # The code belongs to the session that asked; the last request was the unknown CIN's.
    refused = client.post("/auth/otp/verify", json={"code": code})
    assert refused.json()["error"]["code"] == "otp_invalid"


def test_too_many_attempts_from_one_address_get_a_429_with_retry_after(
    client: TestClient, app: object
) -> None:
    from idara.ratelimit import MemoryRateLimiter

    app.state.rate_limiter = MemoryRateLimiter()  # type: ignore[attr-defined]
    statuses = [client.post("/auth/card/challenge", json={}).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    last = client.post("/auth/card/challenge", json={})
    assert last.json()["error"]["code"] == "rate_limited" and int(last.headers["retry-after"]) > 0


def test_the_ca_certificates_and_the_crl_are_downloadable(
    client: TestClient, card: IssuedCard
) -> None:
    root = client.get("/pki/root-ca.crt")
    assert root.headers["content-type"] == "application/pkix-cert" and root.content[:1] == b"\x30"
    assert client.get("/pki/issuing-ca.crt?pem=true").text.startswith("-----BEGIN CERTIFICATE-----")
    crl = client.get("/pki/issuing-ca.crl")
    assert crl.headers["content-type"] == "application/pkix-crl"
    status = client.get(f"/api/identity/certificates/{card.serial}/status").json()
    assert status == {"serial": card.serial, "status": "good", "revoked_at": None, "reason": None}
    assert client.get("/api/identity/certificates/not-hex/status").status_code == 422


def test_logout_ends_the_session(client: TestClient, card: IssuedCard) -> None:
    nonce = client.post("/auth/card/challenge", json={}).json()["nonce"]
    client.post(
        "/auth/card/token",
        content=card.token(ORIGIN, nonce),
        headers={"content-type": "application/json"},
    )
    assert client.post("/auth/logout", json={}).status_code == 204
    assert client.get("/auth/session").json()["authenticated"] is False
