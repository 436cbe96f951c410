"""Dependencies of the catalogue's routes: the search index, the signed-in administrator."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from idara.catalogue.index import SearchIndex
from idara.catalogue.search import IndexHolder
from idara.web.deps import DbSession
from idara.web.errors import IdaraError
from idara.web.policy import Principal, principal

_HOLDER_LOCK = threading.Lock()


def index_holder(request: Request) -> IndexHolder:
    """This application's search index holder (one per worker process)."""
    state = request.app.state
    holder: IndexHolder | None = getattr(state, "catalogue_index", None)
    if holder is None:
        with _HOLDER_LOCK:
            holder = getattr(state, "catalogue_index", None)
            if holder is None:
                holder = IndexHolder()
                state.catalogue_index = holder
    return holder


def search_index(request: Request, db: DbSession) -> SearchIndex:
    """The search index, fresh for this request's view of the database."""
    return index_holder(request).get(db)


def current_admin(request: Request) -> Principal:
    """The signed-in administrator (the `admin` policy has already let the request in)."""
    who = principal(request)
    if who is None:
        raise IdaraError("unauthorized")
    return who


Index = Annotated[SearchIndex, Depends(search_index)]
CurrentAdmin = Annotated[Principal, Depends(current_admin)]
