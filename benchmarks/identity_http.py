"""Card challenge + token validation through HTTP at 50 concurrent clients.

Each client is one browser session on its own keep-alive connection that loops:
`POST /auth/card/challenge` (a nonce bound to its session), signs the nonce with its own
virtual card (in this process, like the card would), then `POST /auth/card/token` (full
validation: Web eID token, certificate path, validity, revocation record, nonce single
use, login and session rotation, audit event). The server is `idara serve` (one worker,
development mode, INFO access log to /dev/null, per-IP login limits
raised so that the load from 127.0.0.1 is not throttled) on PostgreSQL (a schema of its own,
dropped afterwards; `--db sqlite` for the embedded database), pinned to CPU 0; this load
generator is pinned to CPU 1. The server's CPU time per login comes from /proc.

    .venv/bin/python benchmarks/identity_http.py [--seconds 10] [--clients 50] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from _common import (
    HOST,
    REPO_ROOT,
    Server,
    free_port,
    idara_command,
    idara_env,
    machine_info,
    migrated_data_dir,
    percentile,
    print_table,
    process_tree_cpu_seconds,
    save_results,
)
from idara import db
from idara.identity import card_crypto, population
from idara.identity.flows import pki as pki_flow
from idara.identity.service import persons
from idara.settings import Settings

COOKIE = b"idara_session="
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "idara_bench_http"


def _prepare(
    data_dir: Path, count: int, url: str | None
) -> list[tuple[card_crypto.CardKey, bytes]]:
    """A PKI, persons and one virtual card per client, written into the server's database."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=data_dir, db={"url": url}, identity={"pin_kdf_iterations": 1000}
    )
    engine = db.make_engine(settings)
    cards = []
    with db.transaction(db.make_session_factory(engine)) as session:
        rows = []
        for row in population.generate(11, count):
            row.update(card_status="active", card_issued_on=db.utcnow().date())
            row["card_expires_on"] = row["card_issued_on"].replace(
                year=row["card_issued_on"].year + 5
            )
            rows.append(row)
        persons.add_persons(session, rows)
        store = pki_flow.key_store(settings)
        for row in rows:
            person = persons.find_by_cin(session, cin=row["cin"])
            assert person is not None
            issued = pki_flow.issue_card(session, store, settings, person=person, pin="1234",
                                         puk="12345678", now=db.utcnow())  # fmt: skip
            key = card_crypto.unlock(issued.file, "1234")
            cards.append((key, card_crypto.certificate_of(issued.file)))
    engine.dispose()
    return cards


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int, path: str,
    body: bytes, cookie: bytes | None,
) -> tuple[int, bytes, bytes | None]:  # fmt: skip
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n").encode()  # fmt: skip
    if cookie:
        head += b"Cookie: " + cookie + b"\r\n"
    writer.write(head + b"\r\n" + body)
    response = await reader.readuntil(b"\r\n\r\n")
    length, new_cookie = 0, None
    for line in response.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        lowered = name.strip().lower()
        if lowered == b"content-length":
            length = int(value)
        elif lowered == b"set-cookie" and value.strip().startswith(COOKIE):
            new_cookie = value.strip().split(b";")[0]
    return int(response[9:12]), await reader.readexactly(length), new_cookie


