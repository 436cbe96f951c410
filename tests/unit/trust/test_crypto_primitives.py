"""PKCE (RFC 7636), JOSE allow-lists and thumbprints (RFC 7515, 7638), DPoP nonces (RFC 9449)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from idara.settings import TrustSettings
from idara.trust import dpop, jose, pkce


def test_the_s256_challenge_matches_the_rfc_7636_appendix_b_example() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce.s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert pkce.verify(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")


@pytest.mark.parametrize(
    ("challenge", "method"),
    [
        ("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "plain"),
        ("short", "S256"),
        (None, "S256"),
        ("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", None),
    ],
)
def test_only_a_well_formed_s256_challenge_is_accepted(
    challenge: str | None, method: str | None
) -> None:
    assert not pkce.challenge_is_valid(challenge, method)


@pytest.mark.parametrize("verifier", [None, "", "a" * 42, "a" * 129, "é" * 50])
def test_a_malformed_verifier_never_matches(verifier: str | None) -> None:
    assert not pkce.verify(verifier, pkce.s256("a" * 43))


def test_the_jwk_thumbprint_matches_the_rfc_7638_example() -> None:
    jwk = {
        "kty": "RSA",
        "n": (
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1"
            "L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4"
            "QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbO"
            "pbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csF"
            "Cur-kEgU8awapJzKnqDKgw"
        ),
        "e": "AQAB",
    }
    assert jose.thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def _unsigned(header: dict[str, object], claims: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def test_alg_none_is_refused_whatever_the_token_says() -> None:
    key = ECKey.generate_key("P-256")
    with pytest.raises(jose.JoseError, match="not allowed"):
        jose.verify(_unsigned({"alg": "none"}, {"a": 1}), keys=key, algorithms=jose.CLIENT_ALGS)
    with pytest.raises(ValueError, match="never"):
        jose.verify("x.y.z", keys=key, algorithms=["none"])


def test_a_token_signed_with_an_algorithm_outside_the_list_is_refused() -> None:
    key = RSAKey.generate_key(2048)
    token = jwt.encode({"alg": "RS256"}, {"a": 1}, key, algorithms=["RS256"])
    with pytest.raises(jose.JoseError):
        jose.verify(token, keys=key, algorithms=jose.CLIENT_ALGS)


def test_a_hmac_token_made_with_the_public_key_as_secret_is_refused() -> None:
    key = ECKey.generate_key("P-256")
    forged = _unsigned({"alg": "HS256"}, {"a": 1}) + "c2ln"
    with pytest.raises(jose.JoseError):
        jose.verify(forged, keys=key, algorithms=jose.CLIENT_ALGS)


def test_private_and_weak_keys_are_not_accepted_as_client_keys() -> None:
    with pytest.raises(jose.JoseError, match="private"):
        jose.import_public(ECKey.generate_key("P-256").as_dict(private=True))
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    numbers = weak.public_numbers()
    n = base64.urlsafe_b64encode(numbers.n.to_bytes(128, "big")).rstrip(b"=").decode()
    with pytest.raises(jose.JoseError, match="2048"):
        jose.import_public({"kty": "RSA", "n": n, "e": "AQAB"})
    with pytest.raises(jose.JoseError):
        jose.import_public({"kty": "oct", "k": "c2VjcmV0"})


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c.d", "!!!.###.$$$", "x" * 20_000])
def test_malformed_tokens_are_refused_cleanly(token: str) -> None:
    with pytest.raises(jose.JoseError):
        jose.peek(token)


def test_dpop_nonces_are_valid_for_two_windows_then_refused() -> None:
    settings = TrustSettings(dpop_nonce_window_s=300)
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    issued = dpop.nonce(settings, now)
    assert dpop.nonce_is_valid(settings, issued, now + timedelta(seconds=299))
    assert dpop.nonce_is_valid(settings, issued, now + timedelta(seconds=300))
    assert not dpop.nonce_is_valid(settings, issued, now + timedelta(seconds=700))
    assert not dpop.nonce_is_valid(settings, "forged", now)


def test_dpop_htu_comparison_ignores_case_of_scheme_and_host_and_the_query() -> None:
    assert (
        dpop.normalise_htu("HTTPS://Idara.TEST/oidc/token?x=1#f") == "https://idara.test/oidc/token"
    )
    assert dpop.normalise_htu("https://idara.test/oidc/Token") != "https://idara.test/oidc/token"
