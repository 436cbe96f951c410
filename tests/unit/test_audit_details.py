"""The audit service refuses secrets before anything reaches the database."""

from __future__ import annotations

from typing import Any

import pytest

from idara.audit.service import SecretInAuditError, _check_details

JWT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    "details",
    [
        {"pin": "1234"},
        {"new_PIN": "1234"},
        {"access_token": "abc"},
        {"client": {"client_secret": "s"}},
        {"note": JWT},
        {"items": [JWT]},
        {"items": [{"password": "p"}]},
        {"code_verifier": "v"},
    ],
)
def test_secrets_and_tokens_are_refused(details: dict[str, Any]) -> None:
    with pytest.raises(SecretInAuditError):
        _check_details(details)


def test_ordinary_details_are_accepted() -> None:
    _check_details({"method": "card", "attempts_left": 2, "claims": ["name", "birthdate"]})
