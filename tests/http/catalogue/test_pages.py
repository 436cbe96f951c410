"""Public pages of the catalogue in French and Arabic: search, service, administrations, law."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

SERVICE = (
    "/fr/services/CIV-0001-demande-de-la-carte-nationale-identite-electronique-premiere-demande"
)


def test_the_home_page_offers_search_life_events_and_audiences(
    loaded_app: FastAPI, client: TestClient
) -> None:
    text = client.get("/fr/").text
    assert 'action="/fr/services"' in text and 'type="search"' in text
    assert "/fr/services?life_event=birth" in text and "/fr/services?audience=mre" in text
    assert "Marocains résidant à l&#39;étranger" in text
    assert "مغاربة العالم" in client.get("/ar/").text


def test_a_search_lists_ranked_results_with_highlighted_matches(
    loaded_app: FastAPI, client: TestClient
) -> None:
    response = client.get("/fr/services", params={"q": "passeport perdu"})
    assert response.status_code == 200
    first = re.search(r'<li class="result">\s*<h3><a href="([^"]+)">', response.text)
    assert first is not None and first.group(1).startswith("/fr/services/CIV-0009-")
    assert "<mark>perdu</mark>" in response.text
    assert "démarches trouvées pour « passeport perdu »" in response.text


def test_an_arabic_search_page_is_right_to_left_and_in_arabic(
    loaded_app: FastAPI, client: TestClient
) -> None:
    text = client.get("/ar/services", params={"q": "جواز السفر"}).text
    assert '<html lang="ar" dir="rtl">' in text
    assert "<mark>جواز</mark>" in text and "نتائج البحث" in text
    assert 'href="/ar/services/CIV-0006-' in text


def test_filters_narrow_the_results(loaded_app: FastAPI, client: TestClient) -> None:
    everything = client.get("/fr/services").text
    assert "286 démarches" in everything
    online = client.get("/fr/services", params={"online": "yes", "authority": "NARSA"}).text
    results = re.findall(r'<li class="result">', online)
    assert 0 < len(results) < 28
    assert online.count('class="tag tag-online"') == len(results)
    assert "Retirer tous les filtres" in online
    themed = client.get("/fr/services", params={"theme": "permis-de-conduire"}).text
    assert "7 démarches" in themed


def test_results_are_paged_with_links_that_keep_the_query(
    loaded_app: FastAPI, client: TestClient
) -> None:
    text = client.get("/fr/services", params={"q": "certificat", "page": 1}).text
    assert 'rel="next" href="/fr/services?q=certificat&amp;page=2"' in text
    second = client.get("/fr/services", params={"q": "certificat", "page": 2}).text
    assert 'rel="prev"' in second


def test_a_search_without_results_helps_the_user(loaded_app: FastAPI, client: TestClient) -> None:
    text = client.get("/fr/services", params={"q": "xylophone quantique"}).text
    assert "Aucune démarche ne correspond à votre recherche." in text


def test_a_service_address_without_its_slug_leads_to_the_readable_one(
    loaded_app: FastAPI, client: TestClient
) -> None:
    response = client.get("/fr/services/CIV-0001", follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"] == SERVICE


def test_the_service_page_has_everything_before_applying(
    loaded_app: FastAPI, client: TestClient
) -> None:
    text = client.get(SERVICE).text
    assert (
        '<h1 id="service-title">Demande de la carte nationale d&#39;identité électronique' in text
    )
    for heading in ("Pièces à fournir", "Étapes", "Frais", "Délai maximal", "Où s&#39;adresser",
                    "Ce que vous obtenez", "Base légale", "Qui peut faire la demande"):  # fmt: skip
        assert heading in text, heading
    assert "Données d&#39;illustration" in text  # the sample notice
    assert text.count('class="held-by"') == 3  # birth, residence and nationality certificates
    assert 'class="button button-start" href="https://www.cnie.ma"' in text
    assert "75 DH" in text and "Dernière mise à jour" in text


def test_a_service_without_an_online_channel_has_no_start_button(
    loaded_app: FastAPI, client: TestClient
) -> None:
    text = client.get("/fr/services/CIV-0024", follow_redirects=True).text
    assert "Certificat de résidence" in text and "button-start" not in text


def test_the_arabic_service_page_is_in_arabic(loaded_app: FastAPI, client: TestClient) -> None:
    text = client.get(SERVICE.replace("/fr/", "/ar/")).text
    assert '<html lang="ar" dir="rtl">' in text
    assert "طلب الحصول على البطاقة الوطنية للتعريف الإلكترونية" in text
    assert "الوثائق المطلوبة" in text and "75 درهم" in text
    assert "Pièces à fournir" not in text


def test_an_unknown_service_is_a_translated_404(loaded_app: FastAPI, client: TestClient) -> None:
    assert client.get("/fr/services/CIV-9999").status_code == 404
    response = client.get("/ar/services/not-an-id")
    assert response.status_code == 404 and 'dir="rtl"' in response.text


def test_an_administration_page_lists_its_services(loaded_app: FastAPI, client: TestClient) -> None:
    text = client.get("/fr/administrations/DGSN").text
    assert "Direction générale de la Sûreté nationale" in text
    assert "9 démarches" in text and "/fr/services/CIV-0001-" in text
    index = client.get("/ar/administrations").text
    assert "/ar/administrations/DGSN" in index
    assert client.get("/fr/administrations/NOPE").status_code == 404


def test_the_law_report_flags_delays_and_once_only_documents(
    loaded_app: FastAPI, client: TestClient
) -> None:
    overview = client.get("/fr/law-55-19").text
    assert "délais au-delà du maximum légal" in overview
    assert re.search(r"<strong>13</strong> délais", overview)
    page = client.get("/fr/administrations/MI-COMMUNE/law-55-19").text
    assert "Pièces détenues par une autre administration" in page


def test_the_law_report_downloads_as_csv_per_administration(
    loaded_app: FastAPI, client: TestClient
) -> None:
    response = client.get("/ar/administrations/NARSA/law-55-19.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.startswith("\ufeffauthority_code,authority,service_id")
    rows = response.text.strip().splitlines()[1:]
    assert rows and all(row.startswith("NARSA,") for row in rows)
    assert "delay_exceeded" in response.text  # TRA-0033: 60 days for an investment procedure
