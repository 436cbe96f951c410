"""The virtual card file: three wrong PINs block it, the PUK unblocks it, boxes are bound."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idara.identity import card_crypto, sealing
from idara.settings import Settings

PIN, PUK = "4321", "87654321"


@pytest.fixture
def card() -> dict[str, object]:
    key = card_crypto.CardKey.generate()
    return card_crypto.new_card(
        key, card_number="C000000001", cin="BE123456", certificate=b"cert-der", chain=[],
        pin=PIN, puk=PUK, iterations=1000,
    )  # fmt: skip


def test_the_right_pin_unlocks_a_key_that_signs_64_byte_raw_signatures(card: dict) -> None:
    key = card_crypto.unlock(card, PIN)
    assert len(key.sign_raw(b"data")) == 64


def test_each_wrong_pin_counts_down_and_the_third_blocks_the_card(card: dict) -> None:
    for left in (2, 1):
        with pytest.raises(card_crypto.WrongPinError) as caught:
            card_crypto.unlock(card, "0000")
        assert caught.value.tries_left == left == card["pin_tries_left"]
    with pytest.raises(card_crypto.CardBlockedError):
        card_crypto.unlock(card, "0000")
    assert card["pin_tries_left"] == 0
    with pytest.raises(card_crypto.CardBlockedError):
        card_crypto.unlock(card, PIN)  # even the right PIN, as on a chip


def test_a_right_pin_resets_the_counter(card: dict) -> None:
    with pytest.raises(card_crypto.WrongPinError):
        card_crypto.unlock(card, "0000")
    card_crypto.unlock(card, PIN)
    assert card["pin_tries_left"] == card_crypto.PIN_TRIES


def test_the_puk_unblocks_the_card_and_can_set_a_new_pin(card: dict) -> None:
    card["pin_tries_left"] = 0
    card_crypto.unblock(card, PUK, new_pin="5555", iterations=1000)
    assert card["pin_tries_left"] == 3
    card_crypto.unlock(card, "5555")
    with pytest.raises(card_crypto.WrongPinError):
        card_crypto.unlock(card, PIN)


def test_a_wrong_puk_unblocks_nothing(card: dict) -> None:
    card["pin_tries_left"] = 0
    with pytest.raises(card_crypto.WrongPinError):
        card_crypto.unblock(card, "00000000", new_pin=None, iterations=1000)
    assert card["pin_tries_left"] == 0


def test_a_sealed_key_moved_to_another_card_does_not_open(card: dict) -> None:
    other = dict(card, card_number="C000000002")
    with pytest.raises(card_crypto.WrongPinError):
        card_crypto.unlock(other, PIN)


def test_the_file_never_holds_the_pin_puk_or_key_in_clear(card: dict, tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    card_crypto.write_card(path, card)
    text = path.read_text()
    assert PIN not in text and PUK not in text and "PRIVATE KEY" not in text
    assert path.stat().st_mode & 0o777 == 0o600
    assert card_crypto.read_card(path)["cin"] == "BE123456"


@pytest.mark.parametrize("raw", [b"", b"{}", b"[]", b'{"format": "other"}', b"x" * 70_000])
def test_something_else_than_a_card_file_is_refused(raw: bytes) -> None:
    with pytest.raises(card_crypto.CardFileError):
        card_crypto.parse_card(raw)


@pytest.mark.parametrize(("pin", "puk"), [("12", PUK), ("abcd", PUK), (PIN, "123")])
def test_pins_and_puks_have_their_digit_counts(pin: str, puk: str) -> None:
    with pytest.raises(ValueError, match="digits"):
        card_crypto.new_card(
            card_crypto.CardKey.generate(),
            card_number="C1",
            cin="A1",
            certificate=b"c",
            chain=[],
            pin=pin,
            puk=puk,
            iterations=1000,
        )


def test_a_box_claiming_an_absurd_cost_is_refused_before_any_work(card: dict) -> None:
    box = json.loads(json.dumps(card["key_pin"]))
    box["iterations"] = 10**12
    with pytest.raises(sealing.MalformedBoxError):
        sealing.open_box(PIN.encode(), box, aad=b"x")


def test_the_default_pin_key_derivation_cost_is_owasp_high() -> None:
    assert Settings.model_fields["identity"].default.pin_kdf_iterations >= 600_000
