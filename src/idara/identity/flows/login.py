"""The login seam: how another domain (the trust service) asks for a login and reads it.

    url = login.begin_login(db, web_session, next_url="/authorize/resume?…",
                            acr_values=["substantial"], lang="fr")
    → redirect the browser to `url`; the citizen picks a method the level allows;
    → on success the browser is sent to `next_url` with its session signed in;
    auth = login.authentication(web_session, now=…, max_age=…, min_level=Level.HIGH)
    → None (start again) or who signed in, at which level (acr), how (amr, RFC 8176), when.

The session is the server-side `web_session` row (idara.sessions) that the
`identity.dependencies.LoginSession` dependency loads or creates for a request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from idara.audit.schemas import ActorType, Outcome
from idara.identity.flows.context import Ctx, audit
from idara.identity.models import Person
from idara.sessions import service as sessions
from idara.sessions.models import WebSession
from idara.web.errors import IdaraError


class Level(StrEnum):
    """Levels of assurance (eIDAS-like), ordered: low < substantial < high."""

    LOW = "low"
    SUBSTANTIAL = "substantial"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Position in the order, for comparisons."""
        return _RANK[self]


_RANK = {Level.LOW: 0, Level.SUBSTANTIAL: 1, Level.HIGH: 2}


class Method(StrEnum):
    """The ways to sign in."""

    CARD = "card"
    APP = "app"
    OTP = "otp"


METHOD_LEVEL = {Method.CARD: Level.HIGH, Method.APP: Level.SUBSTANTIAL, Method.OTP: Level.LOW}
# Authentication method references, RFC 8176 §2: hardware key + PIN; several channels with
# a software key + PIN; one-time code by SMS.
METHOD_AMR: dict[Method, tuple[str, ...]] = {
    Method.CARD: ("hwk", "pin"),
    Method.APP: ("mca", "pin", "swk"),
    Method.OTP: ("otp", "sms"),
}


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """What the session is signing in for: where to continue and the lowest level allowed."""

    next_url: str
    min_level: Level

    @property
    def methods(self) -> list[Method]:
        """The methods whose level is enough, strongest first."""
        return [m for m in Method if METHOD_LEVEL[m].rank >= self.min_level.rank]


@dataclass(frozen=True, slots=True)
class Authentication:
    """A signed-in session as the trust service reads it."""

    person_id: str  # identity_person.public_id
    level: Level  # the `acr`
    amr: tuple[str, ...]
    auth_time: datetime
    sid: str  # stable session id (OpenID Connect `sid`), never the cookie value


def safe_next(url: str | None, lang: str) -> str:
    """A local path to continue to; anything else (another site, //host, \\) is replaced."""
    default = f"/{lang}/auth/session"
    if not url or len(url) > 2000 or not url.startswith("/") or url.startswith(("//", "/\\")):
        return default
    if any(ord(ch) < 0x20 or ch == "\\" for ch in url):
        return default
    return url


def parse_level(values: Sequence[str]) -> Level:
    """The lowest level among requested acr values (unknown values are ignored)."""
    known = [Level(v) for v in values if v in set(Level)]
    return min(known, key=lambda level: level.rank) if known else Level.LOW


def begin_login(
    db: Session,
    web_session: WebSession,
    *,
    next_url: str | None,
    acr_values: Sequence[str] = (),
    lang: str = "fr",
) -> str:
    """Remember where to continue and the level asked for; returns the login page's URL."""
    pending = {"next": safe_next(next_url, lang), "min_level": parse_level(acr_values).value}
    sessions.set_data(db, web_session, login=pending)
    return f"/{lang}/auth/login"


def pending_login(web_session: WebSession, lang: str = "fr") -> PendingLogin:
    """The session's pending login (a plain visit to the login page asks for level low)."""
    data = web_session.data.get("login") or {}
    level = data.get("min_level")
    return PendingLogin(
        next_url=safe_next(data.get("next"), lang),
        min_level=Level(level) if isinstance(level, str) and level in set(Level) else Level.LOW,
    )


def authentication(
    web_session: WebSession | None,
    *,
    now: datetime,
    max_age: int | None = None,
    min_level: Level = Level.LOW,
) -> Authentication | None:
    """Who signed this session in, if anyone, recently and strongly enough."""
    if web_session is None or web_session.subject_type != ActorType.CITIZEN.value:
        return None
    if web_session.subject_id is None or web_session.auth_time is None or web_session.acr is None:
        return None
    level = Level(web_session.acr)
    if level.rank < min_level.rank:
        return None
    if max_age is not None and now - web_session.auth_time > timedelta(seconds=max_age):
        return None
    return Authentication(
        person_id=web_session.subject_id,
        level=level,
        amr=tuple(web_session.amr),
        auth_time=web_session.auth_time,
        sid=web_session.sid,
    )


def require_level(ctx: Ctx, method: Method) -> None:
    """Refuse (before any state changes) a method weaker than the pending login asks."""
    if METHOD_LEVEL[method].rank < pending_login(ctx.session).min_level.rank:
        raise IdaraError("login_level_too_low")


def complete(ctx: Ctx, *, person: Person, method: Method) -> tuple[str, str]:
    """Sign the session in (rotating its cookie); returns the new cookie value and next URL."""
    pending = pending_login(ctx.session, ctx.lang)
    token = sessions.sign_in(
        ctx.db,
        ctx.session,
        settings=ctx.settings.session,
        subject_type=ActorType.CITIZEN.value,
        subject_id=person.public_id,
        acr=METHOD_LEVEL[method].value,
        amr=METHOD_AMR[method],
        now=ctx.now,
    )
    sessions.set_data(ctx.db, ctx.session, login=None)
    audit(
        ctx,
        f"identity.login_{method.value}",
        Outcome.SUCCESS,
        person_id=person.public_id,
        details={"level": METHOD_LEVEL[method].value, "sid": ctx.session.sid},
    )
    return token, pending.next_url


def logout(db: Session, web_session: WebSession) -> None:
    """End the session at the provider."""
    sessions.end(db, web_session)
