"""Controlled lists of the export format (SCHEMA.md): evidence types, life events, audiences.

The evidence vocabulary is data (`data/evidence_types.csv`), not code: the exchange domain
reads the same file to know which administration can deliver each document.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from idara.web.errors import N_


@dataclass(frozen=True, slots=True)
class EvidenceType:
    """A kind of document that a source administration holds and could send itself."""

    code: str
    source: str
    holders: frozenset[str]  # authority codes (as in the export) that issue this document
    label_fr: str
    label_ar: str
    source_fr: str
    source_ar: str

    def label(self, lang: str) -> str:
        """The document's name in a language."""
        return self.label_ar if lang == "ar" else self.label_fr

    def source_name(self, lang: str) -> str:
        """The holding administration's name in a language."""
        return self.source_ar if lang == "ar" else self.source_fr

    def held_elsewhere(self, authority_code: str) -> bool:
        """Whether an administration other than this one issues the document."""
        return authority_code not in self.holders


@cache
def evidence_types() -> dict[str, EvidenceType]:
    """The evidence vocabulary, by code, in the file's order."""
    text = resources.files("idara.catalogue").joinpath("data/evidence_types.csv")
    with text.open("r", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["evidence_type"]: EvidenceType(
            code=row["evidence_type"],
            source=row["source"],
            holders=frozenset(row["holders"].split()),
            label_fr=row["label_fr"],
            label_ar=row["label_ar"],
            source_fr=row["source_fr"],
            source_ar=row["source_ar"],
        )
        for row in rows
    }


# English labels, translated through the catalogue's .po files; keys are the export's codes.
AUDIENCES: dict[str, str] = {
    "citizen": N_("Citizens"),
    "business": N_("Businesses"),
    "mre": N_("Moroccans living abroad"),
    "foreigner": N_("Foreign residents"),
    "association": N_("Associations"),
    "administration": N_("Administrations"),
}

LIFE_EVENTS: dict[str, str] = {
    "birth": N_("Birth"),
    "family": N_("Family and marriage"),
    "death": N_("Death of a relative"),
    "identity": N_("Identity documents"),
    "travel": N_("Travel"),
    "schooling": N_("Schooling"),
    "higher-education": N_("Higher education"),
    "work": N_("Work"),
    "job-loss": N_("Losing a job"),
    "retirement": N_("Retirement"),
    "health": N_("Health"),
    "disability": N_("Disability"),
    "housing": N_("Housing"),
    "building": N_("Building"),
    "vehicle": N_("Vehicles"),
    "driving": N_("Driving"),
    "justice": N_("Justice"),
    "taxes": N_("Taxes"),
    "business-creation": N_("Starting a business"),
    "business-operation": N_("Running a business"),
    "investment": N_("Investing"),
    "agriculture": N_("Agriculture"),
    "association": N_("Associations"),
    "culture": N_("Culture and sport"),
    "living-abroad": N_("Living abroad"),
    "foreign-resident": N_("Foreigners in Morocco"),
    "social-aid": N_("Social aid"),
}

# Life events that CPSV-AP calls business events (cv:BusinessEvent) rather than life events.
BUSINESS_EVENTS = frozenset({"business-creation", "business-operation", "investment"})

CHANNEL_KINDS: dict[str, str] = {
    "online": N_("Online"),
    "office": N_("At an office"),
    "mail": N_("By post"),
    "phone": N_("By phone"),
}

DIGITIZATION_LEVELS: dict[int, str] = {
    0: N_("Information only"),
    1: N_("Form to download"),
    2: N_("Online filing"),
    3: N_("Fully online, delivered electronically"),
    4: N_("Fully online and once-only"),
}

DATA_PROTECTION_STATUSES: dict[str, str] = {
    "compliant": N_("Declared to the CNDP"),
    "in_progress": N_("Declaration to the CNDP in progress"),
    "not_started": N_("Not yet declared to the CNDP"),
}

ALIAS_KINDS = ("fr", "ar", "darija", "arabizi")
LANGUAGES = ("fr", "ar")

# Law 55-19: the longest processing time an administration may take to decide.
MAX_DELAY_DAYS = 60
MAX_DELAY_DAYS_INVESTMENT = 30
