"""`idara catalogue ...`: import the ministry's export, manage administrators, export data."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from idara import db
from idara.audit.schemas import AuditContext
from idara.catalogue import accounts, compliance, flows, service
from idara.catalogue.exports import csv_export, jsonld
from idara.catalogue.models import Admin
from idara.settings import Settings

app = typer.Typer(help="Catalogue of public services.", no_args_is_help=True)
admin_app = typer.Typer(help="Ministry administrators of the catalogue.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


def _settings() -> Settings:
    from idara.cli import _settings as load  # late: idara.cli imports this module

    return load()


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Export files or folders.")],
) -> None:
    """Validate and import an export; invalid records are listed and skipped (exit code 1)."""
    settings = _settings()
    engine = db.make_engine(settings)
    with db.transaction(db.make_session_factory(engine)) as session:
        summary = flows.import_export(
            session, paths=paths, context=AuditContext.system("cli.catalogue.import")
        )
    engine.dispose()
    for error in summary.export.errors:
        typer.secho(str(error), err=True, fg="red")
    changes = ", ".join(f"{k}: {v}" for k, v in sorted(summary.changes.items())) or "none"
    domains = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_domain.items()))
    typer.echo(f"files: {len(summary.export.files)}")
    typer.echo(f"records accepted: {summary.accepted} ({domains})")
    typer.echo(f"changes: {changes}")
    typer.echo(f"errors: {len(summary.export.errors)}")
    raise typer.Exit(1 if summary.export.errors else 0)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        typer.secho("The passwords differ.", err=True, fg="red")
        raise typer.Exit(2)
    return first


@admin_app.command("add")
def admin_add(
    username: Annotated[str, typer.Argument(help="Sign-in name (lower case).")],
    name: Annotated[str, typer.Option("--name", help="Full name shown in the history.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a ministry administrator (the password is asked for, never an argument)."""
    password = _read_password(password_stdin)
    settings = _settings()
    engine = db.make_engine(settings)
    try:
        with db.transaction(db.make_session_factory(engine)) as session:
            accounts.create(session, username=username, display_name=name, password=password)
    except accounts.AccountError as exc:
        typer.secho(f"Refused: {exc}", err=True, fg="red")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(f"Administrator {username} created.")


@admin_app.command("password")
def admin_password(
    username: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Set a new password (ends the administrator's sessions)."""
    password = _read_password(password_stdin)
    _change(
        username,
        lambda session, admin: accounts.set_password(session, admin=admin, password=password),
    )
    typer.echo(f"Password of {username} changed; its sessions were ended.")


@admin_app.command("disable")
def admin_disable(username: str) -> None:
    """Disable an administrator and end its sessions."""
    _change(username, lambda session, admin: accounts.disable(session, admin=admin))
    typer.echo(f"Administrator {username} disabled.")


def _change(username: str, action: Callable[[Session, Admin], None]) -> None:
    settings = _settings()
    engine = db.make_engine(settings)
    try:
        with db.transaction(db.make_session_factory(engine)) as session:
            admin = accounts.find(session, username=username)
            if admin is None:
                typer.secho(f"No administrator {username!r}.", err=True, fg="red")
                raise typer.Exit(2)
            action(session, admin)
    except accounts.AccountError as exc:
        typer.secho(f"Refused: {exc}", err=True, fg="red")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


@admin_app.command("list")
def admin_list() -> None:
    """List administrators and their status."""
    settings = _settings()
    engine = db.make_engine(settings)
    with db.transaction(db.make_session_factory(engine)) as session:
        for admin in accounts.all_admins(session):
            state = "disabled" if admin.disabled_at else "active"
            last = admin.last_login_at.isoformat() if admin.last_login_at else "never"
            typer.echo(f"{admin.username:20} {state:9} last sign-in {last}  {admin.display_name}")
    engine.dispose()


@app.command("export")
def export_command(
    kind: Annotated[str, typer.Argument(help="csv, jsonld or law-55-19 (a CSV report).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
) -> None:
    """Write an open-data export of the published catalogue to a file."""
    settings = _settings()
    engine = db.make_engine(settings)
    with db.transaction(db.make_session_factory(engine)) as session:
        rows = service.all_records(session)
        if kind == "csv":
            text = csv_export.services_csv(rows)
        elif kind == "jsonld":
            text = jsonld.dumps(jsonld.catalogue_graph(rows, settings.public_origin))
        elif kind == "law-55-19":
            text = compliance.report_csv(compliance.findings([r for _, r in rows]), "fr")
        else:
            typer.secho("KIND must be csv, jsonld or law-55-19.", err=True, fg="red")
            raise typer.Exit(2)
    engine.dispose()
    output.write_text(text, encoding="utf-8")
    typer.echo(f"{len(rows)} services written to {output}")
