"""Bad input gets a clear, translated 4xx with a stable code; a crash never shows a trace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.testclient import TestClient
from jinja2 import ChoiceLoader, DictLoader
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError

from idara.web import csrf
from idara.web.policy import public
from idara.web.templating import render

probe = APIRouter(dependencies=[public])
PROBE_PAGE = (
    '{% extends "base.html" %}{% block content %}'
    '<form method="post">{{ csrf_field }}<input name="name"></form>{% endblock %}'
)


class Payload(BaseModel):
    name: str
    count: int


@probe.get("/{lang}/probe/form")
def probe_form(request: Request, lang: str) -> object:
    return render(request, "probe.html")


@probe.post("/{lang}/probe/form")
def probe_submit(name: str = Form(max_length=50)) -> dict[str, str]:
    return {"name": name}


@probe.post("/api/probe")
def probe_json(payload: Payload) -> dict[str, int]:
    return {"count": payload.count}


@probe.get("/{lang}/probe/crash")
def probe_crash() -> None:
    raise RuntimeError("secret internal detail at /srv/idara/db.py line 42")


@pytest.fixture
def probed(app: FastAPI) -> Iterator[TestClient]:
    app.include_router(probe)
    templates = app.state.templates
    templates.loader = ChoiceLoader([DictLoader({"probe.html": PROBE_PAGE}), templates.loader])
    with TestClient(app, base_url="https://idara.test", raise_server_exceptions=False) as client:
        yield client


def form_token(client: TestClient) -> str:
    text = client.get("/fr/probe/form").text
    marker = f'name="{csrf.FORM_FIELD}" value="'
    start = text.index(marker) + len(marker)
    return text[start : text.index('"', start)]


def test_a_form_with_a_valid_csrf_token_is_accepted(probed: TestClient) -> None:
    token = form_token(probed)
    response = probed.post("/fr/probe/form", data={"name": "Amina", "csrf_token": token})
    assert response.status_code == 200 and response.json() == {"name": "Amina"}


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Votre formulaire a expiré"), ("ar", "انتهت صلاحية الاستمارة")]
)
def test_a_form_without_csrf_token_gets_a_translated_403_page(
    probed: TestClient, lang: str, title: str
) -> None:
    form_token(probed)
    response = probed.post(
        f"/{lang}/probe/form", data={"name": "Amina"}, headers={"accept": "text/html"}
    )
    assert response.status_code == 403
    assert title in response.text and "csrf_failed" in response.text


def test_a_forged_csrf_token_is_refused(probed: TestClient) -> None:
    form_token(probed)
    response = probed.post("/fr/probe/form", data={"name": "A", "csrf_token": "forged"})
    assert response.status_code == 403


def test_a_token_without_its_cookie_is_refused(probed: TestClient) -> None:
    token = form_token(probed)
    probed.cookies.clear()
    response = probed.post("/fr/probe/form", data={"name": "A", "csrf_token": token})
    assert response.status_code == 403


def test_a_post_from_another_origin_is_refused(probed: TestClient) -> None:
    token = form_token(probed)
    response = probed.post(
        "/fr/probe/form",
        data={"name": "A", "csrf_token": token},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403 and "cross_origin" in response.text


def test_json_bodies_need_no_csrf_token_but_are_validated(probed: TestClient) -> None:
    assert probed.post("/api/probe", json={"name": "a", "count": 2}).json() == {"count": 2}
    response = probed.post("/api/probe", json={"name": "a", "count": "many"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"] == [{"field": "body.count", "kind": "int_parsing"}]
    assert "many" not in response.text


def test_malformed_json_is_a_422_with_a_stable_code(probed: TestClient) -> None:
    response = probed.post(
        "/api/probe", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"


def test_a_malformed_multipart_form_is_a_4xx_not_a_500(probed: TestClient) -> None:
    response = probed.post(
        "/fr/probe/form",
        content=b"--x\r\ngarbage",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert 400 <= response.status_code < 500


def test_a_field_that_breaks_its_rule_is_a_translated_422(probed: TestClient) -> None:
    token = form_token(probed)
    response = probed.post(
        "/ar/probe/form",
        data={"name": "x" * 51, "csrf_token": token},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 422
    assert "بعض المعلومات ناقصة أو غير صحيحة" in response.text


def test_a_declared_oversized_body_is_refused_before_it_is_read(probed: TestClient) -> None:
    big = b"x" * 1_000_001
    response = probed.post("/api/probe", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
    assert "1000000" in response.json()["error"]["message"]


def test_a_streamed_oversized_body_is_refused(probed: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 100_000

    response = probed.post(
        "/api/probe", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Page introuvable"), ("ar", "الصفحة غير موجودة")]
)
def test_an_unknown_page_gets_a_translated_404_page(
    probed: TestClient, lang: str, title: str
) -> None:
    response = probed.get(f"/{lang}/nowhere/at/all")
    assert response.status_code == 404
    assert title in response.text and f'lang="{lang}"' in response.text


def test_an_unknown_api_path_gets_a_json_404(probed: TestClient) -> None:
    response = probed.get("/api/nowhere")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_wrong_method_is_a_405_with_a_stable_code(probed: TestClient) -> None:
    response = probed.delete("/healthz")
    assert response.status_code == 405


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_crash_is_a_translated_500_page_without_any_trace(probed: TestClient, lang: str) -> None:
    response = probed.get(f"/{lang}/probe/crash", headers={"accept": "text/html"})
    assert response.status_code == 500
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text and "RuntimeError" not in response.text
    assert response.headers["x-request-id"] in response.text
    assert "unsafe-inline" not in response.headers["content-security-policy"]


@probe.get("/{lang}/probe/busy")
def probe_busy() -> None:
    raise OperationalError("UPDATE x", {}, Exception("database is locked"))


def test_a_busy_or_unreachable_database_is_a_translated_503_to_retry(probed: TestClient) -> None:
    response = probed.get("/ar/probe/busy", headers={"accept": "text/html"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "الخدمة غير متاحة مؤقتاً" in response.text
    assert "database is locked" not in response.text
