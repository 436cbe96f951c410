"""Field-by-field differences between two versions of a record, for the ministry's review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One leaf value that differs: its path (documents[2].fr), before and after."""

    path: str
    before: Any
    after: Any

    @property
    def section(self) -> str:
        """The top-level field the change belongs to (documents, title...)."""
        return self.path.split(".")[0].split("[")[0]


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value and path:
            out[path] = value
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list):
        if not value:
            out[path] = []
        for index, item in enumerate(value):
            _flatten(item, f"{path}[{index}]", out)
    else:
        out[path] = value


def diff_records(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldChange]:
    """Every leaf that was added, removed or changed, in the order of the record's fields."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    _flatten(before or {}, "", old)
    _flatten(after, "", new)
    paths = list(new) + [p for p in old if p not in new]
    return [
        FieldChange(path, old.get(path), new.get(path))
        for path in paths
        if old.get(path) != new.get(path)
    ]
