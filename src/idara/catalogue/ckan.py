"""A read-only CKAN-compatible action API (CKAN 2.x API v3) over the platform's open datasets.

Harvesters (CKAN's own harvester, data.gov portals, `ckanapi`) call
`/api/3/action/<name>` (or `/api/action/<name>`) with GET parameters or a JSON POST body
and expect `{"help", "success", "result"}` or `{"success": false, "error": {"__type"}}`.
Only the read actions are offered: `package_list`, `package_show`, `package_search`,
`organization_list`, `organization_show` and `status_show`.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from idara import __version__
from idara.catalogue.api import OPEN, open_datasets
from idara.catalogue.exports import opendata
from idara.web.deps import AppSettings, DbSession
from idara.web.policy import public

router = APIRouter(dependencies=[public], tags=["ckan"])
MAX_ROWS = 1000


def _ok(request: Request, result: Any) -> JSONResponse:
    help_url = f"{request.url.scheme}://{request.url.netloc}/api/3/action/help_show"
    body = {"help": help_url, "success": True, "result": result}
    return JSONResponse(body, headers=OPEN)


def _error(kind: str, message: str, status: int) -> JSONResponse:
    body = {"help": "", "success": False, "error": {"__type": kind, "message": message}}
    return JSONResponse(body, status_code=status, headers=OPEN)


async def _params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        raw = await request.body()
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            params.update(body)
    return params


def _int(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name, default)
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an integer") from None


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("true", "1", "yes")


async def _handle(action: str, request: Request, db: DbSession, origin: str) -> JSONResponse:
    try:
        params = await _params(request)
        return _run(action, params, open_datasets(db), origin, request)
    except ValueError as exc:
        return _error("Validation Error", str(exc), 409)


@router.get("/api/3/action/{action}")
@router.get("/api/action/{action}", include_in_schema=False)
async def action_get(
    action: str, request: Request, db: DbSession, settings: AppSettings
) -> JSONResponse:
    """Run one read-only CKAN action with GET parameters."""
    return await _handle(action, request, db, settings.public_origin)


@router.post("/api/3/action/{action}")
@router.post("/api/action/{action}", include_in_schema=False)
async def action_post(
    action: str, request: Request, db: DbSession, settings: AppSettings
) -> JSONResponse:
    """Run one read-only CKAN action with a JSON body (as ckanapi and harvesters send)."""
    return await _handle(action, request, db, settings.public_origin)


def _run(
    action: str,
    params: dict[str, Any],
    sets: list[opendata.Dataset],
    origin: str,
    request: Request,
) -> JSONResponse:
    by_name = {d.name: d for d in sets}
    if action == "status_show":
        return _ok(
            request,
            {
                "site_title": "Idara",
                "ckan_version": "2.10",
                "idara_version": __version__,
                "extensions": [],
                "site_url": origin,
            },
        )
    if action == "package_list":
        limit = _int(params, "limit", len(sets))
        offset = _int(params, "offset", 0)
        return _ok(request, sorted(by_name)[offset : offset + limit])
    if action == "package_show":
        found = by_name.get(str(params.get("id", "")))
        if found is None:
            return _error("Not Found Error", "Not found", 404)
        return _ok(request, opendata.ckan_package(found, origin))
    if action == "package_search":
        rows = min(_int(params, "rows", 10), MAX_ROWS)
        start = _int(params, "start", 0)
        matched = opendata.search_packages(sets, str(params.get("q", "") or ""))
        organisation = str(params.get("fq", "")).removeprefix("organization:").strip()
        if organisation:
            matched = [d for d in matched if d.organisation["code"].lower() == organisation]
        return _ok(
            request,
            {
                "count": len(matched),
                "sort": "name asc",
                "results": [
                    opendata.ckan_package(d, origin) for d in matched[start : start + rows]
                ],
                "facets": {},
                "search_facets": {},
            },
        )
    organisations = {d.organisation["code"].lower(): d.organisation for d in sets}
    counts = Counter(d.organisation["code"].lower() for d in sets)
    if action == "organization_list":
        names = sorted(organisations)
        if _truthy(params.get("all_fields", False)):
            return _ok(
                request, [opendata.ckan_organization(organisations[n], counts[n]) for n in names]
            )
        return _ok(request, names)
    if action == "organization_show":
        key = str(params.get("id", "")).lower()
        if key not in organisations:
            return _error("Not Found Error", "Not found", 404)
        return _ok(request, opendata.ckan_organization(organisations[key], counts[key]))
    return _error("Not Found Error", f"Action name not known: {action}", 400)
