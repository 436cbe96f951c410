"""Search normalisation: French accents, Arabic letter variants, Darija and Arabizi."""

from __future__ import annotations

import pytest

from idara.catalogue.text import damerau_levenshtein, fold, slugify, term_of, tokens


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Carte d'identité électronique", "carte d identite electronique"),
        ("ŒUVRES", "oeuvre"),
        ("الشَّهَادَة", "الشهادة"),  # diacritics
        ("إلكترونية", "الإلكترونية"),  # hamza variant and article
        ("بطاقة", "البطاقة"),  # article
        ("مدرسة", "مدرسه"),  # taa marbuta
        ("ـجـواز", "جواز"),  # tatweel
        ("lbita9a", "lbitaqa"),  # Arabizi digit for ق
        ("adresse", "adrese"),  # doubled letters
        ("١٢٣", "123"),  # Arabic-Indic digits
    ],
)
def test_spellings_people_mix_up_index_the_same(one: str, other: str) -> None:
    assert tokens(one) == tokens(other)


def test_stopwords_in_french_arabic_and_darija_are_dropped() -> None:
    assert tokens("comment faire pour le passeport") == tokens("passeport")
    assert tokens("كيفاش ديال الباسبور") == tokens("الباسبور")
    assert tokens("kifach ndir lpermis") == tokens("permis")


def test_folding_keeps_arabic_letters_and_lowers_latin() -> None:
    assert fold("Élève ÇA") == "eleve ca"
    assert fold("أمن") == "امن"


def test_a_highlighted_word_maps_to_its_index_term() -> None:
    assert term_of("Passeports") == tokens("passeport")[0]
    assert term_of("l'acte") == ""  # two words: not one term


def test_slugs_are_readable_ascii_cut_at_a_word() -> None:
    slug = slugify("Demande de la carte nationale d'identité électronique (première demande)")
    assert slug == "demande-de-la-carte-nationale-identite-electronique-premiere-demande"
    assert len(slugify("mot " * 50)) <= 80
    assert slugify("طلب") == "service"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("permis", "permis", 0), ("permis", "permi", 1), ("judicaire", "judiciaire", 1),
     ("casier", "caiser", 1), ("abc", "xyz", 3)],
)  # fmt: skip
def test_edit_distance_counts_transpositions_as_one(a: str, b: str, distance: int) -> None:
    assert damerau_levenshtein(a, b, 3) == distance


def test_edit_distance_gives_up_past_its_limit() -> None:
    assert damerau_levenshtein("passeport", "certificat", 2) == 3
