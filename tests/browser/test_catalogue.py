"""The catalogue in a real Chromium: search to service page in both languages, axe-core clean."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import blocking_violations
from tests.browser.conftest import free_port
from tests.live_server import running_idara

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`idara demo` data (the sample catalogue) served by `idara serve`; yields origin, password."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    data_dir = tmp_path_factory.mktemp("catalogue-browser")
    env = {
        **os.environ,
        "IDARA_ENV": "development",
        "IDARA_DATA_DIR": str(data_dir),
        "IDARA_PUBLIC_ORIGIN": origin,
        "IDARA_WEB__SECRET_KEY": "catalogue-browser-" + "k" * 24,
    }
    env.pop("IDARA_DB__URL", None)
    idara = [sys.executable, "-m", "idara"]
    loaded = subprocess.run(
        [*idara, "demo", "--no-serve", "--port", str(port)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    password = re.search(r"user ministere password (\S+)", loaded.stdout)
    assert password is not None, loaded.stdout
    with running_idara(env, port, data_dir / "server.log"):
        yield origin, password.group(1)


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("fr", "carte d'identite", "Demande de la carte nationale d'identité électronique"),
        ("ar", "لاكارط", "طلب الحصول على البطاقة الوطنية للتعريف الإلكترونية"),
    ],
)
def test_a_citizen_searches_then_opens_the_service_page(
    page: Page,
    demo_server: tuple[str, str],
    screenshots: Path,
    lang: str,
    query: str,
    expected: str,
) -> None:
    origin, _ = demo_server
    page.goto(f"{origin}/{lang}/")
    page.locator("#home-q").fill(query)
    page.locator("#home-q").press("Enter")
    page.wait_for_url(re.compile(rf"/{lang}/services\?q="))
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    expect(page.locator(".result mark").first).to_be_visible()  # title or matched alias
    page.screenshot(path=screenshots / f"catalogue-search-{lang}-360.png", full_page=True)
    assert blocking_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".result h3 a").first.click()
    page.wait_for_url(re.compile(rf"/{lang}/services/CIV-0001-"))
    expect(page.locator("h1")).to_contain_text(expected)
    expect(page.locator(".sample-notice")).to_be_visible()
    expect(page.locator(".held-by").first).to_be_visible()
    page.screenshot(path=screenshots / f"catalogue-service-{lang}-360.png", full_page=True)
    assert blocking_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_filters_and_the_law_report_are_accessible(
    page: Page, demo_server: tuple[str, str]
) -> None:
    origin, _ = demo_server
    page.goto(f"{origin}/fr/services?online=yes&audience=business")
    page.locator("#f-theme").select_option(index=1)
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator(".results-count")).to_contain_text("démarche")
    assert blocking_violations(page) == []
    page.goto(f"{origin}/ar/law-55-19")
    assert blocking_violations(page) == []


def test_a_ministry_editor_signs_in_and_opens_a_service_form(
    page: Page, demo_server: tuple[str, str], screenshots: Path
) -> None:
    origin, password = demo_server
    page.goto(f"{origin}/fr/admin/login")
    assert blocking_violations(page) == []
    page.get_by_label("Identifiant").fill("ministere")
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{origin}/fr/admin/catalogue")
    page.goto(f"{origin}/fr/admin/catalogue/services/CIV-0024/edit")
    expect(page.locator("#title_ar")).to_have_value("شهادة السكنى")
    page.screenshot(path=screenshots / "catalogue-edit-fr-360.png", full_page=True)
    assert blocking_violations(page) == []
