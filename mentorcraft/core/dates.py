"""Dates people can mean. A programme in the year 9999 is a typing slip, and date arithmetic
near the calendar's edge fails (adding twelve months to 9999-12-31). One range for the whole
platform, used by model fields (so forms follow) and by API schemas alike."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from pydantic import Field

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
MESSAGE = f"Choose a date between {EARLIEST:%Y} and {LATEST:%Y}."


def plausible_date(value: datetime.date | None) -> None:
    """A model field validator."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(MESSAGE, code="implausible_date")


def is_plausible(value: datetime.date | None) -> bool:
    return value is not None and EARLIEST <= value <= LATEST


# For API schemas: ``start_date: PlausibleDate``; the same range, documented in the schema
# (JSON Schema bounds numbers only, so the years 2000 to 2099 are written as a pattern).
DATE_PATTERN = r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"
PlausibleDate = Annotated[
    datetime.date,
    Field(ge=EARLIEST, le=LATEST, description=MESSAGE, json_schema_extra={"pattern": DATE_PATTERN}),
]
