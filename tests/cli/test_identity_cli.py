"""`idara identity`, `idara card` as an operator and a card holder use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idara.cli import app
from idara.identity import card_crypto

runner = CliRunner()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "IDARA_ENV": "test",
        "IDARA_PUBLIC_ORIGIN": "https://idara.test",
        "IDARA_WEB__SECRET_KEY": "s" * 40,
        "IDARA_DATA_DIR": str(tmp_path / "var"),
        "IDARA_IDENTITY__CA_PASSPHRASE": "c" * 24,
        "IDARA_IDENTITY__PIN_KDF_ITERATIONS": "1000",
        "IDARA_IDENTITY__SMS__BACKEND": "http",
        "IDARA_IDENTITY__SMS__URL": "https://sms.invalid/",
        "IDARA_TRUST__KEY_PASSPHRASE": "k" * 24,
        "IDARA_TRUST__SUBJECT_SECRET": "x" * 24,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("IDARA_DB__URL", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return tmp_path


def test_generate_list_and_show_print_the_same_deterministic_persons(env: Path) -> None:
    result = runner.invoke(app, ["identity", "generate", "--count", "30", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "30 / 30 persons" in result.output and "Added 30 persons" in result.output
    listed = json.loads(runner.invoke(app, ["identity", "list", "--limit", "5", "--json"]).output)
    assert len(listed) == 5 and listed[0]["places"]["region"]
    shown = json.loads(runner.invoke(app, ["identity", "show", listed[2]["cin"], "--json"]).output)
    assert shown["first_name_ar"] == listed[2]["first_name_ar"]
    assert runner.invoke(app, ["identity", "show", "ZZ000000"]).exit_code == 1


def test_a_card_is_issued_signs_counts_wrong_pins_and_is_unblocked_with_the_puk(env: Path) -> None:
    runner.invoke(app, ["identity", "generate", "--count", "5"])
    person = json.loads(runner.invoke(app, ["identity", "list", "--json"]).output)[0]
    card = env / "card.json"
    issued = runner.invoke(app, ["card", "issue", "--cin", person["cin"], "--out", str(card),
                                 "--pin", "1234", "--puk", "12345678"])  # fmt: skip
    assert issued.exit_code == 0, issued.output
    sign = ["card", "sign", "--card", str(card), "--origin", "https://idara.test", "--nonce", "n"]
    token = json.loads(runner.invoke(app, [*sign, "--pin", "1234"]).output)
    assert token["format"] == "web-eid:1.0" and token["algorithm"] == "ES256"
    for left in ("2", "1"):
        wrong = runner.invoke(app, [*sign, "--pin", "0000"])
        assert wrong.exit_code == 1 and f"{left} tries left" in wrong.output
    assert "blocked" in runner.invoke(app, [*sign, "--pin", "0000"]).output
    assert card_crypto.read_card(card)["pin_tries_left"] == 0
    assert "blocked" in runner.invoke(app, [*sign, "--pin", "1234"]).output
    assert (
        runner.invoke(app, ["card", "unblock", "--card", str(card), "--puk", "00000000"]).exit_code
        == 1
    )
    unblocked = runner.invoke(app, ["card", "unblock", "--card", str(card), "--puk", "12345678"])
    assert unblocked.exit_code == 0 and card_crypto.read_card(card)["pin_tries_left"] == 3
    status = runner.invoke(app, ["card", "status", "--card", str(card)]).output
    assert "certificate good" in status and "not blocked" in status
    revoked = runner.invoke(app, ["card", "revoke", "--cin", person["cin"]])
    assert "1 card(s) revoked" in revoked.output
    assert (
        "certificate revoked" in runner.invoke(app, ["card", "status", "--card", str(card)]).output
    )
