"""Every way a card token can be wrong: its own stable code, and nothing changes but the audit."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.audit.models import AuditEvent
from idara.db import utcnow
from idara.identity import card_crypto, pki
from idara.identity.flows import card as card_flow
from idara.identity.flows import pki as pki_flow
from idara.identity.flows.context import Ctx
from idara.identity.keystore import FileKeyStore
from idara.identity.models import CardChallenge, Person
from idara.identity.service import cards
from idara.ratelimit import MemoryRateLimiter
from idara.sessions.models import WebSession
from idara.settings import Settings
from idara.web.errors import IdaraError
from tests.identity_fixtures import IssuedCard, issue, make_ctx

ORIGIN = "https://idara.test"


def state(db: Session, web_session: WebSession) -> tuple[Any, ...]:
    """Everything a failed login must leave as it was."""
    db.flush()
    challenges = db.execute(
        select(CardChallenge.id, CardChallenge.used_at).order_by(CardChallenge.id)
    ).all()
    return (
        web_session.token_hash,
        web_session.subject_id,
        web_session.acr,
        dict(web_session.data),
        tuple(challenges),
    )


def refused(ctx: Ctx, token: bytes, **kwargs: Any) -> str:
    """Run a login that must fail; check nothing changed and the attempt was audited."""
    before = state(ctx.db, ctx.session)
    with pytest.raises(IdaraError) as caught:
        card_flow.login_with_token(ctx, token, **kwargs)
    assert state(ctx.db, ctx.session) == before
    event = ctx.db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.outcome == "failure"
    assert event.details["reason"] == caught.value.code
    return caught.value.code


def with_field(token: bytes, **changes: Any) -> bytes:
    body = json.loads(token)
    body.update(changes)
    return json.dumps(body).encode()


def test_a_valid_token_signs_the_session_in_at_level_high(ctx: Ctx, card: IssuedCard) -> None:
    challenge = card_flow.issue_challenge(ctx)
    old_hash = ctx.session.token_hash
    cookie, next_url = card_flow.login_with_token(ctx, card.token(ORIGIN, challenge.nonce))
    assert next_url == "/fr/auth/session"
    assert ctx.session.subject_id == card.person.public_id
    assert (ctx.session.acr, ctx.session.amr) == ("high", ["hwk", "pin"])
    assert ctx.session.token_hash != old_hash and cookie  # rotated at login
    used = ctx.db.scalars(select(CardChallenge)).one()
    assert used.used_at is not None


def test_an_expired_certificate_is_refused(
    ctx: Ctx, db_session: Session, store: FileKeyStore, settings: Settings, registry: list[Person]
) -> None:
    now = utcnow()
    old = issue(db_session, store, settings, registry[1], not_before=now - timedelta(days=30),
                not_after=now - timedelta(days=1))  # fmt: skip
    nonce = card_flow.issue_challenge(ctx).nonce
    assert refused(ctx, old.token(ORIGIN, nonce)) == "card_certificate_expired"


def test_a_certificate_not_yet_valid_is_refused(
    ctx: Ctx, db_session: Session, store: FileKeyStore, settings: Settings, registry: list[Person]
) -> None:
    now = utcnow()
    early = issue(db_session, store, settings, registry[1], not_before=now + timedelta(days=1),
                  not_after=now + timedelta(days=30))  # fmt: skip
    nonce = card_flow.issue_challenge(ctx).nonce
    assert refused(ctx, early.token(ORIGIN, nonce)) == "card_certificate_not_yet_valid"


def test_a_revoked_certificate_is_refused(
    ctx: Ctx, db_session: Session, store: FileKeyStore, card: IssuedCard
) -> None:
    record = cards.card_by_serial(db_session, serial=card.serial)
    assert record is not None
    pki_flow.revoke_card(db_session, store, record, reason="lost", now=utcnow())
    nonce = card_flow.issue_challenge(ctx).nonce
    assert refused(ctx, card.token(ORIGIN, nonce)) == "card_certificate_revoked"


def test_a_card_declared_lost_in_the_registry_is_refused(
    ctx: Ctx, db_session: Session, store: FileKeyStore, settings: Settings, registry: list[Person]
) -> None:
    lost = issue(db_session, store, settings, registry[3])
    nonce = card_flow.issue_challenge(ctx).nonce
    assert refused(ctx, lost.token(ORIGIN, nonce)) == "card_certificate_revoked"


def test_a_certificate_from_an_unknown_ca_is_refused(
    ctx: Ctx, db_session: Session, settings: Settings, tmp_path: Any, card: IssuedCard
) -> None:
    # A look-alike PKI: same names as the national one, other keys.
    rogue = FileKeyStore(tmp_path, b"rogue", iterations=1000)
    rogue.create("root-ca-1")
    rogue.create("issuing-ca-1")
    now = utcnow()
    root = pki.build_root(rogue, "root-ca-1", now=now)
    issuing = pki.build_issuing(
        rogue, "issuing-ca-1", root_key_id="root-ca-1", root_der=root, now=now
    )
    key = card_crypto.CardKey.generate()
    forged = pki.build_card_certificate(
        rogue, issuer_key_id="issuing-ca-1", issuer_der=issuing, card_public_key=key.public_key(),
        cin=card.person.cin, first_name="X", last_name="Y", not_before=now - timedelta(minutes=1),
        not_after=now + timedelta(days=1), base_url=ORIGIN,
    )  # fmt: skip
    nonce = card_flow.issue_challenge(ctx).nonce
    token = card_crypto.web_eid_token(key, certificate=forged, origin=ORIGIN, nonce=nonce)
    assert refused(ctx, json.dumps(token).encode()) == "card_certificate_untrusted"


def test_a_certificate_without_client_authentication_usage_is_refused(
    ctx: Ctx, db_session: Session, store: FileKeyStore, card: IssuedCard
) -> None:
    issuing = pki_flow.ensure_pki(db_session, store, now=utcnow()).issuing
    issuer = x509.load_der_x509_certificate(issuing.certificate)
    original = x509.load_der_x509_certificate(card.certificate)
    builder = (
        x509.CertificateBuilder()
        .subject_name(original.subject)
        .issuer_name(issuer.subject)
        .public_key(original.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(original.not_valid_before_utc)
        .not_valid_after(original.not_valid_after_utc)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
    )
    der = pki._sign_certificate(builder, store, issuing.key_id)
    assert x509.load_der_x509_certificate(der).signature_hash_algorithm.name == hashes.SHA256.name
    nonce = card_flow.issue_challenge(ctx).nonce
    token = card_crypto.web_eid_token(card.key, certificate=der, origin=ORIGIN, nonce=nonce)
    assert refused(ctx, json.dumps(token).encode()) == "card_certificate_key_usage"


def test_a_token_signed_for_another_origin_is_refused_as_a_bad_signature(
    ctx: Ctx, card: IssuedCard
) -> None:
    # Web eID binds the origin inside the signature (there is no origin field to compare).
    nonce = card_flow.issue_challenge(ctx).nonce
    token = card.token("https://evil.example", nonce)
    assert refused(ctx, token) == "card_signature_invalid"


def test_a_token_without_any_challenge_for_the_session_is_refused(
    ctx: Ctx, card: IssuedCard
) -> None:
    assert refused(ctx, card.token(ORIGIN, "never-issued")) == "card_challenge_unknown"


def test_a_nonce_the_session_was_not_given_is_refused(ctx: Ctx, card: IssuedCard) -> None:
    card_flow.issue_challenge(ctx)
    code = refused(ctx, card.token(ORIGIN, "other"), nonce="A" * 44)
    assert code == "card_challenge_unknown"


def test_an_expired_nonce_is_refused(
    ctx: Ctx, db_session: Session, settings: Settings, limiter: MemoryRateLimiter, card: IssuedCard
) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    later = make_ctx(
        db_session, settings, limiter, ctx.session, shift=timedelta(minutes=5, seconds=1)
    )
    assert refused(later, card.token(ORIGIN, nonce)) == "card_challenge_expired"


def test_a_reused_nonce_is_refused(ctx: Ctx, card: IssuedCard) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    token = card.token(ORIGIN, nonce)
    card_flow.login_with_token(ctx, token)
    assert refused(ctx, token) == "card_challenge_used"


def _tamper(token: bytes) -> bytes:
    body = json.loads(token)
    signature = bytearray(base64.b64decode(body["signature"]))
    signature[10] ^= 0x01
    body["signature"] = base64.b64encode(bytes(signature)).decode()
    return json.dumps(body).encode()


def test_a_tampered_signature_is_refused(ctx: Ctx, card: IssuedCard) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    assert refused(ctx, _tamper(card.token(ORIGIN, nonce))) == "card_signature_invalid"


def test_a_signature_by_another_card_is_refused(
    ctx: Ctx, db_session: Session, store: FileKeyStore, settings: Settings,
    registry: list[Person], card: IssuedCard,
) -> None:  # fmt: skip
    other = issue(db_session, store, settings, registry[1])
    nonce = card_flow.issue_challenge(ctx).nonce
    mixed = with_field(
        card.token(ORIGIN, nonce), signature=json.loads(other.token(ORIGIN, nonce))["signature"]
    )
    assert refused(ctx, mixed) == "card_signature_invalid"


@pytest.mark.parametrize("alg", ["none", "None", "HS256", "ES384", "RS256", "PS256", "", "es256"])
def test_an_algorithm_outside_the_allow_list_is_refused(
    ctx: Ctx, card: IssuedCard, alg: str
) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    assert (
        refused(ctx, with_field(card.token(ORIGIN, nonce), algorithm=alg)) == "card_token_algorithm"
    )


MALFORMED: dict[str, Callable[[bytes], bytes]] = {
    "not json": lambda t: b"{not json",
    "a list": lambda t: b"[]",
    "bad base64 certificate": lambda t: with_field(t, unverifiedCertificate="%%%"),
    "bad base64 signature": lambda t: with_field(t, signature="abc$"),
    "signature not a string": lambda t: with_field(t, signature=12),
    "missing signature": lambda t: json.dumps(
        {k: v for k, v in json.loads(t).items() if k != "signature"}
    ).encode(),
    "unknown member": lambda t: with_field(t, extra="x"),
    "duplicate member": lambda t: t[:-1] + b', "algorithm": "none"}',
    "invalid utf-8": lambda t: b'{"a": "\xff"}',
}


@pytest.mark.parametrize("damage", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_token_is_refused(
    ctx: Ctx, card: IssuedCard, damage: Callable[[bytes], bytes]
) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    assert refused(ctx, damage(card.token(ORIGIN, nonce))) == "card_token_malformed"


def test_a_certificate_that_is_not_der_is_refused(ctx: Ctx, card: IssuedCard) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    token = with_field(
        card.token(ORIGIN, nonce), unverifiedCertificate=base64.b64encode(b"junk").decode()
    )
    assert refused(ctx, token) == "card_certificate_malformed"


def test_another_token_format_is_refused(ctx: Ctx, card: IssuedCard) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    assert (
        refused(ctx, with_field(card.token(ORIGIN, nonce), format="web-eid:2"))
        == "card_token_format"
    )


def test_an_oversized_token_is_refused(ctx: Ctx, card: IssuedCard) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    big = with_field(card.token(ORIGIN, nonce), appVersion="x" * 9000)
    assert refused(ctx, big) == "card_token_too_large"


def test_a_card_blocked_by_wrong_pins_online_is_refused(
    ctx: Ctx, db_session: Session, card: IssuedCard
) -> None:
    record = cards.card_by_serial(db_session, serial=card.serial)
    assert record is not None
    for _ in range(3):
        cards.record_pin_failure(db_session, record, limit=3, now=utcnow())
    nonce = card_flow.issue_challenge(ctx).nonce
    assert refused(ctx, card.token(ORIGIN, nonce)) == "card_blocked"


def test_the_audit_of_a_failed_attempt_holds_no_secret(ctx: Ctx, card: IssuedCard) -> None:
    nonce = card_flow.issue_challenge(ctx).nonce
    refused(ctx, _tamper(card.token(ORIGIN, nonce)))
    event = ctx.db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    text = json.dumps(event.details)
    assert nonce not in text and 'signature"' not in text and card.person.cin not in text
    assert event.details["card_serial"] == card.serial
