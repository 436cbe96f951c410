"""`idara serve` as operators run it: several worker processes, merged metrics."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import free_port


def wait_until_healthy(origin: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{origin}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    pytest.fail("idara serve did not become healthy:\n" + log.read_text())


def test_serve_runs_several_workers_and_merges_their_metrics(tmp_path: Path) -> None:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "IDARA_ENV": "development",
        "IDARA_DATA_DIR": str(tmp_path),
        "IDARA_PUBLIC_ORIGIN": origin,
        "IDARA_WEB__SECRET_KEY": "serve-test-" + "s" * 32,
    }
    env.pop("IDARA_DB__URL", None)
    idara = [sys.executable, "-m", "idara"]
    subprocess.run([*idara, "db", "upgrade"], env=env, check=True, capture_output=True)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*idara, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(origin, process, log)
            for _ in range(40):
                # New connections spread the requests over both workers.
                assert httpx.get(f"{origin}/healthz").status_code == 200
            metrics = httpx.get(f"{origin}/metrics").text
        finally:
            process.terminate()
            process.wait(timeout=15)
    served = re.findall(
        r'idara_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)', metrics
    )
    assert served and float(served[0]) >= 40
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    assert any('"event": "request"' in line for line in lines)
