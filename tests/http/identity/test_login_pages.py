"""The login pages in French and Arabic: methods, the card reader, clear translated errors."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from idara.settings import Settings
from tests.identity_fixtures import PIN, IssuedCard, issue

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path, headers={"accept": "text/html"})
    assert page.status_code == 200
    return TOKEN.findall(page.text)[0]


def reader(client: TestClient, lang: str, card: IssuedCard, pin: str) -> object:
    token = csrf(client, f"/{lang}/auth/card")
    return client.post(
        f"/{lang}/auth/card/reader",
        data={"pin": pin, "csrf_token": token},
        files={"card_file": ("card.json", json.dumps(card.file).encode(), "application/json")},
        headers={"accept": "text/html"},
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    ("lang", "direction", "title"), [("fr", "ltr", "Se connecter"), ("ar", "rtl", "تسجيل الدخول")]
)
def test_the_login_page_offers_the_three_methods_in_each_language(
    client: TestClient, lang: str, direction: str, title: str
) -> None:
    page = client.get(f"/{lang}/auth/login")
    assert f'dir="{direction}"' in page.text and title in page.text
    for method in ("card", "app", "otp"):
        assert f"/{lang}/auth/{method}" in page.text


def test_a_service_asking_for_level_high_gets_only_the_card(client: TestClient) -> None:
    page = client.get("/fr/auth/login?next=/authorize/resume&acr=high")
    assert "/fr/auth/card" in page.text and "/fr/auth/otp" not in page.text


def test_the_virtual_reader_signs_in_and_continues(client: TestClient, card: IssuedCard) -> None:
    response = reader(client, "fr", card, PIN)
    assert response.status_code == 303 and response.headers["location"] == "/fr/auth/session"
    page = client.get("/fr/auth/session")
    assert page.status_code == 200 and card.person.first_name in page.text
    assert card.person.first_name_ar in page.text and "hwk, pin" in page.text


@pytest.mark.parametrize(("lang", "message"), [
    ("fr", "Essais restants avant le blocage de la carte : 2"),
    ("ar", "المحاولات المتبقية قبل حظر البطاقة: 2"),
])  # fmt: skip
def test_a_wrong_pin_says_how_many_attempts_are_left(
    client: TestClient, card: IssuedCard, lang: str, message: str
) -> None:
    response = reader(client, lang, card, "9999")
    assert response.status_code == 401 and message in response.text
    assert "card_pin_wrong" in response.text


def test_three_wrong_pins_say_the_card_is_blocked(client: TestClient, card: IssuedCard) -> None:
    for _ in range(3):
        response = reader(client, "fr", card, "9999")
    assert "Votre carte est bloquée" in response.text and "PUK" in response.text


def test_an_expired_card_is_named_as_such(
    client: TestClient, db_session: Session, store: object, settings: Settings, registry: list
) -> None:
    expired = issue(db_session, store, settings, registry[4])  # type: ignore[arg-type]
    response = reader(client, "ar", expired, PIN)
    assert "انتهت صلاحية بطاقتك" in response.text


def test_the_app_page_shows_a_qr_code_and_works_without_javascript(client: TestClient) -> None:
    page = client.get("/ar/auth/app")
    assert 'src="data:image/svg+xml' in page.text and "identity-app.js" in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    code = re.findall(r'id="app-code">([A-Z0-9-]+)<', page.text)[0]
    assert code in client.get("/ar/auth/app").text  # a reload keeps the same code
    token = TOKEN.findall(page.text)[0]
    pending = client.post("/ar/auth/app/complete", data={"csrf_token": token})
    assert pending.status_code == 409 and "لم تتم الموافقة بعد" in pending.text


def test_the_sms_page_never_says_whether_a_cin_exists(client: TestClient, registry: list) -> None:
    answers = []
    for cin in (registry[0].cin, "ZZ654321"):
        token = csrf(client, "/fr/auth/otp")
        response = client.post("/fr/auth/otp/send", data={"cin": cin, "csrf_token": token})
        answers.append(TOKEN.sub("", response.text))
    assert answers[0] == answers[1]


def test_the_account_page_needs_a_signed_in_citizen(client: TestClient) -> None:
    page = client.get("/fr/auth/session", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/fr/me/login?next=%2Ffr%2Fauth%2Fsession"
    as_api = client.get("/fr/auth/session", headers={"accept": "application/json"})
    assert as_api.status_code == 401


def test_the_outbox_page_does_not_exist_outside_development(client: TestClient) -> None:
    assert client.get("/fr/auth/outbox").status_code == 404


def test_a_form_posted_with_origin_null_is_judged_by_its_csrf_token(client: TestClient) -> None:
    # Browsers send `Origin: null` for our own forms under `Referrer-Policy: no-referrer`.
    token = csrf(client, "/fr/auth/otp")
    headers = {"origin": "null", "accept": "text/html"}
    accepted = client.post(
        "/fr/auth/otp/send", data={"cin": "A1", "csrf_token": token}, headers=headers
    )
    assert accepted.status_code == 200
    refused = client.post("/fr/auth/otp/send", data={"cin": "A1"}, headers=headers)
    assert refused.status_code == 403 and "csrf_failed" in refused.text
