"""Card login: challenge nonces, Web eID token validation, and the demo's virtual reader.

Order of checks, cheapest and stateless first: per-IP limit, token shape, the challenge
bound to this session (known, unexpired, unused), card lockout, certificate path, validity,
key usage and signature (webeid.py), then the card's record (revoked, blocked, registry
status). Nothing but the audit log and the failure counters changes until every check
has passed; only then is the challenge used and the session signed in.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from idara.audit.schemas import Outcome
from idara.identity import card_crypto, pki, webeid
from idara.identity.flows import login
from idara.identity.flows.context import (
    Ctx,
    audit,
    card_key,
    check_ip,
    check_locked,
    fail,
    sha256_hex,
)
from idara.identity.models import Card, Person
from idara.identity.service import cards, logins
from idara.web.errors import IdaraError

ACTION = "login_card"
PIN_TRIES = card_crypto.PIN_TRIES


@dataclass(frozen=True, slots=True)
class Challenge:
    """A nonce to sign and until when."""

    nonce: str
    expires_at: datetime


def issue_challenge(ctx: Ctx) -> Challenge:
    """A fresh nonce (32 random bytes, base64) bound to the session, valid 5 minutes."""
    check_ip(ctx, "card_challenge")
    nonce = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    expires = ctx.now + timedelta(seconds=ctx.settings.identity.challenge_ttl_s)
    logins.add_challenge(
        ctx.db,
        session_id=ctx.session.id,
        nonce_hash=sha256_hex(nonce),
        now=ctx.now,
        expires_at=expires,
    )
    return Challenge(nonce=nonce, expires_at=expires)


def _serial_of(certificate: bytes) -> str | None:
    try:
        return pki.facts(certificate).serial
    except ValueError:
        return None


def verified_card(
    ctx: Ctx, token: webeid.AuthToken, *, signed_nonce_sha256: bytes, action: str
) -> tuple[Card, Person]:
    """Verify a token against the trusted CAs and the card's record; raises IdaraError."""
    serial = _serial_of(token.certificate)
    key = card_key(serial) if serial else None
    if key:
        check_locked(ctx, key, action)
    detail = {"card_serial": serial} if serial else {}
    anchors = webeid.TrustAnchors(cards.issuing_certificates(ctx.db))
    try:
        identity = webeid.verify(
            token,
            anchors=anchors,
            origin=ctx.settings.public_origin,
            nonce_sha256=signed_nonce_sha256,
            now=ctx.now,
        )
    except webeid.TokenError as exc:
        raise fail(ctx, action, exc.code, key=key, details=detail) from None
    card = cards.card_by_serial(ctx.db, serial=identity.serial)
    person = ctx.db.get(Person, card.person_id) if card else None
    if card is None or person is None or person.cin != identity.cin:
        raise fail(ctx, action, "card_certificate_untrusted", key=key, details=detail)
    code = None
    if card.status == cards.REVOKED or person.card_status in ("lost", "revoked"):
        code = "card_certificate_revoked"
    elif person.card_status == "expired":
        code = "card_certificate_expired"
    elif card.blocked_at is not None:
        code = "card_blocked"
    if code:
        raise fail(ctx, action, code, key=key, person_id=person.public_id, details=detail)
    return card, person


def login_with_token(ctx: Ctx, raw: bytes, *, nonce: str | None = None) -> tuple[str, str]:
    """Validate a Web eID token answering this session's challenge and sign the session in."""
    check_ip(ctx, ACTION)
    try:
        token = webeid.parse_token(raw)
    except webeid.TokenError as exc:
        raise fail(ctx, ACTION, exc.code) from None
    challenge = logins.challenge_for(
        ctx.db, session_id=ctx.session.id, nonce_hash=sha256_hex(nonce) if nonce else None
    )
    if challenge is None:
        raise fail(ctx, ACTION, "card_challenge_unknown")
    if challenge.used_at is not None:
        raise fail(ctx, ACTION, "card_challenge_used")
    if challenge.expires_at <= ctx.now:
        raise fail(ctx, ACTION, "card_challenge_expired")
    login.require_level(ctx, login.Method.CARD)
    card, person = verified_card(
        ctx, token, signed_nonce_sha256=bytes.fromhex(challenge.nonce_hash), action=ACTION
    )
    logins.use_challenge(ctx.db, challenge, now=ctx.now)
    ctx.limiter.reset(card_key(card.serial))
    return login.complete(ctx, person=person, method=login.Method.CARD)


def login_with_card_file(ctx: Ctx, card_file: bytes, pin: str) -> tuple[str, str]:
    """The demo's virtual reader: the server plays the card (see ADR 0021), then validates.

    The PIN is checked against the server's counter for this card, not the file's, so a
    copied file cannot buy more guesses; a right PIN signs a fresh challenge and the token
    goes through exactly the same validation as one posted to /auth/card/token.
    """
    check_ip(ctx, "card_reader")
    try:
        content = card_crypto.parse_card(card_file)
        certificate = card_crypto.certificate_of(content)
    except card_crypto.CardFileError:
        raise fail(ctx, "card_reader", "card_file_invalid") from None
    serial = _serial_of(certificate)
    card = cards.card_by_serial(ctx.db, serial=serial) if serial else None
    if card is None or serial is None:
        raise fail(ctx, "card_reader", "card_certificate_untrusted")
    check_locked(ctx, card_key(serial), "card_reader")
    person = ctx.db.get(Person, card.person_id)
    person_id = person.public_id if person else None
    if card.blocked_at is not None:
        audit(ctx, "identity.card_reader", Outcome.DENIED, person_id=person_id,
              details={"reason": "card_blocked", "card_serial": serial})  # fmt: skip
        raise IdaraError("card_blocked")
    content["pin_tries_left"] = PIN_TRIES - card.pin_failures  # the server's count decides
    try:
        key = card_crypto.unlock(content, pin)
    except (card_crypto.WrongPinError, card_crypto.CardBlockedError):
        left = cards.record_pin_failure(ctx.db, card, limit=PIN_TRIES, now=ctx.now)
        code = "card_pin_wrong" if left else "card_blocked"
        details = {"card_serial": serial, "tries_left": left}
        raise fail(ctx, "card_reader", code, person_id=person_id, details=details,
                   tries_left=left) from None  # fmt: skip
    except card_crypto.CardFileError:
        raise fail(ctx, "card_reader", "card_file_invalid") from None
    cards.reset_pin_failures(ctx.db, card)
    challenge = issue_challenge(ctx)
    token = card_crypto.web_eid_token(
        key, certificate=certificate, origin=ctx.settings.public_origin, nonce=challenge.nonce
    )
    return login_with_token(ctx, json.dumps(token).encode(), nonce=challenge.nonce)
