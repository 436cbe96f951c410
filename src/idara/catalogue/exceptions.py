"""Errors of the catalogue a user or client can cause, with stable codes (registered on import)."""

from __future__ import annotations

from idara.web.errors import ERRORS, N_, ErrorSpec

CATALOGUE_ERRORS = {
    "catalogue_no_draft": ErrorSpec(
        404,
        N_("No draft to review"),
        N_("This service has no draft waiting: edit it first, then review and publish it."),
    ),
}
ERRORS.update(CATALOGUE_ERRORS)
