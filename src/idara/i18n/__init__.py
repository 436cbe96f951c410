"""French and Arabic message catalogues (Babel .po files) and language negotiation."""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUE_DIR = Path(__file__).parent
DOMAIN = "messages"

# Right-to-left scripts among the languages we may offer.
_RTL = frozenset({"ar", "he", "fa", "ur"})


@dataclass(frozen=True, slots=True)
class Language:
    """A language the site is offered in, with its writing direction and own name."""

    code: str
    direction: str
    native_name: str


_NATIVE_NAMES = {"fr": "Français", "ar": "العربية"}


def language(code: str) -> Language:
    """Describe a language code (direction and the name people read it under)."""
    return Language(
        code=code,
        direction="rtl" if code in _RTL else "ltr",
        native_name=_NATIVE_NAMES.get(code, code),
    )


def catalogue_path(code: str, domain: str = DOMAIN) -> Path:
    """Where a .po catalogue of a language lives (one file per platform domain)."""
    return CATALOGUE_DIR / code / "LC_MESSAGES" / f"{domain}.po"


def catalogue_paths(code: str) -> list[Path]:
    """Every catalogue of a language: the shell's messages.po first, then each domain's."""
    folder = CATALOGUE_DIR / code / "LC_MESSAGES"
    others = sorted(p for p in folder.glob("*.po") if p.stem != DOMAIN)
    return [p for p in [catalogue_path(code), *others] if p.exists()]


def _load(path: Path, code: str) -> gettext.GNUTranslations:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def translations(code: str) -> gettext.NullTranslations:
    """A language's catalogues chained together, compiled in memory (no binary .mo in git).

    Each domain keeps its own .po file so that domains can be translated independently.
    """
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for path in reversed(catalogue_paths(code)):
        loaded = _load(path, code)
        loaded.add_fallback(chain)
        chain = loaded
    return chain


def translate(code: str, message: str, **params: object) -> str:
    """Translate a message id into a language and fill its %(name)s placeholders."""
    text = translations(code).gettext(message)
    return text % params if params else text


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags from an Accept-Language header, best first; malformed parts are skipped."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag or len(tag) > 35:
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if quality <= 0:
            continue
        weighted.append((-quality, index, tag.split("-")[0]))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(candidates: Iterable[str | None], offered: Iterable[str], default: str) -> str:
    """The first candidate we offer, or the default: unknown codes are never an error."""
    offered_set = set(offered)
    for candidate in candidates:
        if candidate and candidate.lower() in offered_set:
            return candidate.lower()
    return default
