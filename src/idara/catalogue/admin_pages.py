"""Ministry administration: sign-in and sign-out, the dashboard, and each service's history."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from idara.audit import service as audit
from idara.audit.schemas import Outcome
from idara.catalogue import accounts, auth, drafts, presenters, service
from idara.catalogue.dependencies import CurrentAdmin, Index
from idara.catalogue.diff import diff_records
from idara.db import utcnow
from idara.web.deps import AppSettings, Audit, DbSession
from idara.web.errors import IdaraError
from idara.web.pages import PageLang
from idara.web.policy import admin, public
from idara.web.templating import render

login_router = APIRouter(dependencies=[public], include_in_schema=False)
router = APIRouter(dependencies=[admin], include_in_schema=False)


def _safe_next(lang: str, value: str | None) -> str:
    # Only our own admin pages: an open redirect would help phishing.
    if value and re.fullmatch(rf"/{lang}/admin/[A-Za-z0-9/_.-]*", value):
        return value
    return f"/{lang}/admin/catalogue"


@login_router.get("/{lang}/admin/login")
def login_form(request: Request, lang: PageLang, next: str | None = None) -> Response:
    """The ministry's sign-in form."""
    return render(
        request, "catalogue/admin/login.html", {"next": _safe_next(lang, next), "error": None}
    )


@login_router.post("/{lang}/admin/login")
def login(
    request: Request,
    lang: PageLang,
    db: DbSession,
    settings: AppSettings,
    context: Audit,
    username: Annotated[str, Form(max_length=60)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Check the credentials; failures are audited, counted and paused after a few."""
    username = username.strip().lower()
    target = _safe_next(lang, next)
    window = timedelta(minutes=settings.catalogue.login_window_minutes)
    by_user, by_ip = accounts.recent_failures(
        db, username=username, ip=context.ip, since=utcnow() - window
    )
    if by_user >= settings.catalogue.login_max_failures or by_ip >= (
        settings.catalogue.login_max_failures_per_ip
    ):
        audit.record(
            db,
            context=context,
            action="catalogue.admin_login",
            outcome=Outcome.DENIED,
            target_type="catalogue_admin",
            target_id=username,
            details={"reason": "paused"},
        )
        # Answered as a page (not raised) so that the audit event above is committed.
        return render(
            request,
            "catalogue/admin/login.html",
            {
                "next": target,
                "error": "paused",
                "username": username,
                "minutes": settings.catalogue.login_window_minutes,
            },
            status_code=429,
            headers={"Retry-After": str(int(window.total_seconds()))},
        )
    found = accounts.authenticate(db, username=username, password=password)
    if found is None:
        audit.record(
            db,
            context=context,
            action="catalogue.admin_login",
            outcome=Outcome.FAILURE,
            target_type="catalogue_admin",
            target_id=username,
        )
        return render(
            request,
            "catalogue/admin/login.html",
            {"next": target, "error": "invalid", "username": username},
            status_code=401,
        )
    token = accounts.open_session(db, admin=found, lifetime=auth.lifetime(settings))
    audit.record(
        db,
        context=context,
        action="catalogue.admin_login",
        target_type="catalogue_admin",
        target_id=username,
    )
    response = RedirectResponse(target, status_code=303)
    auth.set_cookie(response, settings, token)
    return response


@router.post("/{lang}/admin/logout")
def logout(
    request: Request, lang: PageLang, db: DbSession, settings: AppSettings, context: Audit
) -> Response:
    """End the administrator's session."""
    token = auth.read_token(request)
    if token:
        accounts.close_session(db, token=token)
    audit.record(
        db,
        context=context,
        action="catalogue.admin_logout",
        target_type="catalogue_admin",
        target_id=context.actor_id,
    )
    response = RedirectResponse(f"/{lang}/", status_code=303)
    auth.clear_cookie(response, settings)
    return response


@router.get("/{lang}/admin/catalogue")
def dashboard(
    request: Request,
    lang: PageLang,
    db: DbSession,
    index: Index,
    who: CurrentAdmin,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Drafts waiting, the latest publications, and a search to pick a service to edit."""
    found = index.search(q, lang=lang, limit=20) if q.strip() else None
    prefixes = sorted({doc.id.split("-")[0] for doc in index.docs})
    return render(
        request,
        "catalogue/admin/dashboard.html",
        {
            "who": who,
            "drafts": drafts.all_drafts(db),
            "recent": service.recent_versions(db, limit=15),
            "q": q,
            "found": found,
            "prefixes": prefixes,
            "fmt": presenters,
        },
    )


@router.get("/{lang}/admin/catalogue/services/{service_id}/history")
def history(
    request: Request,
    lang: PageLang,
    service_id: str,
    db: DbSession,
    who: CurrentAdmin,
    published: int | None = None,
) -> Response:
    """Every version of a service: who published it, when, and what changed."""
    current = service.get(db, service_id=service_id)
    if current is None:
        raise IdaraError("not_found")
    versions = list(service.versions(db, service_id=service_id))
    entries = []
    for position, version in enumerate(versions):
        previous = versions[position + 1].record if position + 1 < len(versions) else None
        entries.append({"version": version, "changes": diff_records(previous, version.record)})
    return render(
        request,
        "catalogue/admin/history.html",
        {
            "who": who,
            "service": current,
            "entries": entries,
            "published": published,
            "draft": drafts.get(db, service_id=service_id),
            "fmt": presenters,
        },
    )
