"""Delivery of back-channel logout tokens (Back-Channel Logout 1.0 §2.5), after the response.

§2.5: a form POST of `logout_token`; the relying party answers 200 (or 204). A relying party
on this very application (the portal) is called in-process through the ASGI app: posting
to our own public origin over the network would go out and back through the load balancer
for nothing, and in tests there is no network at all. Failures are logged, never raised:
one unreachable relying party must not stop the others from hearing of the logout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
import structlog

from idara.trust.flows.logout import Delivery

log = structlog.get_logger(__name__)


async def deliver(
    app: Any, deliveries: Sequence[Delivery], *, own_origin: str, timeout_s: float
) -> int:
    """Post each logout token; returns how many relying parties acknowledged."""
    acknowledged = 0
    for delivery in deliveries:
        local = delivery.uri.startswith(own_origin + "/")
        transport = httpx.ASGITransport(app=app) if local else None
        base = own_origin if local else ""
        async with httpx.AsyncClient(transport=transport, timeout=timeout_s, base_url=base) as http:
            try:
                response = await http.post(
                    delivery.uri,
                    data={"logout_token": delivery.logout_token},
                    headers={"Cache-Control": "no-store"},
                )
            except httpx.HTTPError as exc:
                log.warning(
                    "backchannel_logout_failed",
                    client_id=delivery.client_id,
                    error=type(exc).__name__,
                )
                continue
        if response.status_code in (200, 204):
            acknowledged += 1
        else:
            log.warning(
                "backchannel_logout_refused",
                client_id=delivery.client_id,
                status=response.status_code,
            )
    return acknowledged
