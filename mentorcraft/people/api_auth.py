"""API authentication with a personal token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyHeader

from mentorcraft.core.api import SessionAuthActive
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


# A token, or else a browser session.
API_AUTH = [TokenAuth(), SessionAuthActive()]
