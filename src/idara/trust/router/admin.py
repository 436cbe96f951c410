"""The ministry's admin API for relying-party onboarding (issue 4): register, list, suspend."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import ValidationError
from starlette.responses import JSONResponse

from idara.trust import clients, keyring
from idara.trust.dependencies import Context
from idara.trust.models import Client
from idara.trust.schemas import ClientSpec
from idara.web.errors import IdaraError
from idara.web.policy import admin

router = APIRouter(prefix="/api/trust/v1", dependencies=[admin], tags=["trust admin"])


def _found(ctx: Context, client_id: str) -> Client:
    client = clients.get(ctx.db, client_id=client_id)
    if client is None:
        raise IdaraError("not_found")
    return client


@router.get("/clients")
def list_clients(ctx: Context) -> list[dict[str, Any]]:
    """Every registered relying party."""
    return [clients.view(c) for c in clients.list_clients(ctx.db)]


@router.post("/clients", status_code=201)
def add_client(ctx: Context, body: dict[str, Any]) -> JSONResponse:
    """Register a relying party; a secret (for secret-based clients) is shown only here."""
    try:
        spec = ClientSpec.model_validate(body)
    except ValidationError as exc:
        fields = [{"field": ".".join(map(str, e["loc"])), "kind": e["type"]} for e in exc.errors()]
        raise IdaraError("invalid_request", details=fields) from exc
    try:
        client, secret = clients.add(ctx.db, spec, now=ctx.now)
    except clients.ClientExistsError as exc:
        raise IdaraError("trust_client_exists") from exc
    ctx.record("trust.client_added", target_type="client", target_id=client.client_id)
    shown = clients.view(client)
    if secret:
        shown["client_secret"] = secret
    return JSONResponse(shown, status_code=201, headers={"Cache-Control": "no-store"})


@router.get("/clients/{client_id}")
def show_client(ctx: Context, client_id: str) -> dict[str, Any]:
    """One relying party's registration."""
    return clients.view(_found(ctx, client_id))


@router.post("/clients/{client_id}/suspend")
def suspend_client(ctx: Context, client_id: str) -> dict[str, Any]:
    """Stop a relying party from signing anyone in (existing tokens stop working too)."""
    client = _found(ctx, client_id)
    clients.set_status(ctx.db, client, status=clients.SUSPENDED, now=ctx.now)
    ctx.record("trust.client_suspended", target_type="client", target_id=client_id)
    return clients.view(client)


@router.post("/clients/{client_id}/activate")
def activate_client(ctx: Context, client_id: str) -> dict[str, Any]:
    """Let a suspended relying party work again."""
    client = _found(ctx, client_id)
    clients.set_status(ctx.db, client, status=clients.ACTIVE, now=ctx.now)
    ctx.record("trust.client_activated", target_type="client", target_id=client_id)
    return clients.view(client)


@router.post("/keys/rotate")
def rotate_keys(ctx: Context) -> dict[str, str]:
    """Promote the next signing key; the old one stays published until its tokens expire."""
    old, new = keyring.rotate(ctx.db, ctx.trust, now=ctx.now)
    ctx.record("trust.keys_rotated", target_type="signing_key", target_id=new)
    return {"retired": old, "current": new}
