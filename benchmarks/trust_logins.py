"""Complete logins per second and token-endpoint requests per second, Idara next to oidc-provider.

A complete Idara login, per virtual user on its own keep-alive connection and a fresh cookie
jar: `GET /oidc/authorize` (code flow, PKCE S256, state, nonce) → `POST /auth/card/challenge`
→ the user's virtual card signs the nonce (here, as the card would) → `POST /auth/card/token`
(full Web eID validation) → `GET /oidc/authorize/continue/…` (consent remembered) → code →
`POST /oidc/token` (private_key_jwt, ES256 ID token) → `GET /oidc/userinfo`. The same flow
on panva's oidc-provider (npm, node; `oidc_provider_server.mjs`, in-memory storage) has no
card: its login interaction takes the account id. The token-endpoint figure is the
client-credentials grant with a fresh private_key_jwt assertion per request on both.
Servers are pinned to CPU 0, this load generator to CPU 1; each server's CPU time per
operation comes from /proc. Rounds alternate the two servers.

    .venv/bin/python benchmarks/trust_logins.py [--seconds 10] [--rounds 2] [--users 20] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from joserfc.jwk import ECKey
from sqlalchemy import create_engine, text

from _common import (
    REPO_ROOT,
    Server,
    free_port,
    idara_command,
    idara_env,
    machine_info,
    median,
    migrated_data_dir,
    percentile,
    print_table,
    process_tree_cpu_seconds,
    save_results,
)
from _trust_flows import client_credentials, idara_login, op_login, prepare_idara
from idara.identity import card_crypto

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NPM_DIR = Path(os.environ.get("IDARA_NPM_CACHE", Path.home() / ".cache" / "idara-npm-bench"))
Card = tuple[card_crypto.CardKey, bytes]


async def _loop(
    origin: str, users: int, seconds: float, op: Callable[[httpx.AsyncClient, int], Awaitable[None]]
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def user(index: int) -> None:
        nonlocal errors
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=origin, limits=limits, timeout=30) as http:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    await op(http, index)
                except (AssertionError, KeyError, httpx.HTTPError, ValueError):
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(user(i) for i in range(users)))
    return latencies, errors


def measure(
    server: Server,
    origin: str,
    users: int,
    seconds: float,
    op: Callable[[httpx.AsyncClient, int], Awaitable[None]],
) -> dict[str, float]:
    """Run the operation for `seconds` and report its rate, latency and server CPU per op."""
    asyncio.run(_loop(origin, users, 2, op))  # warm-up
    cpu = process_tree_cpu_seconds(server.pid)
    started = time.perf_counter()
    latencies, errors = asyncio.run(_loop(origin, users, seconds, op))
    elapsed = time.perf_counter() - started
    cpu = process_tree_cpu_seconds(server.pid) - cpu
    ms = [x * 1000 for x in latencies]
    done = len(latencies)
    return {
        "ops": done,
        "per_s": done / elapsed,
        "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
        "cpu_ms_per_op": 1000 * cpu / max(done, 1),
        "errors": errors,
    }


def _node_script() -> Path:
    """oidc-provider installed into a cache directory, and the server script beside it."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise SystemExit("node and npm are needed for the oidc-provider comparison")
    if not (NPM_DIR / "node_modules" / "oidc-provider").exists():
        NPM_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(NPM_DIR),
                "oidc-provider@9",
                "--no-audit",
                "--no-fund",
            ],
            check=True,
            capture_output=True,
        )
    target = NPM_DIR / "oidc_provider_server.mjs"
    shutil.copy(Path(__file__).with_name("oidc_provider_server.mjs"), target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--token-clients", type=int, default=20)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    key = ECKey.generate_key("P-256", auto_kid=True)
    cpus = {0} if (os.cpu_count() or 1) > 1 else None
    if cpus:
        os.sched_setaffinity(0, set(range(1, os.cpu_count() or 2)))
    script = _node_script()
    results: dict[str, Any] = {"machine": machine_info(), "rounds": []}
    schema = "idara_bench_trust_logins" if args.db == "postgres" else None
    admin = create_engine(PG_URL) if schema else None
    if admin is not None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    extra_env = {"IDARA_DB__URL": f"{PG_URL}?options=-csearch_path%3D{schema}"} if schema else {}
    try:
        run(args, key, cpus, script, results, schema, extra_env)
    finally:
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
    summarise(args, results)
    return 0


def run(
    args: argparse.Namespace,
    key: ECKey,
    cpus: set[int] | None,
    script: Path,
    results: dict[str, Any],
    schema: str | None,
    extra_env: dict[str, str],
) -> None:
    """Prepare both servers, start them, and measure the rounds."""
    with migrated_data_dir() as data_dir:
        cards = prepare_idara(data_dir, args.users, key, PG_URL if schema else None, schema)
        jwks_file, op_key_file = data_dir / "client-jwks.json", data_dir / "op-key.json"
        jwks_file.write_text(json.dumps({"keys": [key.as_dict(private=False)]}))
        op_key = ECKey.generate_key("P-256", auto_kid=True)
        op_key_file.write_text(
            json.dumps({**op_key.as_dict(private=True), "use": "sig", "alg": "ES256"})
        )
        idara_port, op_port = free_port(), free_port()
        idara_origin, op_origin = f"http://127.0.0.1:{idara_port}", f"http://127.0.0.1:{op_port}"
        env = idara_env(
            data_dir,
            idara_port,
            IDARA_WEB__SECRET_KEY="b" * 40,
            IDARA_IDENTITY__LOCKOUT__IP_ATTEMPTS="1000000000",
            **extra_env,
        )
        idara = Server(
            "idara",
            [*idara_command(), "serve", "--port", str(idara_port)],
            idara_port,
            env=env,
            cpus=cpus,
            cwd=data_dir,
        )
        node = Server(
            "oidc-provider",
            ["node", str(script), str(op_port), str(jwks_file), str(op_key_file)],
            op_port,
            cpus=cpus,
            cwd=NPM_DIR,
        )
        with idara, node:
            idara.start()
            node.start()
            for number in range(args.rounds):
                row = {
                    "round": number + 1,
                    "idara_login": measure(
                        idara,
                        idara_origin,
                        args.users,
                        args.seconds,
                        lambda h, i: idara_login(h, cards[i], key, idara_origin),
                    ),
                    "op_login": measure(
                        node,
                        op_origin,
                        args.users,
                        args.seconds,
                        lambda h, i: op_login(h, f"user{i}", key, op_origin),
                    ),
                    "idara_token": measure(
                        idara,
                        idara_origin,
                        args.token_clients,
                        args.seconds,
                        lambda h, i: client_credentials(
                            h, "/oidc/token", key, idara_origin, "identity_verification"
                        ),
                    ),
                    "op_token": measure(
                        node,
                        op_origin,
                        args.token_clients,
                        args.seconds,
                        lambda h, i: client_credentials(h, "/token", key, op_origin, "openid"),
                    ),
                }
                results["rounds"].append(row)


def summarise(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """Medians over rounds, the table, the saved JSON."""
    results["db"] = args.db
    summary = {
        name: {
            field: median([r[name][field] for r in results["rounds"]])
            for field in ("per_s", "p50_ms", "p99_ms", "cpu_ms_per_op", "errors")
        }
        for name in ("idara_login", "op_login", "idara_token", "op_token")
    }
    results["summary"] = summary
    table = []
    for label, a, b in (
        ("complete login", "idara_login", "op_login"),
        ("token endpoint", "idara_token", "op_token"),
    ):
        for who in (a, b):
            s = summary[who]
            table.append(
                [
                    label,
                    "idara" if who == a else "oidc-provider",
                    f"{s['per_s']:.1f}",
                    f"{s['p50_ms']:.1f}",
                    f"{s['p99_ms']:.1f}",
                    f"{s['cpu_ms_per_op']:.2f}",
                    int(s["errors"]),
                ]
            )
        table.append(
            [
                label,
                "ratio idara / oidc-provider",
                f"{summary[a]['per_s'] / summary[b]['per_s']:.2f}",
                "",
                "",
                f"{summary[a]['cpu_ms_per_op'] / summary[b]['cpu_ms_per_op']:.2f}",
                "",
            ]
        )
    path = save_results("trust_logins", results, args.json)
    if not args.json:
        print_table(
            ["operation", "server", "per second", "p50 ms", "p99 ms", "server CPU ms/op", "errors"],
            table,
        )
        print(f"\nsaved {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
