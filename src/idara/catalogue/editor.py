"""Ministry editing: create or edit a service as a draft, review the differences, publish."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from idara.catalogue import compliance, drafts, flows, presenters, service
from idara.catalogue.dependencies import CurrentAdmin, index_holder
from idara.catalogue.diff import diff_records
from idara.catalogue.editor_form import FormState, row_counts, to_values, validate
from idara.catalogue.exceptions import CATALOGUE_ERRORS  # noqa: F401  (registers the codes)
from idara.catalogue.pages import service_context, vocabulary_context
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.vocabulary import evidence_types
from idara.web.deps import Audit, DbSession
from idara.web.errors import N_, IdaraError
from idara.web.pages import PageLang
from idara.web.policy import Principal, admin
from idara.web.templating import render

router = APIRouter(dependencies=[admin], include_in_schema=False)
_ID = re.compile(r"^[A-Z]{2,5}-[0-9]{4}$")
_PREFIX = re.compile(r"^[A-Z]{2,5}$")
_MULTI = ("audience", "life_events")


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    for name in _MULTI:
        values[name] = [v for v in form.getlist(name) if isinstance(v, str)]
    return values


def _render_form(
    request: Request,
    state: FormState,
    *,
    who: Principal,
    service_id: str | None,
    is_new: bool,
    status: int = 200,
) -> Response:
    context = {
        "who": who,
        "state": state,
        "v": state.values,
        "service_id": service_id,
        "is_new": is_new,
        "evidence_types": evidence_types(),
        **vocabulary_context(),
    }
    return render(request, "catalogue/admin/edit.html", context, status_code=status)


def _blank() -> dict[str, Any]:
    values: dict[str, Any] = {
        "audience": ["citizen"],
        "life_events": [],
        "digitization_level": 0,
        "trips_before": 0,
        "dp_status": "not_started",
        "delay_days": "",
    }
    return values


@router.get("/{lang}/admin/catalogue/new")
def new_form(request: Request, lang: PageLang, who: CurrentAdmin, prefix: str = "") -> Response:
    """A blank form for a new service."""
    values = _blank()
    values["prefix"] = prefix if _PREFIX.match(prefix) else ""
    return _render_form(
        request, FormState(values, row_counts(values)), who=who, service_id=None, is_new=True
    )


@router.post("/{lang}/admin/catalogue/new")
async def create(
    request: Request, lang: PageLang, db: DbSession, context: Audit, who: CurrentAdmin
) -> Response:
    """Validate a new service and keep it as a draft."""
    form = await _form(request)
    prefix = str(form.get("prefix", "")).strip().upper()
    service_id = drafts.next_service_id(db, prefix=prefix) if _PREFIX.match(prefix) else "X-0000"
    record, state = validate(form, service_id)
    if not _PREFIX.match(prefix):
        state.add_error("prefix", N_("Choose the domain of the new service."))
    if record is None or state.errors:
        return _render_form(request, state, who=who, service_id=None, is_new=True, status=422)
    flows.save_draft(db, record=record, context=context, is_new=True)
    return RedirectResponse(f"/{lang}/admin/catalogue/services/{record.id}/review", status_code=303)


def _existing(db: DbSession, service_id: str) -> dict[str, Any]:
    if not _ID.match(service_id):
        raise IdaraError("not_found")
    draft = drafts.get(db, service_id=service_id)
    if draft is not None:
        return draft.record
    current = service.get(db, service_id=service_id)
    if current is None:
        raise IdaraError("not_found")
    return service.current_record(db, service=current).canonical()


@router.get("/{lang}/admin/catalogue/services/{service_id}/edit")
def edit_form(
    request: Request, lang: PageLang, service_id: str, db: DbSession, who: CurrentAdmin
) -> Response:
    """The form of a service, filled from its draft or its published version."""
    values = to_values(_existing(db, service_id))
    return _render_form(
        request, FormState(values, row_counts(values)), who=who, service_id=service_id, is_new=False
    )


@router.post("/{lang}/admin/catalogue/services/{service_id}/edit")
async def save(
    request: Request,
    lang: PageLang,
    service_id: str,
    db: DbSession,
    context: Audit,
    who: CurrentAdmin,
) -> Response:
    """Validate the edit and keep it as a draft (the public page does not change yet)."""
    _existing(db, service_id)
    record, state = validate(await _form(request), service_id)
    if record is None:
        return _render_form(
            request, state, who=who, service_id=service_id, is_new=False, status=422
        )
    flows.save_draft(db, record=record, context=context, is_new=False)
    return RedirectResponse(
        f"/{lang}/admin/catalogue/services/{service_id}/review", status_code=303
    )


@router.get("/{lang}/admin/catalogue/services/{service_id}/review")
def review(
    request: Request, lang: PageLang, service_id: str, db: DbSession, who: CurrentAdmin
) -> Response:
    """The review step: what would change, the law 55-19 checks, and a preview."""
    draft = drafts.get(db, service_id=service_id)
    if draft is None:
        raise IdaraError("catalogue_no_draft")
    current = service.get(db, service_id=service_id)
    published = service.current_record(db, service=current).canonical() if current else None
    record = ServiceRecord.model_validate(draft.record)
    preview = service_context(record, None, lang)
    return render(
        request,
        "catalogue/admin/review.html",
        {
            **preview,
            "who": who,
            "draft": draft,
            "current": current,
            "changes": diff_records(published, draft.record),
            "stale": current is not None and draft.base_version != current.version,
            "findings": compliance.check_record(record),
            "fmt": presenters,
        },
    )


@router.post("/{lang}/admin/catalogue/services/{service_id}/publish")
def publish(
    request: Request,
    lang: PageLang,
    service_id: str,
    db: DbSession,
    context: Audit,
    who: CurrentAdmin,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Publish the reviewed draft as a new version."""
    draft = drafts.get(db, service_id=service_id)
    if draft is None:
        raise IdaraError("catalogue_no_draft")
    outcome = flows.publish_draft(db, draft=draft, context=context, note=note.strip() or None)
    index_holder(request).invalidate()
    return RedirectResponse(
        f"/{lang}/admin/catalogue/services/{service_id}/history?published={outcome.version}",
        status_code=303,
    )


@router.post("/{lang}/admin/catalogue/services/{service_id}/discard")
def discard(
    lang: PageLang, service_id: str, db: DbSession, context: Audit, who: CurrentAdmin
) -> Response:
    """Throw the draft away."""
    if not flows.discard_draft(db, service_id=service_id, context=context):
        raise IdaraError("catalogue_no_draft")
    return RedirectResponse(f"/{lang}/admin/catalogue", status_code=303)
