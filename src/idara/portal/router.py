"""Portal pages: the language entry point and the home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from idara.catalogue import pages as catalogue_pages
from idara.catalogue.dependencies import Index as CatalogueIndex
from idara.portal import account, backchannel
from idara.web.pages import PageLang
from idara.web.policy import public
from idara.web.templating import render, request_lang

router = APIRouter(dependencies=[public], include_in_schema=False)


@router.get("/")
async def root(request: Request) -> RedirectResponse:
    """Send visitors to the home page in their language."""
    return RedirectResponse(f"/{request_lang(request)}/", status_code=307)


@router.get("/{lang}/")
async def home(request: Request, lang: PageLang, catalogue: CatalogueIndex) -> Response:
    """The portal's home page, with the catalogue's entry points (search, themes, life events)."""
    return render(request, "portal/home.html", catalogue_pages.home_context(catalogue))


def _with_citizen_space(pages: APIRouter) -> APIRouter:
    """The public pages above, then the citizen's space (which has its own access policies)."""
    combined = APIRouter()
    combined.include_router(pages)
    combined.include_router(account.entry)
    combined.include_router(account.space)
    combined.include_router(backchannel.router)
    return combined


router = _with_citizen_space(router)
