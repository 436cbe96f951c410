"""Formatting for pages: dates, amounts, addresses of services, in the reader's language."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.text import slugify

_LOCALES = {"fr": "fr_MA", "ar": "ar_MA"}


def date(value: datetime | None, lang: str) -> str:
    """A date as people write it (22 novembre 2026, 22 نونبر 2026)."""
    if value is None:
        return ""
    return format_date(value.date(), format="long", locale=_LOCALES.get(lang, "fr_MA"))


def amount(value: Decimal | int | float, lang: str) -> str:
    """An amount in dirhams without useless decimals."""
    number = format_decimal(value, format="#,##0.##", locale=_LOCALES.get(lang, "fr_MA"))
    return f"{number} درهم" if lang == "ar" else f"{number} DH"


def record_path(lang: str, record: ServiceRecord) -> str:
    """The public address of a record's service page."""
    return service_path(lang, record.id, slugify(record.title.fr))


def service_path(lang: str, service_id: str, slug: str) -> str:
    """The public address of a service page."""
    return f"/{lang}/services/{service_id}-{slug}"
