"""Identity-verification API with 1 million persons in PostgreSQL: requests/s, p50 and p99.

Creates (or, with --keep, reuses) a schema of its own in the PostgreSQL database, migrates it,
bulk-loads the synthetic population with identity's COPY path, registers a verifying client
(legal basis registered, so no consent reference is needed), serves the application with
`idara serve` (one worker, pinned to CPU 0) on that schema, takes one client-credentials
access token, then N clients on keep-alive connections POST `/api/trust/v1/verifications`
for random existing persons (CIN, first name, birth date: one lookup on the unique CIN index,
a release row and an audit event per call). This generator runs on CPU 1.

    .venv/bin/python benchmarks/trust_verification.py [--persons 1000000] [--seconds 10] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from typing import Any

import httpx
from joserfc.jwk import ECKey
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from _common import (
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
from _trust_flows import ASSERTION, _assertion
from idara import db, migrate
from idara.identity import population
from idara.identity.service import persons
from idara.settings import Settings
from idara.trust import clients
from idara.trust.schemas import ClientSpec

SCHEMA = "idara_bench_trust"
SEED = 2027


def prepare(url: str, count: int, key: ECKey) -> None:
    """Migrate the schema, load the population (once), register the verifying client."""
    settings = Settings(_env_file=None, db={"url": url})  # type: ignore[call-arg]
    engine = db.make_engine(settings, connect_args={"options": f"-csearch_path={SCHEMA}"})
    migrate.upgrade(engine)
    with Session(engine) as session:
        present = persons.count(session)
    if present < count:
        began = time.perf_counter()
        with db.transaction(db.make_session_factory(engine)) as session:
            persons.add_persons(
                session,
                population.generate(SEED, count - present, start=present),
                batch_size=100_000,
                progress=lambda n: print(f"  loaded {n:,}", file=sys.stderr),
            )
        with engine.begin() as connection:
            connection.execute(text("ANALYZE identity_person"))
        print(
            f"loaded {count - present:,} persons in {time.perf_counter() - began:.0f} s",
            file=sys.stderr,
        )
    with db.transaction(db.make_session_factory(engine)) as session:
        found = clients.get(session, client_id="verifier")
        if found is not None:
            session.delete(found)
            session.flush()
        clients.add(
            session,
            ClientSpec(
                client_id="verifier",
                name_fr="Banque de test",
                name_ar="بنك الاختبار",
                organisation_fr="Banque",
                organisation_ar="بنك",
                purpose_fr="KYC",
                purpose_ar="KYC",
                legal_basis_fr="Loi 43-05 (lutte contre le blanchiment)",
                legal_basis_ar="القانون 43-05",
                redirect_uris=["https://bank.example/cb"],
                jwks={"keys": [key.as_dict(private=False)]},
                scopes=["identity_verification"],
                verification_allowed=True,
                access_token_ttl_s=3600,
            ),
            now=db.utcnow(),
        )
    engine.dispose()


async def _load(
    origin: str, token: str, count: int, users: int, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}"}

    async def user() -> None:
        nonlocal errors
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=origin, limits=limits, timeout=30) as http:
            while time.perf_counter() < deadline:
                person = population.person(SEED, random.randrange(count))
                body = {
                    "cin": person["cin"],
                    "first_name": person["first_name"],
                    "birth_date": person["birth_date"].isoformat(),
                }
                started = time.perf_counter()
                response = await http.post(
                    "/api/trust/v1/verifications", json=body, headers=headers
                )
                if response.status_code != 200 or not response.json()["matches"]["first_name"]:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(user() for _ in range(users)))
    return latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="Keep the schema (and reuse it).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    key = ECKey.generate_key("P-256", auto_kid=True)
    admin = create_engine(args.url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
    cpus = {0} if (os.cpu_count() or 1) > 1 else None
    results: dict[str, Any] = {"machine": machine_info(), "persons": args.persons}
    try:
        prepare(args.url, args.persons, key)
        if cpus:
            os.sched_setaffinity(0, set(range(1, os.cpu_count() or 2)))
        with migrated_data_dir() as data_dir:
            port = free_port()
            origin = f"http://127.0.0.1:{port}"
            env = idara_env(
                data_dir,
                port,
                IDARA_WEB__SECRET_KEY="b" * 40,
                IDARA_DB__URL=f"{args.url}?options=-csearch_path%3D{SCHEMA}",
                IDARA_TRUST__VERIFICATION_PER_MINUTE="1000000000",
            )
            with Server(
                "idara",
                [*idara_command(), "serve", "--port", str(port)],
                port,
                env=env,
                cpus=cpus,
                cwd=data_dir,
            ) as server:
                server.start()
                form = {
                    "grant_type": "client_credentials",
                    "scope": "identity_verification",
                    "client_assertion_type": ASSERTION,
                    "client_assertion": _assertion(key, "verifier", origin),
                }
                answer = httpx.post(f"{origin}/oidc/token", data=form)
                assert answer.status_code == 200, answer.text
                token = answer.json()["access_token"]
                asyncio.run(_load(origin, token, args.persons, args.users, 2))  # warm-up
                cpu = process_tree_cpu_seconds(server.pid)
                began = time.perf_counter()
                latencies, errors = asyncio.run(
                    _load(origin, token, args.persons, args.users, args.seconds)
                )
                elapsed = time.perf_counter() - began
                cpu = process_tree_cpu_seconds(server.pid) - cpu
    finally:
        if not args.keep:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        admin.dispose()
    ms = [x * 1000 for x in latencies]
    results.update(
        requests=len(ms),
        per_s=len(ms) / elapsed,
        p50_ms=percentile(ms, 50),
        p99_ms=percentile(ms, 99),
        cpu_ms_per_request=1000 * cpu / max(len(ms), 1),
        errors=errors,
        users=args.users,
    )
    path = save_results("trust_verification", results, args.json)
    if not args.json:
        print_table(
            [
                "persons",
                "clients",
                "requests/s",
                "p50 ms",
                "p99 ms",
                "server CPU ms/request",
                "errors",
            ],
            [
                [
                    f"{args.persons:,}",
                    args.users,
                    f"{results['per_s']:.1f}",
                    f"{results['p50_ms']:.1f}",
                    f"{results['p99_ms']:.1f}",
                    f"{results['cpu_ms_per_request']:.2f}",
                    errors,
                ]
            ],
        )
        print(f"\nsaved {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
