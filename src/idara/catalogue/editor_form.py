"""The ministry's edit form: a record to form fields and back, with errors placed on fields.

The form works without JavaScript: every list (documents, steps, fees, channels, laws)
shows its rows plus a few blank ones; blank rows are ignored when the form is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.vocabulary import ALIAS_KINDS
from idara.web.errors import N_

EXTRA_ROWS = 2
MAX_ROWS = 30
STEP_ROWS = 6
LISTS: dict[str, tuple[str, ...]] = {
    "documents": ("fr", "ar", "evidence_type", "condition_fr", "condition_ar"),
    "steps": ("fr", "ar"),
    "fees": ("amount", "label_fr", "label_ar"),
    "channels": ("kind", "fr", "ar", "url"),
    "legal": ("ref", "fr", "ar"),
}
_RECORD_LIST = {
    "documents": "documents",
    "steps": "steps",
    "fees": "fees",
    "channels": "channels",
    "legal_basis": "legal",
}
_LOCALIZED = ("theme", "title", "description", "eligibility", "output", "validity")

ERROR_MESSAGES = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "too_short": N_("Add at least %(min)s."),
    "too_long": N_("At most %(max)s are allowed."),
    "string_too_long": N_("This text is too long."),
    "string_pattern_mismatch": N_("This value does not have the expected form."),
    "greater_than_equal": N_("The value must be at least %(ge)s."),
    "less_than_equal": N_("The value must be at most %(le)s."),
    "int_parsing": N_("Enter a whole number."),
    "decimal_parsing": N_("Enter an amount, such as 75 or 12.50."),
    "literal_error": N_("Choose one of the proposed values."),
}


@dataclass(slots=True)
class FormState:
    """Values to show in the form and errors by field name (plus a summary in order)."""

    values: dict[str, Any]
    rows: dict[str, int]
    errors: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)

    def add_error(self, name: str, message: str, params: dict[str, Any] | None = None) -> None:
        """Attach a (translatable) message to a field."""
        self.errors.setdefault(name, []).append((message, params or {}))


def to_values(record: dict[str, Any]) -> dict[str, Any]:
    """Form values for a record in the export format."""
    values: dict[str, Any] = {
        "id": record["id"],
        "priority": record["priority"],
        "audience": list(record["audience"]),
        "life_events": list(record["life_events"]),
        "administration_code": record["administration"]["code"],
        "administration_fr": record["administration"]["fr"],
        "administration_ar": record["administration"]["ar"],
        "delay_days": record["delay"]["days"],
        "delay_text_fr": record["delay"]["text"]["fr"],
        "delay_text_ar": record["delay"]["text"]["ar"],
        "digitization_level": record["digitization_level"],
        "trips_before": record["trips_before"],
        "dp_status": record["data_protection"]["status"],
        "cndp_ref": record["data_protection"]["cndp_ref"] or "",
    }
    for name in _LOCALIZED:
        text = record.get(name) or {"fr": "", "ar": ""}
        values[f"{name}_fr"], values[f"{name}_ar"] = text["fr"], text["ar"]
    for kind in ALIAS_KINDS:
        values[f"aliases_{kind}"] = "\n".join(record["aliases"].get(kind, []))
    for i, d in enumerate(record["documents"]):
        condition = d["condition"] or {"fr": "", "ar": ""}
        values.update(
            {
                f"documents-{i}-fr": d["fr"],
                f"documents-{i}-ar": d["ar"],
                f"documents-{i}-evidence_type": d["evidence_type"] or "",
                f"documents-{i}-condition_fr": condition["fr"],
                f"documents-{i}-condition_ar": condition["ar"],
            }
        )
    for i, s in enumerate(record["steps"]):
        values.update({f"steps-{i}-fr": s["fr"], f"steps-{i}-ar": s["ar"]})
    for i, f in enumerate(record["fees"]):
        values.update(
            {
                f"fees-{i}-amount": str(f["amount_mad"]),
                f"fees-{i}-label_fr": f["label"]["fr"],
                f"fees-{i}-label_ar": f["label"]["ar"],
            }
        )
    for i, c in enumerate(record["channels"]):
        values.update(
            {
                f"channels-{i}-kind": c["kind"],
                f"channels-{i}-fr": c["fr"],
                f"channels-{i}-ar": c["ar"],
                f"channels-{i}-url": c.get("url") or "",
            }
        )
    for i, law in enumerate(record["legal_basis"]):
        values.update(
            {f"legal-{i}-ref": law["ref"], f"legal-{i}-fr": law["fr"], f"legal-{i}-ar": law["ar"]}
        )
    return values


def row_counts(values: dict[str, Any]) -> dict[str, int]:
    """How many rows each list shows: its filled rows and a few blank ones."""
    counts = {}
    for name, columns in LISTS.items():
        filled = [
            int(m.group(1))
            for key in values
            if (m := re.match(rf"^{name}-(\d+)-", key))
            and any(values.get(f"{name}-{m.group(1)}-{c}") for c in columns)
        ]
        used = max(filled, default=-1) + 1
        counts[name] = STEP_ROWS if name == "steps" else min(MAX_ROWS, used + EXTRA_ROWS)
    return counts


def _text(form: dict[str, Any], name: str) -> str:
    return str(form.get(name, "")).strip()


def _rows(form: dict[str, Any], name: str) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for i in range(MAX_ROWS):
        row = {c: _text(form, f"{name}-{i}-{c}") for c in LISTS[name]}
        if any(v for k, v in row.items() if k != "kind"):
            rows.append((i, row))
    return rows


def _number(value: str) -> Any:
    return int(value) if re.fullmatch(r"-?\d+", value) else value


def from_form(form: dict[str, Any], service_id: str) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """A record (export format, not yet validated) and each list's form rows, in order."""
    lists = {name: _rows(form, name) for name in LISTS}
    record: dict[str, Any] = {
        "id": service_id,
        "priority": form.get("priority") == "on",
        "audience": list(form.get("audience", [])),
        "life_events": list(form.get("life_events", [])),
        "administration": {k: _text(form, f"administration_{k}") for k in ("code", "fr", "ar")},
        "documents": [
            {
                "fr": r["fr"],
                "ar": r["ar"],
                "evidence_type": r["evidence_type"] or None,
                "condition": {"fr": r["condition_fr"], "ar": r["condition_ar"]}
                if r["condition_fr"] or r["condition_ar"]
                else None,
            }
            for _, r in lists["documents"]
        ],
        "steps": [{"fr": r["fr"], "ar": r["ar"]} for _, r in lists["steps"]],
        "fees": [
            {
                "amount_mad": r["amount"].replace(",", ".") or None,
                "label": {"fr": r["label_fr"], "ar": r["label_ar"]},
            }
            for _, r in lists["fees"]
        ],
        "delay": {
            "days": _number(_text(form, "delay_days")),
            "text": {"fr": _text(form, "delay_text_fr"), "ar": _text(form, "delay_text_ar")},
        },
        "channels": [
            {
                "kind": r["kind"],
                "fr": r["fr"],
                "ar": r["ar"],
                **({"url": r["url"]} if r["url"] else {}),
            }
            for _, r in lists["channels"]
        ],
        "legal_basis": [{"ref": r["ref"], "fr": r["fr"], "ar": r["ar"]} for _, r in lists["legal"]],
        "digitization_level": _number(_text(form, "digitization_level")),
        "trips_before": _number(_text(form, "trips_before") or "0"),
        "data_protection": {
            "status": _text(form, "dp_status"),
            "cndp_ref": _text(form, "cndp_ref") or None,
        },
        "aliases": {
            kind: [
                line.strip() for line in _text(form, f"aliases_{kind}").splitlines() if line.strip()
            ]
            for kind in ALIAS_KINDS
        },
    }
    for name in _LOCALIZED:
        fr, ar = _text(form, f"{name}_fr"), _text(form, f"{name}_ar")
        record[name] = None if name == "validity" and not fr and not ar else {"fr": fr, "ar": ar}
    return record, {name: [i for i, _ in rows] for name, rows in lists.items()}


