"""The catalogue's JSON REST API (v1) and its open-data files: CSV, CPSV-AP JSON-LD, DCAT-AP."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from idara.catalogue import presenters, service
from idara.catalogue.dependencies import Index
from idara.catalogue.exports import csv_export, jsonld, opendata
from idara.catalogue.index import Filters
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.vocabulary import AUDIENCES, LIFE_EVENTS, evidence_types
from idara.web.deps import AppSettings, DbSession
from idara.web.errors import IdaraError
from idara.web.policy import public

router = APIRouter(prefix="/api/v1", dependencies=[public], tags=["catalogue"])

_SERVICE_ID = re.compile(r"^[A-Z]{2,5}-[0-9]{4}$")
# Open data may be read from any web page; no credentials are involved, and no preflight
# (hence no cross-site write) is ever granted.
OPEN = {"Access-Control-Allow-Origin": "*"}
JSONLD = "application/ld+json; charset=utf-8"


class Authority(BaseModel):
    """The competent administration of a result."""

    code: str
    name: str


class SearchResult(BaseModel):
    """One ranked result."""

    id: str
    rank: int
    score: float
    title: str
    description: str
    theme: str
    authority: Authority
    online: bool
    delay_days: int
    url: str
    api_url: str


class SearchResponse(BaseModel):
    """A page of ranked results."""

    query: str
    lang: str
    total: int
    page: int
    per_page: int
    results: list[SearchResult]


class ServiceMeta(BaseModel):
    """Publication facts about a service record."""

    version: int
    updated_at: datetime
    url: dict[str, str]
    jsonld: str


class PublishedService(ServiceRecord):
    """A published record in the export format, with its publication facts."""

    meta: ServiceMeta


@router.get("/services", response_model=SearchResponse)
def search_services(
    index: Index,
    settings: AppSettings,
    q: Annotated[str, Query(max_length=200, description="Words, in French or Arabic.")] = "",
    lang: Annotated[Literal["fr", "ar"], Query(description="Language of the texts.")] = "fr",
    theme: str | None = None,
    authority: str | None = None,
    audience: str | None = None,
    life_event: str | None = None,
    online: bool | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> JSONResponse:
    """Search the published services; results are ranked, each with its record id."""
    if audience is not None and audience not in AUDIENCES:
        raise IdaraError("invalid_request")
    if life_event is not None and life_event not in LIFE_EVENTS:
        raise IdaraError("invalid_request")
    filters = Filters(theme, authority, audience, life_event, online)
    offset = (page - 1) * per_page
    found = index.search(q, filters=filters, lang=lang, offset=offset, limit=per_page)
    origin = settings.public_origin
    body = SearchResponse(
        query=q,
        lang=lang,
        total=found.total,
        page=page,
        per_page=per_page,
        results=[
            SearchResult(
                id=hit.doc.id,
                rank=offset + n,
                score=round(hit.score, 4),
                title=hit.doc.title[lang],
                description=hit.doc.description[lang],
                theme=hit.doc.theme[lang],
                authority=Authority(code=hit.doc.authority_code, name=hit.doc.authority[lang]),
                online=hit.doc.online,
                delay_days=hit.doc.delay_days,
                url=origin + presenters.service_path(lang, hit.doc.id, hit.doc.slug),
                api_url=f"{origin}/api/v1/services/{hit.doc.id}",
            )
            for n, hit in enumerate(found.hits, 1)
        ],
    )
    return JSONResponse(body.model_dump(mode="json"), headers=OPEN)


def _load(db: DbSession, service_id: str) -> tuple[Any, ServiceRecord]:
    found = service.get(db, service_id=service_id) if _SERVICE_ID.match(service_id) else None
    if found is None:
        raise IdaraError("not_found")
    return found, service.current_record(db, service=found)


@router.get("/services/{service_id}.jsonld", response_class=Response)
def service_jsonld(service_id: str, db: DbSession, settings: AppSettings) -> Response:
    """One service in CPSV-AP JSON-LD."""
    found, record = _load(db, service_id)
    document = jsonld.service_document(settings.public_origin, record, found)
    return Response(jsonld.dumps(document), media_type=JSONLD, headers=OPEN)


@router.get("/services/{service_id}", response_model=PublishedService)
def get_service(service_id: str, db: DbSession, settings: AppSettings) -> JSONResponse:
    """One published service, in the ministry's export format."""
    found, record = _load(db, service_id)
    origin = settings.public_origin
    meta = ServiceMeta(
        version=found.version,
        updated_at=found.updated_at,
        url={
            lang: origin + presenters.service_path(lang, found.id, found.slug)
            for lang in ("fr", "ar")
        },
        jsonld=f"{origin}/api/v1/services/{found.id}.jsonld",
    )
    body = {**record.canonical(), "meta": meta.model_dump(mode="json")}
    return JSONResponse(body, headers=OPEN)


def _rows(db: DbSession, authority: str | None) -> list[tuple[Any, ServiceRecord]]:
    rows = service.all_records(db)
    if authority is not None:
        rows = [row for row in rows if row[1].administration.code == authority]
        if not rows:
            raise IdaraError("not_found")
    return rows


def _csv(text: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', **OPEN}
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/services.csv", response_class=Response)
def services_csv(db: DbSession, authority: str | None = None) -> Response:
    """Every published service (or one administration's) as CSV."""
    suffix = f"-{authority}" if authority else ""
    return _csv(csv_export.services_csv(_rows(db, authority)), f"services{suffix}.csv")


@router.get("/documents.csv", response_class=Response)
def documents_csv(db: DbSession) -> Response:
    """Every document the published services ask for, with evidence type and holder, as CSV."""
    return _csv(csv_export.documents_csv(_rows(db, None)), "documents.csv")


@router.get("/services.jsonld", response_class=Response)
def catalogue_jsonld(
    db: DbSession, settings: AppSettings, authority: str | None = None
) -> Response:
    """The whole catalogue (or one administration's services) in CPSV-AP JSON-LD."""
    graph = jsonld.catalogue_graph(_rows(db, authority), settings.public_origin)
    return Response(jsonld.dumps(graph), media_type=JSONLD, headers=OPEN)


@router.get("/evidence-types")
def evidence_vocabulary() -> JSONResponse:
    """The evidence vocabulary: document kinds and the administrations that hold them."""
    body = [
        {
            "code": kind.code,
            "source": kind.source,
            "holders": sorted(kind.holders),
            "label": {"fr": kind.label_fr, "ar": kind.label_ar},
            "source_name": {"fr": kind.source_fr, "ar": kind.source_ar},
        }
        for kind in evidence_types().values()
    ]
    return JSONResponse(body, headers=OPEN)


def open_datasets(db: DbSession) -> list[opendata.Dataset]:
    """The platform's open datasets as they stand now."""
    authorities = [(a.code, a.name_fr, a.name_ar) for a, _ in service.authorities(db)]
    return opendata.datasets(sorted(authorities), service.last_change(db))


@router.get("/catalog", response_class=Response)
def dcat_catalogue(request: Request, db: DbSession, settings: AppSettings) -> Response:
    """The DCAT-AP catalogue of the platform's open datasets (JSON-LD)."""
    document = opendata.dcat_catalogue(
        open_datasets(db), settings.public_origin, service.last_change(db)
    )
    return Response(jsonld.dumps(document), media_type=JSONLD, headers=OPEN)
