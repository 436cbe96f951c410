"""Operations endpoints: liveness, readiness (database), metrics, the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from idara import db, migrate
from idara.web.observability import metrics_response
from idara.web.policy import internal, public

router = APIRouter(tags=["operations"])


@router.get("/healthz", dependencies=[public], summary="The process is alive")
async def healthz() -> dict[str, str]:
    """Answer as long as the process can serve requests; touches nothing else."""
    return {"status": "ok"}


@router.get("/readyz", dependencies=[public], summary="Ready to serve: database reachable")
def readyz(request: Request) -> JSONResponse:
    """Check the database connection and the schema revision."""
    checks: dict[str, Any] = {}
    try:
        db.ping(request.app.state.engine)
        checks["database"] = "ok"
        checks["schema"] = "ok" if migrate.is_up_to_date(request.app.state.engine) else "outdated"
    except Exception:  # an unreachable database is the expected failure here
        checks["database"] = "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status_code=200 if ready else 503,
    )


@router.get("/metrics", dependencies=[internal], include_in_schema=False)
def metrics() -> Response:
    """Prometheus metrics (loopback or the operations token only)."""
    return metrics_response()


@router.get("/openapi.json", dependencies=[public], include_in_schema=False)
def openapi(request: Request) -> JSONResponse:
    """The OpenAPI description of the JSON APIs."""
    return JSONResponse(request.app.openapi())
