"""Levels of assurance as `acr` URIs (OpenID Connect Core §2, §3.1.2.1 `acr_values`).

The three levels of the identity domain (low: one-time code, substantial: mobile app,
high: card + PIN) are published in discovery (`acr_values_supported`) as URNs, so relying
parties compare stable strings rather than words that could be translated or reused.
"""

from __future__ import annotations

from collections.abc import Iterable

from idara.identity.flows.login import Level

PREFIX = "urn:idara:loa:"
URIS: dict[Level, str] = {level: PREFIX + level.value for level in Level}
_BY_URI = {uri: level for level, uri in URIS.items()}


def uri(level: Level) -> str:
    """The `acr` value of a level."""
    return URIS[level]


def level_of(value: str | None) -> Level | None:
    """The level an `acr` URI names (None for unknown values, which are ignored)."""
    return _BY_URI.get(value or "")


def required(values: Iterable[str], *, client_minimum: str) -> Level:
    """The lowest acceptable level: the weakest requested one, never below the client's."""
    requested = [lvl for v in values if (lvl := level_of(v)) is not None]
    floor = Level(client_minimum)
    wanted = min(requested, key=lambda lvl: lvl.rank) if requested else floor
    return wanted if wanted.rank >= floor.rank else floor


def supported() -> list[str]:
    """The `acr_values_supported` of discovery, weakest first."""
    return [URIS[level] for level in sorted(Level, key=lambda lvl: lvl.rank)]
