"""The framework ceiling: a bare Starlette "hello" app, served like `idara serve` serves idara.

    .venv/bin/python benchmarks/bare_app.py --port 8001

The uvicorn options are those of idara.cli._run_server with one worker: the same automatic
loop and HTTP implementation (uvloop and httptools when installed), no access log, no
server header, no logging configuration, no proxy headers.
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route


async def hello(request: Request) -> Response:
    """The cheapest useful response."""
    return PlainTextResponse("Hello, world!")


async def healthz(request: Request) -> Response:
    """Readiness, answered like idara's /healthz."""
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/", hello), Route("/healthz", healthz)])


def main() -> None:
    """Serve the app on 127.0.0.1 with idara's uvicorn options."""
    parser = argparse.ArgumentParser(description="Bare Starlette hello app.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        workers=1,
        access_log=False,
        proxy_headers=False,
        forwarded_allow_ips=None,
        server_header=False,
        log_config=None,
    )


if __name__ == "__main__":
    main()
