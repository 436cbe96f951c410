"""A real `idara serve` process and headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.live_server import running_idara

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's chromium; the README's test command installs it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("IDARA_SKIP_BROWSER"):
            pytest.skip("IDARA_SKIP_BROWSER is set and chromium is not installed")
        pytest.fail("chromium is not installed: run scripts/test, which installs it")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of the served app, for tests that prepare data with the CLI."""
    origin = f"http://127.0.0.1:{free_port()}"
    data_dir = tmp_path_factory.mktemp("browser-data")
    env = {
        **os.environ,
        "IDARA_ENV": "development",
        "IDARA_DATA_DIR": str(data_dir),
        "IDARA_PUBLIC_ORIGIN": origin,
        "IDARA_WEB__SECRET_KEY": "browser-test-secret-" + "k" * 24,
    }
    env.pop("IDARA_DB__URL", None)
    return env


@pytest.fixture(scope="session")
def server(server_env: dict[str, str]) -> Iterator[str]:
    """`idara serve` in a subprocess on a migrated embedded database; yields its origin."""
    env = server_env
    origin = env["IDARA_PUBLIC_ORIGIN"]
    port = int(origin.rsplit(":", 1)[1])
    data_dir = Path(env["IDARA_DATA_DIR"])
    idara = [sys.executable, "-m", "idara"]
    subprocess.run([*idara, "db", "upgrade"], env=env, check=True, capture_output=True)
    with running_idara(env, port, data_dir / "server.log"):
        yield origin


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session."""
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page with a phone-sized viewport (360 px wide)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go (kept for looking at after a run)."""
    target = Path(os.environ.get("IDARA_SCREENSHOTS", tmp_path_factory.mktemp("screens")))
    target.mkdir(parents=True, exist_ok=True)
    return target
