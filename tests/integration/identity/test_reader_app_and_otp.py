"""The demo card reader and its server-side PIN counter, the mobile-app flow, the SMS code."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.audit.models import AuditEvent
from idara.identity import card_crypto
from idara.identity.flows import app as app_flow
from idara.identity.flows import card as card_flow
from idara.identity.flows import login
from idara.identity.flows import otp as otp_flow
from idara.identity.flows.context import Ctx
from idara.identity.models import Person
from idara.identity.service import cards
from idara.ratelimit import MemoryRateLimiter
from idara.settings import Settings
from idara.web.errors import IdaraError
from tests.identity_fixtures import PIN, IssuedCard, make_ctx

ORIGIN = "https://idara.test"


def code_of(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(IdaraError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value.code


def file_bytes(card: IssuedCard, tries_left: int = 3) -> bytes:
    return json.dumps({**card.file, "pin_tries_left": tries_left}).encode()


def test_the_reader_signs_in_with_the_right_pin(ctx: Ctx, card: IssuedCard) -> None:
    card_flow.login_with_card_file(ctx, file_bytes(card), PIN)
    assert (ctx.session.acr, ctx.session.subject_id) == ("high", card.person.public_id)


def test_wrong_pins_count_on_the_server_so_a_copied_file_buys_no_extra_tries(
    ctx: Ctx, db_session: Session, card: IssuedCard
) -> None:
    with pytest.raises(IdaraError) as first:
        card_flow.login_with_card_file(ctx, file_bytes(card), "0000")
    assert (first.value.code, first.value.params["tries_left"]) == ("card_pin_wrong", 2)
    # The attacker resets the counter inside the file: the server still counts.
    with pytest.raises(IdaraError) as second:
        card_flow.login_with_card_file(ctx, file_bytes(card, 3), "1111")
    assert second.value.params["tries_left"] == 1
    assert (
        code_of(card_flow.login_with_card_file, ctx, file_bytes(card, 3), "2222") == "card_blocked"
    )
    assert code_of(card_flow.login_with_card_file, ctx, file_bytes(card, 3), PIN) == "card_blocked"
    record = cards.card_by_serial(db_session, serial=card.serial)
    assert record is not None and record.blocked_at is not None
    cards.reset_pin_failures(db_session, record)  # what `idara card unblock` does with the PUK
    card_flow.login_with_card_file(ctx, file_bytes(card), PIN)
    assert ctx.session.acr == "high"


def test_the_reader_refuses_something_that_is_not_a_card(ctx: Ctx) -> None:
    assert code_of(card_flow.login_with_card_file, ctx, b"hello", PIN) == "card_file_invalid"


def _approve(ctx_app: Ctx, card: IssuedCard, code: str) -> None:
    token = card_crypto.web_eid_token(
        card.key, certificate=card.certificate, origin=ORIGIN, nonce=app_flow.normalise_code(code)
    )
    app_flow.approve(ctx_app, json.dumps({"code": code, "token": token}).encode())


def test_the_app_approves_and_the_page_signs_in_at_level_substantial(
    ctx: Ctx, db_session: Session, settings: Settings, limiter: MemoryRateLimiter, card: IssuedCard
) -> None:
    started = app_flow.start(ctx)
    assert app_flow.status(ctx) == "pending"
    assert code_of(app_flow.complete, ctx) == "app_not_approved"
    _approve(make_ctx(db_session, settings, limiter, None), card, started.code.lower())
    assert app_flow.status(ctx) == "approved"
    app_flow.complete(ctx)
    assert (ctx.session.acr, ctx.session.amr) == ("substantial", ["mca", "pin", "swk"])
    assert app_flow.status(ctx) == "consumed"
    assert code_of(app_flow.complete, ctx) == "app_code_used"


def test_an_expired_qr_code_cannot_be_approved(
    ctx: Ctx, db_session: Session, settings: Settings, limiter: MemoryRateLimiter, card: IssuedCard
) -> None:
    started = app_flow.start(ctx)
    later = make_ctx(db_session, settings, limiter, None, shift=timedelta(minutes=3))
    assert code_of(_approve, later, card, started.code) == "app_code_expired"
    assert app_flow.status(make_ctx(db_session, settings, limiter, ctx.session,
                                    shift=timedelta(minutes=3))) == "expired"  # fmt: skip


def test_an_unknown_code_and_a_token_over_another_code_are_refused(
    ctx: Ctx, db_session: Session, settings: Settings, limiter: MemoryRateLimiter, card: IssuedCard
) -> None:
    started = app_flow.start(ctx)
    app_ctx = make_ctx(db_session, settings, limiter, None)
    assert code_of(_approve, app_ctx, card, "AAAA-AAAA-AAAA-AAAA") == "app_code_unknown"
    token = card_crypto.web_eid_token(card.key, certificate=card.certificate, origin=ORIGIN,
                                      nonce="OTHERCODE")  # fmt: skip
    body = json.dumps({"code": started.code, "token": token}).encode()
    assert code_of(app_flow.approve, app_ctx, body) == "card_signature_invalid"
    assert app_flow.status(ctx) == "pending"


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        self.sent.append((to, text))


def test_a_code_by_sms_signs_in_at_level_low(ctx: Ctx, registry: list[Person]) -> None:
    outbox = Outbox()
    otp_flow.send(ctx, cin=registry[0].cin.lower(), sender=outbox)
    ((phone, text),) = outbox.sent
    code = re.findall(r"\b[0-9]{6}\b", text)[0]
    assert phone == registry[0].phone
    otp_flow.verify(ctx, code=code)
    assert (ctx.session.acr, ctx.session.amr) == ("low", ["otp", "sms"])


def test_an_unknown_cin_gets_the_same_answer_and_no_code_ever_matches(
    ctx: Ctx, registry: list[Person]
) -> None:
    outbox = Outbox()
    otp_flow.send(ctx, cin="ZZ999999", sender=outbox)
    otp_flow.send(ctx, cin=registry[5].cin, sender=outbox)  # registered, but no phone
    assert outbox.sent == []
    for left in (2, 1, 0):
        with pytest.raises(IdaraError) as caught:
            otp_flow.verify(ctx, code="123456")
        assert (caught.value.code, caught.value.params["attempts_left"]) == ("otp_invalid", left)


def test_repeated_wrong_codes_lock_the_cin_with_a_growing_wait(
    ctx: Ctx, registry: list[Person]
) -> None:
    outbox = Outbox()
    codes = []
    for _ in range(2):
        otp_flow.send(ctx, cin=registry[0].cin, sender=outbox)
        for _ in range(3):
            codes.append(code_of(otp_flow.verify, ctx, code="000000"))
    # The fifth failure starts a lockout (max_failures=5): the sixth attempt must wait.
    assert codes == ["otp_invalid"] * 5 + ["login_locked"]
    assert code_of(otp_flow.send, ctx, cin=registry[0].cin, sender=outbox) == "login_locked"
    events = ctx.db.scalars(
        select(AuditEvent).where(AuditEvent.action == "identity.login_otp")
    ).all()
    assert any("locked_for_s" in e.details for e in events)
    assert all("000000" not in json.dumps(e.details) for e in events)


def test_a_method_below_the_level_asked_for_is_refused_before_anything_happens(
    ctx: Ctx, registry: list[Person]
) -> None:
    login.begin_login(ctx.db, ctx.session, next_url="/authorize/resume", acr_values=["substantial"])
    outbox = Outbox()
    assert code_of(otp_flow.send, ctx, cin=registry[0].cin, sender=outbox) == "login_level_too_low"
    assert outbox.sent == []
