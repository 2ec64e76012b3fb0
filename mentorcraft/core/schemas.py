from __future__ import annotations

from typing import Any, Literal

from django.db.models import TextChoices
from ninja import Schema


class ErrorOut(Schema):
    """Every error: a sentence, or field names mapped to their messages."""

    detail: Any


# Error responses every protected operation may give; listed so the OpenAPI schema is truthful.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    return {status: ok, **ERRORS}


def one_of(choices: type[TextChoices], *, blank: bool = False) -> Any:
    """A field type that takes exactly a model's choices (and "" too when ``blank``), so the
    schema lists them as an enum: ``kind: one_of(Closure.Kind)``."""
    return Literal[tuple([""] * blank + list(choices.values))]


def file_responses(content_type: str, description: str, *, binary: bool = False) -> dict:
    """What an operation that answers a file rather than JSON passes as ``openapi_extra``, with
    ``response=dict(ERRORS)`` for its errors, so the schema names the file's content type::

        @router.get("/x.ics", response=dict(ERRORS),
                    openapi_extra=file_responses("text/calendar", "The calendar file."))
    """
    schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
    return {
        "responses": {
            200: {"description": description, "content": {content_type: {"schema": schema}}}
        }
    }
