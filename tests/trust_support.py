"""Test helpers for the trust service: a relying party with its keys, a citizen, sign-in.

The relying party here is written independently of the provider's code (joserfc directly),
so a test proves the provider against the protocol, not against itself.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet
from sqlalchemy.orm import Session

from idara.audit.schemas import AuditContext
from idara.identity import population
from idara.identity.flows import login
from idara.identity.flows.context import Ctx
from idara.identity.models import Person
from idara.ratelimit import MemoryRateLimiter
from idara.sessions import service as sessions
from idara.sessions import web as session_web
from idara.settings import Settings
from idara.trust import clients
from idara.trust.clock import ManualClock
from idara.trust.schemas import ClientSpec
from tests.conftest import TEST_ORIGIN

REDIRECT = "https://rp.example/callback"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_URL = f"{TEST_ORIGIN}/oidc/token"
PAR_URL = f"{TEST_ORIGIN}/oidc/par"
USERINFO_URL = f"{TEST_ORIGIN}/oidc/userinfo"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, b64url(hashlib.sha256(verifier.encode()).digest())


@dataclass
class RelyingParty:
    """A test relying party: its id, signing key, DPoP key, and the provider's clock."""

    client_id: str
    key: ECKey
    clock: ManualClock
    dpop_key: ECKey = field(default_factory=lambda: ECKey.generate_key("P-256"))
    dpop_nonce: str | None = None
    verifier: str = ""
    secret: str | None = None

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    def assertion(self, **overrides: Any) -> str:
        """A private_key_jwt client assertion (RFC 7523), overridable claim by claim."""
        claims: dict[str, Any] = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": TEST_ORIGIN,
            "iat": self.now(),
            "exp": self.now() + 60,
            "jti": secrets.token_urlsafe(16),
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        alg = claims.pop("_alg", "ES256")
        key = claims.pop("_key", self.key)
        return jwt.encode({"alg": alg, "kid": key.kid}, claims, key, algorithms=[alg])

    def auth(self, **overrides: Any) -> dict[str, str]:
        return {
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.assertion(**overrides),
        }

    def proof(
        self,
        method: str,
        url: str,
        *,
        token: str | None = None,
        key: ECKey | None = None,
        **extra: Any,
    ) -> str:
        """A DPoP proof (RFC 9449 §4.2) with the current server nonce."""
        key = key or self.dpop_key
        claims: dict[str, Any] = {
            "jti": secrets.token_urlsafe(16),
            "htm": method,
            "htu": url,
            "iat": self.now(),
        }
        if self.dpop_nonce:
            claims["nonce"] = self.dpop_nonce
        if token is not None:
            claims["ath"] = b64url(hashlib.sha256(token.encode()).digest())
        claims.update(extra)
        claims = {k: v for k, v in claims.items() if v is not None}
        header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}
        return jwt.encode(header, claims, key, algorithms=["ES256"])

    def authorize_params(self, **overrides: Any) -> dict[str, str]:
        """A valid authorization request; `None` removes a parameter."""
        self.verifier, challenge = pkce_pair()
        params: dict[str, Any] = {
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": REDIRECT,
            "scope": "openid profile",
            "state": secrets.token_urlsafe(12),
            "nonce": secrets.token_urlsafe(12),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        params.update(overrides)
        return {k: str(v) for k, v in params.items() if v is not None}


def citizen_row(index: int = 1, **overrides: Any) -> Person:
    """A person of the synthetic registry with a valid card."""
    values = population.person(4242, index)
    values.update(card_status="active", card_expires_on=date(2099, 1, 1), phone="+212600000001")
    values.update(overrides)
    return Person(**values)


def redirect_params(location: str) -> dict[str, str]:
    """The query parameters of a redirect."""
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


class Browser:
    """The citizen's browser on the provider: authorize, sign in, consent."""

    def __init__(
        self, http: TestClient, db: Session, settings: Settings, clock: ManualClock
    ) -> None:
        self.http = http
        self.db = db
        self.settings = settings
        self.clock = clock

    def get(self, url: str, **params: str) -> Any:
        return self.http.get(url, params=params or None, follow_redirects=False)

    def sign_in(self, person: Person, method: login.Method = login.Method.CARD) -> str:
        """What identity's login does when it succeeds, through its seam (login.complete)."""
        name = session_web.cookie_name(self.settings)
        token = self.http.cookies.get(name)
        now = self.clock.now()
        row = sessions.find(self.db, token=token, now=now) if token else None
        if row is None:
            row, token = sessions.create(self.db, settings=self.settings.session, now=now)
        ctx = Ctx(
            db=self.db,
            settings=self.settings,
            limiter=MemoryRateLimiter(),
            audit=AuditContext.system("test"),
            now=now,
            web_session=row,
        )
        new_token, next_url = login.complete(ctx, person=person, method=method)
        self.db.flush()
        self.http.cookies.set(name, new_token, domain="idara.test", path="/")
        return next_url

    def consent(self, location: str, decision: str = "approve") -> Any:
        page = self.http.get(location, follow_redirects=False)
        assert page.status_code == 200, page.text
        return self.http.post(
            location,
            data={"csrf_token": csrf_from(page.text), "decision": decision},
            follow_redirects=False,
        )

    def authorize(self, params: dict[str, str], person: Person | None = None) -> Any:
        """Run the authorization request to its end: sign in and consent when asked."""
        response = self.get("/oidc/authorize", **params)
        for _ in range(4):
            location = response.headers.get("location", "")
            if response.status_code not in (302, 303) or location.startswith("https://rp."):
                return response
            if "/auth/login" in location:
                assert person is not None, "the provider asks for a login"
                response = self.get(self.sign_in(person))
            elif "/oidc/consent/" in location:
                response = self.consent(location)
            else:
                return response
        return response


def code_of(response: Any) -> str:
    assert response.status_code in (302, 303), response.text
    params = redirect_params(response.headers["location"])
    assert "code" in params, params
    return params["code"]


@pytest.fixture
def trust_clock(app: FastAPI) -> ManualClock:
    """The provider's clock, moved by the test."""
    manual = ManualClock()
    app.state.trust_clock = manual
    return manual


@pytest.fixture
def citizen(db_session: Session) -> Person:
    person = citizen_row(1)
    db_session.add(person)
    db_session.flush()
    return person


@pytest.fixture(scope="session")
def rp_key() -> ECKey:
    return ECKey.generate_key("P-256", auto_kid=True)


ClientFactory = Callable[..., RelyingParty]


@pytest.fixture
def make_rp(db_session: Session, rp_key: ECKey, trust_clock: ManualClock) -> ClientFactory:
    """Register a relying party (overrides go to its ClientSpec)."""

    def make(**overrides: Any) -> RelyingParty:
        key = overrides.pop("key", rp_key)
        values: dict[str, Any] = {
            "client_id": f"rp-{secrets.token_hex(4)}",
            "name_fr": "Service de test",
            "name_ar": "خدمة الاختبار",
            "organisation_fr": "Ministère des tests",
            "organisation_ar": "وزارة الاختبارات",
            "purpose_fr": "Vérifier votre identité pour le test",
            "purpose_ar": "التحقق من هويتك للاختبار",
            "legal_basis_fr": "Loi 00-00, article 1",
            "legal_basis_ar": "القانون 00-00، المادة 1",
            "redirect_uris": [REDIRECT],
            "post_logout_redirect_uris": ["https://rp.example/bye"],
            "jwks": {"keys": [key.as_dict(private=False)]},
            "scopes": ["openid", "profile", "birth", "address", "phone", "photo", "card"],
            "min_acr": "low",
        }
        values.update(overrides)
        client, secret = clients.add(db_session, ClientSpec(**values), now=trust_clock.now())
        return RelyingParty(client_id=client.client_id, key=key, clock=trust_clock, secret=secret)

    return make


@pytest.fixture
def browser(
    client: TestClient, db_session: Session, settings: Settings, trust_clock: ManualClock
) -> Browser:
    return Browser(client, db_session, settings, trust_clock)


def token_request(
    http: TestClient, rp: RelyingParty, form: dict[str, str], *, dpop: bool = False
) -> Any:
    """POST to the token endpoint, answering a DPoP nonce challenge once."""
    for _ in range(2):
        headers = {"DPoP": rp.proof("POST", TOKEN_URL)} if dpop else {}
        response = http.post("/oidc/token", data={**form, **rp.auth()}, headers=headers)
        if response.status_code == 400 and response.json().get("error") == "use_dpop_nonce":
            rp.dpop_nonce = response.headers["DPoP-Nonce"]
            continue
        return response
    return response


def exchange(
    http: TestClient, rp: RelyingParty, code: str, *, dpop: bool = False, **extra: str
) -> Any:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": rp.verifier,
        **extra,
    }
    return token_request(http, rp, form, dpop=dpop)


