"""CPSV-AP 3 JSON-LD: a public service with its authority, evidence, costs, channels, rules.

Class and property names follow the Core Public Service Vocabulary Application Profile
(SEMIC, version 3.x): cpsv:PublicService, cv:PublicOrganisation, cv:Evidence,
cv:Requirement, cv:Cost, cv:Channel, cv:Output, eli:LegalResource, cv:LifeEvent and
cv:BusinessEvent. The context is inline so that a consumer needs no network to read it;
the shapes this output is checked against are in `data/cpsv-ap-shapes.ttl`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from idara.catalogue.models import Service
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.vocabulary import BUSINESS_EVENTS, LIFE_EVENTS, evidence_types
from idara.i18n import translate

CONTEXT: dict[str, str] = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
CURRENCY_MAD = "http://publications.europa.eu/resource/authority/currency/MAD"
COUNTRY_MAR = "http://publications.europa.eu/resource/authority/country/MAR"
LANGUAGES = {
    "fr": "http://publications.europa.eu/resource/authority/language/FRA",
    "ar": "http://publications.europa.eu/resource/authority/language/ARA",
}


def _text(fr: str, ar: str) -> list[dict[str, str]]:
    return [{"@value": fr, "@language": "fr"}, {"@value": ar, "@language": "ar"}]


def _id(value: str) -> dict[str, str]:
    return {"@id": value}


def _typed(value: str, datatype: str) -> dict[str, str]:
    return {"@value": value, "@type": datatype}


def service_iri(origin: str, service_id: str) -> str:
    """The stable identifier of a service."""
    return f"{origin}/id/service/{service_id}"


def organisation_iri(origin: str, code: str) -> str:
    """The stable identifier of a public organisation."""
    return f"{origin}/id/organisation/{code}"


def organisation_node(origin: str, code: str, fr: str, ar: str) -> dict[str, Any]:
    """cv:PublicOrganisation."""
    return {
        "@id": organisation_iri(origin, code),
        "@type": "cv:PublicOrganisation",
        "dct:identifier": code,
        "skos:prefLabel": _text(fr, ar),
        "dct:spatial": _id(COUNTRY_MAR),
    }


def _event(origin: str, code: str) -> dict[str, Any]:
    kind = "cv:BusinessEvent" if code in BUSINESS_EVENTS else "cv:LifeEvent"
    label = LIFE_EVENTS[code]
    return {
        "@id": f"{origin}/id/event/{code}",
        "@type": ["cv:Event", kind],
        "dct:identifier": code,
        "dct:title": _text(translate("fr", label), translate("ar", label)),
    }


def service_node(origin: str, record: ServiceRecord, service: Service | None) -> dict[str, Any]:
    """cpsv:PublicService with its nested resources (authority given by reference)."""
    iri = service_iri(origin, record.id)
    vocabulary = evidence_types()
    node: dict[str, Any] = {
        "@id": iri,
        "@type": "cpsv:PublicService",
        "dct:identifier": record.id,
        "dct:title": _text(record.title.fr, record.title.ar),
        "dct:description": _text(record.description.fr, record.description.ar),
        "cv:thematicArea": {
            "@type": "skos:Concept",
            "skos:prefLabel": _text(record.theme.fr, record.theme.ar),
        },
        "dct:language": [_id(v) for v in LANGUAGES.values()],
        "cv:hasCompetentAuthority": _id(organisation_iri(origin, record.administration.code)),
        "cv:processingTime": _typed(f"P{record.delay.days}D", "xsd:duration"),
        "cv:isGroupedBy": [_event(origin, code) for code in record.life_events],
        "cpsv:hasInput": [
            {
                "@id": f"{iri}#evidence-{n}",
                "@type": "cv:Evidence",
                "dct:title": _text(d.fr, d.ar),
                **(
                    {
                        "dct:type": {
                            "@id": f"{origin}/id/evidence-type/{d.evidence_type}",
                            "@type": "skos:Concept",
                            "skos:prefLabel": _text(
                                vocabulary[d.evidence_type].label_fr,
                                vocabulary[d.evidence_type].label_ar,
                            ),
                        }
                    }
                    if d.evidence_type
                    else {}
                ),
                **(
                    {"dct:description": _text(d.condition.fr, d.condition.ar)}
                    if d.condition
                    else {}
                ),
            }
            for n, d in enumerate(record.documents, 1)
        ],
        "cv:hasCost": [
            {
                "@id": f"{iri}#cost-{n}",
                "@type": "cv:Cost",
                "cv:value": _typed(f"{fee.amount_mad:.2f}", "xsd:decimal"),
                "cv:currency": _id(CURRENCY_MAD),
                "dct:description": _text(fee.label.fr, fee.label.ar),
            }
            for n, fee in enumerate(record.fees, 1)
        ],
        "cv:hasChannel": [
            {
                "@id": f"{iri}#channel-{n}",
                "@type": "cv:Channel",
                "dct:type": _id(f"{origin}/id/channel-type/{c.kind}"),
                "dct:description": _text(c.fr, c.ar),
                **(
                    {
                        "cv:hasContactPoint": {
                            "@type": "cv:ContactPoint",
                            "cv:contactPage": _id(c.url),
                        }
                    }
                    if c.url
                    else {}
                ),
            }
            for n, c in enumerate(record.channels, 1)
        ],
        "cpsv:produces": {
            "@id": f"{iri}#output",
            "@type": "cv:Output",
            "dct:title": _text(record.output.fr, record.output.ar),
            **(
                {"dct:description": _text(record.validity.fr, record.validity.ar)}
                if record.validity
                else {}
            ),
        },
        "cv:hasLegalResource": [
            {
                "@id": f"{iri}#law-{n}",
                "@type": "eli:LegalResource",
                "eli:id_local": law.ref,
                "dct:title": _text(law.fr, law.ar),
            }
            for n, law in enumerate(record.legal_basis, 1)
        ],
        "cpsv:follows": {
            "@id": f"{iri}#steps",
            "@type": "cpsv:Rule",
            "dct:title": _text("Étapes de la démarche", "مراحل المسطرة"),
            "dct:description": _text(
                "\n".join(f"{n}. {s.fr}" for n, s in enumerate(record.steps, 1)),
                "\n".join(f"{n}. {s.ar}" for n, s in enumerate(record.steps, 1)),
            ),
        },
        "foaf:homepage": _id(f"{origin}/fr/services/{record.id}"),
    }
    if record.eligibility.fr:
        node["cv:holdsRequirement"] = {
            "@id": f"{iri}#eligibility",
            "@type": "cv:Requirement",
            "dct:description": _text(record.eligibility.fr, record.eligibility.ar),
        }
    if service is not None:
        node["dct:modified"] = _typed(
            service.updated_at.isoformat(timespec="seconds"), "xsd:dateTime"
        )
    return node


def service_document(origin: str, record: ServiceRecord, service: Service | None) -> dict[str, Any]:
    """One service as a self-contained JSON-LD document (with its authority)."""
    authority = record.administration
    return {
        "@context": CONTEXT,
        "@graph": [
            service_node(origin, record, service),
            organisation_node(origin, authority.code, authority.fr, authority.ar),
        ],
    }


def catalogue_graph(rows: Sequence[tuple[Service, ServiceRecord]], origin: str) -> dict[str, Any]:
    """Every published service and every authority, each organisation described once."""
    organisations: dict[str, dict[str, Any]] = {}
    services = []
    for service, record in rows:
        a = record.administration
        organisations.setdefault(a.code, organisation_node(origin, a.code, a.fr, a.ar))
        services.append(service_node(origin, record, service))
    return {"@context": CONTEXT, "@graph": [*services, *organisations.values()]}


def dumps(document: dict[str, Any]) -> str:
    """Serialise JSON-LD as UTF-8 text."""
    return json.dumps(document, ensure_ascii=False, indent=1)
