"""`idara trust`: onboarding relying parties and rotating keys from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from joserfc.jwk import ECKey
from typer.testing import CliRunner

from idara.cli import app

runner = CliRunner()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IDARA_ENV", "development")
    monkeypatch.setenv("IDARA_PUBLIC_ORIGIN", "https://idara.test")
    monkeypatch.setenv("IDARA_WEB__SECRET_KEY", "s" * 40)
    monkeypatch.setenv("IDARA_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("IDARA_TRUST__KEY_KDF_ITERATIONS", "1000")
    monkeypatch.delenv("IDARA_DB__URL", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return tmp_path


def _registration(folder: Path) -> Path:
    spec = {
        "client_id": "cnss-prestations",
        "name_fr": "Prestations sociales",
        "name_ar": "الخدمات الاجتماعية",
        "organisation_fr": "Caisse nationale de sécurité sociale",
        "organisation_ar": "الصندوق الوطني للضمان الاجتماعي",
        "purpose_fr": "Vérifier l'identité de l'assuré",
        "purpose_ar": "التحقق من هوية المؤمن",
        "legal_basis_fr": "Dahir 1-72-184",
        "legal_basis_ar": "الظهير 1-72-184",
        "redirect_uris": ["https://cnss.example/cb"],
        "scopes": ["openid", "profile", "card"],
        "allowed_claims": ["cin"],
    }
    (folder / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    jwks = {"keys": [ECKey.generate_key("P-256", auto_kid=True).as_dict(private=False)]}
    (folder / "jwks.json").write_text(json.dumps(jwks), encoding="utf-8")
    return folder / "spec.json"


def test_a_client_is_added_listed_shown_and_suspended(env: Path) -> None:
    spec = _registration(env)
    added = runner.invoke(
        app,
        [
            "trust",
            "client",
            "add",
            "--file",
            str(spec),
            "--jwks-file",
            str(env / "jwks.json"),
            "--json",
        ],
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["allowed_claims"] == ["cin"]
    listed = runner.invoke(app, ["trust", "client", "list"])
    assert "cnss-prestations" in listed.output and "active" in listed.output
    assert runner.invoke(app, ["trust", "client", "suspend", "cnss-prestations"]).exit_code == 0
    shown = runner.invoke(app, ["trust", "client", "show", "cnss-prestations", "--json"])
    assert json.loads(shown.output)["status"] == "suspended"
    again = runner.invoke(
        app, ["trust", "client", "add", "--file", str(spec), "--jwks-file", str(env / "jwks.json")]
    )
    assert again.exit_code == 1


def test_an_invalid_registration_is_explained_without_a_traceback(env: Path) -> None:
    spec = _registration(env)  # no jwks given for private_key_jwt
    result = runner.invoke(app, ["trust", "client", "add", "--file", str(spec)])
    assert result.exit_code == 2 and "jwks" in result.output and "Traceback" not in result.output


def test_rotate_keys_promotes_the_published_next_key(env: Path) -> None:
    before = json.loads(runner.invoke(app, ["trust", "keys", "--json"]).output)
    upcoming = next(k["kid"] for k in before if k["status"] == "next")
    rotated = runner.invoke(app, ["trust", "rotate-keys"])
    assert rotated.exit_code == 0 and f"current {upcoming}" in rotated.output
    after = {
        k["kid"]: k["status"]
        for k in json.loads(runner.invoke(app, ["trust", "keys", "--json"]).output)
    }
    assert after[upcoming] == "current" and list(after.values()).count("retired") == 1
