"""The ASGI entry point for uvicorn workers: settings from the environment, then the app."""

from __future__ import annotations

from fastapi import FastAPI

from idara.logs import configure_logging
from idara.main import create_app
from idara.settings import load_settings


def app_factory() -> FastAPI:
    """Build settings and the app inside each worker process (uvicorn --factory)."""
    settings = load_settings()
    configure_logging(settings.log)
    return create_app(settings)
