"""Catalogue search latency (sample size and 50,000 services, SQLite and PostgreSQL) and the
service page under 50 concurrent clients.

Search: the work of one search request without HTTP — the freshness check (one indexed
MAX on the versions table) and the ranked search with a page of 20 — over a fixed mix of
queries (the relevance set, typos, filters, browsing), after a warm-up. The scale catalogue
is generated deterministically from the sample (`synthetic_records`, seed 5): each record is
a variant of a sample record with a place name and a variant word in its title, so the
vocabulary grows the way a real catalogue's does.

Page: `idara serve` (one worker, SQLite, the demo data) and 50 keep-alive clients on one
service page, with the repository's load generator (wrk when installed).

    .venv/bin/python benchmarks/catalogue_search.py [--scale 50000] [--backends sqlite,postgresql]
        [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--seconds 10] [--json]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from _common import (
    Server,
    free_port,
    idara_command,
    idara_env,
    machine_info,
    median,
    percentile,
    print_table,
    save_results,
)
from _loadgen import run_load, tool_version, wrk_available
from idara import db, migrate
from idara.catalogue import service
from idara.catalogue.index import Filters
from idara.catalogue.sample import sample_dir
from idara.catalogue.schemas import ServiceRecord
from idara.catalogue.search import IndexHolder
from idara.settings import Settings

PLACES = (
    "Casablanca",
    "Rabat",
    "Fès",
    "Marrakech",
    "Tanger",
    "Agadir",
    "Meknès",
    "Oujda",
    "Kénitra",
    "Tétouan",
    "Safi",
    "Laâyoune",
    "Nador",
    "Béni Mellal",
    "El Jadida",
    "Taza",
    "Settat",
    "Khouribga",
    "Errachidia",
    "Ouarzazate",
    "Dakhla",
    "Guelmim",
    "Larache",
    "Khémisset",
)
PLACES_AR = (
    "الدار البيضاء",
    "الرباط",
    "فاس",
    "مراكش",
    "طنجة",
    "أكادير",
    "مكناس",
    "وجدة",
    "القنيطرة",
    "تطوان",
    "آسفي",
    "العيون",
    "الناظور",
    "بني ملال",
    "الجديدة",
    "تازة",
    "سطات",
    "خريبكة",
    "الرشيدية",
    "ورزازات",
    "الداخلة",
    "كلميم",
    "العرائش",
    "الخميسات",
)
VARIANTS = (
    ("procédure accélérée", "مسطرة مستعجلة"),
    ("guichet unique", "الشباك الوحيد"),
    ("régime transitoire", "نظام انتقالي"),
    ("zone rurale", "المجال القروي"),
    ("personnes morales", "الأشخاص الاعتباريون"),
    ("dossier complémentaire", "ملف تكميلي"),
)
QUERIES = (
    "carte d'identité",
    "passeport perdu",
    "extrait d'acte de naissance",
    "casier judicaire",
    "certificat de residence",
    "permis de conduire",
    "carte grise",
    "creer une societe",
    "bourse universite",
    "جواز السفر",
    "شهادة السكنى",
    "رخصة السياقة",
    "السجل العدلي",
    "لاكارط",
    "ضاع ليا البيرمي",
    "الباسبور",
    "lakarte",
    "lbasbor",
    "bac 7or",
    "n7el charika",
    "attestation",
    "demande",
    "autorisation commerce",
    "CIV-0024",
    "impôt taxe habitation",
)
SERVICE_PAGE = (
    "/fr/services/CIV-0001-demande-de-la-carte-nationale-identite-electronique-premiere-demande"
)
FILTERED = (("", Filters(online=True)), ("certificat", Filters(audience="mre")), ("", Filters()))


def sample_records() -> list[tuple[str, ServiceRecord]]:
    """The shipped sample with each record's file stem."""
    import json

    found = []
    for path in sorted((sample_dir() / "procedures").glob("*.json")):
        for raw in json.loads(path.read_text(encoding="utf-8")):
            found.append((path.stem, ServiceRecord.model_validate(raw)))
    return found


def synthetic_records(count: int, seed: int = 5) -> Iterator[tuple[str, ServiceRecord]]:
    """`count` valid records, always the same for a seed, varied from the sample's."""
    rng = random.Random(seed)
    base = sample_records()
    for n in range(count):
        source, record = base[n % len(base)]
        place = rng.randrange(len(PLACES))
        variant_fr, variant_ar = VARIANTS[rng.randrange(len(VARIANTS))]
        data = record.canonical()
        # Ids keep the export pattern: a 4-5 letter prefix per block of 9,999 records.
        block, number = divmod(n, 9999)
        data["id"] = (
            f"{record.domain}{chr(65 + block % 26)}{chr(65 + block // 26)}-{number + 1:04d}"
        )
        data["title"] = {
            "fr": f"{record.title.fr} — {PLACES[place]} ({variant_fr})",
            "ar": f"{record.title.ar} — {PLACES_AR[place]} ({variant_ar})",
        }
        data["delay"]["days"] = rng.choice((1, 5, 15, 30, 45, 60))
        yield source, ServiceRecord.model_validate(data)