async def _client(
    port: int, origin: str, card: tuple[card_crypto.CardKey, bytes], deadline: float,
    stats: dict[str, Any],
) -> None:  # fmt: skip
    key, certificate = card
    reader, writer = await asyncio.open_connection(HOST, port)
    cookie: bytes | None = None
    try:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            status, body, new = await _request(
                reader, writer, port, "/auth/card/challenge", b"{}", cookie
            )
            cookie = new or cookie
            stats["challenge_ms"].append((time.perf_counter() - began) * 1000)
            if status != 200:
                stats["errors"] += 1
                stats.setdefault("error_bodies", []).append(body[:200])
                continue
            nonce = json.loads(body)["nonce"]
            token = card_crypto.web_eid_token(
                key, certificate=certificate, origin=origin, nonce=nonce
            )
            began = time.perf_counter()
            status, body, new = await _request(reader, writer, port, "/auth/card/token",
                                               json.dumps(token).encode(), cookie)  # fmt: skip
            cookie = new or cookie
            stats["token_ms"].append((time.perf_counter() - began) * 1000)
            if status == 200:
                stats["logins"] += 1
            else:
                stats["errors"] += 1
                stats.setdefault("error_bodies", []).append(body[:200])
    except (OSError, asyncio.IncompleteReadError, ValueError):
        stats["errors"] += 1
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _load(port: int, origin: str, cards: list[Any], seconds: float) -> dict[str, Any]:
    stats: dict[str, Any] = {"challenge_ms": [], "token_ms": [], "logins": 0, "errors": 0}
    deadline = time.perf_counter() + seconds
    await asyncio.gather(*(_client(port, origin, card, deadline, stats) for card in cards))
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--server-log", type=Path, help="Keep the server's log in this file.")
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    args = parser.parse_args()
    two_cpus = (os.cpu_count() or 1) >= 2
    url = None
    if args.db == "postgresql":
        admin = create_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
        url = f"{PG_URL}?options=-csearch_path%3D{PG_SCHEMA}"
    try:
        with migrated_data_dir() as data_dir:
            extra = {"IDARA_IDENTITY__LOCKOUT__IP_ATTEMPTS": "1000000000"}
            if url:
                extra["IDARA_DB__URL"] = url
                upgrade_env = idara_env(data_dir, 8000, **extra)
                subprocess.run([*idara_command(), "db", "upgrade"], check=True, env=upgrade_env,
                               capture_output=True)  # fmt: skip
            cards = _prepare(data_dir, args.clients, url)
            port = free_port()
            env = idara_env(data_dir, port, **extra)
            origin = env["IDARA_PUBLIC_ORIGIN"]
            log = args.server_log.open("wb") if args.server_log else subprocess.DEVNULL
            server = Server("idara", [*idara_command(), "serve", "--port", str(port)], port,
                            env=env, cpus={0} if two_cpus else None, stderr=log)  # fmt: skip
            with server:
                server.start()
                if two_cpus:
                    os.sched_setaffinity(0, {1})
                asyncio.run(_load(port, origin, cards, args.warmup))
                cpu_before = process_tree_cpu_seconds(server.pid)
                began = time.perf_counter()
                stats = asyncio.run(_load(port, origin, cards, args.seconds))
                elapsed = time.perf_counter() - began
                server_cpu = process_tree_cpu_seconds(server.pid) - cpu_before
    finally:
        if url:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
            admin.dispose()
    requests = len(stats["challenge_ms"]) + len(stats["token_ms"])
    all_ms = stats["challenge_ms"] + stats["token_ms"]
    results = {
        "machine": machine_info(),
        "clients": args.clients,
        "database": args.db,
        "seconds": elapsed,
        "requests_per_s": requests / elapsed,
        "logins_per_s": stats["logins"] / elapsed,
        "p50_ms": percentile(all_ms, 50),
        "p95_ms": percentile(all_ms, 95),
        "challenge_p95_ms": percentile(stats["challenge_ms"], 95),
        "token_p95_ms": percentile(stats["token_ms"], 95),
        "server_cpu_ms_per_login": 1000 * server_cpu / max(stats["logins"], 1),
        "errors": stats["errors"],
        "error_samples": [b.decode(errors="replace") for b in stats.get("error_bodies", [])[:3]],
    }
    print_table(
        ["clients", "requests/s", "logins/s", "p50 ms", "p95 ms", "token p95 ms",
         "server CPU ms/login", "errors"],
        [[args.clients, results["requests_per_s"], results["logins_per_s"], results["p50_ms"],
          results["p95_ms"], results["token_p95_ms"], results["server_cpu_ms_per_login"],
          stats["errors"]]],
    )  # fmt: skip
    path = save_results("identity_http", results, args.json)
    print(f"\nsaved {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
