"""Pages of long lists: no page renders an unbounded list."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(
    request: HttpRequest, items: Sequence, *, per_page: int | None = None, param: str = "page"
) -> Page:
    """The page of ``items`` named by ``?page=`` (or ``param``, for a second list on the same
    page): the first for anything that is not a page number, the last for a number past the
    end. The template includes ``_pagination.html`` with ``page``."""
    page = Paginator(items, per_page or PER_PAGE).get_page(request.GET.get(param))
    params = request.GET.copy()
    params.pop(param, None)
    page.query = params.urlencode()  # the other parameters (filters, sort) kept on each link
    page.param = param
    return page
