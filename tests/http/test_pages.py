"""Pages in French and Arabic, language choice, security headers, request ids."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from idara.main import create_app
from idara.settings import Settings
from tests.conftest import make_settings


@pytest.mark.parametrize(("lang", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_the_home_page_is_served_in_each_language_with_its_direction(
    client: TestClient, lang: str, direction: str
) -> None:
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in response.text
    assert 'href="#main"' in response.text and '<main id="main"' in response.text


def test_the_arabic_home_page_is_actually_in_arabic(client: TestClient) -> None:
    text = client.get("/ar/").text
    assert "خدماتك العمومية، عبر الإنترنت" in text
    assert "Your public services" not in text


def test_the_root_redirects_to_the_language_the_browser_prefers(client: TestClient) -> None:
    response = client.get(
        "/", headers={"accept-language": "ar-MA,ar;q=0.9"}, follow_redirects=False
    )
    assert response.status_code == 307 and response.headers["location"] == "/ar/"
    response = client.get("/", headers={"accept-language": "en-GB"}, follow_redirects=False)
    assert response.headers["location"] == "/fr/"


def test_an_unknown_language_code_goes_to_the_default_language(client: TestClient) -> None:
    response = client.get("/en/?x=1", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/fr/?x=1"
    assert client.get("/en/").status_code == 200


def test_the_language_switch_points_to_the_same_page_in_the_other_language(
    client: TestClient,
) -> None:
    text = client.get("/fr/").text
    assert re.search(r'<a href="/ar/" lang="ar" hreflang="ar">العربية</a>', text)
    assert '<span aria-current="true" lang="fr">Français</span>' in text


@pytest.mark.parametrize("path", ["/fr/", "/healthz", "/fr/no-such-page"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["strict-transport-security"].startswith("max-age=")


def test_hsts_is_not_sent_when_the_site_is_served_over_http(
    settings: Settings, tmp_path: object
) -> None:
    plain = make_settings(
        settings.data_dir,
        settings.database_url,
        env="development",
        public_origin="http://127.0.0.1:8000",
    )
    with TestClient(create_app(plain)) as client:
        assert "strict-transport-security" not in client.get("/healthz").headers


def test_each_response_has_a_request_id_and_a_safe_incoming_one_is_kept(
    client: TestClient,
) -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz").headers["x-request-id"])
    kept = client.get("/healthz", headers={"x-request-id": "lb-abcdef123"})
    assert kept.headers["x-request-id"] == "lb-abcdef123"
    replaced = client.get("/healthz", headers={"x-request-id": "<script>"})
    assert replaced.headers["x-request-id"] != "<script>"


def test_static_files_are_served_with_a_content_hash(client: TestClient) -> None:
    css = re.search(r'href="(/static/idara\.css\?v=[0-9a-f]{10})"', client.get("/fr/").text)
    assert css is not None
    response = client.get(css.group(1))
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]


def test_pages_are_light(client: TestClient) -> None:
    page = client.get("/ar/")
    css = client.get("/static/idara.css")
    assert len(page.content) + len(css.content) < 30_000
    assert "<script" not in page.text
