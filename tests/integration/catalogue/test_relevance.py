"""Search relevance: the procedure people mean comes first, in every register they use.

Queries are written as citizens type them (accents dropped, typos, Darija in Arabic script
and in Latin letters). The same expectations run against the index built from the
database in tests/integration/catalogue/test_search_database.py, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.catalogue_support import sample_index

RELEVANCE = [
    # French, as citizens type it (accents dropped, typos, plurals)
    ("fr", "carte d'identité", "CIV-0001"),
    ("fr", "renouveler ma CIN", "CIV-0002"),
    ("fr", "carte d'identite perdue", "CIV-0003"),
    ("fr", "passeport", "CIV-0006"),
    ("fr", "passeport perdu", "CIV-0009"),
    ("fr", "extrait d'acte de naissance", "CIV-0010"),
    ("fr", "certificat de residence", "CIV-0024"),
    ("fr", "casier judiciaire", "JUS-0001"),
    ("fr", "casier judicaire", "JUS-0001"),
    ("fr", "passer le permis", "TRA-0001"),
    ("fr", "duplicata carte grise", "TRA-0007"),
    ("fr", "controle technique", "TRA-0009"),
    ("fr", "creer une societe en ligne", "ENT-0001"),
    ("fr", "bac libre", "EDU-0001"),
    ("fr", "bourse universite", "EDU-0010"),
    ("fr", "attestation de regularite fiscale", "FIN-0001"),
    ("fr", "certificat de propriete", "FIN-0005"),
    ("fr", "compteur d'eau", "LOC-0008"),
    ("fr", "permis de chasse", "LOC-0027"),
    ("fr", "indemnite chomage", "SOC-0015"),
    ("fr", "livret de famille perdu", "CIV-0019"),
    ("fr", "changement de prenom", "CIV-0033"),
    # Arabic (standard), with and without diacritics and hamza variants
    ("ar", "جواز السفر", "CIV-0006"),
    ("ar", "تجديد جواز السفر", "CIV-0007"),
    ("ar", "شهادة السكنى", "CIV-0024"),
    ("ar", "السجل العدلي", "JUS-0001"),
    ("ar", "رخصة السياقة", "TRA-0001"),
    ("ar", "شهادة الجنسية", "CIV-0035"),
    ("ar", "عقد الازدياد", "CIV-0010"),
    ("ar", "شَهَادَةُ الْحَيَاةِ", "CIV-0025"),
    ("ar", "شهادة الملكية", "FIN-0005"),
    ("ar", "محو الامية", "EDU-0037"),
    ("ar", "رخصة الصيد", "LOC-0027"),
    ("ar", "تسجيل الوفاة", "CIV-0015"),
    # Darija in Arabic script
    ("darija", "لاكارط", "CIV-0001"),
    ("darija", "ضاعت ليا لاكارط", "CIV-0003"),
    ("darija", "بغيت نخرج الباسبور", "CIV-0006"),
    ("darija", "البيرمي", "TRA-0001"),
    ("darija", "ضاع ليا البيرمي", "TRA-0003"),
    ("darija", "الموطاسيون ديال الطوموبيل", "TRA-0005"),
    ("darija", "الكونطور ديال الما", "LOC-0008"),
    ("darija", "محامي فابور", "JUS-0011"),
    ("darija", "باك حر", "EDU-0001"),
    ("darija", "الشوماج ديال الضمان", "SOC-0015"),
    # Arabizi (Darija in Latin letters, digits for Arabic sounds)
    ("arabizi", "lakarte", "CIV-0001"),
    ("arabizi", "lbita9a lwataniya", "CIV-0001"),
    ("arabizi", "lbitaqa lwataniya", "CIV-0001"),
    ("arabizi", "lbasbor", "CIV-0006"),
    ("arabizi", "tajdid lbasbor", "CIV-0007"),
    ("arabizi", "bac 7or", "EDU-0001"),
    ("arabizi", "kanach jdid", "CIV-0019"),
    ("arabizi", "chahadat l7ayat", "CIV-0025"),
    ("arabizi", "compteur dial lma", "LOC-0008"),
    ("arabizi", "n7el charika", "ENT-0001"),
    ("arabizi", "mo7ami fabor", "JUS-0011"),
    ("arabizi", "sijil 3adli", "JUS-0001"),
]


@pytest.mark.parametrize(("register", "query", "expected"), RELEVANCE)
def test_the_procedure_people_mean_comes_first(register: str, query: str, expected: str) -> None:
    results = sample_index().search(query, limit=3)
    assert [hit.doc.id for hit in results.hits][:1] == [expected], (register, query)


def test_the_relevance_set_covers_forty_queries_in_each_register_mix() -> None:
    registers = {register for register, _, _ in RELEVANCE}
    assert len(RELEVANCE) >= 40 and registers == {"fr", "ar", "darija", "arabizi"}
    assert all(sum(r == reg for r, _, _ in RELEVANCE) >= 8 for reg in registers)


def test_an_ambiguous_query_lists_the_whole_family_first() -> None:
    top = [hit.doc.id for hit in sample_index().search("permis de conduire", limit=5).hits]
    assert all(service_id.startswith("TRA-") for service_id in top)
    assert "TRA-0001" in top


def test_a_record_id_finds_its_service_first() -> None:
    assert sample_index().search("civ-0024", limit=1).hits[0].doc.id == "CIV-0024"
