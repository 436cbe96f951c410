"""The idara command as an operator uses it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idara import migrate
from idara.cli import app

runner = CliRunner()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    # Development: production-only secrets of every domain are not this file's subject.
    monkeypatch.setenv("IDARA_ENV", "development")
    monkeypatch.setenv("IDARA_PUBLIC_ORIGIN", "https://idara.test")
    monkeypatch.setenv("IDARA_WEB__SECRET_KEY", "s" * 40)
    monkeypatch.setenv("IDARA_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("IDARA_DB__URL", raising=False)
    return tmp_path


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "serve", "check", "db"):
        assert command in result.output


def test_check_fails_on_an_unmigrated_database_then_passes(env: Path) -> None:
    result = runner.invoke(app, ["check", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["schema_up_to_date"] is False
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["check", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["healthy"] is True and report["database_reachable"] is True


def test_db_current_and_downgrade(env: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    output = runner.invoke(app, ["db", "current"]).output
    assert f"current: {migrate.heads()[0]}" in output
    result = runner.invoke(app, ["db", "downgrade", "base"])
    assert result.exit_code == 0 and "base" in result.output


def test_a_wrong_setting_is_reported_by_name_without_a_traceback(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDARA_ENV", "production")
    monkeypatch.setenv("IDARA_PUBLIC_ORIGIN", "http://idara.gov.ma")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "IDARA_PUBLIC_ORIGIN='http://idara.gov.ma' must use https://" in result.output
    assert "Traceback" not in result.output


def test_check_never_prints_the_database_password(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDARA_DB__URL", "postgresql+psycopg://idara:hunter2@127.0.0.1:1/idara")
    result = runner.invoke(app, ["check"])
    assert "hunter2" not in result.output and result.exit_code == 1


def test_demo_refuses_to_run_outside_development(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDARA_ENV", "production")
    result = runner.invoke(app, ["demo", "--no-serve"])
    assert result.exit_code == 2 and "IDARA_ENV=development" in result.output


def test_demo_prepares_the_data_directory_and_prints_the_urls(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IDARA_PUBLIC_ORIGIN")
    result = runner.invoke(app, ["demo", "--no-serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8765/fr/" in result.output
    assert "http://127.0.0.1:8765/ar/" in result.output
    assert (env / "var" / "idara.db").exists()


def test_demo_signs_with_a_random_secret_kept_in_its_data_directory(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IDARA_PUBLIC_ORIGIN")
    monkeypatch.delenv("IDARA_WEB__SECRET_KEY")
    assert runner.invoke(app, ["demo", "--no-serve"]).exit_code == 0
    secret = (env / "var" / "secret_key").read_text()
    assert len(secret) >= 48
    assert (env / "var" / "secret_key").stat().st_mode & 0o077 == 0
    assert runner.invoke(app, ["demo", "--no-serve"]).exit_code == 0
    assert (env / "var" / "secret_key").read_text() == secret
    assert "IDARA_WEB__SECRET_KEY" not in os.environ  # nothing leaks into the environment
