"""The identity domain's HTTP routes: JSON login API, login pages, PKI downloads."""

from __future__ import annotations

from fastapi import APIRouter

from idara.identity.router import api, pages, pki

router = APIRouter()
router.include_router(api.router)
router.include_router(pki.router)
router.include_router(pages.router)
router.include_router(pages.account)

__all__ = ["router"]
