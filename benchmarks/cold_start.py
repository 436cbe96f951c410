"""Cold start of `idara serve`: from spawning the process to the first 200 on GET /healthz.

Each run is a new process on a new free port, on the same temporary data directory that was
migrated once with `idara db upgrade` beforehand. The file cache is warm after the first run
(the figures are "new process", not "cold disk"). The issue's goal is under 2 s.

    .venv/bin/python benchmarks/cold_start.py [--runs 7] [--json]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import (
    Server,
    free_port,
    idara_command,
    idara_env,
    machine_info,
    median,
    migrated_data_dir,
    print_table,
    save_results,
)

GOAL_S = 2.0


def _time_command(argv: list[str], env: dict[str, str], cwd: Path, runs: int) -> list[float]:
    """Wall time of a short command, for the breakdown (interpreter, imports)."""
    times = []
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.monotonic() - started)
    return times


def main() -> int:
    """Run the benchmark and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="server starts (default 7)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not 1 <= args.runs <= 50:
        parser.error("--runs must be between 1 and 50")

    samples: list[float] = []
    with migrated_data_dir() as data_dir:
        for run in range(args.runs):
            port = free_port()
            server = Server(
                "idara",
                [*idara_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                port,
                env=idara_env(data_dir, port),
                cwd=data_dir,
            )
            with server:
                seconds = server.start("/healthz")
            samples.append(seconds)
            print(f"run {run + 1}/{args.runs}: {seconds:.3f} s", file=sys.stderr)
            time.sleep(0.2)  # let the previous process release its port and memory

        # Where the time goes: a bare interpreter, then importing what `serve` imports.
        env = idara_env(data_dir, 8000)
        breakdown = {
            "python -c pass": _time_command([sys.executable, "-c", "pass"], env, data_dir, 5),
            "python -c 'import idara.cli'": _time_command(
                [sys.executable, "-c", "import idara.cli"], env, data_dir, 5
            ),
            "python -c 'import idara.asgi, uvicorn'": _time_command(
                [sys.executable, "-c", "import idara.asgi, uvicorn"], env, data_dir, 5
            ),
            "idara --help": _time_command([*idara_command(), "--help"], env, data_dir, 5),
        }

    results: dict[str, Any] = {
        "benchmark": "cold_start",
        "machine": machine_info(),
        "command": "idara serve --host 127.0.0.1 --port <free port>",
        "env": {"IDARA_ENV": "development", "IDARA_DATA_DIR": "<temp dir, migrated>"},
        "runs": args.runs,
        "samples_s": [round(s, 4) for s in samples],
        "median_s": round(median(samples), 4),
        "min_s": round(min(samples), 4),
        "max_s": round(max(samples), 4),
        "first_run_s": round(samples[0], 4),
        "goal_s": GOAL_S,
        "goal_met": median(samples) < GOAL_S,
        "breakdown_median_s": {k: round(median(v), 4) for k, v in breakdown.items()},
    }
    path = save_results("cold_start", results, args.json)
    if not args.json:
        print()
        print_table(
            ["what", "runs", "median s", "min s", "max s", "goal", "met"],
            [
                [
                    "idara serve -> first 200 /healthz",
                    args.runs,
                    f"{results['median_s']:.3f}",
                    f"{results['min_s']:.3f}",
                    f"{results['max_s']:.3f}",
                    f"< {GOAL_S:.0f} s",
                    "yes" if results["goal_met"] else "NO",
                ]
            ],
        )
        print()
        print_table(
            ["breakdown (5 runs each)", "median s"],
            [[k, f"{v:.3f}"] for k, v in results["breakdown_median_s"].items()],
        )
        print(f"\nresults saved to {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
