"""Validators shared by every app's models, forms and API schemas.

A name, a title or a job is one line of text: it goes into e-mail subjects, calendar summaries and
table cells, where a line break either fails silently (Django refuses a header with a newline) or
breaks the layout. ``single_line`` refuses line breaks, tabs and other control characters in such
fields, on the page and in the API alike, with a message that names what is wrong.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 controls (tab, line feed, carriage return, ...), DEL, C1 controls, and the Unicode line and
# paragraph separators: none belongs in a one-line field.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

SINGLE_LINE_MESSAGE = "Keep this to one line: line breaks and tabs are not allowed here."


@deconstructible
class SingleLineValidator:
    message = SINGLE_LINE_MESSAGE
    code = "single_line"

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and _NOT_ONE_LINE.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(self.code)


single_line = SingleLineValidator()


def check_single_line(value: str | None) -> str | None:
    """The same rule for a pydantic (django-ninja) field validator: raise ValueError."""
    if isinstance(value, str) and _NOT_ONE_LINE.search(value):
        raise ValueError(SINGLE_LINE_MESSAGE)
    return value


def one_line(text: str) -> str:
    """Text made safe for a header (an e-mail subject): control characters become spaces."""
    return " ".join(_NOT_ONE_LINE.sub(" ", text).split())


def require_length(field: str, value: str, limit: int) -> str:
    """The length rule a service applies to free text, so that a page posting straight to the
    service (a private note, a goal comment) has the same limit as the API's schema. Returns the
    text, trimmed; raises a ValidationError that names the field."""
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(
            {field: f"Keep this to {limit:,} characters; it has {len(text):,}."},
            code="max_length",
        )
    return text
