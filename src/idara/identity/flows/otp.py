"""One-time code by SMS (level low): never says whether a CIN exists.

An unknown CIN, or one without a phone, gets exactly the same answer and the same
bookkeeping as a known one (a code row with no person, which no code can ever match).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from idara.audit.schemas import Outcome
from idara.identity.flows import login
from idara.identity.flows.context import Ctx, audit, check_ip, check_locked, cin_key, fail
from idara.identity.models import Person
from idara.identity.service import logins, persons
from idara.identity.sms import SmsError, SmsSender
from idara.sessions import service as sessions
from idara.web.errors import IdaraError

MAX_ATTEMPTS = 3
SENDS_PER_CIN = 3
SEND_WINDOW_S = 900


def _hash(ctx: Ctx, session_id: int, code: str) -> str:
    secret = ctx.settings.web.secret_key.get_secret_value().encode()
    return hmac.new(secret, f"otp:{session_id}:{code}".encode(), hashlib.sha256).hexdigest()


def send(ctx: Ctx, *, cin: str, sender: SmsSender) -> datetime:
    """Send a code to the CIN's registered phone, if there is one; returns its expiry."""
    check_ip(ctx, "otp_send")
    login.require_level(ctx, login.Method.OTP)
    canonical = persons.normalise_cin(cin)
    if canonical is None:
        raise IdaraError("invalid_request")
    key = cin_key(ctx, canonical)
    check_locked(ctx, key, "otp_send")
    window = ctx.limiter.hit(f"{key}:sends", limit=SENDS_PER_CIN, window_s=SEND_WINDOW_S)
    if not window.allowed:
        audit(ctx, "identity.otp_send", Outcome.DENIED, details={"reason": "rate_limited"})
        raise IdaraError("rate_limited", headers={"Retry-After": str(window.retry_after_s)})
    person = persons.find_by_cin(ctx.db, cin=canonical)
    reachable = person if person is not None and person.phone else None
    code = f"{secrets.randbelow(10**6):06d}"
    expires = ctx.now + timedelta(seconds=ctx.settings.identity.otp_ttl_s)
    logins.add_otp(
        ctx.db,
        session_id=ctx.session.id,
        person_id=reachable.id if reachable else None,
        code_hash=_hash(ctx, ctx.session.id, code),
        now=ctx.now,
        expires_at=expires,
    )
    sessions.set_data(ctx.db, ctx.session, otp_key=key)
    if reachable is not None and reachable.phone:
        text = (
            f"Idara : votre code est {code} (5 min). Ne le communiquez à personne. "
            f"رمز التحقق: {code}"
        )
        try:
            sender.send(to=reachable.phone, text=text)
        except SmsError:
            raise IdaraError("service_unavailable") from None
    audit(ctx, "identity.otp_send", Outcome.SUCCESS,
          person_id=reachable.public_id if reachable else None)  # fmt: skip
    return expires


def verify(ctx: Ctx, *, code: str) -> tuple[str, str]:
    """Check the code the citizen typed; three tries per code."""
    check_ip(ctx, "login_otp")
    otp = logins.latest_otp(ctx.db, session_id=ctx.session.id)
    key = ctx.session.data.get("otp_key")
    if otp is None or not isinstance(key, str):
        raise IdaraError("otp_missing")
    check_locked(ctx, key, "login_otp")
    if otp.used_at is not None or otp.expires_at <= ctx.now or otp.attempts >= MAX_ATTEMPTS:
        raise fail(ctx, "login_otp", "otp_invalid", key=key, attempts_left=0)
    attempts = logins.count_otp_attempt(ctx.db, otp)
    expected = otp.code_hash
    given = _hash(ctx, ctx.session.id, code.strip())
    # Compared even for an unknown CIN, so both cases take the same time.
    matches = hmac.compare_digest(expected, given) and otp.person_id is not None
    person = ctx.db.get(Person, otp.person_id) if matches and otp.person_id else None
    if person is None:
        raise fail(ctx, "login_otp", "otp_invalid", key=key,
                   attempts_left=MAX_ATTEMPTS - attempts)  # fmt: skip
    login.require_level(ctx, login.Method.OTP)
    logins.use_otp(ctx.db, otp, now=ctx.now)
    ctx.limiter.reset(key)
    return login.complete(ctx, person=person, method=login.Method.OTP)
