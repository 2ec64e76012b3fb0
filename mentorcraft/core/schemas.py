from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """Every error: a sentence, or field names mapped to their messages."""

    detail: Any


# Error responses every protected operation may give; listed so the OpenAPI schema is truthful.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    return {status: ok, **ERRORS}
