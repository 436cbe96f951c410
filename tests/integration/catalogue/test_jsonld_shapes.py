"""CPSV-AP JSON-LD: every sample service, and the whole catalogue, conform to the shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from idara.catalogue.exports import jsonld
from idara.catalogue.models import Service
from tests.catalogue_support import record, sample_records

# rdflib's own JSON-LD parser still uses its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

ORIGIN = "https://idara.test"
CPSV = "http://purl.org/vocab/cpsv#"


@cache
def shapes() -> Graph:
    text = resources.files("idara.catalogue").joinpath("data/cpsv-ap-shapes.ttl").read_text()
    return Graph().parse(data=text, format="turtle")


def conforms(document: dict[str, Any]) -> tuple[bool, str, Graph]:
    data = Graph().parse(data=json.dumps(document), format="json-ld")
    ok, _graph, report = validate(data, shacl_graph=shapes(), inference="none")
    return bool(ok), str(report), data


def published(service_id: str) -> Service:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    return Service(id=service_id, version=3, updated_at=now, created_at=now)


def test_the_whole_sample_catalogue_conforms_to_the_cpsv_ap_shapes() -> None:
    rows = [(published(r.id), r) for r in sample_records()]
    ok, report, data = conforms(jsonld.catalogue_graph(rows, ORIGIN))
    assert ok, report
    services = set(data.subjects(RDF.type, URIRef(CPSV + "PublicService")))
    assert len(services) == len(sample_records())


def test_one_service_document_carries_its_evidence_costs_and_authority() -> None:
    document = jsonld.service_document(ORIGIN, record("CIV-0001"), published("CIV-0001"))
    ok, report, data = conforms(document)
    assert ok, report
    node = document["@graph"][0]
    assert node["dct:identifier"] == "CIV-0001"
    assert node["cv:processingTime"]["@value"] == "P10D"
    assert node["cv:hasCost"][0]["cv:value"]["@value"] == "75.00"
    types = [e["dct:type"]["@id"] for e in node["cpsv:hasInput"] if "dct:type" in e]
    assert f"{ORIGIN}/id/evidence-type/birth-certificate" in types
    assert (URIRef(f"{ORIGIN}/id/organisation/DGSN"), RDF.type, None) in data


@pytest.mark.parametrize("remove", ["dct:title", "cv:hasCompetentAuthority", "cv:hasChannel"])
def test_the_shapes_catch_a_service_missing_a_required_property(remove: str) -> None:
    document = jsonld.service_document(ORIGIN, record("CIV-0001"), published("CIV-0001"))
    del document["@graph"][0][remove]
    ok, _report, _data = conforms(document)
    assert not ok


def test_the_shapes_catch_a_cost_that_is_not_a_decimal() -> None:
    document = jsonld.service_document(ORIGIN, record("CIV-0001"), published("CIV-0001"))
    document["@graph"][0]["cv:hasCost"][0]["cv:value"] = "seventy-five"
    assert not conforms(document)[0]
