"""The Web eID token parser: strict, bounded, and never fails with anything but a TokenError."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idara.identity import webeid

VALID = {
    "unverifiedCertificate": base64.b64encode(b"cert").decode(),
    "algorithm": "ES256",
    "signature": base64.b64encode(b"s" * 64).decode(),
    "format": "web-eid:1.0",
    "appVersion": "https://example.org/app/1.0",
}
CODES = {
    "card_token_malformed",
    "card_token_too_large",
    "card_token_format",
    "card_token_algorithm",
}
# Flat values, half of them taken from a valid token, so that valid tokens appear too.
json_values = (
    st.sampled_from(list(VALID.values()))
    | st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.lists(st.text(max_size=5), max_size=3)
)


def outcome(raw: bytes | str) -> str:
    """The error code of a refused token, or "ok"."""
    try:
        webeid.parse_token(raw)
    except webeid.TokenError as exc:
        return exc.code
    return "ok"


def test_a_well_formed_token_is_parsed() -> None:
    token = webeid.parse_token(json.dumps(VALID))
    assert (token.certificate, token.algorithm, token.signature) == (b"cert", "ES256", b"s" * 64)


@given(st.binary(max_size=2000))
@settings(max_examples=300)
def test_any_bytes_give_a_token_or_a_token_error(raw: bytes) -> None:
    assert outcome(raw) in CODES | {"ok"}


@given(st.dictionaries(st.sampled_from([*sorted(VALID), "nonce", "x"]), json_values, max_size=7))
@settings(max_examples=300)
def test_any_json_object_gives_a_token_or_a_token_error(body: dict[str, object]) -> None:
    result = outcome(json.dumps(body))
    assert result in CODES | {"ok"}
    if result == "ok":
        assert body["algorithm"] == "ES256" and body["format"] in webeid.FORMATS


@given(st.text(max_size=30).filter(lambda alg: alg != "ES256"))
def test_every_algorithm_but_es256_is_refused(alg: str) -> None:
    with pytest.raises(webeid.TokenError) as caught:
        webeid.parse_token(json.dumps({**VALID, "algorithm": alg}))
    assert caught.value.code == "card_token_algorithm"


@given(st.binary(min_size=1, max_size=300), st.binary(min_size=1, max_size=80))
def test_any_base64_content_round_trips(certificate: bytes, signature: bytes) -> None:
    body = {
        **VALID,
        "unverifiedCertificate": base64.b64encode(certificate).decode(),
        "signature": base64.b64encode(signature).decode(),
    }
    token = webeid.parse_token(json.dumps(body))
    assert (token.certificate, token.signature) == (certificate, signature)


@given(st.integers(min_value=webeid.MAX_TOKEN_BYTES + 1, max_value=4 * webeid.MAX_TOKEN_BYTES))
@settings(max_examples=20)
def test_anything_above_the_size_limit_is_refused_before_parsing(size: int) -> None:
    with pytest.raises(webeid.TokenError) as caught:
        webeid.parse_token(b" " * size)
    assert caught.value.code == "card_token_too_large"


def test_deeply_nested_json_is_refused_not_crashed() -> None:
    with pytest.raises(webeid.TokenError) as caught:
        webeid.parse_token(b"[" * 4000 + b"]" * 4000)
    assert caught.value.code in {"card_token_malformed", "card_token_too_large"}


def test_the_signed_data_is_the_two_sha256_digests_concatenated() -> None:
    import hashlib

    data = webeid.signed_data("https://idara.test", hashlib.sha256(b"n").digest())
    assert data == hashlib.sha256(b"https://idara.test").digest() + hashlib.sha256(b"n").digest()


def test_a_format_that_is_not_a_string_is_refused_not_crashed() -> None:
    # Found by the property test above: a list is not hashable.
    assert outcome(json.dumps({**VALID, "format": []})) == "card_token_format"
