"""Import contracts (import-linter) and the code-layout rules of DESIGN.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import idara

PACKAGE = Path(idara.__file__).parent
ROOT = PACKAGE.parent.parent


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_no_source_file_passes_four_hundred_lines() -> None:
    long_files = {
        str(path.relative_to(PACKAGE)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long_files == {}


def test_nothing_reads_the_environment_at_import_time_outside_settings() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if line and not line[0].isspace() and "os.environ" in line:
                offenders.append(f"{path.name}:{number}")
    assert offenders == []
