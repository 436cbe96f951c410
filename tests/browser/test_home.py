"""The home page in a real Chromium: languages, direction, phone width, keyboard, axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.axe import blocking_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_the_home_page_is_accessible_in_each_language(
    page: Page, server: str, screenshots: Path, lang: str, direction: str
) -> None:
    page.goto(f"{server}/{lang}/")
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == direction
    page.screenshot(path=screenshots / f"home-{lang}-360.png", full_page=True)
    assert blocking_violations(page) == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_home_page_fits_a_360_pixel_phone_without_sideways_scrolling(
    page: Page, server: str, lang: str
) -> None:
    page.goto(f"{server}/{lang}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_the_language_switch_keeps_the_page(page: Page, server: str) -> None:
    page.goto(f"{server}/fr/")
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url(f"{server}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(f"{server}/fr/")


def test_the_first_tab_reaches_a_visible_skip_link_to_the_content(page: Page, server: str) -> None:
    page.goto(f"{server}/fr/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    box = focused.bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_not_found_page_is_translated_and_accessible(
    page: Page, server: str, screenshots: Path, lang: str
) -> None:
    response = page.goto(f"{server}/{lang}/no-such-page")
    assert response is not None and response.status == 404
    page.screenshot(path=screenshots / f"404-{lang}.png")
    assert blocking_violations(page) == []


def test_the_pages_run_under_the_content_security_policy_without_violations(
    page: Page, server: str
) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{server}/ar/")
    assert [m for m in messages if "Content Security Policy" in m] == []


def test_the_accessibility_check_does_catch_a_real_violation(page: Page) -> None:
    page.set_content('<html lang="fr"><body><main><img src="x.png"></main></body></html>')
    assert "image-alt" in {v["id"] for v in blocking_violations(page)}
