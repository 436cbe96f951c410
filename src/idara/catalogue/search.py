"""Search over the published catalogue: building the index from the database and keeping it fresh.

Every worker keeps its own index. Before each search it reads one number, the newest
version id (an indexed MAX), and rebuilds when that changed: a publication in another
worker, an import from the command line. One worker rebuilds at a time; others keep
answering from the previous index meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idara.catalogue.index import IndexDoc, SearchIndex
from idara.catalogue.models import (
    Authority,
    Channel,
    Evidence,
    Service,
    ServiceAudience,
    ServiceLifeEvent,
    ServiceVersion,
)
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.text import WORD, slugify, term_of


def doc_from_record(record: ServiceRecord) -> IndexDoc:
    """The indexed form of a record (used by tests and benchmarks without a database)."""
    return IndexDoc(
        id=record.id,
        slug=slugify(record.title.fr),
        title={"fr": record.title.fr, "ar": record.title.ar},
        description={"fr": record.description.fr, "ar": record.description.ar},
        theme={"fr": record.theme.fr, "ar": record.theme.ar},
        authority_code=record.administration.code,
        authority={"fr": record.administration.fr, "ar": record.administration.ar},
        output={"fr": record.output.fr, "ar": record.output.ar},
        aliases=record.aliases.model_dump(),
        documents=tuple((d.fr, d.ar) for d in record.documents),
        audiences=frozenset(record.audience),
        life_events=frozenset(record.life_events),
        online=record.online_url is not None,
        priority=record.priority,
        digitization_level=record.digitization_level,
        delay_days=record.delay.days,
    )


def _grouped(rows: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for service_id, value in rows:
        grouped[service_id].add(value)
    return grouped


def docs_from_db(session: Session) -> list[IndexDoc]:
    """The indexed form of every published service, read with a handful of queries."""
    authorities = {a.code: a for a in session.scalars(select(Authority))}
    audiences = _grouped(
        session.execute(select(ServiceAudience.service_id, ServiceAudience.audience))
    )
    events = _grouped(
        session.execute(select(ServiceLifeEvent.service_id, ServiceLifeEvent.life_event))
    )
    online = set(session.scalars(select(Channel.service_id).where(Channel.kind == "online")))
    documents: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = session.execute(
        select(Evidence.service_id, Evidence.name_fr, Evidence.name_ar).order_by(
            Evidence.service_id, Evidence.position
        )
    )
    # The same document, theme and alias texts recur across services: keep one copy of each.
    shared: dict[object, object] = {}

    def one(value: Any) -> Any:
        return shared.setdefault(value, value)

    for service_id, name_fr, name_ar in rows:
        documents[service_id].append(one((one(name_fr), one(name_ar))))
    columns = (
        Service.id, Service.slug, Service.title_fr, Service.title_ar, Service.description_fr,
        Service.description_ar, Service.theme_fr, Service.theme_ar, Service.authority_code,
        Service.output_fr, Service.output_ar, Service.aliases, Service.priority,
        Service.digitization_level, Service.delay_days, Service.updated_at,
    )  # fmt: skip
    names = {code: {"fr": a.name_fr, "ar": a.name_ar} for code, a in authorities.items()}
    themes: dict[tuple[str, str], dict[str, str]] = {}

    def one_dict(fr: str, ar: str) -> dict[str, str]:
        return themes.setdefault((fr, ar), {"fr": fr, "ar": ar})

    docs = []
    for row in session.execute(select(*columns).order_by(Service.id)):
        docs.append(
            IndexDoc(
                id=row.id,
                slug=row.slug,
                title={"fr": row.title_fr, "ar": row.title_ar},
                description={"fr": row.description_fr, "ar": row.description_ar},
                theme=one_dict(row.theme_fr, row.theme_ar),
                authority_code=row.authority_code,
                authority=names[row.authority_code],
                output={"fr": row.output_fr, "ar": row.output_ar},
                aliases={k: [one(a) for a in v] for k, v in row.aliases.items()},
                documents=tuple(documents.get(row.id, ())),
                audiences=frozenset(audiences.get(row.id, ())),
                life_events=frozenset(events.get(row.id, ())),
                online=row.id in online,
                priority=row.priority,
                digitization_level=row.digitization_level,
                delay_days=row.delay_days,
                updated_at=row.updated_at,
            )
        )
    return docs


def catalogue_stamp(session: Session) -> int:
    """A number that changes whenever a service is published: the newest version id."""
    return int(session.scalar(select(func.max(ServiceVersion.id))) or 0)


class IndexHolder:
    """The current index of one worker, rebuilt when the catalogue's stamp moves."""

    # How long an index is served before the database's stamp is read again: publications
    # in this worker invalidate at once; other workers see them within this delay.
    CHECK_INTERVAL_S = 2.0

    def __init__(self) -> None:
        self._index: SearchIndex | None = None
        self._stamp: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def get(self, session: Session) -> SearchIndex:
        """The index matching the database as this session sees it (checked every 2 s)."""
        now = time.monotonic()
        fresh = now - self._checked_at < self.CHECK_INTERVAL_S
        if self._index is not None and self._stamp is not None and fresh:
            return self._index
        stamp = catalogue_stamp(session)
        self._checked_at = now
        index = self._index
        if index is not None and stamp == self._stamp:
            return index
        # Someone else is rebuilding: answer from the previous index rather than wait.
        if index is not None and not self._lock.acquire(blocking=False):
            return index
        if index is None:
            self._lock.acquire()
        try:
            if self._index is None or self._stamp != stamp:
                self._index = SearchIndex(docs_from_db(session))
                self._stamp = stamp
            return self._index
        finally:
            self._lock.release()

    def prime(self, index: SearchIndex, stamp: int) -> None:
        """Install an index already built for this stamp (warm starts, tests)."""
        self._index, self._stamp = index, stamp

    def invalidate(self) -> None:
        """Forget the index (the next search rebuilds it)."""
        self._stamp = None


def highlight(text: str, terms: frozenset[str]) -> Markup:
    """The text, escaped, with the words that matched the query wrapped in <mark>."""
    if not terms:
        return escape(text)
    parts: list[str] = []
    last = 0
    for match in WORD.finditer(text):
        word = match.group(0)
        if term_of(word) in terms:
            parts.append(str(escape(text[last : match.start()])))
            parts.append(f"<mark>{escape(word)}</mark>")
            last = match.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))  # noqa: S704  (every piece was escaped above)
