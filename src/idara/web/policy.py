"""Access policies: every route declares exactly one; an architecture test enforces it."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.params import Depends as DependsParam

from idara.audit.schemas import ActorType, AuditContext
from idara.settings import Settings
from idara.web import csrf
from idara.web.errors import IdaraError, Redirect, wants_json
from idara.web.templating import request_lang, request_settings

ACCESS_ATTRIBUTE = "__idara_access__"


class Access(StrEnum):
    """Who may call a route."""

    PUBLIC = "public"  # anyone, signed in or not
    CITIZEN = "citizen"  # a citizen signed in through the trust service
    AGENT = "agent"  # a civil servant of an administration
    ADMIN = "admin"  # the ministry's administrators
    CLIENT = "client"  # a machine client that authenticates itself (no cookies, no CSRF)
    INTERNAL = "internal"  # operations: loopback, or the operations bearer token


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated party behind a request."""

    kind: ActorType
    id: str
    roles: frozenset[str] = field(default_factory=frozenset)


# Domains register functions that recognise their credentials (sessions, client assertions).
Authenticator = Callable[[Request], Principal | None]

_REQUIRED_KIND = {
    Access.CITIZEN: ActorType.CITIZEN,
    Access.AGENT: ActorType.AGENT,
    Access.ADMIN: ActorType.ADMIN,
    Access.CLIENT: ActorType.CLIENT,
}


def client_ip(request: Request, settings: Settings) -> str | None:
    """The caller's address; X-Forwarded-For is believed only from configured proxies."""
    peer = request.client.host if request.client else None
    if peer and peer in settings.web.trusted_proxies:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # The right-most address not added by one of our proxies is the real client.
        for hop in reversed(hops):
            if hop not in settings.web.trusted_proxies:
                return hop[:45]
    return peer


def _is_loopback(address: str | None) -> bool:
    if address is None:
        return False
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


def principal(request: Request) -> Principal | None:
    """The authenticated party, asking each registered authenticator once per request."""
    if hasattr(request.state, "principal"):
        found: Principal | None = request.state.principal
        return found
    found = None
    for authenticate in request.app.state.authenticators:
        found = authenticate(request)
        if found is not None:
            break
    request.state.principal = found
    return found


def audit_context(request: Request) -> AuditContext:
    """Who is acting and from where, for the audit log."""
    settings = request_settings(request)
    who = principal(request)
    return AuditContext(
        actor_type=who.kind if who else ActorType.ANONYMOUS,
        actor_id=who.id if who else None,
        ip=client_ip(request, settings),
        request_id=getattr(request.state, "request_id", None),
    )


def _check_internal(request: Request, settings: Settings) -> None:
    token = settings.ops.metrics_token
    header = request.headers.get("authorization", "")
    if token is not None and header.startswith("Bearer "):
        if hmac.compare_digest(header[7:].encode(), token.get_secret_value().encode()):
            return
        raise IdaraError("unauthorized", headers={"WWW-Authenticate": "Bearer"})
    peer = request.client.host if request.client else None
    if not _is_loopback(peer) or request.headers.get("x-forwarded-for"):
        raise IdaraError("forbidden")


def _send_to_sign_in(request: Request, access: Access) -> None:
    """A person opening a page that needs sign-in is taken to sign in, then brought back."""
    page: str | None = request.app.state.sign_in_pages.get(access)
    if page is None or request.method != "GET" or wants_json(request):
        return
    lang = request_lang(request)
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise Redirect(f"{page.format(lang=lang)}?{urlencode({'next': back})}", status=303)


def requires(access: Access) -> DependsParam:
    """The dependency that declares and enforces a route's access policy."""

    async def enforce(request: Request) -> None:
        settings = request_settings(request)
        if access is Access.INTERNAL:
            _check_internal(request, settings)
            return
        if access is not Access.CLIENT:
            await csrf.check(request, settings)
        if access is Access.PUBLIC:
            return
        who = principal(request)
        if who is None:
            _send_to_sign_in(request, access)
            raise IdaraError("unauthorized")
        if who.kind is not _REQUIRED_KIND[access]:
            raise IdaraError("forbidden")

    enforce.__name__ = f"requires_{access.value}"
    setattr(enforce, ACCESS_ATTRIBUTE, access)
    dependency: DependsParam = Depends(enforce)
    return dependency


def access_of(call: Any) -> Access | None:
    """The policy a dependency callable declares, if it is a policy dependency."""
    value = getattr(call, ACCESS_ATTRIBUTE, None)
    return value if isinstance(value, Access) else None


public = requires(Access.PUBLIC)
citizen = requires(Access.CITIZEN)
agent = requires(Access.AGENT)
admin = requires(Access.ADMIN)
client = requires(Access.CLIENT)
internal = requires(Access.INTERNAL)