def provider_keys(http: TestClient) -> KeySet:
    return KeySet.import_key_set(http.get("/oidc/jwks").json())


def decode_id_token(http: TestClient, token: str) -> dict[str, Any]:
    decoded = jwt.decode(token, provider_keys(http), algorithms=["ES256"])
    return dict(decoded.claims)


def par_push(
    http: TestClient, rp: RelyingParty, params: dict[str, str], *, dpop: bool = True, **auth: Any
) -> Any:
    """POST a pushed authorization request (RFC 9126), answering a DPoP nonce challenge."""
    for _ in range(2):
        headers = {"DPoP": rp.proof("POST", PAR_URL)} if dpop else {}
        response = http.post("/oidc/par", data={**params, **rp.auth(**auth)}, headers=headers)
        if response.status_code == 400 and response.json().get("error") == "use_dpop_nonce":
            rp.dpop_nonce = response.headers["DPoP-Nonce"]
            continue
        return response
    return response


def fapi_code(
    browser: Browser, rp: RelyingParty, person: Person, **params: Any
) -> tuple[str, dict[str, str]]:
    """PAR then the authorization endpoint with only client_id and request_uri; the code."""
    pushed = rp.authorize_params(**params)
    response = par_push(browser.http, rp, pushed)
    assert response.status_code == 201, response.text
    request_uri = response.json()["request_uri"]
    answer = browser.authorize({"client_id": rp.client_id, "request_uri": request_uri}, person)
    return code_of(answer), pushed


def userinfo(
    http: TestClient, rp: RelyingParty, token: str, *, dpop: bool = False, method: str = "GET"
) -> Any:
    """Call userinfo with a Bearer or DPoP-bound token (answering a nonce challenge)."""
    for _ in range(2):
        if dpop:
            headers = {
                "Authorization": f"DPoP {token}",
                "DPoP": rp.proof(method, USERINFO_URL, token=token),
            }
        else:
            headers = {"Authorization": f"Bearer {token}"}
        response = http.request(method, "/oidc/userinfo", headers=headers)
        if response.status_code == 401 and "use_dpop_nonce" in response.headers.get(
            "www-authenticate", ""
        ):
            rp.dpop_nonce = response.headers["DPoP-Nonce"]
            continue
        return response
    return response