def load(session: Session, records: Sequence[tuple[str, ServiceRecord]]) -> None:
    """Bulk-insert records, 2,000 at a time."""
    for start in range(0, len(records), 2000):
        chunk = records[start : start + 2000]
        service.insert_new(session, records=[r for _, r in chunk], source="bench")
        session.commit()


@contextmanager
def database(backend: str, pg_url: str) -> Iterator[Settings]:
    """A migrated, empty database on one backend (a temporary file or schema)."""
    tmp = Path(tempfile.mkdtemp(prefix="idara-bench-cat-"))
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'bench.db'}"
    else:
        admin = create_engine(pg_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = pg_url + ("&" if "?" in pg_url else "?") + f"options=-csearch_path%3D{schema}"
    settings = Settings(_env_file=None, data_dir=tmp, db={"url": url})  # type: ignore[call-arg]
    try:
        yield settings
    finally:
        if backend != "sqlite":
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


def measure_search(
    settings: Settings, records: Sequence[tuple[str, ServiceRecord]], rounds: int
) -> dict[str, Any]:
    """Build time, memory, and per-search latencies (ms) for one catalogue on one backend."""
    engine = db.make_engine(settings)
    migrate.upgrade(engine)
    factory = db.make_session_factory(engine)
    with factory() as session:
        started = time.perf_counter()
        load(session, records)
        load_s = time.perf_counter() - started
    holder = IndexHolder()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with factory() as session:
        started = time.perf_counter()
        holder.get(session)
        build_s = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    timings: list[float] = []
    with factory() as session:
        mix = [(q, Filters()) for q in QUERIES] + list(FILTERED)
        for _ in range(2):  # warm-up
            for query, filters in mix:
                holder.get(session).search(query, filters=filters, limit=20)
        for _ in range(rounds):
            for query, filters in mix:
                started = time.perf_counter()
                holder.get(session).search(query, filters=filters, limit=20)
                timings.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return {
        "services": len(records),
        "load_s": round(load_s, 1),
        "index_build_s": round(build_s, 2),
        "index_rss_mib": round((rss_after - rss_before) / 1024, 1),
        "searches": len(timings),
        "median_ms": round(median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "max_ms": round(max(timings), 2),
    }


def measure_page(seconds: float) -> dict[str, Any]:
    """p50/p95 of a service page with 50 concurrent clients on `idara serve` (SQLite)."""
    data_dir = Path(tempfile.mkdtemp(prefix="idara-bench-page-"))
    port = free_port()
    env = idara_env(data_dir, port)
    try:
        subprocess.run(
            [*idara_command(), "demo", "--no-serve", "--port", str(port)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        path = SERVICE_PAGE
        tool = "wrk" if wrk_available() else "python"
        cpus = {0} if len(os.sched_getaffinity(0)) > 1 else None
        with Server(
            "idara", [*idara_command(), "serve", "--port", str(port)], port, env=env, cpus=cpus
        ) as server:
            server.start()
            run_load(tool, port, path, 50, 2, {1} if cpus else None)  # warm-up
            result = run_load(tool, port, path, 50, seconds, {1} if cpus else None)
        return {"tool": tool_version(tool), "path": path, "connections": 50, **result.as_dict()}
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    """Run the measurements and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--no-page", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sample = sample_records()
    scale = list(synthetic_records(args.scale))
    results: dict[str, Any] = {"machine": machine_info(), "search": [], "page": None}
    rows = []
    for backend in args.backends.split(","):
        for label, records, rounds in (
            ("sample", sample, args.rounds),
            ("scale", scale, max(3, args.rounds // 4)),
        ):
            with database(backend, args.pg_url) as settings:
                figures = measure_search(settings, records, rounds)
            results["search"].append({"backend": backend, "catalogue": label, **figures})
            goal = 30 if label == "sample" else 100
            rows.append(
                [
                    backend,
                    figures["services"],
                    figures["median_ms"],
                    figures["p95_ms"],
                    goal,
                    figures["index_build_s"],
                    figures["index_rss_mib"],
                    figures["load_s"],
                ]
            )
            print(f"{backend} {label}: {figures}", file=sys.stderr)
    print_table(
        [
            "backend",
            "services",
            "median ms",
            "p95 ms",
            "goal p95 ms",
            "index build s",
            "index RSS MiB",
            "bulk load s",
        ],
        rows,
    )
    if not args.no_page:
        page = measure_page(args.seconds)
        results["page"] = page
        print()
        print_table(
            ["service page", "clients", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
            [
                [
                    page["path"][:40] + "…",
                    50,
                    page["rps"],
                    page["p50_ms"],
                    page["p95_ms"],
                    page["p99_ms"],
                    page["errors"] + page["non_2xx"],
                ]
            ],
        )
    saved = save_results("catalogue_search", results, args.json)
    print(f"\nresults: {saved}", file=sys.stderr)


if __name__ == "__main__":
    main()
