"""Portal pages: the language entry point and the home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from idara.web.pages import PageLang
from idara.web.policy import public
from idara.web.templating import render, request_lang

router = APIRouter(dependencies=[public], include_in_schema=False)


@router.get("/")
async def root(request: Request) -> RedirectResponse:
    """Send visitors to the home page in their language."""
    return RedirectResponse(f"/{request_lang(request)}/", status_code=307)


@router.get("/{lang}/")
async def home(request: Request, lang: PageLang) -> Response:
    """The portal's home page."""
    return render(request, "portal/home.html")
