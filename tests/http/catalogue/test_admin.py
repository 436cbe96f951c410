"""Ministry editing over HTTP: sign-in with a pause after failures, draft, review, publish."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from idara.audit import service as audit
from idara.catalogue import service
from idara.catalogue.editor_form import to_values
from tests.catalogue_support import ADMIN, csrf_token, sign_in

pytestmark = pytest.mark.usefixtures("loaded_app", "admin_account", "shared_sessions")


def form_of(client: TestClient, path: str) -> dict[str, object]:
    """The edit form's current values, as a browser would send them back."""
    text = client.get(path).text
    values: dict[str, object] = {}
    for name, value in re.findall(
        r'<input id="[^"]*" name="([^"]+)" type="[^"]+" value="([^"]*)"', text
    ):
        values[name] = value.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    return values


def test_the_editing_pages_need_a_signed_in_administrator(client: TestClient) -> None:
    response = client.get("/fr/admin/catalogue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/fr/admin/login?next=%2Ffr%2Fadmin%2Fcatalogue"
    edit = client.get("/fr/admin/catalogue/services/CIV-0024/edit", follow_redirects=False)
    assert edit.headers["location"].startswith("/fr/admin/login?next=")
    as_api = client.get("/fr/admin/catalogue", headers={"accept": "application/json"})
    assert as_api.status_code == 401


def test_a_wrong_password_is_refused_audited_and_changes_nothing(
    client: TestClient, db_session: Session
) -> None:
    response = sign_in(client, password="not the password")
    assert response.status_code == 401
    assert "L&#39;identifiant ou le mot de passe est incorrect." in response.text
    assert "idara_admin" not in response.headers.get("set-cookie", "")
    event = audit.list_events(db_session, action="catalogue.admin_login")[0]
    assert (event.outcome, event.target_id, event.ip) == ("failure", ADMIN, "203.0.113.7")


def test_sign_in_pauses_after_five_failures_even_with_the_right_password(
    client: TestClient,
) -> None:
    for _ in range(5):
        assert sign_in(client, password="guess guess guess").status_code == 401
    paused = sign_in(client)
    assert paused.status_code == 429 and paused.headers["retry-after"] == "900"
    assert "Trop de connexions échouées" in paused.text


def test_sign_in_without_the_form_token_is_refused(client: TestClient) -> None:
    response = client.post("/fr/admin/login", data={"username": ADMIN, "password": "x" * 12})
    assert response.status_code == 403


def test_a_signed_in_administrator_reaches_the_dashboard(client: TestClient) -> None:
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/fr/admin/catalogue"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-idara_admin=") and "HttpOnly" in cookie and "Secure" in cookie
    page = client.get("/fr/admin/catalogue", params={"q": "passeport"}).text
    assert f"Connecté en tant que {ADMIN}" in page
    assert "/fr/admin/catalogue/services/CIV-0006/edit" in page


def test_sign_in_never_redirects_to_another_site(client: TestClient) -> None:
    token = csrf_token(client)
    response = client.post(
        "/fr/admin/login",
        data={
            "username": ADMIN,
            "password": "correct horse battery staple",
            "csrf_token": token,
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/fr/admin/catalogue"


def test_an_edit_is_a_draft_until_it_is_reviewed_and_published(
    client: TestClient, db_session: Session
) -> None:
    sign_in(client)
    edit = "/fr/admin/catalogue/services/CIV-0024/edit"
    values = form_of(client, edit)
    assert values["title_fr"] == "Certificat de résidence"
    current = service.get(db_session, service_id="CIV-0024")
    assert current is not None
    data = to_values(service.current_record(db_session, service=current).canonical())
    data["delay_text_fr"] = "48 heures au plus"
    data["csrf_token"] = csrf_token(client, edit)
    data.pop("priority")
    data["priority"] = "on"
    saved = client.post(edit, data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("/CIV-0024/review")
    public = "/fr/services/CIV-0024-certificat-de-residence"
    assert "48 heures au plus" not in client.get(public).text
    review = client.get(saved.headers["location"]).text
    assert "delay.text.fr" in review and "48 heures au plus" in review
    token = csrf_token(client, saved.headers["location"])
    published = client.post(
        "/fr/admin/catalogue/services/CIV-0024/publish",
        data={"note": "délai réduit", "csrf_token": token},
        follow_redirects=False,
    )
    assert published.status_code == 303 and published.headers["location"].endswith("?published=2")
    assert "48 heures au plus" in client.get(public).text
    history = client.get(published.headers["location"]).text
    assert "La version 2 est publiée." in history and "délai réduit" in history
    latest = service.versions(db_session, service_id="CIV-0024")[0]
    assert (latest.number, latest.actor_id, latest.origin) == (2, ADMIN, "editor")


def test_an_invalid_edit_shows_the_errors_and_saves_nothing(
    client: TestClient, db_session: Session
) -> None:
    sign_in(client)
    edit = "/fr/admin/catalogue/services/CIV-0024/edit"
    current = service.get(db_session, service_id="CIV-0024")
    assert current is not None
    data = to_values(service.current_record(db_session, service=current).canonical())
    data.pop("priority")
    data.update(title_ar="Certificate", delay_days="dix", csrf_token=csrf_token(client, edit))
    response = client.post(edit, data=data)
    assert response.status_code == 422
    assert "Le brouillon n&#39;a pas été enregistré" in response.text
    assert 'href="#title_ar"' in response.text and 'href="#delay_days"' in response.text
    assert client.get("/fr/admin/catalogue/services/CIV-0024/review").status_code == 404


def test_signing_out_ends_the_session(client: TestClient) -> None:
    sign_in(client)
    token = csrf_token(client, "/fr/admin/catalogue")
    response = client.post("/fr/admin/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    signed_out = client.get("/fr/admin/catalogue", follow_redirects=False)
    assert signed_out.headers["location"].startswith("/fr/admin/login?")
