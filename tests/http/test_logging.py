"""Access logs are JSON lines with the request id, and never carry the query string."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from idara.logs import configure_logging
from idara.settings import LogSettings


def test_each_request_is_logged_as_json_with_its_id_and_without_the_query(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    # Configured inside the test: pytest swaps its log handlers between phases.
    # tests/conftest.py restores the global logging set-up afterwards.
    configure_logging(LogSettings(level="INFO", json=True))
    response = client.get("/healthz?code=SECRET-AUTH-CODE&state=xyz")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    access = [line for line in lines if line.get("event") == "request"]
    assert len(access) == 1
    entry = access[0]
    assert entry["request_id"] == response.headers["x-request-id"]
    assert entry["route"] == "/healthz" and entry["status"] == 200
    assert "SECRET-AUTH-CODE" not in json.dumps(lines)
