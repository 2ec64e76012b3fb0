from __future__ import annotations

from typing import Annotated

from django.http import Http404
from pydantic import Field

MAX_ID = 2**63 - 1  # the largest primary key SQLite and PostgreSQL's bigint can hold


def require_id(value: int, what: str = "item") -> int:
    """An id from a URL, or 404: a number no row can have is simply not found (never a 500)."""
    if not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise Http404(f"No such {what}.")
    return value


def parse_id(raw: object, what: str = "item") -> int:
    """An id typed into a form or query string: anything that is not a valid id is a 404."""
    try:
        return require_id(int(str(raw)), what)
    except (TypeError, ValueError):
        raise Http404(f"No such {what}.") from None


# An id in an API body (``mentor_id: Id``, ``topic_ids: list[Id]``): a number no row can have
# is refused with 422 naming the field, instead of reaching the database (where 2**63 was a
# 500). One type for every schema.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# An object keyed by ids (``ratings: dict[Id, int] = Field(json_schema_extra=ID_KEYS)``): JSON
# keys are strings, so the schema says which strings are ids.
ID_KEYS = {"propertyNames": {"pattern": "^[1-9][0-9]{0,17}$"}}
