"""Annotated dependencies that routes declare: settings, database session, language, audit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from idara.audit.schemas import AuditContext
from idara.ratelimit import RateLimiter
from idara.settings import Settings
from idara.web.policy import audit_context
from idara.web.templating import request_lang, request_settings


def get_db(request: Request) -> Iterator[Session]:
    """One request, one transaction: commit when the endpoint returns, roll back on error."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_rate_limiter(request: Request) -> RateLimiter:
    """The application's rate limiter (memory or Redis, per the settings)."""
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


# scope="function": the commit happens before the response is sent, so a failed commit
# becomes an error response instead of a success the database never kept.
DbSession = Annotated[Session, Depends(get_db, scope="function")]


async def _settings(request: Request) -> Settings:
    return request_settings(request)


async def _lang(request: Request) -> str:
    return request_lang(request)


# async wrappers: pure lookups run on the event loop instead of a thread-pool hop each.
AppSettings = Annotated[Settings, Depends(_settings)]
Lang = Annotated[str, Depends(_lang)]
Audit = Annotated[AuditContext, Depends(audit_context)]
RateLimits = Annotated[RateLimiter, Depends(get_rate_limiter)]
