"""Which language a request is served in: path prefix, ?lang=, cookie, then Accept-Language."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from idara.i18n import negotiate, parse_accept_language
from idara.settings import Settings

LANG_COOKIE = "idara_lang"


def path_language(path: str, offered: tuple[str, ...]) -> str | None:
    """The language named by the first path segment (/fr/..., /ar/...), if it is offered."""
    first = path.lstrip("/").split("/", 1)[0].lower()
    return first if first in offered else None


def request_language(connection: HTTPConnection, settings: Settings) -> str:
    """Negotiate the language of a request; anything unknown falls back to the default."""
    offered = settings.web.languages
    return negotiate(
        [
            path_language(connection.url.path, offered),
            connection.query_params.get("lang"),
            connection.cookies.get(LANG_COOKIE),
            *parse_accept_language(connection.headers.get("accept-language")),
        ],
        offered,
        settings.web.default_language,
    )


def switch_url(path: str, query: str, current: str, target: str, offered: tuple[str, ...]) -> str:
    """The URL of the same page in another language."""
    if path_language(path, offered) == current:
        rest = path.lstrip("/").split("/", 1)
        tail = rest[1] if len(rest) > 1 else ""
        new_path = f"/{target}/{tail}"
        return f"{new_path}?{query}" if query else new_path
    kept = [p for p in query.split("&") if p and not p.startswith("lang=")]
    kept.append(f"lang={target}")
    return f"{path}?{'&'.join(kept)}"
