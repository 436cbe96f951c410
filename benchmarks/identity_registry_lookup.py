"""Registry lookup by CIN with 1 million persons in PostgreSQL: p50/p99 latency.

Creates a schema of its own in the PostgreSQL database (default: the local `test`
database), migrates it, bulk-loads the synthetic population with `idara.identity`'s COPY
path (timed, as `idara identity generate` does), runs ANALYZE, then times lookups of random
existing CINs through the same service function the application uses
(`persons.find_by_cin`: one ORM query on the unique index), one at a time on one
connection, and drops the schema at the end (`--keep` to keep it for a rerun).

    .venv/bin/python benchmarks/identity_registry_lookup.py [--persons 1000000] [--lookups 20000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from _common import REPO_ROOT, machine_info, percentile, print_table, save_results
from idara import db, migrate
from idara.identity import population
from idara.identity.service import persons
from idara.settings import Settings

SCHEMA = "idara_bench_identity"
SEED = 2026


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="Keep the schema (and reuse it).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    admin = create_engine(args.url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
    settings = Settings(_env_file=None, db={"url": args.url})  # type: ignore[call-arg]
    engine = db.make_engine(settings, connect_args={"options": f"-csearch_path={SCHEMA}"})
    load_s = None
    try:
        migrate.upgrade(engine)
        with Session(engine) as session:
            present = persons.count(session)
        if present < args.persons:
            began = time.perf_counter()
            with db.transaction(db.make_session_factory(engine)) as session:
                persons.add_persons(
                    session,
                    population.generate(SEED, args.persons - present, start=present),
                    batch_size=100_000,
                    progress=lambda n: print(f"  loaded {n:,}", file=sys.stderr),
                )
            load_s = time.perf_counter() - began
            with engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("ANALYZE identity_person")
                )
        rng = random.Random(1)
        cins = [population.cin_of(SEED, rng.randrange(args.persons)) for _ in range(args.lookups)]
        timings = []
        with Session(engine) as session:
            for cin in cins[:500]:  # warm the connection, the plan cache and the index pages
                persons.find_by_cin(session, cin=cin)
            for cin in cins:
                began = time.perf_counter()
                found = persons.find_by_cin(session, cin=cin)
                timings.append((time.perf_counter() - began) * 1000)
                assert found is not None
                session.expunge_all()
    finally:
        engine.dispose()
        if not args.keep:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{SCHEMA}" CASCADE'))
        admin.dispose()
    results = {
        "machine": machine_info(),
        "persons": args.persons,
        "lookups": args.lookups,
        "load_seconds": load_s,
        "load_persons_per_s": (args.persons / load_s) if load_s else None,
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "p99_ms": percentile(timings, 99),
        "max_ms": max(timings),
    }
    print_table(
        ["persons", "lookups", "p50 ms", "p95 ms", "p99 ms", "bulk load s"],
        [[args.persons, args.lookups, results["p50_ms"], results["p95_ms"], results["p99_ms"],
          load_s if load_s is not None else "(reused)"]],
    )  # fmt: skip
    path = save_results("identity_registry_lookup", results, args.json)
    print(f"\nsaved {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
