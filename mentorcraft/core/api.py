"""Shared pieces of the JSON API: session authentication and paginated lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import SessionAuth


class SessionAuthActive(SessionAuth):
    """Browser session (CSRF-checked by django-ninja for unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None):  # noqa: ANN201
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


MAX_OFFSET = 2**31 - 1


class BoundedLimitOffset(LimitOffsetPagination):
    """Django-ninja's limit and offset, with an offset a database can take (an offset past 2^63
    was a server error on SQLite); past the end of a list is an empty page, as before."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


# Every endpoint that answers with a list is paginated: decorate it with ``@paged`` under the
# router's decorator and return a queryset, a list or a ``Mapped``. The caller sends ``?limit=``
# (1 to NINJA_PAGINATION_MAX_LIMIT, NINJA_PAGINATION_PER_PAGE by default: see settings) and
# ``?offset=`` (0 to MAX_OFFSET); the answer is ``{"items": [...], "count": n}``, ``count``
# being the whole list's.
paged = paginate(BoundedLimitOffset)


class Mapped(Sequence):
    """A queryset whose rows ``convert`` turns into what the endpoint answers, one page at a
    time: only the rows of the page asked for are fetched and converted."""

    def __init__(self, rows: Any, convert: Callable[[Any], Any]) -> None:
        self.rows, self.convert = rows, convert

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.convert(row) for row in self.rows[index]]
        return self.convert(self.rows[index])

    def __len__(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def all(self) -> Mapped:
        return self

    def count(self, value: object = None) -> int:  # Sequence.count, and QuerySet.count
        return len(self)

    def __iter__(self) -> Iterable[Any]:  # type: ignore[override]
        return (self.convert(row) for row in self.rows)
