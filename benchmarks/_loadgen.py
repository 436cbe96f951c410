"""Closed-loop HTTP load on 127.0.0.1: wrk when installed, else a small asyncio client.

Both keep N keep-alive connections busy for a fixed duration and report the requests
completed, latency percentiles and the load generator's own CPU time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass

from _common import HOST, percentile, pin_to

# wrk calls done() once at the end; latencies are in microseconds.
_WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'IDARA_BENCH {"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,'
    .. '"p50_us":%.0f,"p95_us":%.0f,"p99_us":%.0f,"max_us":%.0f,"mean_us":%.1f,'
    .. '"errors":%.0f,"non_2xx":%.0f}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class LoadResult:
    """What one load run measured."""

    tool: str
    requests: int
    duration_s: float
    bytes: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    non_2xx: int
    client_cpu_s: float

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.duration_s

    def as_dict(self) -> dict[str, float]:
        """The fields plus requests per second."""
        return {**asdict(self), "rps": round(self.rps, 1)}


def wrk_available() -> bool:
    """Whether the wrk binary is on PATH."""
    return shutil.which("wrk") is not None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(
    port: int, path: str, connections: int, seconds: float, cpus: set[int] | None
) -> LoadResult:
    """Run wrk with one thread (it needs far less CPU than the server) and parse its report."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_REPORT)
    try:
        before = _children_cpu()
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://{HOST}:{port}{path}",
            ],
            check=True,
            capture_output=True,
            text=True,
            preexec_fn=pin_to(cpus),
        ).stdout
        client_cpu = _children_cpu() - before
    finally:
        os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("IDARA_BENCH "))
    data = json.loads(line.removeprefix("IDARA_BENCH "))
    return LoadResult(
        tool="wrk",
        requests=int(data["requests"]),
        duration_s=data["duration_us"] / 1e6,
        bytes=int(data["bytes"]),
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors=int(data["errors"]),
        non_2xx=int(data["non_2xx"]),
        client_cpu_s=client_cpu,
    )


async def _client(
    port: int, path: str, deadline: float, latencies: list[float], tally: dict[str, int]
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for header in head.split(b"\r\n")[1:]:
                name, _, value = header.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            tally["bytes"] += len(head) + len(body)
            if head[9:10] != b"2":
                tally["non_2xx"] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError):
        tally["errors"] += 1
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _python_load(port: int, path: str, connections: int, seconds: float) -> LoadResult:
    latencies: list[float] = []
    tally = {"bytes": 0, "errors": 0, "non_2xx": 0}
    cpu_before = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(port, path, deadline, latencies, tally) for _ in range(connections))
    )
    duration = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    return LoadResult(
        tool="python-asyncio",
        requests=len(latencies),
        duration_s=duration,
        bytes=tally["bytes"],
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        max_ms=max(ms, default=float("nan")),
        errors=tally["errors"],
        non_2xx=tally["non_2xx"],
        client_cpu_s=time.process_time() - cpu_before,
    )


def run_python(
    port: int, path: str, connections: int, seconds: float, cpus: set[int] | None
) -> LoadResult:
    """The fallback generator, in this process (pinned to cpus for the run)."""
    previous = os.sched_getaffinity(0)
    if cpus:
        os.sched_setaffinity(0, cpus)
    try:
        try:
            import uvloop  # the server's own loop; much faster than asyncio's default

            return uvloop.run(_python_load(port, path, connections, seconds))
        except ImportError:
            return asyncio.run(_python_load(port, path, connections, seconds))
    finally:
        os.sched_setaffinity(0, previous)


def run_load(
    tool: str, port: int, path: str, connections: int, seconds: float, cpus: set[int] | None
) -> LoadResult:
    """Dispatch to wrk or the Python generator."""
    if tool == "wrk":
        return run_wrk(port, path, connections, seconds, cpus)
    return run_python(port, path, connections, seconds, cpus)


def tool_version(tool: str) -> str:
    """A one-line description of the load generator."""
    if tool != "wrk":
        return "python asyncio (uvloop) raw HTTP/1.1 keep-alive client"
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"
