"""Reading the ministry's export: every record validated, each error located precisely.

A malformed record never stops the import: it is reported with its file, its id and the
field at fault, and the valid records go on (SCHEMA.md, "without losing the valid records").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from idara.catalogue.schemas import SERVICE_ID, ServiceRecord, field_path


@dataclass(frozen=True, slots=True)
class RecordError:
    """One problem: where (file, record, field) and what."""

    file: str
    record_id: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record_id}: {self.field}: {self.message}"


@dataclass(slots=True)
class ParsedExport:
    """The valid records found, with the file each came from, and every error."""

    records: list[tuple[str, ServiceRecord]] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def export_files(paths: Iterable[Path]) -> list[Path]:
    """The JSON files named, or found in the folders named (and their procedures/ folder)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inner = path / "procedures"
            found.extend(sorted((inner if inner.is_dir() else path).glob("*.json")))
        else:
            found.append(path)
    return found


def _record_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and SERVICE_ID.match(raw["id"]):
        return str(raw["id"])
    return f"record #{index + 1}"


def _message(error: Any) -> str:
    text = str(error.get("msg", "invalid"))
    return text.removeprefix("Value error, ")


def parse_text(text: str, name: str, export: ParsedExport, seen: dict[str, str]) -> None:
    """Validate the records of one file's content into the export (pure, no I/O)."""
    export.files.append(name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        export.errors.append(
            RecordError(name, "(file)", "(json)", f"not valid JSON: {exc.msg} at line {exc.lineno}")
        )
        return
    if not isinstance(data, list):
        export.errors.append(
            RecordError(name, "(file)", "(json)", "the file must hold a JSON array of records")
        )
        return
    for index, raw in enumerate(data):
        label = _record_label(raw, index)
        if not isinstance(raw, dict):
            export.errors.append(RecordError(name, label, "(record)", "a record must be an object"))
            continue
        try:
            record = ServiceRecord.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                where = field_path(tuple(error["loc"]))
                export.errors.append(RecordError(name, label, where, _message(error)))
            continue
        if record.id in seen:
            export.errors.append(
                RecordError(name, record.id, "id", f"this id is already used in {seen[record.id]}")
            )
            continue
        seen[record.id] = name
        export.records.append((Path(name).stem, record))


def read_export(paths: Iterable[Path]) -> ParsedExport:
    """Read and validate every file; never raises for bad content."""
    export = ParsedExport()
    seen: dict[str, str] = {}
    for path in export_files(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            export.files.append(path.name)
            export.errors.append(
                RecordError(path.name, "(file)", "(file)", f"cannot be read: {exc}")
            )
            continue
        parse_text(text, path.name, export, seen)
    return export
