"""A real `idara serve` in a subprocess, for browser, external-client and CLI tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

IDARA = [sys.executable, "-m", "idara"]


@contextmanager
def running_idara(
    env: dict[str, str],
    port: int,
    log_path: Path,
    *,
    args: Sequence[str] = (),
    timeout_s: float = 30,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `idara serve`, wait for /healthz, and stop it afterwards; fail with its log."""
    origin = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*IDARA, "serve", "--port", str(port), *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    if httpx.get(f"{origin}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("idara serve did not start:\n" + log_path.read_text())
                time.sleep(0.1)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=15)
