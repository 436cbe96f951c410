"""Every route declares exactly one access policy; the app is walked to prove it."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount

from idara.main import create_app
from idara.settings import Settings
from idara.web.policy import Access, access_of, public


def undeclared_routes(app: FastAPI) -> list[str]:
    """Routes with no policy, or with more than one."""
    problems = []
    # Included routers are resolved lazily: their effective routes carry the router's
    # dependencies merged with the route's own, which is what a request goes through.
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            policies = [access_of(dep.call) for dep in context.dependant.dependencies]
            declared = [p for p in policies if p is not None]
            if len(declared) != 1:
                problems.append(f"{sorted(context.methods or ())} {context.path}: {declared}")
        elif isinstance(route, Mount) and route.path == "/static":
            continue  # static assets are public by nature
        else:
            problems.append(f"{type(route).__name__} {context.path}")
    return problems


def test_every_route_of_the_app_declares_exactly_one_access_policy(settings: Settings) -> None:
    app = create_app(settings)
    assert len(list(iter_route_contexts(app.routes))) > 4
    assert undeclared_routes(app) == []


def test_the_walker_catches_a_route_without_a_policy(settings: Settings) -> None:
    app = create_app(settings)
    stray = APIRouter()

    @stray.get("/stray")
    def stray_route() -> None: ...

    app.include_router(stray)
    assert undeclared_routes(app) == ["['GET'] /stray: []"]


def test_the_walker_catches_a_route_with_two_policies(settings: Settings) -> None:
    app = create_app(settings)
    doubled = APIRouter(dependencies=[public])

    @doubled.get("/doubled", dependencies=[public])
    def doubled_route() -> None: ...

    app.include_router(doubled)
    assert undeclared_routes(app) == [f"['GET'] /doubled: [{Access.PUBLIC!r}, {Access.PUBLIC!r}]"]
