"""Shared pieces of the JSON API: authentication and error mapping."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyHeader, SessionAuth

from mentorcraft.people.services import api_token_authenticate


class TokenAuth(APIKeyHeader):
    """``Authorization: Bearer mc_…`` with a personal API token."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None):  # noqa: ANN201
        if not key:
            return None
        scheme, _, value = key.partition(" ")
        if scheme.lower() != "bearer":
            return None
        user = api_token_authenticate(value.strip())
        if user is not None:
            request.user = user
        return user


class SessionAuthActive(SessionAuth):
    """Browser session (CSRF-checked by django-ninja for unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None):  # noqa: ANN201
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH = [TokenAuth(), SessionAuthActive()]
