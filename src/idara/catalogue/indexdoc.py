"""What the search index stores of a service, the filters it applies and what it returns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from idara.catalogue.text import slugify


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """What search needs to know of a published service (its stored fields)."""

    id: str
    slug: str
    title: dict[str, str]
    description: dict[str, str]
    theme: dict[str, str]
    authority_code: str
    authority: dict[str, str]
    output: dict[str, str]
    aliases: dict[str, list[str]]
    documents: tuple[tuple[str, str], ...]
    audiences: frozenset[str]
    life_events: frozenset[str]
    online: bool
    priority: bool
    digitization_level: int
    delay_days: int
    updated_at: datetime | None = None

    @property
    def theme_slug(self) -> str:
        """The theme's address segment (from its French name)."""
        return slugify(self.theme["fr"], max_length=60)

    def field_texts(self) -> dict[str, list[str]]:
        """The texts of each indexed field, both languages together."""
        return {
            "title": [self.title["fr"], self.title["ar"]],
            "alias": [a for kind in self.aliases.values() for a in kind],
            "theme": [self.theme["fr"], self.theme["ar"]],
            "authority": [self.authority["fr"], self.authority["ar"], self.authority_code],
            "description": [self.description["fr"], self.description["ar"]],
            "output": [self.output["fr"], self.output["ar"]],
            "documents": [text for pair in self.documents for text in pair],
        }


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrowing of a search: theme slug, authority code, audience, life event, online."""

    theme: str | None = None
    authority: str | None = None
    audience: str | None = None
    life_event: str | None = None
    online: bool | None = None

    def accepts(self, doc: IndexDoc) -> bool:
        """Whether a service passes every filter that is set."""
        return (
            (self.theme is None or doc.theme_slug == self.theme)
            and (self.authority is None or doc.authority_code == self.authority)
            and (self.audience is None or self.audience in doc.audiences)
            and (self.life_event is None or self.life_event in doc.life_events)
            and (self.online is None or doc.online == self.online)
        )

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        values = (self.theme, self.authority, self.audience, self.life_event, self.online)
        return any(v is not None for v in values)


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked result."""

    doc: IndexDoc
    score: float


@dataclass(slots=True)
class Results:
    """A page of results, the total, the matched terms (for highlighting) and facet counts."""

    total: int
    hits: list[Hit]
    terms: frozenset[str]
    facets: dict[str, Counter[str]] = field(default_factory=dict)
