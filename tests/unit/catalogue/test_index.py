"""The embedded index: ranking, typo tolerance, prefixes, filters, facets, highlighting."""

from __future__ import annotations

from idara.catalogue.index import Filters, SearchIndex
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.search import doc_from_record, highlight
from tests.catalogue_support import minimal_record


def make_index() -> SearchIndex:
    passport = minimal_record(
        "CIV-0006",
        priority=True,
        title={"fr": "Demande de passeport biométrique", "ar": "طلب جواز السفر البيومتري"},
        theme={"fr": "Identité et voyage", "ar": "الهوية والسفر"},
        administration={"code": "DGSN", "fr": "Sûreté nationale", "ar": "الأمن الوطني"},
        aliases={"fr": ["passeport"], "ar": [], "darija": ["الباسبور"], "arabizi": ["lbasbor"]},
        channels=[
            {"kind": "online", "fr": "Portail", "ar": "البوابة", "url": "https://passeport.ma"}
        ],
        audience=["citizen", "mre"],
    )
    licence = minimal_record(
        "TRA-0001",
        title={"fr": "Permis de conduire", "ar": "رخصة السياقة"},
        theme={"fr": "Transport", "ar": "النقل"},
        administration={"code": "NARSA", "fr": "NARSA", "ar": "الوكالة الوطنية للسلامة الطرقية"},
        aliases={"fr": ["permis B"], "ar": [], "darija": ["البيرمي"], "arabizi": ["lpermis"]},
    )
    birth = minimal_record("CIV-0012")
    records = [ServiceRecord.model_validate(r) for r in (passport, licence, birth)]
    return SearchIndex(doc_from_record(r) for r in records)


def ids(index: SearchIndex, query: str, **kwargs: object) -> list[str]:
    return [hit.doc.id for hit in index.search(query, **kwargs).hits]  # type: ignore[arg-type]


def test_a_word_from_the_title_finds_its_service() -> None:
    assert ids(make_index(), "passeport")[0] == "CIV-0006"
    assert ids(make_index(), "رخصة السياقة")[0] == "TRA-0001"


def test_a_misspelt_word_still_finds_its_service() -> None:
    assert ids(make_index(), "pasport")[0] == "CIV-0006"
    assert ids(make_index(), "permsi")[0] == "TRA-0001"


def test_the_beginning_of_a_word_finds_it() -> None:
    assert ids(make_index(), "biometr")[0] == "CIV-0006"


def test_aliases_in_darija_and_arabizi_are_searchable() -> None:
    assert ids(make_index(), "الباسبور") == ["CIV-0006"]
    assert ids(make_index(), "lbasbor") == ["CIV-0006"]


def test_filters_narrow_the_results_and_facets_count_them() -> None:
    index = make_index()
    assert ids(index, "", filters=Filters(online=True)) == ["CIV-0006"]
    assert ids(index, "", filters=Filters(audience="mre")) == ["CIV-0006"]
    assert ids(index, "", filters=Filters(authority="NARSA")) == ["TRA-0001"]
    assert set(ids(index, "", filters=Filters(life_event="birth"))) == {
        "CIV-0006",
        "CIV-0012",
        "TRA-0001",
    }
    facets = index.search("").facets
    assert facets["online"] == {"yes": 1, "no": 2}
    assert facets["authority"]["DGSN"] == 1


def test_an_empty_query_lists_everything_by_title_in_the_reader_language() -> None:
    index = make_index()
    assert ids(index, "", lang="fr") == ["CIV-0012", "CIV-0006", "TRA-0001"]
    assert ids(index, "", lang="ar") == ["CIV-0012", "TRA-0001", "CIV-0006"]


def test_a_query_with_no_match_returns_nothing() -> None:
    results = make_index().search("xylophone")
    assert results.total == 0 and results.hits == []


def test_results_are_paged() -> None:
    index = make_index()
    first = index.search("", limit=2)
    second = index.search("", offset=2, limit=2)
    assert first.total == second.total == 3
    assert len(first.hits) == 2 and len(second.hits) == 1


def test_highlighting_marks_the_matched_words_and_escapes_the_rest() -> None:
    results = make_index().search("passeports")
    marked = highlight("Demande de <b>passeport</b> biométrique", results.terms)
    assert str(marked) == "Demande de &lt;b&gt;<mark>passeport</mark>&lt;/b&gt; biométrique"
    arabic = highlight("طلب جواز السفر", make_index().search("جواز").terms)
    assert str(arabic) == "طلب <mark>جواز</mark> السفر"


def test_an_empty_catalogue_answers_every_search_with_nothing() -> None:
    empty = SearchIndex([])
    for query in ("", "passeport"):
        results = empty.search(query, filters=Filters(online=True, theme="x"))
        assert results.total == 0 and results.hits == []
    assert empty.counts()["theme"] == {}
