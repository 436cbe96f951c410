"""Jinja2 pages in the request's language: gettext, direction, CSRF token, static URLs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from idara.i18n import language, translations
from idara.settings import Settings
from idara.web import csrf
from idara.web.locale import LANG_COOKIE, request_language, switch_url

WEB_DIR = Path(__file__).parent
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


def make_environment(
    extra_dirs: list[Path] | None = None, *, auto_reload: bool = True
) -> Environment:
    """The Jinja environment: autoescaping on, i18n extension with new-style gettext."""
    env = Environment(
        # Checking template files on every render costs time; only development edits them.
        auto_reload=auto_reload,
        loader=FileSystemLoader([*(extra_dirs or []), TEMPLATE_DIR]),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


@cache
def static_version(name: str) -> str:
    """A short content hash for cache-busting static URLs."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:10]


def _gettext_for(lang: str) -> tuple[Callable[..., str], Callable[..., str]]:
    trans = translations(lang)

    # New-style gettext: placeholders are filled after translation, and escaped.
    def gettext(message: str, **params: Any) -> str:
        text = trans.gettext(message)
        return Markup(text) % params if params else text  # noqa: S704  (catalogue text is ours)

    def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
        params.setdefault("num", n)
        text = trans.ngettext(singular, plural, n)
        return Markup(text) % params  # noqa: S704

    return gettext, ngettext


def request_settings(request: Request) -> Settings:
    """The settings the application was built with."""
    settings: Settings = request.app.state.settings
    return settings


def request_lang(request: Request) -> str:
    """The negotiated language of this request, computed once."""
    lang = getattr(request.state, "lang", None)
    if lang is None:
        lang = request_language(request, request_settings(request))
        request.state.lang = lang
    return str(lang)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page in the request's language and set the CSRF cookie when it is new."""
    settings = request_settings(request)
    lang = request_lang(request)
    gettext, ngettext = _gettext_for(lang)
    offered = settings.web.languages
    path = quote(request.url.path, safe="/-_.~%@")
    query = request.url.query
    languages = [
        {
            "lang": language(code),
            "url": switch_url(path, query, lang, code, offered),
            "current": code == lang,
        }
        for code in offered
    ]
    csrf_token = csrf.token_for(request, settings)
    env: Environment = request.app.state.templates
    page = env.get_template(template).render(
        {
            "request": request,
            "lang": language(lang),
            "languages": languages,
            "gettext": gettext,
            "ngettext": ngettext,
            "_": gettext,
            "csrf_token": csrf_token,
            "csrf_field": Markup('<input type="hidden" name="{}" value="{}">').format(
                csrf.FORM_FIELD, csrf_token
            ),
            "static": lambda name: f"/static/{name}?v={static_version(name)}",
            "request_id": getattr(request.state, "request_id", ""),
            **(context or {}),
        }
    )
    response = HTMLResponse(page, status_code=status_code, headers=headers)
    new_cookie = getattr(request.state, "csrf_new_cookie", None)
    if new_cookie:
        response.set_cookie(
            csrf.cookie_name(settings),
            new_cookie,
            httponly=True,
            secure=settings.https,
            samesite="lax",
            path="/",
        )
    if request.query_params.get("lang") == lang:
        # An explicit choice on a page without a language prefix is remembered.
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86400, secure=settings.https, samesite="lax"
        )
    return response
