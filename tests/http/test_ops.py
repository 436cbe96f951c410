"""Health, readiness, metrics and the OpenAPI document."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import create_engine

from idara.main import create_app
from idara.settings import Settings
from tests.conftest import TEST_ORIGIN, make_settings


def test_healthz_answers_ok(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_checks_the_database_and_its_schema(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "schema": "ok"}}


def test_readyz_is_503_when_the_database_is_unreachable(settings: Settings) -> None:
    broken = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    with TestClient(create_app(settings, engine=broken), base_url=TEST_ORIGIN) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unreachable"


def test_readyz_says_when_the_schema_is_not_migrated(settings: Settings, tmp_path: object) -> None:
    empty = make_settings(settings.data_dir, f"sqlite:///{settings.data_dir / 'empty.db'}")
    with TestClient(create_app(empty), base_url=TEST_ORIGIN) as client:
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["schema"] == "outdated"


def test_metrics_are_readable_from_loopback(app: FastAPI) -> None:
    with TestClient(app, base_url=TEST_ORIGIN, client=("127.0.0.1", 4000)) as local:
        local.get("/healthz")
        body = local.get("/metrics").text
    assert "idara_http_requests_total" in body
    assert 'route="/healthz"' in body


def test_metrics_are_refused_to_remote_callers(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_metrics_are_readable_remotely_with_the_operations_token(settings: Settings) -> None:
    with_token = settings.model_copy(
        update={"ops": settings.ops.model_copy(update={"metrics_token": SecretStr("t" * 32)})}
    )
    app = create_app(with_token)
    with TestClient(app, base_url=TEST_ORIGIN, client=("203.0.113.9", 1)) as remote:
        assert (
            remote.get("/metrics", headers={"authorization": "Bearer " + "t" * 32}).status_code
            == 200
        )
        assert remote.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401


def test_the_openapi_document_describes_the_json_apis(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["info"]["title"] == "Idara"
    assert "/healthz" in document["paths"]
