"""The platform's open datasets, described as a DCAT-AP 3 catalogue and as CKAN packages.

Datasets: the whole catalogue of services, the documents services ask for, the law 55-19
report, and one dataset per administration (its services and its report). The same list
feeds the DCAT-AP JSON-LD and the CKAN action API, so both always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from idara.catalogue.text import tokens

MINISTRY = {
    "code": "MTNRA",
    "fr": "Ministère de la Transition numérique et de la Réforme de l'Administration",
    "ar": "وزارة الانتقال الرقمي وإصلاح الإدارة",
}
LICENCE = {
    "id": "cc-by-4.0",
    "title": "Creative Commons Attribution 4.0",
    "iri": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
FORMATS = {
    "CSV": ("text/csv", "http://publications.europa.eu/resource/authority/file-type/CSV"),
    "JSON-LD": (
        "application/ld+json",
        "http://publications.europa.eu/resource/authority/file-type/JSON_LD",
    ),
    "JSON": ("application/json", "http://publications.europa.eu/resource/authority/file-type/JSON"),
}
THEME_GOVERNMENT = "http://publications.europa.eu/resource/authority/data-theme/GOVE"


@dataclass(frozen=True, slots=True)
class Resource:
    """A distribution: one file or API of a dataset."""

    name: str
    format: str
    path: str  # relative to the public origin


@dataclass(frozen=True, slots=True)
class Dataset:
    """An open dataset of the platform."""

    name: str
    title: dict[str, str]
    description: dict[str, str]
    organisation: dict[str, str]  # code, fr, ar
    resources: tuple[Resource, ...]
    keywords: tuple[str, ...]
    modified: datetime | None


def datasets(authorities: list[tuple[str, str, str]], modified: datetime | None) -> list[Dataset]:
    """Every dataset, national ones first, then one per administration (code, fr, ar)."""
    national = [
        Dataset(
            "catalogue-services-publics",
            {
                "fr": "Catalogue national des services publics",
                "ar": "الدليل الوطني للخدمات العمومية",
            },
            {
                "fr": "Toutes les démarches publiées : pièces, frais, délais, canaux, base légale "
                "(CPSV-AP). Données d'illustration, pas une source officielle.",
                "ar": "جميع المساطر المنشورة: الوثائق والرسوم والآجال والقنوات والسند القانوني "
                "(CPSV-AP). بيانات توضيحية وليست مصدرا رسميا.",
            },
            MINISTRY,
            (
                Resource("services.csv", "CSV", "/api/v1/services.csv"),
                Resource("services.jsonld (CPSV-AP)", "JSON-LD", "/api/v1/services.jsonld"),
                Resource("API JSON", "JSON", "/api/v1/services"),
            ),
            ("services publics", "CPSV-AP", "démarches administratives"),
            modified,
        ),
        Dataset(
            "pieces-exigees",
            {"fr": "Pièces exigées par les démarches", "ar": "الوثائق المطلوبة في المساطر"},
            {
                "fr": "Chaque pièce demandée, avec son type de preuve et l'administration qui la "
                "détient (candidates au « dites-le nous une fois »).",
                "ar": "كل وثيقة مطلوبة مع نوع الإثبات والإدارة التي تحوزها "
                "(مرشحة لمبدأ «مرة واحدة فقط»).",
            },
            MINISTRY,
            (Resource("documents.csv", "CSV", "/api/v1/documents.csv"),),
            ("pièces justificatives", "once-only"),
            modified,
        ),
        Dataset(
            "rapport-loi-55-19",
            {"fr": "Rapport de conformité à la loi 55-19", "ar": "تقرير المطابقة للقانون 55.19"},
            {
                "fr": "Délais dépassés et pièces détenues par une autre administration, "
                "par service.",
                "ar": "الآجال المتجاوزة والوثائق التي تحوزها إدارة أخرى، حسب الخدمة.",
            },
            MINISTRY,
            (Resource("loi-55-19.csv", "CSV", "/fr/law-55-19.csv"),),
            ("loi 55-19", "simplification"),
            modified,
        ),
    ]
    per_authority = [
        Dataset(
            f"services-{code.lower()}",
            {"fr": f"Services publics : {fr}", "ar": f"الخدمات العمومية: {ar}"},
            {
                "fr": f"Les démarches dont {fr} est l'autorité compétente.",
                "ar": f"المساطر التي تعد {ar} السلطة المختصة بها.",
            },
            {"code": code, "fr": fr, "ar": ar},
            (
                Resource(f"services-{code}.csv", "CSV", f"/api/v1/services.csv?authority={code}"),
                Resource(
                    f"services-{code}.jsonld (CPSV-AP)",
                    "JSON-LD",
                    f"/api/v1/services.jsonld?authority={code}",
                ),
                Resource(
                    f"loi-55-19-{code}.csv", "CSV", f"/fr/administrations/{code}/law-55-19.csv"
                ),
            ),
            ("services publics", code),
            modified,
        )
        for code, fr, ar in authorities
    ]
    return national + per_authority


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "1970-01-01T00:00:00+00:00"


def dcat_catalogue(sets: list[Dataset], origin: str, modified: datetime | None) -> dict[str, Any]:
    """The DCAT-AP 3 catalogue as JSON-LD."""

    def text(value: dict[str, str]) -> list[dict[str, str]]:
        return [
            {"@value": value["fr"], "@language": "fr"},
            {"@value": value["ar"], "@language": "ar"},
        ]

    def agent(org: dict[str, str]) -> dict[str, Any]:
        return {
            "@id": f"{origin}/id/organisation/{org['code']}",
            "@type": "foaf:Agent",
            "foaf:name": text(org),
        }

    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": f"{origin}/api/v1/catalog",
        "@type": "dcat:Catalog",
        "dct:title": text({"fr": "Données ouvertes d'Idara", "ar": "البيانات المفتوحة لإدارة"}),
        "dct:description": text(
            {
                "fr": "Les jeux de données ouverts du catalogue national des services publics.",
                "ar": "مجموعات البيانات المفتوحة للدليل الوطني للخدمات العمومية.",
            }
        ),
        "dct:publisher": agent(MINISTRY),
        "foaf:homepage": {"@id": f"{origin}/fr/"},
        "dct:language": [
            {"@id": "http://publications.europa.eu/resource/authority/language/FRA"},
            {"@id": "http://publications.europa.eu/resource/authority/language/ARA"},
        ],
        "dct:modified": {"@value": _when(modified), "@type": "xsd:dateTime"},
        "dcat:dataset": [
            {
                "@id": f"{origin}/api/v1/catalog#{d.name}",
                "@type": "dcat:Dataset",
                "dct:identifier": d.name,
                "dct:title": text(d.title),
                "dct:description": text(d.description),
                "dct:publisher": agent(d.organisation),
                "dcat:keyword": list(d.keywords),
                "dcat:theme": {"@id": THEME_GOVERNMENT},
                "dct:modified": {"@value": _when(d.modified), "@type": "xsd:dateTime"},
                "dcat:distribution": [
                    {
                        "@id": f"{origin}/api/v1/catalog#{d.name}-{n}",
                        "@type": "dcat:Distribution",
                        "dct:title": r.name,
                        "dcat:accessURL": {"@id": origin + r.path},
                        "dcat:downloadURL": {"@id": origin + r.path},
                        "dcat:mediaType": {
                            "@id": f"https://www.iana.org/assignments/media-types/{FORMATS[r.format][0]}"
                        },
                        "dct:format": {"@id": FORMATS[r.format][1]},
                        "dct:license": {"@id": LICENCE["iri"]},
                    }
                    for n, r in enumerate(d.resources, 1)
                ],
            }
            for d in sets
        ],
    }


def ckan_organization(org: dict[str, str], count: int | None = None) -> dict[str, Any]:
    """An organisation as CKAN describes it."""
    result: dict[str, Any] = {
        "id": org["code"].lower(),
        "name": org["code"].lower(),
        "title": org["fr"],
        "display_name": org["fr"],
        "title_translated": {"fr": org["fr"], "ar": org["ar"]},
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
    }
    if count is not None:
        result["package_count"] = count
    return result


def ckan_package(d: Dataset, origin: str) -> dict[str, Any]:
    """A dataset as a CKAN package dictionary (the fields harvesters read)."""
    when = _when(d.modified)
    return {
        "id": d.name,
        "name": d.name,
        "title": d.title["fr"],
        "notes": d.description["fr"],
        "title_translated": d.title,
        "notes_translated": d.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "license_id": LICENCE["id"],
        "license_title": LICENCE["title"],
        "license_url": LICENCE["url"],
        "metadata_created": when,
        "metadata_modified": when,
        "owner_org": d.organisation["code"].lower(),
        "organization": ckan_organization(d.organisation),
        "url": f"{origin}/api/v1/catalog#{d.name}",
        "tags": [{"name": k, "display_name": k} for k in d.keywords],
        "num_tags": len(d.keywords),
        "resources": [
            {
                "id": f"{d.name}-{n}",
                "package_id": d.name,
                "name": r.name,
                "url": origin + r.path,
                "format": r.format,
                "mimetype": FORMATS[r.format][0],
                "position": n - 1,
                "last_modified": when,
            }
            for n, r in enumerate(d.resources, 1)
        ],
        "num_resources": len(d.resources),
    }


def search_packages(sets: list[Dataset], query: str) -> list[Dataset]:
    """Datasets whose title, description, keywords or organisation hold every query word."""
    wanted = set(tokens(query))
    if not wanted:
        return sets

    def words(d: Dataset) -> set[str]:
        texts = [*d.title.values(), *d.description.values(), *d.keywords, *d.organisation.values()]
        return set(tokens(" ".join(texts)))

    return [d for d in sets if wanted <= words(d)]
