"""Shared helpers for the benchmarks: servers, readiness, /proc CPU times, statistics, tables.

Everything here only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

HOST = "127.0.0.1"
BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"  # git-ignored
_CLK_TCK = os.sysconf("SC_CLK_TCK")


def idara_command() -> list[str]:
    """The `idara` console script of the running interpreter's environment."""
    script = Path(sys.executable).parent / "idara"
    return [str(script)] if script.exists() else [sys.executable, "-m", "idara"]


def free_port() -> int:
    """A TCP port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def idara_env(data_dir: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment of an idara process: development mode, the given data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDARA_")}
    env.update(
        IDARA_ENV="development",
        IDARA_DATA_DIR=str(data_dir),
        IDARA_PUBLIC_ORIGIN=f"http://{HOST}:{port}",
        PYTHONWARNINGS="ignore",  # the development-mode warning is expected here
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def migrated_data_dir() -> Iterator[Path]:
    """A temporary data directory holding a SQLite database migrated to head."""
    path = Path(tempfile.mkdtemp(prefix="idara-bench-"))
    try:
        subprocess.run(
            [*idara_command(), "db", "upgrade"],
            env=idara_env(path, 8000),
            cwd=path,  # settings also read ./.env: keep the caller's out of the measurement
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def http_get(port: int, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
    """One GET on a fresh connection; returns the status and the body."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(proc: subprocess.Popen[bytes], port: int, path: str, timeout: float = 30.0) -> float:
    """Poll GET path until it answers 200; returns the monotonic time it first did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before it was ready")
        try:
            status, _ = http_get(port, path, timeout=1.0)
        except OSError:
            status = 0
        if status == 200:
            return time.monotonic()
        time.sleep(0.005)
    raise TimeoutError(f"no 200 from http://{HOST}:{port}{path} within {timeout} s")


def pin_to(cpus: set[int] | None) -> Any:
    """A preexec_fn that pins the child to CPUs (None: no pinning)."""
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


class Server:
    """A server subprocess listening on a port of 127.0.0.1, stopped with SIGTERM."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        port: int,
        env: Mapping[str, str] | None = None,
        cpus: set[int] | None = None,
        stderr: IO[bytes] | int = subprocess.DEVNULL,
        cwd: Path | None = None,
    ) -> None:
        self.name, self.argv, self.port = name, list(argv), port
        self.env, self.cpus, self.stderr, self.cwd = env, cpus, stderr, cwd
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, ready_path: str = "/healthz") -> float:
        """Start the process and wait until ready; returns seconds from spawn to ready."""
        started = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv,
            env=dict(self.env) if self.env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            cwd=self.cwd,
            preexec_fn=pin_to(self.cpus),
            start_new_session=True,
        )
        try:
            return wait_ready(self.proc, self.port, ready_path) - started
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; to see why, run: {' '.join(self.argv)}") from None

    @property
    def pid(self) -> int:
        """The server's process id."""
        assert self.proc is not None, "server not started"
        return self.proc.pid

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL after 10 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _stat_fields(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/stat").read_text()
    # The command name (field 2) may contain spaces: split after its closing parenthesis.
    return raw[raw.rindex(")") + 2 :].split()


def process_tree_cpu_seconds(root: int) -> float:
    """utime+stime of a process and all its live descendants, plus its reaped children."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                children.setdefault(int(_stat_fields(int(entry.name))[1]), []).append(
                    int(entry.name)
                )
    ticks = 0
    fields = _stat_fields(root)
    ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: children already reaped
    stack = [root]
    while stack:
        pid = stack.pop()
        with contextlib.suppress(OSError):
            fields = _stat_fields(pid)
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        stack.extend(children.get(pid, []))
    return ticks / _CLK_TCK


def percentile(values: Sequence[float], pct: float) -> float:
    """The pct-th percentile (0-100) with linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median; NaN for no values."""
    return percentile(values, 50)


def machine_info() -> dict[str, Any]:
    """What the figures were measured on."""
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu_model": model,
        "memory": memory,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "idara": idara_source(),
    }


def idara_source() -> dict[str, str]:
    """Which idara code is measured: its directory, and the git commit when it is a checkout.

    PYTHONPATH=<dir>/src measures another tree, such as a commit exported with git archive.
    """
    spec = importlib.util.find_spec("idara")
    origin = Path(spec.origin).parent if spec and spec.origin else Path("?")
    info = {"path": str(origin)}
    git = ["git", "-C", str(origin)]
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        info["commit"] = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "status", "--porcelain", "--", "."], capture_output=True, text=True, check=True
        ).stdout
        info["uncommitted_changes_in_src"] = "yes" if changed.strip() else "no"
    return info


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A Markdown table, columns padded for reading in a terminal."""
    cells = [[str(h) for h in headers], *[[_fmt(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    print(line(cells[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print(line(row))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1 else f"{value:,.1f}"
    return str(value)


def save_results(name: str, results: Mapping[str, Any], as_json: bool) -> Path:
    """Write results to benchmarks/results/<name>-<time>.json; print them with --json."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    text = json.dumps(results, indent=2, default=str)
    path.write_text(text + "\n")
    if as_json:
        print(text)
    return path
