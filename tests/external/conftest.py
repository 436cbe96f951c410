"""A real `idara serve` with a citizen, a virtual card and two registered relying parties.

External relying parties (openid-client under node, Authlib in Python) talk to it over HTTP
on the loopback interface; the citizen's browser is played by httpx, and the card answers
the login challenge through identity's JSON API with `idara card sign` (the card CLI).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from joserfc.jwk import ECKey

from tests.live_server import running_idara

PIN = "4321"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LiveProvider:
    """The running provider and what the external tests need to use it."""

    origin: str
    data_dir: Path
    env: dict[str, str]
    card_file: Path
    fapi_key_file: Path
    plain_key: ECKey
    redirect_uri: str
    post_logout_uri: str

    def idara(self, *args: str) -> str:
        """Run the idara command against this provider's data; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "idara", *args],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.stdout


def _register(
    provider_env: dict[str, str],
    folder: Path,
    client_id: str,
    jwk: dict[str, object],
    *,
    fapi: bool,
    redirect: str,
    bye: str,
) -> None:
    spec = {
        "client_id": client_id,
        "name_fr": f"Service externe {client_id}",
        "name_ar": f"خدمة خارجية {client_id}",
        "organisation_fr": "Administration de test",
        "organisation_ar": "إدارة الاختبار",
        "purpose_fr": "Tester un client certifié",
        "purpose_ar": "اختبار عميل معتمد",
        "legal_basis_fr": "Loi 00-00",
        "legal_basis_ar": "القانون 00-00",
        "redirect_uris": [redirect],
        "post_logout_redirect_uris": [bye],
        "scopes": ["openid", "profile", "birth"],
        "min_acr": "high",
        "fapi": fapi,
    }
    public = {k: v for k, v in jwk.items() if k != "d"}
    (folder / f"{client_id}.json").write_text(json.dumps(spec), encoding="utf-8")
    (folder / f"{client_id}-jwks.json").write_text(json.dumps({"keys": [public]}), encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "idara",
            "trust",
            "client",
            "add",
            "--file",
            str(folder / f"{client_id}.json"),
            "--jwks-file",
            str(folder / f"{client_id}-jwks.json"),
        ],
        env=provider_env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def live_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveProvider]:
    """Start the provider once for the external tests."""
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    data_dir = tmp_path_factory.mktemp("external-provider")
    env = {
        **os.environ,
        "IDARA_ENV": "development",
        "IDARA_DATA_DIR": str(data_dir),
        "IDARA_PUBLIC_ORIGIN": origin,
        "IDARA_WEB__SECRET_KEY": "external-test-secret-" + "k" * 24,
        "IDARA_TRUST__KEY_KDF_ITERATIONS": "1000",
        "IDARA_IDENTITY__PIN_KDF_ITERATIONS": "1000",
        "IDARA_LOG__JSON": "true",
    }
    env.pop("IDARA_DB__URL", None)
    run = [sys.executable, "-m", "idara"]
    subprocess.run([*run, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run(
        [*run, "identity", "generate", "--count", "20", "--seed", "11"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    people = json.loads(
        subprocess.run(
            [*run, "identity", "list", "--limit", "20", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    )
    person = next(
        p for p in people if p["card_status"] == "active" and p["card_expires_on"] > "2027"
    )
    card = data_dir / "card.json"
    subprocess.run(
        [*run, "card", "issue", "--cin", person["cin"], "--out", str(card), "--pin", PIN],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    redirect, bye = "http://127.0.0.1:9/callback", "http://127.0.0.1:9/bye"
    fapi_key = ECKey.generate_key("P-256", auto_kid=True)
    fapi_file = data_dir / "ext-fapi-private.json"
    fapi_file.write_text(
        json.dumps({**fapi_key.as_dict(private=True), "kid": fapi_key.kid}), encoding="utf-8"
    )
    _register(
        env,
        data_dir,
        "ext-fapi",
        {**fapi_key.as_dict(private=False), "kid": fapi_key.kid},
        fapi=True,
        redirect=redirect,
        bye=bye,
    )
    plain_key = ECKey.generate_key("P-256", auto_kid=True)
    _register(
        env,
        data_dir,
        "ext-plain",
        {**plain_key.as_dict(private=False), "kid": plain_key.kid},
        fapi=False,
        redirect=redirect,
        bye=bye,
    )
    with running_idara(env, port, data_dir / "server.log"):
        yield LiveProvider(origin, data_dir, env, card, fapi_file, plain_key, redirect, bye)


class CitizenBrowser:
    """The citizen's side: a cookie jar, the card login, the consent screen."""

    def __init__(self, provider: LiveProvider) -> None:
        self.provider = provider
        self.http = httpx.Client(base_url=provider.origin, follow_redirects=False, timeout=30)

    def authorize(self, url: str) -> str:
        """From the authorization URL to the callback URL the provider redirects to."""
        response = self.http.get(url)
        assert response.status_code == 302, response.text
        assert "/auth/login" in response.headers["location"]
        nonce = self.http.post("/auth/card/challenge", json={}).json()["nonce"]
        token = self.provider.idara(
            "card",
            "sign",
            "--card",
            str(self.provider.card_file),
            "--pin",
            PIN,
            "--origin",
            self.provider.origin,
            "--nonce",
            nonce,
        )
        answer = self.http.post(
            "/auth/card/token", content=token.strip(), headers={"content-type": "application/json"}
        )
        assert answer.status_code == 200, answer.text
        response = self.http.get(answer.json()["next"])
        location = response.headers["location"]
        if "/oidc/consent/" in location:
            page = self.http.get(location)
            found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert found
            response = self.http.post(
                location, data={"csrf_token": found.group(1), "decision": "approve"}
            )
            location = response.headers["location"]
        assert location.startswith(self.provider.redirect_uri), location
        return location


@pytest.fixture
def citizen_browser(live_provider: LiveProvider) -> Iterator[CitizenBrowser]:
    browser = CitizenBrowser(live_provider)
    yield browser
    browser.http.close()
