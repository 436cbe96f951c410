"""The trust domain's HTTP routes: OpenID Connect provider, admin API, verification API."""

from __future__ import annotations

from fastapi import APIRouter

from idara.trust.router import admin, browser, oauth, verification

router = APIRouter()
router.include_router(oauth.meta)
router.include_router(oauth.clients_only)
router.include_router(oauth.bearer)
router.include_router(browser.router)
router.include_router(browser.consent_pages)
router.include_router(admin.router)
router.include_router(verification.router)

__all__ = ["router"]
