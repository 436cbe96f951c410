"""`idara identity`, `idara card` and `idara app`: the registry, virtual cards, the app."""

from __future__ import annotations

import json
import secrets
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from idara import db
from idara.identity import card_crypto, population
from idara.identity.flows import pki as pki_flow
from idara.identity.schemas import PersonOut
from idara.identity.service import cards, persons
from idara.settings import Settings, load_settings

identity_app = typer.Typer(help="The national registry of persons.", no_args_is_help=True)
card_app = typer.Typer(help="Virtual identity cards (CNIE).", no_args_is_help=True)
app_app = typer.Typer(help="The mobile identity app (simulated).", no_args_is_help=True)

CardOption = Annotated[Path, typer.Option("--card", help="The card file.", dir_okay=False)]


def _settings() -> Settings:
    try:
        return load_settings()
    except ValidationError as exc:
        for error in exc.errors():
            message = str(error.get("msg", "")).removeprefix("Value error, ")
            typer.secho(f"Configuration error: {message}", err=True, fg="red")
        raise typer.Exit(2) from None


def _person_json(person: Any) -> dict[str, Any]:
    out = PersonOut.model_validate(person)
    return {**out.model_dump(mode="json"), "places": out.places()}


@identity_app.command("generate")
def generate(
    count: Annotated[int, typer.Option(min=1, help="How many persons.")] = 1000,
    seed: Annotated[int, typer.Option(help="Same seed, same population.")] = 2026,
    start: Annotated[
        int | None, typer.Option(help="First person index (default: after those present).")
    ] = None,
) -> None:
    """Create a deterministic synthetic population (fast bulk insert, with progress)."""
    settings = _settings()
    engine = db.make_engine(settings)
    began = time.monotonic()

    def progress(done: int) -> None:
        rate = done / max(time.monotonic() - began, 1e-6)
        typer.echo(f"  {done:>10,} / {count:,} persons  ({rate:,.0f}/s)", err=True)

    with db.transaction(db.make_session_factory(engine)) as session:
        first = persons.count(session) if start is None else start
        if first + count > population.MAX_PERSONS:
            typer.secho(f"At most {population.MAX_PERSONS:,} persons.", err=True, fg="red")
            raise typer.Exit(2)
        batch = max(1000, min(100_000, count // 20))
        rows = population.generate(seed, count, start=first)
        done = persons.add_persons(session, rows, batch_size=batch, progress=progress)
    typer.echo(f"Added {done:,} persons (seed {seed}, from index {first:,}) in "
               f"{time.monotonic() - began:.1f} s.")  # fmt: skip


@identity_app.command("list")
def list_command(
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print persons of the registry."""
    engine = db.make_engine(_settings())
    with db.transaction(db.make_session_factory(engine)) as session:
        found = persons.list_persons(session, limit=limit, offset=offset)
        if as_json:
            typer.echo(json.dumps([_person_json(p) for p in found], ensure_ascii=False, indent=1))
            return
        for p in found:
            name = f"{p.first_name} {p.last_name}"
            typer.echo(f"{p.cin:10} {name:32} {p.birth_date}  {p.card_status}")


@identity_app.command("show")
def show(
    cin: Annotated[str, typer.Argument(help="The CIN.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print one person."""
    engine = db.make_engine(_settings())
    with db.transaction(db.make_session_factory(engine)) as session:
        person = persons.find_by_cin(session, cin=cin)
        if person is None:
            typer.secho("No person with this CIN.", err=True, fg="red")
            raise typer.Exit(1)
        data = _person_json(person)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        for key, value in data.items():
            typer.echo(f"{key:16} {value}")


def _secret(value: str | None, prompt: str) -> str:
    return value if value is not None else str(typer.prompt(prompt, hide_input=True))


@card_app.command("issue")
def issue(
    cin: Annotated[str, typer.Option(help="Whose card.")],
    out: Annotated[Path, typer.Option(help="Where to write the card file.", dir_okay=False)],
    pin: Annotated[str | None, typer.Option(help="PIN (4-8 digits); random if omitted.")] = None,
    puk: Annotated[str | None, typer.Option(help="PUK (8 digits); random if omitted.")] = None,
) -> None:
    """Issue a virtual card: new key pair, certificate from the issuing CA, sealed file."""
    settings = _settings()
    pin = pin or f"{secrets.randbelow(10**6):06d}"
    puk = puk or f"{secrets.randbelow(10**8):08d}"
    engine = db.make_engine(settings)
    with db.transaction(db.make_session_factory(engine)) as session:
        person = persons.find_by_cin(session, cin=cin)
        if person is None:
            typer.secho("No person with this CIN.", err=True, fg="red")
            raise typer.Exit(1)
        try:
            issued = pki_flow.issue_card(
                session, pki_flow.key_store(settings), settings, person=person, pin=pin, puk=puk,
                now=db.utcnow(),
            )  # fmt: skip
        except ValueError as exc:
            typer.secho(str(exc), err=True, fg="red")
            raise typer.Exit(2) from None
        pki_flow.write_card_file(out, issued.file)
        typer.echo(f"Card {person.card_number} for {person.cin} written to {out}")
        typer.echo(f"Certificate serial {issued.card.serial}, valid until {issued.card.not_after}")
        typer.echo(f"PIN {pin}   PUK {puk}   (shown once: keep them apart from the card)")


def _read(path: Path) -> dict[str, Any]:
    try:
        return card_crypto.read_card(path)
    except (OSError, card_crypto.CardFileError) as exc:
        typer.secho(f"Cannot read the card file: {exc}", err=True, fg="red")
        raise typer.Exit(2) from None


def _unlock(path: Path, card: dict[str, Any], pin: str) -> card_crypto.CardKey:
    try:
        return card_crypto.unlock(card, pin)
    except card_crypto.WrongPinError as exc:
        typer.secho(f"Wrong PIN: {exc.tries_left} tries left.", err=True, fg="red")
        raise typer.Exit(1) from None
    except card_crypto.CardBlockedError:
        typer.secho(
            "The card is blocked: unblock it with `idara card unblock`.", err=True, fg="red"
        )
        raise typer.Exit(1) from None
    finally:
        card_crypto.write_card(path, card)  # the counter changed either way, as on a chip


@card_app.command("status")
def status(card: CardOption) -> None:
    """What the card file holds, and what the server knows of it."""
    content = _read(card)
    certificate = card_crypto.certificate_of(content)
    from idara.identity import pki

    facts = pki.facts(certificate)
    typer.echo(f"card number   {content['card_number']}")
    typer.echo(f"CIN           {content['cin']}")
    typer.echo(
        f"certificate   {facts.serial}  "
        f"valid {facts.not_before:%Y-%m-%d} – {facts.not_after:%Y-%m-%d}"
    )
    typer.echo(
        f"PIN tries     {content['pin_tries_left']} of {card_crypto.PIN_TRIES} (in the file)"
    )
    try:
        engine = db.make_engine(_settings())
        with db.transaction(db.make_session_factory(engine)) as session:
            record = cards.card_by_serial(session, serial=facts.serial)
            state = pki_flow.certificate_status(session, serial=facts.serial).status
            typer.echo(f"server        certificate {state}")
            if record is not None:
                blocked = "blocked" if record.blocked_at else "not blocked"
                typer.echo(f"server        {record.pin_failures} wrong PIN(s) online, {blocked}")
    except Exception as exc:  # the file's facts are still worth printing
        typer.echo(f"server        unreachable ({type(exc).__name__})")


@card_app.command("unblock")
def unblock(
    card: CardOption,
    puk: Annotated[str | None, typer.Option(help="The PUK.")] = None,
    new_pin: Annotated[str | None, typer.Option(help="A new PIN (optional).")] = None,
) -> None:
    """Reset the PIN counter with the PUK (in the file and on the server)."""
    settings = _settings()
    content = _read(card)
    try:
        card_crypto.unblock(content, _secret(puk, "PUK"), new_pin=new_pin,
                            iterations=settings.identity.pin_kdf_iterations)  # fmt: skip
    except card_crypto.WrongPinError:
        typer.secho("Wrong PUK.", err=True, fg="red")
        raise typer.Exit(1) from None
    card_crypto.write_card(card, content)
    from idara.identity import pki

    serial = pki.facts(card_crypto.certificate_of(content)).serial
    engine = db.make_engine(settings)
    with db.transaction(db.make_session_factory(engine)) as session:
        record = cards.card_by_serial(session, serial=serial)
        if record is not None:
            cards.reset_pin_failures(session, record)
    typer.echo("Card unblocked." + (" New PIN set." if new_pin else ""))


@card_app.command("sign")
def sign(
    card: CardOption,
    origin: Annotated[str, typer.Option(help="The site's origin, e.g. https://idara.gov.ma")],
    nonce: Annotated[str, typer.Option(help="The challenge nonce the site gave.")],
    pin: Annotated[str | None, typer.Option(help="The PIN (asked when omitted).")] = None,
) -> None:
    """Answer a challenge like a card: print a Web eID token (web-eid:1.0)."""
    content = _read(card)
    key = _unlock(card, content, _secret(pin, "PIN"))
    token = card_crypto.web_eid_token(
        key, certificate=card_crypto.certificate_of(content), origin=origin.rstrip("/"), nonce=nonce
    )
    typer.echo(json.dumps(token))


@card_app.command("revoke")
def revoke(
    cin: Annotated[str, typer.Option(help="Whose cards.")],
    reason: Annotated[
        str, typer.Option(help="lost, key_compromise, cessation_of_operation")
    ] = "lost",
) -> None:
    """Revoke every active card of a person and publish the CRL."""
    settings = _settings()
    engine = db.make_engine(settings)
    with db.transaction(db.make_session_factory(engine)) as session:
        person = persons.find_by_cin(session, cin=cin)
        if person is None:
            typer.secho("No person with this CIN.", err=True, fg="red")
            raise typer.Exit(1)
        store = pki_flow.key_store(settings)
        revoked = 0
        for record in cards.cards_of(session, person_id=person.id):
            if record.status == cards.ACTIVE:
                pki_flow.revoke_card(session, store, record, reason=reason, now=db.utcnow())
                revoked += 1
    typer.echo(f"{revoked} card(s) revoked; the CRL is published.")


@app_app.command("approve")
def approve(
    card: CardOption,
    code: Annotated[str, typer.Option(help="The code shown with the QR code.")],
    pin: Annotated[str | None, typer.Option(help="The PIN (asked when omitted).")] = None,
    server: Annotated[
        str | None, typer.Option(help="The site (default IDARA_PUBLIC_ORIGIN).")
    ] = None,
) -> None:
    """Approve a login shown as a QR code, as the mobile app does (calls the JSON API)."""
    import httpx

    from idara.identity.flows.app import normalise_code

    origin = (server or _settings().public_origin).rstrip("/")
    content = _read(card)
    key = _unlock(card, content, _secret(pin, "PIN"))
    token = card_crypto.web_eid_token(
        key, certificate=card_crypto.certificate_of(content), origin=origin,
        nonce=normalise_code(code),
    )  # fmt: skip
    try:
        response = httpx.post(f"{origin}/auth/app/approve", json={"code": code, "token": token},
                              timeout=10)  # fmt: skip
    except httpx.HTTPError as exc:
        typer.secho(f"Cannot reach {origin}: {exc}", err=True, fg="red")
        raise typer.Exit(2) from None
    if response.status_code != 200:
        try:
            error = response.json().get("error", {})
        except ValueError:
            error = {}
        code, message = error.get("code", response.status_code), error.get("message", "")
        typer.secho(f"Refused ({code}): {message}", err=True, fg="red")
        raise typer.Exit(1)
    typer.echo(f"Approved the login at {origin}.")
    sys.stdout.flush()
