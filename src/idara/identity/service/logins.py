"""Logins in flight: card challenges, mobile-app requests and one-time codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from idara.identity.models import AppRequest, CardChallenge, OneTimeCode

PENDING, APPROVED, CONSUMED = "pending", "approved", "consumed"


def add_challenge(
    db: Session, *, session_id: int, nonce_hash: str, now: datetime, expires_at: datetime
) -> CardChallenge:
    """Record a challenge issued to a session (its nonce's SHA-256 only)."""
    challenge = CardChallenge(
        session_id=session_id, nonce_hash=nonce_hash, created_at=now, expires_at=expires_at
    )
    db.add(challenge)
    db.flush()
    return challenge


def challenge_for(db: Session, *, session_id: int, nonce_hash: str | None) -> CardChallenge | None:
    """The session's challenge with this nonce hash, or its latest one when none is given."""
    query = select(CardChallenge).where(CardChallenge.session_id == session_id)
    if nonce_hash is not None:
        query = query.where(CardChallenge.nonce_hash == nonce_hash)
    return db.scalars(query.order_by(CardChallenge.id.desc()).limit(1)).first()


def use_challenge(db: Session, challenge: CardChallenge, *, now: datetime) -> None:
    """Mark a challenge answered: it can never be answered again."""
    challenge.used_at = now
    db.flush()


def add_app_request(
    db: Session, *, session_id: int, code_hash: str, now: datetime, expires_at: datetime
) -> AppRequest:
    """Record a mobile-app login request shown as a QR code to a session."""
    request = AppRequest(
        session_id=session_id,
        code_hash=code_hash,
        created_at=now,
        expires_at=expires_at,
        status=PENDING,
    )
    db.add(request)
    db.flush()
    return request


def app_request_by_code(db: Session, *, code_hash: str) -> AppRequest | None:
    """The request a code names."""
    return db.scalars(select(AppRequest).where(AppRequest.code_hash == code_hash)).first()


def latest_app_request(db: Session, *, session_id: int) -> AppRequest | None:
    """The session's most recent app request."""
    return db.scalars(
        select(AppRequest)
        .where(AppRequest.session_id == session_id)
        .order_by(AppRequest.id.desc())
        .limit(1)
    ).first()


def approve_app_request(
    db: Session, request: AppRequest, *, person_id: int, card_id: int, now: datetime
) -> None:
    """The app signed the code with a valid card: the page may now complete the login."""
    request.status = APPROVED
    request.person_id = person_id
    request.card_id = card_id
    request.approved_at = now
    db.flush()


def consume_app_request(db: Session, request: AppRequest) -> None:
    """The page completed the login: the approval cannot log anyone in again."""
    request.status = CONSUMED
    db.flush()


def add_otp(
    db: Session,
    *,
    session_id: int,
    person_id: int | None,
    code_hash: str,
    now: datetime,
    expires_at: datetime,
) -> OneTimeCode:
    """Record a code sent (or, for an unknown CIN, pretended to be sent)."""
    otp = OneTimeCode(
        session_id=session_id,
        person_id=person_id,
        code_hash=code_hash,
        created_at=now,
        expires_at=expires_at,
        attempts=0,
    )
    db.add(otp)
    db.flush()
    return otp


def latest_otp(db: Session, *, session_id: int) -> OneTimeCode | None:
    """The session's most recent code."""
    return db.scalars(
        select(OneTimeCode)
        .where(OneTimeCode.session_id == session_id)
        .order_by(OneTimeCode.id.desc())
        .limit(1)
    ).first()


def count_otp_attempt(db: Session, otp: OneTimeCode) -> int:
    """Count one attempt at a code; returns the attempts made."""
    otp.attempts += 1
    db.flush()
    return otp.attempts


def use_otp(db: Session, otp: OneTimeCode, *, now: datetime) -> None:
    """Mark a code used."""
    otp.used_at = now
    db.flush()
