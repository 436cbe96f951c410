"""The `idara` command: demo, serve, check, and the database and domain sub-commands."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from idara import db, domains, migrate
from idara.catalogue import cli as catalogue_cli
from idara.identity import cli as identity_cli
from idara.settings import Environment, Settings, current_environment, load_settings
from idara.trust import cli as trust_cli

app = typer.Typer(
    help="Idara, the platform of digital public services.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(
    help="Database schema: upgrade, downgrade, show the revision.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(identity_cli.identity_app, name="identity")
app.add_typer(identity_cli.card_app, name="card")
app.add_typer(identity_cli.app_app, name="app")
app.add_typer(trust_cli.app, name="trust")
app.add_typer(catalogue_cli.app, name="catalogue")


def _settings(**overrides: object) -> Settings:
    try:
        return load_settings(**overrides)
    except ValidationError as exc:
        for error in exc.errors():
            message = str(error.get("msg", "")).removeprefix("Value error, ")
            where = ".".join(str(p) for p in error.get("loc", ()))
            typer.secho(
                f"Configuration error{f' ({where})' if where else ''}: {message}",
                err=True,
                fg="red",
            )
        raise typer.Exit(2) from None


def _safe_url(url: str) -> str:
    # Never print a database password.
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database up (to the newest revision by default)."""
    settings = _settings()
    engine = db.make_engine(settings)
    migrate.upgrade(engine, revision)
    typer.echo(f"Database at revision {migrate.current(engine)}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or 'base' for empty.")],
) -> None:
    """Migrate the database down to a revision."""
    settings = _settings()
    engine = db.make_engine(settings)
    migrate.downgrade(engine, revision)
    typer.echo(f"Database at revision {migrate.current(engine) or 'base'}")


@db_app.command("current")
def db_current() -> None:
    """Print the database's revision and the newest one available."""
    settings = _settings()
    engine = db.make_engine(settings)
    typer.echo(f"current: {migrate.current(engine) or 'base (empty)'}")
    typer.echo(f"head:    {', '.join(migrate.heads())}")


@app.command()
def check(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check the configuration and the database; exit non-zero when something is wrong."""
    settings = _settings()
    report: dict[str, object] = {
        "env": settings.env.value,
        "public_origin": settings.public_origin,
        "data_dir": str(settings.data_dir.resolve()),
        "database": _safe_url(settings.database_url),
        "stand_ins": settings.stand_ins(),
    }
    healthy = True
    try:
        engine = db.make_engine(settings)
        db.ping(engine)
        report["database_reachable"] = True
        current, heads = migrate.current(engine), migrate.heads()
        report["schema_revision"] = current
        report["schema_up_to_date"] = current in heads
        healthy = current in heads
    except Exception as exc:  # report, do not crash: this command exists to diagnose
        report["database_reachable"] = False
        report["database_error"] = type(exc).__name__
        healthy = False
    report["healthy"] = healthy
    if as_json:
        typer.echo(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            typer.echo(f"{key:20} {value}")
        if not report.get("schema_up_to_date", True) and report.get("database_reachable"):
            typer.echo("Run `idara db upgrade` to bring the schema up to date.")
    raise typer.Exit(0 if healthy else 1)


def _run_server(
    host: str, port: int, workers: int, settings: Settings, app_instance: Any = None
) -> None:
    import uvicorn

    if workers > 1:
        # Each worker keeps its own counters; Prometheus merges them from this directory.
        metrics_dir = Path(tempfile.mkdtemp(prefix="idara-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    try:
        uvicorn.run(
            # Several workers each build the app from the environment; one can take ours.
            app_instance or "idara.asgi:app_factory",
            factory=app_instance is None,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            proxy_headers=bool(settings.web.trusted_proxies),
            forwarded_allow_ips=",".join(settings.web.trusted_proxies) or None,
            server_header=False,
            log_config=None,
        )
    finally:
        if workers > 1:
            shutil.rmtree(os.environ.pop("PROMETHEUS_MULTIPROC_DIR"), ignore_errors=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Run the web server as in production (settings from IDARA_* and .env)."""
    from idara.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log)
    engine = db.make_engine(settings)
    try:
        if not migrate.is_up_to_date(engine):
            typer.secho(
                "The database schema is not up to date: run `idara db upgrade`.",
                err=True,
                fg="yellow",
            )
    except Exception:  # the server still starts; /readyz will say what is wrong
        typer.secho(
            "The database cannot be reached; /readyz will report it.", err=True, fg="yellow"
        )
    finally:
        engine.dispose()
    _run_server(host, port, workers, settings)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    fresh: Annotated[bool, typer.Option(help="Delete the demo data directory first.")] = False,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the server after loading.")
    ] = True,
) -> None:
    """Create the demo data directory, migrate, load sample data and start the server."""
    from idara.logs import configure_logging

    if current_environment() is not Environment.DEVELOPMENT:
        typer.secho("`idara demo` only runs with IDARA_ENV=development.", err=True, fg="red")
        raise typer.Exit(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the secret is settled just below
        configured = _settings()
        # Demo defaults apply only where neither the environment nor .env says otherwise;
        # they are passed to the app, not written into os.environ.
        overrides = _demo_defaults(configured, host, port)
        settings = _settings(**overrides) if overrides else configured
    if not settings.is_development:
        typer.secho("`idara demo` only runs with IDARA_ENV=development.", err=True, fg="red")
        raise typer.Exit(2)
    configure_logging(settings.log)
    if fresh and settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if "secret_key" not in configured.web.model_fields_set:
        # Even a demo should not sign with a key published in the source code.
        overrides["web"] = {"secret_key": _demo_secret(settings.data_dir)}
        settings = _settings(**overrides)
    engine = db.make_engine(settings)
    migrate.upgrade(engine)
    typer.echo(f"Database ready: {_safe_url(settings.database_url)}")
    factory = db.make_session_factory(engine)
    for name, load in domains.sample_loaders():
        with db.transaction(factory) as session:
            for line in load(session, settings):
                typer.echo(f"[{name}] {line}")
    engine.dispose()
    origin = settings.public_origin
    typer.echo("")
    typer.echo("Idara demo is ready. Open:")
    for lang, label in (("fr", "Portail (français)"), ("ar", "البوابة (العربية)")):
        typer.echo(f"  {label:22} {origin}/{lang}/")
    typer.echo(f"  {'Health':22} {origin}/healthz")
    typer.echo(f"  {'API description':22} {origin}/openapi.json")
    typer.echo("Stop with Ctrl+C.")
    sys.stdout.flush()
    if serve_after:
        from idara.main import create_app

        _run_server(host, port, 1, settings, app_instance=create_app(settings))


def _demo_defaults(configured: Settings, host: str, port: int) -> dict[str, Any]:
    """The demo's defaults for the settings nobody has set."""
    overrides: dict[str, Any] = {}
    if "env" not in configured.model_fields_set:
        overrides["env"] = "development"
    if "public_origin" not in configured.model_fields_set:
        overrides["public_origin"] = f"http://{host}:{port}"
    if "json_format" not in configured.log.model_fields_set:
        overrides["log"] = {"json": False}  # people read the demo's logs, not machines
    return overrides


def _demo_secret(data_dir: Path) -> str:
    """A random secret key kept in the demo's data directory (readable by its owner only)."""
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def main() -> None:
    """Entry point of the `idara` console script."""
    app()
