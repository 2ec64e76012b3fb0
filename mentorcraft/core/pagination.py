"""Pages of long lists: no page renders an unbounded list."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, items: Sequence, *, per_page: int = PER_PAGE) -> Page:
    """The page of ``items`` named by ``?page=`` (the first for anything that is not a page
    number, the last for a number past the end). The template includes ``_pagination.html``."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.query = params.urlencode()  # the other parameters (filters, sort) kept on each link
    return page
