"""Logging in for real in Chromium: the virtual card, and the QR code approved by the app.

What is simulated: the card is a file. With JavaScript the browser plays the card (Web
Crypto opens the file with the PIN and signs the challenge; only the Web eID token is sent);
without it, the demo's virtual reader on the server plays the card. The mobile app is this
test, which signs the code with the card key and calls the same JSON API that
`idara app approve` calls, while the page polls with its static script.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from idara.identity import card_crypto
from tests.browser.axe import blocking_violations

pytestmark = pytest.mark.browser
PIN, PUK = "1234", "12345678"


def idara(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "idara", *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def cards(server: str, server_env: dict[str, str]) -> list[tuple[dict[str, str], Path]]:
    """Two citizens with valid virtual cards, issued with the CLI into the server's database."""
    idara(server_env, "identity", "generate", "--count", "40", "--seed", "7")
    people = json.loads(idara(server_env, "identity", "list", "--limit", "40", "--json"))
    chosen = [p for p in people if p["card_status"] == "active"][:2]
    issued = []
    for person in chosen:
        path = Path(server_env["IDARA_DATA_DIR"]) / f"{person['cin']}.json"
        idara(server_env, "card", "issue", "--cin", person["cin"], "--out", str(path),
              "--pin", PIN, "--puk", PUK)  # fmt: skip
        issued.append((person, path))
    return issued


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_login_pages_are_accessible_at_phone_width(
    page: Page, server: str, screenshots: Path, lang: str
) -> None:
    for name in ("login", "card", "app", "otp"):
        page.goto(f"{server}/{lang}/auth/{name}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=screenshots / f"auth-{name}-{lang}-360.png", full_page=True)
        assert blocking_violations(page) == [], name


def test_the_browser_plays_the_card_and_the_pin_never_leaves_the_device(
    page: Page, server: str, cards: list[tuple[dict[str, str], Path]]
) -> None:
    _person, path = cards[0]
    sent: list[tuple[str, str]] = []
    page.on(
        "request", lambda r: sent.append((r.url, r.post_data or "")) if r.method == "POST" else None
    )
    page.goto(f"{server}/ar/auth/card")
    page.get_by_label("ملف البطاقة").set_input_files(str(path))
    page.get_by_label("رمز PIN").fill("9999")
    page.get_by_role("button", name="تسجيل الدخول بالبطاقة").click()
    expect(page.locator("#card-local-error")).to_contain_text("رمز PIN غير صحيح")
    page.get_by_label("رمز PIN").fill(PIN)
    page.get_by_role("button", name="تسجيل الدخول بالبطاقة").click()
    page.wait_for_url(f"{server}/ar/auth/session")
    expect(page.locator("main")).to_contain_text("hwk, pin")
    assert [url for url, _ in sent] == [f"{server}/ar/auth/card/token"]
    token = sent[0][1]
    assert "web-eid%3A1.0" in token  # the Web eID token, form-encoded
    assert PIN not in token.replace("%22", "") and "key_pin" not in token


def test_without_javascript_the_server_reader_counts_wrong_pins(
    browser: Browser, server: str, cards: list[tuple[dict[str, str], Path]]
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    person, path = cards[1]
    page.goto(f"{server}/fr/auth/login")
    page.get_by_role("link", name="Carte d’identité (CNIE) et code PIN").click()
    page.get_by_label("Fichier de la carte").set_input_files(str(path))
    page.get_by_label("Code PIN").fill("9999")
    page.get_by_role("button", name="Se connecter avec la carte").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Essais restants avant le blocage de la carte : 2"
    )
    page.get_by_label("Fichier de la carte").set_input_files(str(path))
    page.get_by_label("Code PIN").fill(PIN)
    page.get_by_role("button", name="Se connecter avec la carte").click()
    page.wait_for_url(f"{server}/fr/auth/session")
    expect(page.locator("main")).to_contain_text(person["first_name"])
    expect(page.locator("main")).to_contain_text("hwk, pin")
    context.close()


def test_a_citizen_signs_in_by_approving_the_qr_code_in_the_app(
    page: Page, server: str, cards: list[tuple[dict[str, str], Path]]
) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    person, path = cards[1]
    page.goto(f"{server}/ar/auth/app")
    code = page.locator("#app-code").inner_text()
    expect(page.locator("#app-status")).to_contain_text("في انتظار موافقتك")
    # The "app": unlock the card with the PIN, sign the code, call the approval API.
    content = card_crypto.read_card(path)
    key = card_crypto.unlock(content, PIN)
    token = card_crypto.web_eid_token(key, certificate=card_crypto.certificate_of(content),
                                      origin=server, nonce=code.replace("-", ""))  # fmt: skip
    approved = httpx.post(f"{server}/auth/app/approve", json={"code": code, "token": token})
    assert approved.status_code == 200, approved.text
    page.wait_for_url(f"{server}/ar/auth/session", timeout=10_000)  # the page polled and went on
    expect(page.locator("main")).to_contain_text(person["first_name_ar"])
    assert [m for m in console if "Content Security Policy" in m] == []
