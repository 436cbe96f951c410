"""Language negotiation and the message catalogues."""

from __future__ import annotations

import pytest

from idara.i18n import language, negotiate, parse_accept_language, translate
from idara.web.locale import switch_url
from idara.web.pages import local_path

OFFERED = ("fr", "ar")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar-MA,ar;q=0.9,fr;q=0.8", ["ar", "ar", "fr"]),
        ("fr;q=0.2, ar;q=0.9", ["ar", "fr"]),
        ("en;q=0, fr", ["fr"]),
        ("de;q=abc, ar", ["ar"]),
        ("", []),
        (None, []),
    ],
)
def test_accept_language_is_parsed_best_first(header: str | None, expected: list[str]) -> None:
    assert parse_accept_language(header) == expected


def test_unknown_language_codes_fall_back_to_the_default() -> None:
    assert negotiate(["en", "xx", None], OFFERED, "fr") == "fr"
    assert negotiate(["en", "AR"], OFFERED, "fr") == "ar"


def test_arabic_is_right_to_left_and_french_left_to_right() -> None:
    assert language("ar").direction == "rtl"
    assert language("fr").direction == "ltr"
    assert language("ar").native_name == "العربية"


def test_messages_are_translated_with_their_placeholders() -> None:
    assert translate("fr", "Page not found") == "Page introuvable"
    assert translate("ar", "Page not found") == "الصفحة غير موجودة"
    assert "2048" in translate(
        "ar", "What you sent is larger than the %(limit)s bytes this service accepts.", limit=2048
    )


def test_switching_language_keeps_the_page_and_its_query() -> None:
    assert switch_url("/fr/services/CIV-0001", "q=bac", "fr", "ar", OFFERED) == (
        "/ar/services/CIV-0001?q=bac"
    )
    assert switch_url("/fr/", "", "fr", "ar", OFFERED) == "/ar/"


def test_switching_language_on_an_unprefixed_page_uses_the_lang_parameter() -> None:
    assert switch_url("/auth/login", "next=%2F&lang=fr", "fr", "ar", OFFERED) == (
        "/auth/login?next=%2F&lang=ar"
    )


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/fr/me\r\nSet-Cookie: x",
        "",
        None,
    ],
)
def test_only_paths_on_this_site_are_accepted_as_next_pages(value: str | None) -> None:
    assert local_path(value) is None


def test_a_local_page_with_its_query_is_accepted_as_next_page() -> None:
    assert local_path("/ar/me/shared?page=2") == "/ar/me/shared?page=2"
