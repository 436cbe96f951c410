"""An embedded inverted index with BM25F ranking, prefix and typo tolerance (ADR 0010).

Built in memory from the published services, so that search gives the same results on
SQLite and PostgreSQL, indexes aliases in four registers and normalises Arabic the same
way everywhere. Each posting list is a pair of numpy arrays (document numbers and
pre-computed BM25F term weights), so a query over 50,000 services is a few vector
operations; filters are boolean masks computed once.
"""

from __future__ import annotations

import bisect
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from idara.catalogue.indexdoc import Filters, Hit, IndexDoc, Results
from idara.catalogue.text import damerau_levenshtein, fold, tokens

__all__ = ["Filters", "Hit", "IndexDoc", "Results", "SearchIndex"]

# Field weights: people search by the name they know (title, alias) far more than by the text.
FIELDS: dict[str, float] = {
    "title": 5.0,
    "alias": 4.0,
    "theme": 1.5,
    "authority": 1.0,
    "description": 1.0,
    "output": 1.0,
    "documents": 0.3,
}
K1 = 1.2
B = 0.6
PREFIX_WEIGHT = 0.7
FUZZY_WEIGHT = {1: 0.6, 2: 0.4}
MAX_EXPANSIONS = 24
RARE = 3  # a word in fewer services than this may itself be a misspelling
NAME_BOOST = 1.0  # a query that is exactly a service's name doubles its score
NAME_CANDIDATES = 200
PRIORITY_BOOST = 1.2  # the ~300 priority procedures are the most used ones
_PARENTHESES = re.compile(r"\([^)]*\)")
_SERVICE_ID = re.compile(r"\b([a-z]{2,5})[- ]?([0-9]{4})\b")

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


def _deletes(term: str) -> set[str]:
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def _codes(values: Sequence[str]) -> tuple[list[str], npt.NDArray[np.int32]]:
    names = sorted(set(values))
    position = {name: n for n, name in enumerate(names)}
    return names, np.array([position[v] for v in values], dtype=np.int32)


