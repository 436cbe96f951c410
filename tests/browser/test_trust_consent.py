"""The whole sign-in in Chromium: the portal (a relying party) → login with the virtual card →
the consent screen → back in the citizen's space, in French and in Arabic, axe-core clean.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import blocking_violations

pytestmark = pytest.mark.browser
PIN = "2468"
ACCEPT = {"fr": "Accepter et continuer", "ar": "أوافق وأتابع"}
TITLES = {"fr": "Mes connexions", "ar": "عمليات دخولي"}


def idara(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "idara", *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def citizens(server: str, server_env: dict[str, str]) -> dict[str, Path]:
    """One citizen with a virtual card per language (a consent is remembered per citizen)."""
    idara(server_env, "identity", "generate", "--count", "12", "--seed", "7")
    people = json.loads(idara(server_env, "identity", "list", "--limit", "200", "--json"))
    active = [p for p in people if p["card_status"] == "active"][-2:]
    cards = {}
    for lang, person in zip(("fr", "ar"), active, strict=True):
        path = Path(server_env["IDARA_DATA_DIR"]) / f"trust-{person['cin']}.json"
        idara(server_env, "card", "issue", "--cin", person["cin"], "--out", str(path), "--pin", PIN)
        cards[lang] = path
    return cards


def _fits_and_is_clean(page: Page, screenshots: Path, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    assert blocking_violations(page) == [], name


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_citizen_signs_in_to_their_space_through_the_provider_and_consents(
    page: Page, server: str, citizens: dict[str, Path], screenshots: Path, lang: str
) -> None:
    page.goto(f"{server}/{lang}/me/login")
    page.wait_for_url(f"{server}/{lang}/auth/login")  # the provider asks for a login
    page.locator(f'a[href="/{lang}/auth/card"]').click()
    page.locator("#card_file").set_input_files(str(citizens[lang]))
    page.locator("#pin").fill(PIN)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{server}/{lang}/oidc/consent/**")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    expect(page.locator("main")).to_contain_text("Portail Idara" if lang == "fr" else "بوابة إدارة")
    _fits_and_is_clean(page, screenshots, f"trust-consent-{lang}-360")
    page.get_by_role("button", name=ACCEPT[lang]).click()
    page.wait_for_url(f"{server}/{lang}/me/")
    expect(page.get_by_role("heading", name=TITLES[lang])).to_be_visible()
    _fits_and_is_clean(page, screenshots, f"trust-me-{lang}-360")
    page.goto(f"{server}/{lang}/me/consents")
    _fits_and_is_clean(page, screenshots, f"trust-consents-{lang}-360")
    page.goto(f"{server}/{lang}/me/shared")
    _fits_and_is_clean(page, screenshots, f"trust-shared-{lang}-360")
