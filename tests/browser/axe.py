"""Run axe-core (shipped inside the axe-playwright-python wheel) on a page."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_axe = Axe()
BLOCKING = {"serious", "critical"}


def blocking_violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical WCAG violations axe-core finds on the page."""
    results = _axe.run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            }
        },
    )
    violations: list[dict[str, Any]] = results.response["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v.get("impact") in BLOCKING
    ]