def field_name(location: tuple[int | str, ...], positions: dict[str, list[int]]) -> str:
    """The form field a validation error belongs to."""
    parts = [p for p in location if p not in ("Localized",)]
    head = str(parts[0]) if parts else "id"
    if head in _RECORD_LIST:
        name = _RECORD_LIST[head]
        if len(parts) < 2 or not isinstance(parts[1], int):
            return name
        row = positions[name][parts[1]] if parts[1] < len(positions[name]) else parts[1]
        rest = [str(p) for p in parts[2:]]
        column = (
            {"amount_mad": "amount", "label": "label", "condition": "condition"}.get(
                rest[0], rest[0]
            )
            if rest
            else "fr"
        )
        if column in ("label", "condition") and len(rest) > 1:
            column = f"{column}_{rest[1]}"
        return f"{name}-{row}-{column}"
    if head == "aliases":
        return f"aliases_{parts[1]}" if len(parts) > 1 else "aliases_fr"
    if head == "data_protection":
        return "cndp_ref" if len(parts) > 1 and parts[1] == "cndp_ref" else "dp_status"
    if head == "delay":
        return "delay_days" if len(parts) < 2 or parts[1] == "days" else f"delay_text_{parts[-1]}"
    if head in ("administration", *_LOCALIZED) and len(parts) > 1:
        return f"{head}_{parts[1]}"
    return f"{head}_fr" if head in _LOCALIZED else head


def validate(form: dict[str, Any], service_id: str) -> tuple[ServiceRecord | None, FormState]:
    """Read and validate a submitted form."""
    data, positions = from_form(form, service_id)
    state = FormState(values=dict(form), rows=row_counts(dict(form)))
    try:
        return ServiceRecord.model_validate(data), state
    except ValidationError as exc:
        for error in exc.errors():
            name = field_name(tuple(error["loc"]), positions)
            kind = str(error.get("type"))
            context = dict(error.get("ctx") or {})
            if kind in ERROR_MESSAGES:
                state.add_error(name, ERROR_MESSAGES[kind], {k: str(v) for k, v in context.items()})
            else:
                state.add_error(name, str(error.get("msg", "")).removeprefix("Value error, "))
        return None, state
