"""Helpers shared by the identity routes: refusing without rolling back, raw JSON bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from idara.identity import exceptions  # noqa: F401  (registers the identity error codes)
from idara.web.errors import IdaraError, error_response


def refuse(request: Request, exc: IdaraError) -> Response:
    """The error as a response, *returned* so that the transaction still commits.

    A failed attempt changes nothing but the audit log and the failure counters, and those
    must be kept: raising would roll them back with everything else.
    """
    return error_response(request, exc.code, status=exc.status, headers=exc.headers, **exc.params)


async def _raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]
