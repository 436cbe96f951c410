"""Public pages: search, service, administrations, law 55-19 reports (French and Arabic)."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from idara.catalogue import compliance, presenters, service
from idara.catalogue.dependencies import Index
from idara.catalogue.index import Filters, IndexDoc, SearchIndex
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.search import highlight
from idara.catalogue.text import fold, slugify, tokens
from idara.catalogue.vocabulary import (
    AUDIENCES,
    CHANNEL_KINDS,
    DATA_PROTECTION_STATUSES,
    DIGITIZATION_LEVELS,
    LIFE_EVENTS,
    evidence_types,
)
from idara.web.deps import AppSettings, DbSession
from idara.web.errors import IdaraError
from idara.web.pages import PageLang
from idara.web.policy import public
from idara.web.templating import render

router = APIRouter(dependencies=[public], include_in_schema=False)

_KEY = re.compile(r"^([A-Z]{2,5}-[0-9]{4})(?:-([a-z0-9-]*))?$")
MAX_QUERY = 200


def _flag(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _page_links(request: Request, page: int, pages: int) -> dict[str, str | None]:
    def link(number: int) -> str:
        params = {k: v for k, v in request.query_params.items() if v and k != "page"}
        params["page"] = str(number)
        return f"{request.url.path}?{urlencode(params)}"

    return {
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
    }


def _matched_alias(doc: IndexDoc, terms: frozenset[str]) -> Markup | None:
    """The name people use that matched, when the title does not show why a result is here."""
    title_terms = set(tokens(doc.title["fr"] + " " + doc.title["ar"]))
    if not terms or terms & title_terms:
        return None
    for alias in (a for kind in doc.aliases.values() for a in kind):
        if terms & set(tokens(alias)):
            return highlight(alias, terms)
    return None


def _options(names: dict[str, dict[str, str]], lang: str) -> list[tuple[str, str]]:
    return sorted(((key, value[lang]) for key, value in names.items()), key=lambda o: fold(o[1]))


def vocabulary_context() -> dict[str, Any]:
    """The labels every catalogue page may need."""
    return {
        "audiences": AUDIENCES,
        "life_events": LIFE_EVENTS,
        "channel_kinds": CHANNEL_KINDS,
        "digitization_levels": DIGITIZATION_LEVELS,
        "dp_statuses": DATA_PROTECTION_STATUSES,
        "fmt": presenters,
    }


def home_context(index: SearchIndex) -> dict[str, Any]:
    """What the portal's home page shows of the catalogue: themes, life events, audiences."""
    counts = index.counts()
    themes = sorted(
        ((slug, index.themes[slug], n) for slug, n in counts["theme"].items()),
        key=lambda item: -item[2],
    )
    return {
        "catalogue_size": len(index),
        "catalogue_themes": themes[:12],
        "catalogue_life_events": [
            (c, LIFE_EVENTS[c], counts["life_event"][c])
            for c in LIFE_EVENTS
            if counts["life_event"][c]
        ],
        "catalogue_audiences": [
            (c, AUDIENCES[c], counts["audience"][c]) for c in AUDIENCES if counts["audience"][c]
        ],
        **vocabulary_context(),
    }


