"""The export format of the national repository (SCHEMA.md, v1) as a strict Pydantic model.

The same model validates an imported record and a ministry edit, so both paths accept and
refuse exactly the same things.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from idara.catalogue.vocabulary import AUDIENCES, LIFE_EVENTS, evidence_types
from idara.web.errors import N_

SERVICE_ID = re.compile(r"^[A-Z]{2,5}-[0-9]{4}$")
AUTHORITY_CODE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Amount = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=2),
    # Keep amounts as JSON numbers, and integers as integers (75, not 75.00 or "75").
    PlainSerializer(lambda d: int(d) if d == d.to_integral_value() else float(d), when_used="json"),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def get(self, lang: str) -> str:
        """The text in a language (Arabic for "ar", French otherwise)."""
        value = getattr(self, "ar" if lang == "ar" else "fr")
        assert isinstance(value, str)
        return value


def _check_arabic(value: str) -> str:
    if value and not _ARABIC_LETTER.search(value):
        raise ValueError(N_("the Arabic text contains no Arabic letter"))
    return value


class Localized(_Strict):
    """A text in French and in Arabic, both required."""

    fr: Text
    ar: Text

    _arabic = field_validator("ar")(_check_arabic)


class OptionalLocalized(_Strict):
    """A text that may be empty, but then empty in both languages."""

    fr: OptionalText
    ar: OptionalText

    _arabic = field_validator("ar")(_check_arabic)

    @model_validator(mode="after")
    def _both_or_neither(self) -> OptionalLocalized:
        if bool(self.fr) != bool(self.ar):
            raise ValueError(N_("give the text in both French and Arabic, or leave both empty"))
        return self


class Authority(_Strict):
    """The competent authority (a public organisation) with its stable code."""

    code: Annotated[str, StringConstraints(max_length=40, pattern=AUTHORITY_CODE.pattern)]
    fr: Text
    ar: Text

    _arabic = field_validator("ar")(_check_arabic)


class Document(_Strict):
    """A document the administration may ask for (law 55-19: only those listed)."""

    fr: Text
    ar: Text
    evidence_type: str | None
    condition: Localized | None

    _arabic = field_validator("ar")(_check_arabic)

    @field_validator("evidence_type")
    @classmethod
    def _known_evidence(cls, value: str | None) -> str | None:
        if value is not None and value not in evidence_types():
            raise ValueError(f"unknown evidence type {value!r}")
        return value


class Fee(_Strict):
    """A fee in Moroccan dirhams."""

    amount_mad: Amount
    label: Localized


class Delay(_Strict):
    """The maximum processing time (law 55-19 caps it; the compliance report flags excess)."""

    days: Annotated[StrictInt, Field(ge=0, le=366)]
    text: Localized


class Channel(_Strict):
    """Where or how to apply; an online channel must give its https address."""

    kind: Literal["online", "office", "mail", "phone"]
    fr: Text
    ar: Text
    url: Annotated[str, StringConstraints(max_length=500)] | None = None

    _arabic = field_validator("ar")(_check_arabic)

    @model_validator(mode="after")
    def _url_rules(self) -> Channel:
        if self.kind == "online" and not self.url:
            raise ValueError(N_("an online channel needs its url"))
        if self.url is not None and not re.match(r"^https://[^\s/]+\.[^\s]+$", self.url):
            raise ValueError(N_("the url must be an https:// address"))
        return self


class LegalBasis(_Strict):
    """A law, decree or order the service rests on."""

    ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    fr: Text
    ar: Text

    _arabic = field_validator("ar")(_check_arabic)


class DataProtection(_Strict):
    """Law 09-08 status of the processing behind the service (CNDP declaration)."""

    status: Literal["compliant", "in_progress", "not_started"]
    cndp_ref: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None

    @model_validator(mode="after")
    def _compliant_has_ref(self) -> DataProtection:
        if self.status == "compliant" and not self.cndp_ref:
            raise ValueError(N_("a compliant service must give its CNDP reference"))
        return self


AliasList = Annotated[list[Short], Field(max_length=30)]


class Aliases(_Strict):
    """How citizens actually name the service, in four registers."""

    fr: AliasList = []
    ar: AliasList = []
    darija: AliasList = []
    arabizi: AliasList = []


def _ordered_codes(values: list[str], allowed: dict[str, str], what: str) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(map(repr, unknown))}")
    if len(set(values)) != len(values):
        raise ValueError(f"a {what} is listed twice")
    return values  # the order is the ministry's: the first is the main one


class ServiceRecord(_Strict):
    """One procedure record of the export (SCHEMA.md)."""

    id: Annotated[str, StringConstraints(pattern=SERVICE_ID.pattern)]
    priority: StrictBool
    audience: Annotated[list[str], Field(min_length=1)]
    life_events: list[str]
    theme: Localized
    title: Localized
    description: Localized
    administration: Authority
    eligibility: OptionalLocalized
    documents: list[Document]
    steps: Annotated[list[Localized], Field(min_length=2, max_length=6)]
    fees: list[Fee]
    delay: Delay
    channels: Annotated[list[Channel], Field(min_length=1)]
    output: Localized
    validity: Localized | None
    legal_basis: Annotated[list[LegalBasis], Field(min_length=1)]
    digitization_level: Annotated[StrictInt, Field(ge=0, le=4)]
    trips_before: Annotated[StrictInt, Field(ge=0, le=50)]
    data_protection: DataProtection
    aliases: Aliases

    @field_validator("audience")
    @classmethod
    def _audience(cls, value: list[str]) -> list[str]:
        return _ordered_codes(value, AUDIENCES, "audience")

    @field_validator("life_events")
    @classmethod
    def _life_events(cls, value: list[str]) -> list[str]:
        return _ordered_codes(value, LIFE_EVENTS, "life event")

    @property
    def domain(self) -> str:
        """The domain prefix of the id (CIV, EDU...)."""
        return self.id.split("-")[0]

    @property
    def online_url(self) -> str | None:
        """The address of the first online channel, where the procedure can be started."""
        return next((c.url for c in self.channels if c.kind == "online" and c.url), None)

    def canonical(self) -> dict[str, Any]:
        """The record as JSON-ready data, in a stable shape (what versions keep)."""
        data = self.model_dump(mode="json")
        for channel in data["channels"]:
            if channel["url"] is None:
                del channel["url"]  # the export omits it for channels without an address
        return data

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: equal records hash equal, whatever their file."""
        data = json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def field_path(location: tuple[int | str, ...]) -> str:
    """A Pydantic error location as a readable path: documents[2].evidence_type."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(record)"
