"""The language segment of page URLs (/fr/..., /ar/...)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Request

from idara.web.errors import IdaraError, Redirect
from idara.web.templating import request_settings

_LANGUAGE_LIKE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")


async def page_language(request: Request, lang: str) -> str:
    """The page's language; an unknown language code sends to the default one, no error."""
    # async: a pure function, so it runs on the event loop instead of a thread hop.
    settings = request_settings(request)
    if lang in settings.web.languages:
        request.state.lang = lang
        return lang
    if not _LANGUAGE_LIKE.match(lang):
        raise IdaraError("not_found")
    rest = request.url.path.lstrip("/").split("/", 1)
    tail = rest[1] if len(rest) > 1 else ""
    query = f"?{request.url.query}" if request.url.query else ""
    raise Redirect(f"/{settings.web.default_language}/{tail}{query}")


PageLang = Annotated[str, Depends(page_language)]

_LOCAL_PATH = re.compile(r"^/[A-Za-z0-9/_.~%-]*(\?[A-Za-z0-9=&_.~%+-]*)?$")


def local_path(value: str | None) -> str | None:
    """The value if it is a path on this site (never //host, a scheme or a backslash)."""
    # Refusing anything else keeps `next` parameters from becoming open redirects.
    if value and _LOCAL_PATH.match(value) and not value.startswith("//"):
        return value
    return None
