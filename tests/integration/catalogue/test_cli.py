"""`idara catalogue ...` as an operator runs it: import with a report, administrators, exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idara.catalogue.sample import sample_dir
from idara.cli import app
from tests.catalogue_support import minimal_record

runner = CliRunner()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    # Development: other domains' production-only secrets are not this file's subject.
    monkeypatch.setenv("IDARA_ENV", "development")
    monkeypatch.setenv("IDARA_PUBLIC_ORIGIN", "https://idara.test")
    monkeypatch.setenv("IDARA_WEB__SECRET_KEY", "s" * 40)
    monkeypatch.setenv("IDARA_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("IDARA_DB__URL", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return tmp_path


def test_import_reports_counts_and_is_idempotent(env: Path) -> None:
    first = runner.invoke(app, ["catalogue", "import", str(sample_dir())])
    assert first.exit_code == 0, first.output
    assert (
        "records accepted: 286 (CIV 38, EDU 38, ENT 36, FIN 38, JUS 34, LOC 31, SOC 36, TRA 35)"
        in first.output
    )
    assert "changes: created: 286" in first.output
    again = runner.invoke(app, ["catalogue", "import", str(sample_dir())])
    assert "changes: unchanged: 286" in again.output


def test_import_lists_each_invalid_record_and_exits_non_zero(env: Path) -> None:
    bad = minimal_record("TST-0002", digitization_level=9)
    path = env / "export.json"
    path.write_text(json.dumps([minimal_record(), bad]), encoding="utf-8")
    result = runner.invoke(app, ["catalogue", "import", str(path)])
    assert result.exit_code == 1
    assert "export.json: TST-0002: digitization_level:" in result.output
    assert "records accepted: 1" in result.output


def test_an_administrator_is_created_with_a_password_from_standard_input(env: Path) -> None:
    created = runner.invoke(
        app,
        ["catalogue", "admin", "add", "fatima", "--name", "Fatima Z.", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert created.exit_code == 0, created.output
    refused = runner.invoke(
        app,
        ["catalogue", "admin", "add", "omar", "--name", "Omar", "--password-stdin"],
        input="short\n",
    )
    assert refused.exit_code == 2 and "at least 12 characters" in refused.output
    listed = runner.invoke(app, ["catalogue", "admin", "list"]).output
    assert "fatima" in listed and "active" in listed
    assert runner.invoke(app, ["catalogue", "admin", "disable", "fatima"]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["catalogue", "admin", "list"]).output


def test_exports_write_open_data_files(env: Path) -> None:
    runner.invoke(app, ["catalogue", "import", str(sample_dir())])
    result = runner.invoke(app, ["catalogue", "export", "jsonld", "-o", str(env / "c.jsonld")])
    assert result.exit_code == 0, result.output
    graph = json.loads((env / "c.jsonld").read_text(encoding="utf-8"))["@graph"]
    assert sum(node["@type"] == "cpsv:PublicService" for node in graph) == 286
    runner.invoke(app, ["catalogue", "export", "law-55-19", "-o", str(env / "law.csv")])
    assert "delay_exceeded" in (env / "law.csv").read_text(encoding="utf-8")
