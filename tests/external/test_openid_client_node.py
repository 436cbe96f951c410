"""openid-client (npm, OpenID Certified) as an external FAPI 2.0 relying party over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.external.conftest import CitizenBrowser, LiveProvider

SCRIPT = Path(__file__).with_name("openid_client_flow.mjs")


def _openid_client() -> Path:
    """openid-client 6 installed once into a cache directory (npm install, then reused)."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("npm and node are not installed")
    cache = Path(os.environ.get("IDARA_NPM_CACHE", Path.home() / ".cache" / "idara-npm"))
    package = cache / "node_modules" / "openid-client" / "package.json"
    if not package.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(cache), "openid-client@6", "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    # ES modules resolve packages from the script's own folder: run a copy placed there.
    shutil.copy(SCRIPT, cache / SCRIPT.name)
    return cache / "node_modules"


def test_openid_client_signs_in_with_par_dpop_pkce_and_private_key_jwt(
    live_provider: LiveProvider, citizen_browser: CitizenBrowser
) -> None:
    modules = _openid_client()
    with subprocess.Popen(
        [
            "node",
            str(modules.parent / SCRIPT.name),
            live_provider.origin,
            "ext-fapi",
            str(live_provider.fapi_key_file),
            live_provider.redirect_uri,
            live_provider.post_logout_uri,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=modules.parent,
    ) as node:
        result = _drive(node, citizen_browser)
    assert result["token_type"].lower() == "dpop"
    assert result["acr"] == "urn:idara:loa:high" and set(result["amr"]) == {"hwk", "pin"}
    assert result["userinfo"]["sub"] == result["sub"] and result["userinfo"]["family_name"]
    assert result["refreshed"] and result["refresh_rotated"]
    ended = citizen_browser.http.get(result["logout"])
    assert ended.status_code == 302
    assert ended.headers["location"] == f"{live_provider.post_logout_uri}?state=bye"


def _drive(node: subprocess.Popen[str], browser: CitizenBrowser) -> dict[str, Any]:
    """Hand the authorization URL to the citizen's browser and the callback back to node."""
    try:
        assert node.stdout is not None and node.stdin is not None
        first = node.stdout.readline()
        assert first, node.stderr.read() if node.stderr else ""
        authorize = json.loads(first)["authorize"]
        assert "request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A" in authorize
        callback = browser.authorize(authorize)
        node.stdin.write(json.dumps({"callback": callback}) + "\n")
        node.stdin.flush()
        line = node.stdout.readline()
        assert line, node.stderr.read() if node.stderr else ""
        result: dict[str, Any] = json.loads(line)["result"]
    finally:
        node.kill()
        node.wait(timeout=10)
    return result
