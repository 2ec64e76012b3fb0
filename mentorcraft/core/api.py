"""Shared pieces of the JSON API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import SessionAuth


class SessionAuthActive(SessionAuth):
    """Browser session (CSRF-checked by django-ninja for unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None):  # noqa: ANN201
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
