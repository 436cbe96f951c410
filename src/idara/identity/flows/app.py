"""Mobile identity app login: a QR code on the page, approval signed by the app, then login.

The page's session gets a short-lived code (shown as a QR code and as text). The app reads
it, unlocks the card key with the PIN, and signs SHA-256(origin) ‖ SHA-256(code) in the
Web eID format, so the approval goes through the same certificate checks as a card login.
The page polls the status and, once approved, completes the login in its own session:
the app never receives the session, and the code alone logs nobody in.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from idara.audit.schemas import Outcome
from idara.identity import webeid
from idara.identity.flows import login
from idara.identity.flows.card import verified_card
from idara.identity.flows.context import Ctx, audit, check_ip, fail, sha256_hex
from idara.identity.models import Person
from idara.identity.service import logins
from idara.web.errors import IdaraError

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
MAX_BODY = webeid.MAX_TOKEN_BYTES + 512


@dataclass(frozen=True, slots=True)
class AppStart:
    """What the page shows: the code, the QR payload, and until when."""

    code: str
    qr_payload: str
    expires_at: datetime


def normalise_code(code: str) -> str:
    """Codes are read by people: case and dashes do not matter."""
    return code.replace("-", "").replace(" ", "").upper()


def start(ctx: Ctx) -> AppStart:
    """A new code for this session (80 random bits, 2 minutes)."""
    check_ip(ctx, "app_start")
    login.require_level(ctx, login.Method.APP)
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    code = "-".join(raw[i : i + 4] for i in range(0, 16, 4))
    expires = ctx.now + timedelta(seconds=ctx.settings.identity.app_code_ttl_s)
    logins.add_app_request(
        ctx.db,
        session_id=ctx.session.id,
        code_hash=sha256_hex(raw),
        now=ctx.now,
        expires_at=expires,
    )
    return AppStart(
        code=code, qr_payload=qr_payload(ctx.settings.public_origin, code), expires_at=expires
    )


def qr_payload(origin: str, code: str) -> str:
    """The text of the QR code: which site asks, and the code to approve."""
    return f"idara-app://login?origin={quote(origin, safe='')}&code={code}"


def status(ctx: Ctx) -> str:
    """none | pending | approved | expired | consumed, for the page that polls."""
    request = logins.latest_app_request(ctx.db, session_id=ctx.session.id)
    if request is None:
        return "none"
    if request.status == logins.PENDING and request.expires_at <= ctx.now:
        return "expired"
    return request.status


def approve(ctx: Ctx, body: bytes) -> None:
    """The app's call: {"code": ..., "token": <Web eID token over the code>}."""
    check_ip(ctx, "app_approve")
    if len(body) > MAX_BODY:
        raise fail(ctx, "app_approve", "card_token_too_large")
    try:
        parsed = json.loads(body)
        code = normalise_code(parsed["code"])
        raw_token = json.dumps(parsed["token"]).encode()
    except (ValueError, KeyError, TypeError, AttributeError):
        raise fail(ctx, "app_approve", "card_token_malformed") from None
    try:
        token = webeid.parse_token(raw_token)
    except webeid.TokenError as exc:
        raise fail(ctx, "app_approve", exc.code) from None
    request = logins.app_request_by_code(ctx.db, code_hash=sha256_hex(code))
    if request is None:
        raise fail(ctx, "app_approve", "app_code_unknown")
    if request.status != logins.PENDING:
        raise fail(ctx, "app_approve", "app_code_used")
    if request.expires_at <= ctx.now:
        raise fail(ctx, "app_approve", "app_code_expired")
    card, person = verified_card(
        ctx, token, signed_nonce_sha256=bytes.fromhex(sha256_hex(code)), action="app_approve"
    )
    logins.approve_app_request(ctx.db, request, person_id=person.id, card_id=card.id, now=ctx.now)
    audit(ctx, "identity.app_approve", Outcome.SUCCESS, person_id=person.public_id,
          details={"card_serial": card.serial})  # fmt: skip


def complete(ctx: Ctx) -> tuple[str, str]:
    """The page continues after approval: sign its session in at level substantial."""
    check_ip(ctx, "login_app")
    request = logins.latest_app_request(ctx.db, session_id=ctx.session.id)
    if request is None:
        raise fail(ctx, "login_app", "app_code_unknown")
    if request.status == logins.CONSUMED:
        raise fail(ctx, "login_app", "app_code_used")
    if request.status == logins.PENDING:
        code = "app_code_expired" if request.expires_at <= ctx.now else "app_not_approved"
        raise IdaraError(code)  # polling until approval is not a failure worth counting
    login.require_level(ctx, login.Method.APP)
    person = ctx.db.get(Person, request.person_id) if request.person_id else None
    if person is None:
        raise fail(ctx, "login_app", "app_code_unknown")
    logins.consume_app_request(ctx.db, request)
    return login.complete(ctx, person=person, method=login.Method.APP)
