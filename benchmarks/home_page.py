"""A rendered page (GET /fr/) under concurrent load, side by side with a bare Starlette app.

Both servers run with one uvicorn worker and the same uvicorn options; idara runs as
`idara serve` with IDARA_ENV=development, a migrated SQLite data directory and its default
logging (INFO, one JSON access line per request on stderr, sent to /dev/null). Rounds
alternate the two servers so that drift in the machine's load hits both alike; the table
gives the median over rounds. With two or more CPUs both servers are pinned to CPU 0 and
the load generator to CPU 1 (--no-pin to let the scheduler decide). The server's CPU time
per request comes from /proc/<pid>/stat (utime+stime of the process and its children).

    .venv/bin/python benchmarks/home_page.py [--rounds 3] [--seconds 10] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from typing import Any

from _common import (
    BENCH_DIR,
    Server,
    free_port,
    http_get,
    idara_command,
    idara_env,
    machine_info,
    median,
    migrated_data_dir,
    print_table,
    process_tree_cpu_seconds,
    save_results,
)
from _loadgen import LoadResult, run_load, tool_version, wrk_available

SERVERS = ("idara", "bare")


def _measure(server: Server, tool: str, path: str, args: argparse.Namespace) -> dict[str, Any]:
    cpu_before = process_tree_cpu_seconds(server.pid)
    load: LoadResult = run_load(
        tool, server.port, path, args.connections, args.seconds, args.client_cpus
    )
    server_cpu = process_tree_cpu_seconds(server.pid) - cpu_before
    if load.requests == 0:
        raise RuntimeError(f"{server.name}: no request completed")
    return {
        **load.as_dict(),
        "server_cpu_s": round(server_cpu, 3),
        "server_cpu_ms_per_req": server_cpu * 1000 / load.requests,
        "server_cpu_pct": 100 * server_cpu / load.duration_s,
        "client_cpu_pct": 100 * load.client_cpu_s / load.duration_s,
        "bytes_per_response": load.bytes / load.requests,
    }


def _summary(runs: list[dict[str, Any]]) -> dict[str, float]:
    keys = ("rps", "p50_ms", "p95_ms", "p99_ms", "server_cpu_ms_per_req", "server_cpu_pct")
    out = {k: round(median([r[k] for r in runs]), 4) for k in keys}
    out["client_cpu_pct"] = round(median([r["client_cpu_pct"] for r in runs]), 1)
    out["bytes_per_response"] = round(median([r["bytes_per_response"] for r in runs]))
    out["errors"] = sum(r["errors"] + r["non_2xx"] for r in runs)
    return out


def main() -> int:
    """Run the benchmark and print the tables (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per server (default 3)")
    parser.add_argument("--seconds", type=float, default=10, help="length of a run (10)")
    parser.add_argument("--warmup", type=float, default=3, help="unrecorded first run (3 s)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--path", default="/fr/", help="idara page to load (/fr/)")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-pin", action="store_true", help="do not pin CPUs")
    parser.add_argument("--idara-log-level", default="INFO", help="IDARA_LOG__LEVEL (INFO)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not (1 <= args.rounds <= 10 and 1 <= args.seconds <= 60 and 0 <= args.warmup <= 30):
        parser.error("bounds: 1-10 rounds, 1-60 s per run, 0-30 s of warm-up")
    if not 1 <= args.connections <= 1000:
        parser.error("--connections must be between 1 and 1000")

    tool = args.tool
    if tool == "auto":
        tool = "wrk" if wrk_available() else "python"
    if tool == "python":
        print(
            "wrk not used: the Python load generator competes harder with the server for CPU;"
            " install wrk (apt-get install wrk) for better figures.",
            file=sys.stderr,
        )
    pin = not args.no_pin and len(os.sched_getaffinity(0)) >= 2
    cpus = sorted(os.sched_getaffinity(0))
    server_cpus = {cpus[0]} if pin else None
    args.client_cpus = set(cpus[1:]) if pin else None

    with migrated_data_dir() as data_dir:
        idara_port, bare_port = free_port(), free_port()
        env = idara_env(data_dir, idara_port, IDARA_LOG__LEVEL=args.idara_log_level)
        idara = Server(
            "idara",
            [*idara_command(), "serve", "--host", "127.0.0.1", "--port", str(idara_port)],
            idara_port,
            env=env,
            cpus=server_cpus,
            cwd=data_dir,
        )
        bare = Server(
            "bare",
            [sys.executable, str(BENCH_DIR / "bare_app.py"), "--port", str(bare_port)],
            bare_port,
            cpus=server_cpus,
        )
        paths = {"idara": args.path, "bare": "/"}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in SERVERS}
        with idara, bare:
            servers = {"idara": idara, "bare": bare}
            for name, server in servers.items():
                server.start("/healthz")
                status, _ = http_get(server.port, paths[name])
                if status != 200:
                    raise RuntimeError(f"{name}: GET {paths[name]} answered {status}")
                if args.warmup:
                    run_load(tool, server.port, paths[name], args.connections, args.warmup, None)
            for round_no in range(args.rounds):
                order = SERVERS if round_no % 2 == 0 else SERVERS[::-1]
                for name in order:
                    result = _measure(servers[name], tool, paths[name], args)
                    runs[name].append(result)
                    print(
                        f"round {round_no + 1} {name:5}: {result['rps']:8.1f} req/s"
                        f"  p50 {result['p50_ms']:6.2f} ms  p95 {result['p95_ms']:6.2f} ms"
                        f"  server CPU {result['server_cpu_ms_per_req']:.3f} ms/req",
                        file=sys.stderr,
                    )

    summary = {name: _summary(runs[name]) for name in SERVERS}
    ratios = {
        key: round(summary["idara"][key] / summary["bare"][key], 3)
        for key in ("rps", "p50_ms", "p95_ms", "server_cpu_ms_per_req")
    }
    results: dict[str, Any] = {
        "benchmark": "home_page",
        "machine": machine_info(),
        "load_generator": tool_version(tool),
        "connections": args.connections,
        "seconds_per_run": args.seconds,
        "rounds": args.rounds,
        "pinning": {"servers": sorted(server_cpus or []), "client": sorted(args.client_cpus or [])},
        "uvicorn": {
            "loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
            "http": "httptools" if importlib.util.find_spec("httptools") else "h11",
            "workers": 1,
            "access_log": False,
        },
        "idara": {"path": args.path, "IDARA_ENV": "development", "log_level": args.idara_log_level},
        "bare": {"path": "/", "app": "benchmarks/bare_app.py"},
        "summary": summary,
        "ratio_idara_over_bare": ratios,
        "runs": runs,
    }
    path = save_results("home_page", results, args.json)
    if not args.json:
        print(f"\nload: {results['load_generator']}, {args.connections} connections, ", end="")
        print(f"{args.rounds} x {args.seconds:g} s per server, interleaved; ", end="")
        print(f"pinning: {results['pinning']}")
        headers = ["server", "path", "req/s", "p50 ms", "p95 ms", "p99 ms", "CPU ms/req"]
        headers += ["server CPU %", "client CPU %", "bytes/resp", "errors"]
        rows = [
            [
                name,
                paths[name],
                f"{s['rps']:,.0f}",
                f"{s['p50_ms']:.2f}",
                f"{s['p95_ms']:.2f}",
                f"{s['p99_ms']:.2f}",
                f"{s['server_cpu_ms_per_req']:.3f}",
                f"{s['server_cpu_pct']:.0f}",
                f"{s['client_cpu_pct']:.0f}",
                s["bytes_per_response"],
                s["errors"],
            ]
            for name, s in summary.items()
        ]
        ratio_cells = [f"{ratios[k]:.3g}x" for k in ("rps", "p50_ms", "p95_ms")]
        cpu_ratio = f"{ratios['server_cpu_ms_per_req']:.3g}x"
        rows.append(["idara / bare", "", *ratio_cells, "", cpu_ratio, "", "", "", ""])
        print()
        print_table(headers, rows)
        print("\nper round (req/s):")
        print_table(
            ["server", *[f"round {i + 1}" for i in range(args.rounds)]],
            [[n, *[f"{r['rps']:,.0f}" for r in runs[n]]] for n in SERVERS],
        )
        print(f"\nresults saved to {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
