"""Demo data: the sample export shipped with the package, and a ministry administrator."""

from __future__ import annotations

import secrets
from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session

from idara.audit.schemas import AuditContext
from idara.catalogue import accounts, flows
from idara.settings import Settings

DEMO_ADMIN = "ministere"


def sample_dir() -> Path:
    """The sample export inside the installed package (SCHEMA.md and procedures/*.json)."""
    return Path(str(resources.files("idara.catalogue").joinpath("sample_data")))


def load(session: Session, settings: Settings) -> list[str]:
    """Import the sample export and (in development) set up a demo administrator."""
    summary = flows.import_export(
        session, paths=[sample_dir()], context=AuditContext.system("demo")
    )
    changes = ", ".join(f"{k} {v}" for k, v in sorted(summary.changes.items()))
    lines = [
        f"{summary.accepted} services from {len(summary.export.files)} files ({changes}); "
        f"{len(summary.export.errors)} errors"
    ]
    if settings.is_development:
        # A fresh random password on every demo start: nothing guessable, printed once.
        password = secrets.token_urlsafe(12)
        admin = accounts.find(session, username=DEMO_ADMIN)
        if admin is None:
            accounts.create(
                session, username=DEMO_ADMIN, display_name="Ministère (démo)", password=password
            )
        else:
            accounts.set_password(session, admin=admin, password=password)
        lines.append(
            f"ministry editor: {settings.public_origin}/fr/admin/login "
            f"user {DEMO_ADMIN} password {password}"
        )
    return lines
