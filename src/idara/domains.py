"""The domains installed in this platform, and what each one contributes."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType

from fastapi import APIRouter
from sqlalchemy.orm import Session

from idara.settings import Settings
from idara.web.policy import Authenticator

# Order matters for the demo: a domain's sample data may rely on an earlier domain's.
DOMAINS: tuple[str, ...] = ("portal", "identity", "trust", "catalogue")

# A sample loader fills its domain with demo data and returns lines to print.
SampleLoader = Callable[[Session, Settings], list[str]]


def _optional(module: str) -> ModuleType | None:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise  # a real import error inside the module must not be hidden
        return None


def routers() -> Iterator[APIRouter]:
    """Each domain's router, for create_app to include."""
    for name in DOMAINS:
        module = _optional(f"idara.{name}.router")
        if module is not None:
            yield module.router


def sample_loaders() -> Iterator[tuple[str, SampleLoader]]:
    """Each domain's sample-data loader (its `sample.load`), for the demo."""
    for name in DOMAINS:
        module = _optional(f"idara.{name}.sample")
        if module is not None:
            yield name, module.load


def sign_in_pages() -> dict[str, str]:
    """Where each domain signs people in (`auth.SIGN_IN_PAGES`: policy -> "/{lang}/...")."""
    pages: dict[str, str] = {}
    for name in DOMAINS:
        module = _optional(f"idara.{name}.auth")
        pages.update(getattr(module, "SIGN_IN_PAGES", {}) if module else {})
    return pages


def authenticators() -> Iterator[Authenticator]:
    """Each domain's own Authenticator (its `auth.authenticate`), for create_app to register."""
    for name in DOMAINS:
        module = _optional(f"idara.{name}.auth")
        if module is not None and hasattr(module, "authenticate"):
            yield module.authenticate
