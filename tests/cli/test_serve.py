"""`idara serve` as operators run it: several worker processes, merged metrics."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import httpx

from tests.browser.conftest import free_port
from tests.live_server import IDARA, running_idara


def test_serve_runs_several_workers_and_merges_their_metrics(tmp_path: Path) -> None:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "IDARA_ENV": "development",
        "IDARA_DATA_DIR": str(tmp_path),
        "IDARA_PUBLIC_ORIGIN": origin,
        "IDARA_WEB__SECRET_KEY": "serve-test-" + "s" * 32,
        "IDARA_LOG__JSON": "true",
    }
    env.pop("IDARA_DB__URL", None)
    subprocess.run([*IDARA, "db", "upgrade"], env=env, check=True, capture_output=True)
    log = tmp_path / "serve.log"
    with running_idara(env, port, log, args=["--workers", "2"]):
        for _ in range(40):
            # New connections spread the requests over both workers.
            assert httpx.get(f"{origin}/healthz").status_code == 200
        metrics = httpx.get(f"{origin}/metrics").text
    served = re.findall(
        r'idara_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)', metrics
    )
    assert served and float(served[0]) >= 40
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    assert any('"event": "request"' in line for line in lines)
