"""`idara trust`: relying-party onboarding and signing-key rotation, for the ministry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from idara import db
from idara.audit import service as audit_service
from idara.audit.schemas import AuditContext
from idara.settings import Settings, load_settings
from idara.trust import clients, keyring
from idara.trust.clock import SYSTEM
from idara.trust.schemas import ClientSpec

app = typer.Typer(help="The trust service (OpenID Connect provider).", no_args_is_help=True)
client_app = typer.Typer(
    help="Relying parties: register, list, show, suspend.", no_args_is_help=True
)
app.add_typer(client_app, name="client")

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _settings() -> Settings:
    try:
        return load_settings()
    except ValidationError as exc:
        for error in exc.errors():
            message = str(error.get("msg", "")).removeprefix("Value error, ")
            typer.secho(f"Configuration error: {message}", err=True, fg="red")
        raise typer.Exit(2) from None


@contextmanager
def _session() -> Iterator[tuple[Session, Settings]]:
    settings = _settings()
    engine = db.make_engine(settings)
    try:
        with db.transaction(db.make_session_factory(engine)) as session:
            yield session, settings
    finally:
        engine.dispose()


def _audit(session: Session, action: str, client_id: str) -> None:
    audit_service.record(
        session,
        context=AuditContext.system("cli"),
        action=action,
        target_type="client",
        target_id=client_id,
    )


def _print(value: Any, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))
        return
    for key, item in value.items():
        typer.echo(f"{key:28} {item}")


@client_app.command("add")
def client_add(
    spec_file: Annotated[
        Path, typer.Option("--file", help="The registration as JSON (see ClientSpec).")
    ],
    jwks_file: Annotated[
        Path | None, typer.Option("--jwks-file", help="The client's public JWK set (JSON).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Register a relying party from a JSON registration file."""
    try:
        raw = json.loads(spec_file.read_text(encoding="utf-8"))
        if jwks_file is not None:
            raw["jwks"] = json.loads(jwks_file.read_text(encoding="utf-8"))
        spec = ClientSpec.model_validate(raw)
    except (OSError, json.JSONDecodeError) as exc:
        typer.secho(f"Cannot read the registration: {exc}", err=True, fg="red")
        raise typer.Exit(2) from None
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()))
            typer.secho(f"Invalid registration ({where}): {error['msg']}", err=True, fg="red")
        raise typer.Exit(2) from None
    with _session() as (session, _):
        try:
            client, secret = clients.add(session, spec, now=SYSTEM.now())
        except clients.ClientExistsError:
            typer.secho(f"Client {spec.client_id} already exists.", err=True, fg="red")
            raise typer.Exit(1) from None
        _audit(session, "trust.client_added", client.client_id)
        shown = clients.view(client)
    if secret:
        shown["client_secret"] = secret
        typer.secho(
            "Keep the client secret now: it is not stored and cannot be shown again.", err=True
        )
    _print(shown, as_json)


@client_app.command("list")
def client_list(as_json: AsJson = False) -> None:
    """List the registered relying parties."""
    with _session() as (session, _):
        rows = [clients.view(c) for c in clients.list_clients(session)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    for row in rows:
        typer.echo(f"{row['client_id']:28} {row['status']:10} {row['name_fr']}")


@client_app.command("show")
def client_show(client_id: str, as_json: AsJson = False) -> None:
    """Show one relying party's registration."""
    with _session() as (session, _):
        client = clients.get(session, client_id=client_id)
        if client is None:
            typer.secho(f"No client {client_id}.", err=True, fg="red")
            raise typer.Exit(1)
        shown = clients.view(client)
    _print(shown, as_json)


def _set_status(client_id: str, status: str) -> None:
    with _session() as (session, _):
        client = clients.get(session, client_id=client_id)
        if client is None:
            typer.secho(f"No client {client_id}.", err=True, fg="red")
            raise typer.Exit(1)
        clients.set_status(session, client, status=status, now=SYSTEM.now())
        action = (
            "trust.client_suspended" if status == clients.SUSPENDED else "trust.client_activated"
        )
        _audit(session, action, client_id)
    typer.echo(f"{client_id}: {status}")


@client_app.command("suspend")
def client_suspend(client_id: str) -> None:
    """Suspend a relying party: no more sign-ins, its tokens stop working."""
    _set_status(client_id, clients.SUSPENDED)


@client_app.command("activate")
def client_activate(client_id: str) -> None:
    """Reactivate a suspended relying party."""
    _set_status(client_id, clients.ACTIVE)


@app.command("rotate-keys")
def rotate_keys() -> None:
    """Promote the next signing key, publish a new next key, keep the old one until expiry."""
    with _session() as (session, settings):
        old, new = keyring.rotate(session, settings.trust, now=SYSTEM.now())
        audit_service.record(
            session,
            context=AuditContext.system("cli"),
            action="trust.keys_rotated",
            target_type="signing_key",
            target_id=new,
        )
    typer.echo(f"retired {old}\ncurrent {new}")


@app.command("keys")
def list_keys(as_json: AsJson = False) -> None:
    """List the published signing keys and their status."""
    with _session() as (session, settings):
        keyring.ensure(session, settings.trust, now=SYSTEM.now())
        rows = [
            {"kid": k.kid, "status": k.status, "expires_at": k.expires_at}
            for k in keyring.published(session, now=SYSTEM.now())
        ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    for row in rows:
        typer.echo(f"{row['kid']}  {row['status']:8} {row['expires_at'] or ''}")