@router.get("/{lang}/services")
def search_page(
    request: Request,
    lang: PageLang,
    index: Index,
    settings: AppSettings,
    q: Annotated[str, Query(max_length=1000)] = "",
    theme: str | None = None,
    authority: str | None = None,
    audience: str | None = None,
    life_event: str | None = None,
    online: str | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """Search and browse the published services, with filters."""
    query = q.strip()[:MAX_QUERY]
    filters = Filters(
        theme=theme or None,
        authority=authority or None,
        audience=audience if audience in AUDIENCES else None,
        life_event=life_event if life_event in LIFE_EVENTS else None,
        online=_flag(online),
    )
    size = settings.catalogue.page_size
    results = index.search(query, filters=filters, lang=lang, offset=(page - 1) * size, limit=size)
    pages = max(1, -(-results.total // size))
    hits = [
        {
            "doc": hit.doc,
            "url": presenters.service_path(lang, hit.doc.id, hit.doc.slug),
            "title": highlight(hit.doc.title[lang], results.terms),
            "description": highlight(hit.doc.description[lang], results.terms),
            "alias": _matched_alias(hit.doc, results.terms),
        }
        for hit in results.hits
    ]
    return render(
        request,
        "catalogue/search.html",
        {
            "q": query,
            "filters": filters,
            "online": online if online in ("yes", "no") else "",
            "results": results,
            "hits": hits,
            "page": page,
            "pages": pages,
            "links": _page_links(request, page, pages),
            "offset": (page - 1) * size,
            "theme_options": _options(index.themes, lang),
            "authority_options": _options(index.authorities, lang),
            **vocabulary_context(),
        },
    )


@router.get("/{lang}/services/{key}")
def service_page(request: Request, lang: PageLang, key: str, db: DbSession) -> Response:
    """One service: everything a citizen needs before applying."""
    match = _KEY.match(key)
    found = service.get(db, service_id=match.group(1)) if match else None
    if match is None or found is None:
        raise IdaraError("not_found")
    if match.group(2) != found.slug:
        # Titles change, ids do not: old or shortened addresses lead to the current one.
        return RedirectResponse(
            presenters.service_path(lang, found.id, found.slug), status_code=301
        )
    record = service.current_record(db, service=found)
    return render(request, "catalogue/service.html", service_context(record, found, lang))


def service_context(record: ServiceRecord, found: Any, lang: str) -> dict[str, Any]:
    """The context of a service page (also used by the ministry's preview)."""
    vocabulary = evidence_types()
    documents = []
    for document in record.documents:
        kind = vocabulary.get(document.evidence_type or "")
        held = (
            kind if kind is not None and kind.held_elsewhere(record.administration.code) else None
        )
        documents.append({"doc": document, "held_by": held})
    limit = compliance.delay_limit(record)
    return {
        "record": record,
        "service": found,
        "documents": documents,
        "held_count": sum(1 for d in documents if d["held_by"]),
        "theme_slug": slugify(record.theme.fr, max_length=60),
        "delay_limit": limit,
        "delay_exceeded": record.delay.days > limit,
        "online_url": record.online_url,
        **vocabulary_context(),
    }


@router.get("/{lang}/administrations")
def administrations_page(request: Request, lang: PageLang, db: DbSession) -> Response:
    """Every administration with its number of services."""
    rows = service.authorities(db)
    rows.sort(key=lambda row: row[0].name_ar if lang == "ar" else row[0].name_fr)
    return render(request, "catalogue/administrations.html", {"rows": rows})


@router.get("/{lang}/administrations/{code}")
def administration_page(request: Request, lang: PageLang, code: str, db: DbSession) -> Response:
    """One administration and the services it is competent for."""
    authority = service.get_authority(db, code=code)
    if authority is None:
        raise IdaraError("not_found")
    services = service.services_of(db, authority_code=code)
    return render(
        request,
        "catalogue/administration.html",
        {"authority": authority, "services": services, **vocabulary_context()},
    )


def _records(db: DbSession, code: str | None = None) -> list[ServiceRecord]:
    rows = service.all_records(db)
    return [r for _, r in rows if code is None or r.administration.code == code]


@router.get("/{lang}/law-55-19")
def compliance_overview(request: Request, lang: PageLang, db: DbSession) -> Response:
    """Law 55-19 at a glance: per administration, delays exceeded and once-only candidates."""
    records = _records(db)
    summaries = compliance.summarise(records)
    found = compliance.findings(records)
    return render(
        request,
        "catalogue/law_overview.html",
        {
            "summaries": summaries,
            "services": len(records),
            "delays": [f for f in found if f.check is compliance.Check.DELAY_EXCEEDED],
            "once_only": sum(1 for f in found if f.check is compliance.Check.ONCE_ONLY),
        },
    )


def _csv(text: str, filename: str) -> Response:
    return Response(
        "\ufeff" + text,  # the BOM makes spreadsheet programs read UTF-8 (Arabic) correctly
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/{lang}/law-55-19.csv")
def compliance_csv(lang: PageLang, db: DbSession) -> Response:
    """Every law 55-19 finding as CSV."""
    return _csv(compliance.report_csv(compliance.findings(_records(db)), lang), "law-55-19.csv")


@router.get("/{lang}/administrations/{code}/law-55-19")
def compliance_page(request: Request, lang: PageLang, code: str, db: DbSession) -> Response:
    """The law 55-19 report of one administration."""
    authority = service.get_authority(db, code=code)
    if authority is None:
        raise IdaraError("not_found")
    records = _records(db, code)
    found = compliance.findings(records)
    return render(
        request,
        "catalogue/law_authority.html",
        {
            "authority": authority,
            "services": len(records),
            "delays": [f for f in found if f.check is compliance.Check.DELAY_EXCEEDED],
            "by_holder": compliance.once_only_by_holder(found),
            "vocabulary": evidence_types(),
            "fmt": presenters,
        },
    )


@router.get("/{lang}/administrations/{code}/law-55-19.csv")
def compliance_authority_csv(lang: PageLang, code: str, db: DbSession) -> Response:
    """The law 55-19 findings of one administration as CSV."""
    if service.get_authority(db, code=code) is None:
        raise IdaraError("not_found")
    text = compliance.report_csv(compliance.findings(_records(db, code)), lang)
    return _csv(text, f"law-55-19-{code}.csv")
