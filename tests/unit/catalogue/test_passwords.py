"""Administrator passwords: scrypt hashes that verify, and refuse everything else."""

from __future__ import annotations

import pytest

from idara.catalogue.accounts import (
    AccountError,
    check_password_strength,
    hash_password,
    verify_password,
)


def test_a_password_verifies_against_its_own_hash_only() -> None:
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$32768$8$1$")
    assert verify_password(stored, "correct horse battery staple")
    assert not verify_password(stored, "correct horse battery stapl")


def test_two_hashes_of_one_password_differ_by_their_salt() -> None:
    assert hash_password("same password here") != hash_password("same password here")


@pytest.mark.parametrize("stored", ["", "plain", "bcrypt$x$y$z$a$b", "scrypt$a$b$c$d$e"])
def test_a_malformed_hash_never_verifies(stored: str) -> None:
    assert not verify_password(stored, "anything at all")


@pytest.mark.parametrize("password", ["short", "my-name-is-fatima-ok"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(AccountError):
        check_password_strength(password, "fatima")
