"""The CKAN-compatible action API, read by the real `ckanapi` client as a harvester would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from ckanapi import NotFound, RemoteCKAN
from fastapi import FastAPI
from fastapi.testclient import TestClient
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


class ASGIAdapter(BaseAdapter):
    """Sends requests' requests to the application under test instead of the network."""

    def __init__(self, client: TestClient) -> None:
        super().__init__()
        self.client = client

    def send(self, request: requests.PreparedRequest, **_: Any) -> requests.Response:  # type: ignore[override]
        answer = self.client.request(
            str(request.method),
            str(request.url),
            content=request.body,
            headers=dict(request.headers),
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url = str(request.url)
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release."""


@pytest.fixture
def ckan(loaded_app: FastAPI, client: TestClient) -> Iterator[RemoteCKAN]:
    session = requests.Session()
    session.mount("https://", ASGIAdapter(client))
    with RemoteCKAN("https://idara.test", session=session) as remote:
        yield remote


def test_ckanapi_lists_and_shows_the_packages(ckan: RemoteCKAN) -> None:
    names = ckan.action.package_list()
    assert names[:3] == ["catalogue-services-publics", "pieces-exigees", "rapport-loi-55-19"]
    assert "services-dgsn" in names and len(names) == 3 + 72
    package = ckan.action.package_show(id="services-dgsn")
    assert package["organization"]["name"] == "dgsn"
    assert package["title_translated"]["ar"].startswith("الخدمات العمومية")
    formats = [r["format"] for r in package["resources"]]
    assert formats == ["CSV", "JSON-LD", "CSV"]
    assert package["resources"][0]["url"] == "https://idara.test/api/v1/services.csv?authority=DGSN"


def test_ckanapi_searches_packages_with_paging(ckan: RemoteCKAN) -> None:
    found = ckan.action.package_search(q="loi 55-19", rows=2)
    assert found["count"] >= 1 and found["results"][0]["name"] == "rapport-loi-55-19"
    page = ckan.action.package_search(q="", rows=10, start=70)
    assert page["count"] == 75 and len(page["results"]) == 5


def test_ckanapi_lists_organizations(ckan: RemoteCKAN) -> None:
    names = ckan.action.organization_list()
    assert "dgsn" in names and "mtnra" in names
    detailed = ckan.action.organization_list(all_fields=True)
    ministry = next(o for o in detailed if o["name"] == "mtnra")
    assert ministry["package_count"] == 3


def test_an_unknown_package_is_a_ckan_not_found(ckan: RemoteCKAN) -> None:
    with pytest.raises(NotFound):
        ckan.action.package_show(id="nothing-here")


def test_the_api_also_answers_plain_get_requests(loaded_app: FastAPI, client: TestClient) -> None:
    body = client.get("/api/3/action/package_show", params={"id": "pieces-exigees"}).json()
    assert body["success"] is True and body["result"]["num_resources"] == 1
    unknown = client.get("/api/3/action/package_delete").json()
    assert unknown["success"] is False
