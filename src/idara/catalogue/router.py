"""The catalogue's routes: public pages, JSON API and open data, CKAN API, ministry editing."""

from __future__ import annotations

from fastapi import APIRouter

from idara.catalogue import admin_pages, api, ckan, editor, pages

router = APIRouter()
for part in (
    api.router,
    ckan.router,
    admin_pages.login_router,
    admin_pages.router,
    editor.router,
    pages.router,
):
    router.include_router(part)
