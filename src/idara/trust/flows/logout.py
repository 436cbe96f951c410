"""RP-Initiated Logout 1.0 and Back-Channel Logout 1.0.

RP-Initiated Logout §2: `id_token_hint` identifies the client and the session; a
`post_logout_redirect_uri` is honoured only when registered for that client (§3), with
`state` appended; without a hint for the current session the citizen confirms first (§2).
Back-Channel Logout §2.4–§2.6: every client that received tokens in the ended session and
registered a `backchannel_logout_uri` gets a signed logout token (typ `logout+jwt`, `sid`,
`sub`, the back-channel event, no `nonce`), posted after the response is sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from idara.identity.flows import login
from idara.sessions.models import WebSession
from idara.trust import clients, grants, id_token
from idara.trust.flows.context import TrustCtx

EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_TTL_S = 120


@dataclass(frozen=True, slots=True)
class Delivery:
    """One logout token to post to one client."""

    client_id: str
    uri: str
    logout_token: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with a logout request."""

    refused: bool = False
    confirm: bool = False
    redirect: str | None = None
    client_name: str | None = None


@dataclass(frozen=True, slots=True)
class Done:
    """A completed logout: where to go, and the back-channel messages to send."""

    redirect: str | None
    deliveries: list[Delivery] = field(default_factory=list)


def plan(ctx: TrustCtx, params: Mapping[str, str], web_session: WebSession | None) -> Plan:
    """Check a logout request (§2, §3): a bad hint or an unregistered URI is refused."""
    hint = params.get("id_token_hint")
    hinted = None
    if hint:
        hinted = id_token.verify_hint(ctx.db, hint, issuer=ctx.issuer, now=ctx.now)
        if hinted is None:
            return Plan(refused=True)
    client_id = params.get("client_id") or (hinted.get("aud") if hinted else None)
    if isinstance(client_id, list):
        client_id = client_id[0] if len(client_id) == 1 else None
    if hinted and params.get("client_id") and hinted.get("aud") != params.get("client_id"):
        return Plan(refused=True)
    client = clients.get(ctx.db, client_id=client_id) if isinstance(client_id, str) else None
    redirect = None
    target = params.get("post_logout_redirect_uri")
    if target:
        if client is None or target not in client.post_logout_redirect_uris:
            return Plan(refused=True)
        state = params.get("state")
        query = urlencode({"state": state}) if state else ""
        redirect = f"{target}{'&' if '?' in target else '?'}{query}" if query else target
    current = login.authentication(web_session, now=ctx.now)
    same_session = bool(hinted and current and hinted.get("sid") == current.sid)
    name = None
    if client is not None:
        name = client.name_ar if ctx.lang == "ar" else client.name_fr
    return Plan(
        confirm=not same_session and current is not None, redirect=redirect, client_name=name
    )


def logout_token(ctx: TrustCtx, *, client_id: str, sub: str | None, sid: str | None) -> str:
    """A signed logout token (Back-Channel Logout §2.4)."""
    stamp = int(ctx.now.timestamp())
    claims = {
        "iss": ctx.issuer,
        "aud": client_id,
        "iat": stamp,
        "exp": stamp + LOGOUT_TOKEN_TTL_S,
        "jti": secrets.token_urlsafe(16),
        "events": {EVENT: {}},
        **({"sub": sub} if sub else {}),
        **({"sid": sid} if sid else {}),
    }
    return id_token.sign(ctx.db, claims, ctx.trust, now=ctx.now, typ="logout+jwt")


def end_session(ctx: TrustCtx, web_session: WebSession | None, *, redirect: str | None) -> Done:
    """End the provider session, revoke its grants, and prepare the back-channel messages."""
    auth = login.authentication(web_session, now=ctx.now)
    deliveries: list[Delivery] = []
    if web_session is not None and auth is not None:
        seen: set[str] = set()
        for grant in grants.grants_of_session(ctx.db, sid=auth.sid):
            grants.revoke(ctx.db, grant, reason="logout", now=ctx.now)
            if grant.client_id in seen:
                continue
            seen.add(grant.client_id)
            client = clients.get(ctx.db, client_id=grant.client_id)
            if client is None or not client.backchannel_logout_uri:
                continue
            token = logout_token(ctx, client_id=client.client_id, sub=grant.sub, sid=auth.sid)
            deliveries.append(Delivery(client.client_id, client.backchannel_logout_uri, token))
        ctx.record(
            "trust.logout",
            target_type="session",
            target_id=auth.sid,
            details={"clients": sorted(seen)},
        )
    if web_session is not None:
        login.logout(ctx.db, web_session)
    return Done(redirect=redirect, deliveries=deliveries)
