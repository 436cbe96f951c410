"""The JSON API (v1) and the open-data files: search, records, CSV, JSON-LD, DCAT-AP."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_the_search_api_ranks_results_each_with_its_record_id(
    loaded_app: FastAPI, client: TestClient
) -> None:
    response = client.get("/api/v1/services", params={"q": "lakarte", "lang": "ar"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] >= 3 and body["lang"] == "ar"
    first = body["results"][0]
    assert (first["id"], first["rank"]) == ("CIV-0001", 1)
    assert first["title"].startswith("طلب الحصول على البطاقة الوطنية")
    assert first["url"].startswith("https://idara.test/ar/services/CIV-0001-")
    assert response.headers["access-control-allow-origin"] == "*"


def test_the_search_api_filters_and_pages(loaded_app: FastAPI, client: TestClient) -> None:
    body = client.get(
        "/api/v1/services", params={"online": "true", "per_page": 5, "page": 2}
    ).json()
    assert body["page"] == 2 and len(body["results"]) == 5
    assert all(r["online"] for r in body["results"])
    assert body["results"][0]["rank"] == 6


def test_a_bad_search_parameter_is_a_json_error_with_a_stable_code(
    loaded_app: FastAPI, client: TestClient
) -> None:
    response = client.get("/api/v1/services", params={"lang": "en"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert client.get("/api/v1/services", params={"audience": "aliens"}).status_code == 422


def test_one_service_comes_in_the_export_format_with_its_publication_facts(
    loaded_app: FastAPI, client: TestClient
) -> None:
    body = client.get("/api/v1/services/CIV-0001").json()
    assert body["id"] == "CIV-0001" and body["title"]["ar"].startswith("طلب")
    assert body["documents"][1]["evidence_type"] == "birth-certificate"
    assert body["meta"]["version"] == 1
    assert body["meta"]["url"]["fr"].endswith(
        "/fr/services/CIV-0001-demande-de-la-carte-nationale-identite-electronique-premiere-demande"
    )
    missing = client.get("/api/v1/services/CIV-9999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_service_is_available_as_cpsv_ap_json_ld(loaded_app: FastAPI, client: TestClient) -> None:
    response = client.get("/api/v1/services/CIV-0001.jsonld")
    assert response.headers["content-type"] == "application/ld+json; charset=utf-8"
    graph = response.json()["@graph"]
    assert graph[0]["@type"] == "cpsv:PublicService"
    assert graph[1]["@type"] == "cv:PublicOrganisation"


def test_the_catalogue_downloads_as_csv_with_one_row_per_service(
    loaded_app: FastAPI, client: TestClient
) -> None:
    response = client.get("/api/v1/services.csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert len(rows) == 286
    first = next(r for r in rows if r["id"] == "CIV-0001")
    assert first["fees_total_mad"] == "75" and first["online_url"] == "https://www.cnie.ma"
    assert first["documents_held_elsewhere"] == "3"
    dgsn = client.get("/api/v1/services.csv", params={"authority": "DGSN"}).text
    assert len(dgsn.strip().splitlines()) == 1 + 9


def test_the_documents_csv_names_each_evidence_holder(
    loaded_app: FastAPI, client: TestClient
) -> None:
    text = client.get("/api/v1/documents.csv").text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    birth = [r for r in rows if r["evidence_type"] == "birth-certificate"]
    assert len(birth) == 57 and {r["held_by"] for r in birth} == {"CIVIL-STATUS"}


def test_the_dcat_catalogue_describes_every_open_dataset(
    loaded_app: FastAPI, client: TestClient
) -> None:
    body = client.get("/api/v1/catalog").json()
    assert body["@type"] == "dcat:Catalog"
    names = [d["dct:identifier"] for d in body["dcat:dataset"]]
    assert names[:3] == ["catalogue-services-publics", "pieces-exigees", "rapport-loi-55-19"]
    assert "services-dgsn" in names
    distribution = body["dcat:dataset"][0]["dcat:distribution"][0]
    assert distribution["dcat:accessURL"]["@id"] == "https://idara.test/api/v1/services.csv"


def test_the_evidence_vocabulary_is_published(loaded_app: FastAPI, client: TestClient) -> None:
    body = client.get("/api/v1/evidence-types").json()
    assert len(body) == 26
    assert body[0]["code"] == "identity" and body[0]["holders"] == ["DGSN"]


def test_the_openapi_description_lists_the_catalogue_api(
    loaded_app: FastAPI, client: TestClient
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/services", "/api/v1/services/{service_id}", "/api/v1/services.csv",
                 "/api/v1/catalog", "/api/3/action/{action}"):  # fmt: skip
        assert path in paths, path
