"""The flows the trust benchmarks drive: one complete login on Idara or on oidc-provider,
and one client-credentials token request, each as a client would do it over HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey

from idara import db, migrate
from idara.identity import card_crypto, population
from idara.identity.flows import pki as pki_flow
from idara.identity.service import persons
from idara.settings import Settings
from idara.trust import claims, clients, consent, keyring
from idara.trust.schemas import ClientSpec

ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
REDIRECT = "http://127.0.0.1:9/callback"
Card = tuple[card_crypto.CardKey, bytes]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _assertion(key: ECKey, client_id: str, audience: str) -> str:
    now = int(time.time())
    body = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode({"alg": "ES256", "kid": key.kid}, body, key, algorithms=["ES256"])


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, _b64(hashlib.sha256(verifier.encode()).digest())


def prepare_idara(
    data_dir: Path, users: int, key: ECKey, url: str | None = None, schema: str | None = None
) -> list[Card]:
    """Persons with cards, the benchmark client, and a remembered consent for each person."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=data_dir, db={"url": url}, identity={"pin_kdf_iterations": 1000}
    )
    extra = {"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}
    engine = db.make_engine(settings, **extra)
    if schema:
        migrate.upgrade(engine)
    cards: list[Card] = []
    with db.transaction(db.make_session_factory(engine)) as session:
        rows = []
        for row in population.generate(17, users):
            row.update(card_status="active", card_issued_on=db.utcnow().date())
            row["card_expires_on"] = row["card_issued_on"].replace(
                year=row["card_issued_on"].year + 5
            )
            rows.append(row)
        persons.add_persons(session, rows)
        keyring.ensure(session, settings.trust, now=db.utcnow())
        spec = ClientSpec(
            client_id="bench",
            name_fr="Banc d'essai",
            name_ar="اختبار الأداء",
            organisation_fr="Idara",
            organisation_ar="إدارة",
            purpose_fr="Mesurer",
            purpose_ar="القياس",
            legal_basis_fr="Aucune",
            legal_basis_ar="لا شيء",
            redirect_uris=[REDIRECT],
            jwks={"keys": [key.as_dict(private=False)]},
            scopes=["openid", "profile", "identity_verification"],
            min_acr="low",
        )
        clients.add(session, spec, now=db.utcnow())
        wanted = claims.requested(["openid", "profile"], claims.ClaimsRequest({}, {}))
        store = pki_flow.key_store(settings)
        for row in rows:
            person = persons.find_by_cin(session, cin=row["cin"])
            assert person is not None
            consent.grant(
                session,
                person_id=person.id,
                client_id="bench",
                claims=wanted,
                now=db.utcnow(),
                ttl_days=30,
            )
            issued = pki_flow.issue_card(
                session, store, settings, person=person, pin="1234", puk="12345678", now=db.utcnow()
            )
            cards.append(
                (card_crypto.unlock(issued.file, "1234"), card_crypto.certificate_of(issued.file))
            )
    engine.dispose()
    return cards


async def idara_login(http: httpx.AsyncClient, card: Card, key: ECKey, origin: str) -> None:
    """One complete login, from the authorization request to the userinfo answer."""
    http.cookies.clear()
    verifier, challenge = _pkce()
    query = urlencode(
        {
            "client_id": "bench",
            "response_type": "code",
            "redirect_uri": REDIRECT,
            "scope": "openid profile",
            "state": secrets.token_urlsafe(8),
            "nonce": secrets.token_urlsafe(8),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    step = await http.get(f"/oidc/authorize?{query}")
    assert step.status_code == 302, step.text
    assert "/auth/login" in step.headers["location"]
    nonce = (await http.post("/auth/card/challenge", json={})).json()["nonce"]
    token = card_crypto.web_eid_token(card[0], certificate=card[1], origin=origin, nonce=nonce)
    answer = await http.post("/auth/card/token", json=token)
    step = await http.get(answer.json()["next"])
    code = parse_qs(urlsplit(step.headers["location"]).query)["code"][0]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
        "client_assertion_type": ASSERTION,
        "client_assertion": _assertion(key, "bench", origin),
    }
    tokens = (await http.post("/oidc/token", data=form)).json()
    info = await http.get(
        "/oidc/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert info.status_code == 200, info.text


async def op_login(http: httpx.AsyncClient, account: str, key: ECKey, origin: str) -> None:
    """The same flow on oidc-provider: its login interaction stands in for the card."""
    http.cookies.clear()
    verifier, challenge = _pkce()
    query = urlencode(
        {
            "client_id": "bench",
            "response_type": "code",
            "redirect_uri": REDIRECT,
            "scope": "openid profile",
            "state": secrets.token_urlsafe(8),
            "nonce": secrets.token_urlsafe(8),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    step = await http.get(f"/auth?{query}")
    step = await http.post(step.headers["location"], data={"account": account})
    step = await http.get(step.headers["location"])
    code = parse_qs(urlsplit(step.headers["location"]).query)["code"][0]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
        "client_assertion_type": ASSERTION,
        "client_assertion": _assertion(key, "bench", origin),
    }
    tokens = (await http.post("/token", data=form)).json()
    info = await http.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 200, info.text


async def client_credentials(
    http: httpx.AsyncClient, path: str, key: ECKey, origin: str, scope: str
) -> None:
    """One token-endpoint request: client credentials with a fresh client assertion."""
    form = {
        "grant_type": "client_credentials",
        "scope": scope,
        "client_assertion_type": ASSERTION,
        "client_assertion": _assertion(key, "bench", origin),
    }
    response = await http.post(path, data=form)
    assert response.status_code == 200, response.text