class SearchIndex:
    """The immutable index of one state of the catalogue; rebuilt when the catalogue changes."""

    def __init__(self, docs: Iterable[IndexDoc]) -> None:
        ordered = sorted(docs, key=lambda d: d.id)
        self.by_id = {d.id: n for n, d in enumerate(ordered)}
        count = max(len(ordered), 1)
        # Two passes keep memory flat at 50,000 services: lengths first (BM25 needs the
        # average length of each field), then weights, tokenising again (short texts are
        # cached) instead of holding every service's tokens at once.
        totals: Counter[str] = Counter()
        for doc in ordered:
            for name, parts in doc.field_texts().items():
                totals[name] += len(tokens(" ".join(parts)))
        average = {f: totals[f] / count or 1.0 for f in FIELDS}
        weights: dict[str, tuple[array[int], array[float]]] = {}
        self.names: list[list[tuple[str, ...]]] = []
        for number, doc in enumerate(ordered):
            fields = doc.field_texts()
            combined: dict[str, float] = defaultdict(float)
            for name, parts in fields.items():
                terms = tokens(" ".join(parts))
                norm = 1 - B + B * len(terms) / average[name]
                for term, tf in Counter(terms).items():
                    combined[term] += FIELDS[name] * tf / norm
            for term, weight in combined.items():
                numbers, values = weights.setdefault(term, (array("i"), array("d")))
                numbers.append(number)
                values.append(weight * (K1 + 1) / (K1 + weight))
            # Whole names (titles, titles without parentheses, aliases) for the name boost.
            titles = [*doc.title.values(), *(_PARENTHESES.sub(" ", t) for t in doc.title.values())]
            names = {tuple(tokens(t)) for t in [*fields["alias"], *titles]}
            self.names.append(sorted(n for n in names if n))
        self.postings = {
            term: (np.frombuffer(n, dtype=np.int32), np.frombuffer(v, dtype=np.float64))
            for term, (n, v) in weights.items()
        }
        del weights
        self.idf = {
            term: math.log(1 + (count - len(n) + 0.5) / (len(n) + 0.5))
            for term, (n, _) in self.postings.items()
        }
        self.vocabulary = sorted(self.postings)
        self.deleted: dict[str, list[str]] = defaultdict(list)
        for term in self.vocabulary:
            if len(term) >= 4:
                for variant in _deletes(term):
                    self.deleted[variant].append(term)
        # Only what pages show is kept: the documents' texts were needed for indexing only.
        self.docs = [replace(d, documents=(), output={}) for d in ordered]
        self._build_filters()

    def _build_filters(self) -> None:
        docs = self.docs
        self.themes = {d.theme_slug: d.theme for d in reversed(docs)}
        self.authorities = {d.authority_code: d.authority for d in reversed(docs)}
        self.theme_names, self.theme_of = _codes([d.theme_slug for d in docs])
        self.authority_names, self.authority_of = _codes([d.authority_code for d in docs])
        self.online = np.array([d.online for d in docs], dtype=np.bool_)
        self.priority = np.array([d.priority for d in docs], dtype=np.bool_)
        self.audience = {
            code: np.array([code in d.audiences for d in docs], dtype=np.bool_)
            for code in {a for d in docs for a in d.audiences}
        }
        self.life_event = {
            code: np.array([code in d.life_events for d in docs], dtype=np.bool_)
            for code in {e for d in docs for e in d.life_events}
        }
        self.title_order = {
            lang: np.array(
                sorted(range(len(docs)), key=lambda n: (fold(docs[n].title[lang]), n)),
                dtype=np.intp,
            )
            for lang in ("fr", "ar")
        }

    def __len__(self) -> int:
        return len(self.docs)

    def counts(self) -> dict[str, Counter[str]]:
        """How many services each theme, life event and audience has (home page)."""
        themes = np.bincount(self.theme_of, minlength=len(self.theme_names))
        return {
            "theme": Counter({n: int(c) for n, c in zip(self.theme_names, themes, strict=True)}),
            "life_event": Counter({k: int(v.sum()) for k, v in self.life_event.items()}),
            "audience": Counter({k: int(v.sum()) for k, v in self.audience.items()}),
        }

    def mask(self, filters: Filters) -> Mask:
        """The services that pass every filter that is set."""
        keep = np.ones(len(self.docs), dtype=np.bool_)
        if filters.theme is not None:
            keep &= self._coded(self.theme_names, self.theme_of, filters.theme)
        if filters.authority is not None:
            keep &= self._coded(self.authority_names, self.authority_of, filters.authority)
        if filters.audience is not None:
            keep &= self.audience.get(filters.audience, ~keep)
        if filters.life_event is not None:
            keep &= self.life_event.get(filters.life_event, ~keep)
        if filters.online is not None:
            keep &= self.online if filters.online else ~self.online
        return keep

    @staticmethod
    def _coded(names: list[str], codes: npt.NDArray[np.int32], value: str) -> Mask:
        position = bisect.bisect_left(names, value)
        if position < len(names) and names[position] == value:
            return np.asarray(codes == position)
        return np.zeros(len(codes), dtype=np.bool_)

    def _expansions(self, term: str) -> list[tuple[str, float]]:
        found: dict[str, float] = {}
        known = len(self.postings[term][0]) if term in self.postings else 0
        if known:
            found[term] = 1.0
        if len(term) >= 3:  # the start of a longer word: "immatric", "universite"
            start = bisect.bisect_left(self.vocabulary, term)
            prefixed = []
            for candidate in self.vocabulary[start : start + 200]:
                if not candidate.startswith(term):
                    break
                if candidate != term:
                    prefixed.append(candidate)
            prefixed.sort(key=lambda t: (-len(self.postings[t][0]), t))
            for candidate in prefixed[:MAX_EXPANSIONS]:
                found.setdefault(candidate, PREFIX_WEIGHT)
        # Typos only for unknown or rare words: a common word is what was meant.
        if len(term) >= 4 and known < RARE:
            limit = 1 if len(term) < 8 else 2
            candidates = set(self.deleted.get(term, ()))
            for variant in _deletes(term):
                if variant in self.postings:
                    candidates.add(variant)
                candidates.update(self.deleted.get(variant, ()))
            for candidate in candidates:
                distance = damerau_levenshtein(term, candidate, limit)
                weight = FUZZY_WEIGHT.get(distance, 0.0) if distance <= limit else 0.0
                if weight > found.get(candidate, 0.0):
                    found[candidate] = weight
        return sorted(found.items(), key=lambda item: (-item[1], item[0]))[: MAX_EXPANSIONS + 1]

    def _score(self, query_terms: Sequence[str]) -> tuple[Floats, set[str]]:
        size = len(self.docs)
        scores = np.zeros(size, dtype=np.float64)
        matched = np.zeros(size, dtype=np.float64)
        best = np.zeros(size, dtype=np.float64)
        used: set[str] = set()
        for term in query_terms:
            best.fill(0.0)
            # A variant of a known word is never worth more than the word itself.
            ceiling = self.idf.get(term, math.inf)
            for candidate, weight in self._expansions(term):
                used.add(candidate)
                numbers, values = self.postings[candidate]
                factor = weight * min(self.idf[candidate], ceiling)
                # Numbers are unique within a posting list, so plain fancy indexing is safe.
                best[numbers] = np.maximum(best[numbers], values * factor)
            scores += best
            matched += best > 0
        # Coordination: a service matching every word beats one matching some words often.
        scores *= (matched / len(query_terms)) ** 2
        return scores, used

    def _boost(
        self, scores: Floats, candidates: npt.NDArray[np.intp], query: tuple[str, ...]
    ) -> None:
        """Favour services with a name (title or alias) that the query covers most of."""
        size = len(query)
        top = candidates[np.argsort(-scores[candidates], kind="stable")[:NAME_CANDIDATES]]
        for number in top.tolist():
            coverage = max(
                (
                    size / len(name)
                    for name in self.names[number]
                    if any(name[i : i + size] == query for i in range(len(name) - size + 1))
                ),
                default=0.0,
            )
            scores[number] *= 1 + NAME_BOOST * coverage

    def search(
        self,
        query: str,
        *,
        filters: Filters | None = None,
        lang: str = "fr",
        offset: int = 0,
        limit: int = 20,
    ) -> Results:
        """Ranked services for a query (or all of them, by title, for an empty query)."""
        keep = self.mask(filters or Filters())
        query_terms = tuple(dict.fromkeys(tokens(query)))
        if not query_terms:
            order = self.title_order.get(lang, self.title_order["fr"])
            return self._page(order[keep[order]], frozenset(), offset, limit, None)
        scores, used = self._score(query_terms)
        exact_id = _SERVICE_ID.search(fold(query))
        if exact_id:
            number = self.by_id.get(f"{exact_id.group(1).upper()}-{exact_id.group(2)}")
            if number is not None:
                scores[number] = float(scores.max()) * 10 + 1.0
        scores[self.priority] *= PRIORITY_BOOST
        candidates = np.flatnonzero((scores > 0) & keep)
        self._boost(scores, candidates, query_terms)
        # Rounded so that float noise never decides; equal scores go by service id.
        rounded = np.round(scores[candidates], 9)
        ranked = candidates[np.lexsort((candidates, -rounded))]
        return self._page(ranked, frozenset(used), offset, limit, scores)

    def _page(
        self,
        ranked: npt.NDArray[np.intp],
        terms: frozenset[str],
        offset: int,
        limit: int,
        scores: Floats | None,
    ) -> Results:
        themes = np.bincount(self.theme_of[ranked], minlength=len(self.theme_names))
        authorities = np.bincount(self.authority_of[ranked], minlength=len(self.authority_names))
        online = int(self.online[ranked].sum())
        facets: dict[str, Counter[str]] = {
            "theme": Counter(
                {n: int(c) for n, c in zip(self.theme_names, themes, strict=True) if c}
            ),
            "authority": Counter(
                {n: int(c) for n, c in zip(self.authority_names, authorities, strict=True) if c}
            ),
            "audience": Counter({k: int(v[ranked].sum()) for k, v in self.audience.items()}),
            "online": Counter({"yes": online, "no": len(ranked) - online}),
        }
        page = ranked[offset : offset + limit].tolist()
        hits = [Hit(self.docs[n], float(scores[n]) if scores is not None else 0.0) for n in page]
        return Results(total=len(ranked), hits=hits, terms=terms, facets=facets)
