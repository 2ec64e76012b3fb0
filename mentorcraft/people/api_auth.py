"""API authentication with a personal token."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyHeader

from mentorcraft.core.api import SessionAuthActive
from mentorcraft.core.middleware import user_needs_mfa
from mentorcraft.people.services import api_token_find

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(APIKeyHeader):
    """``Authorization: Bearer mc_…`` with a personal API token. A token obeys the same rules
    as its owner's browser session: when staff must use two-factor authentication, a token of
    staff without it is refused, as their session is held back. A read-only token only reads."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None):  # noqa: ANN201
        if not key:
            return None
        scheme, _, value = key.partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = api_token_find(value.strip())
        if token is None:
            return None
        user = token.user
        if settings.REQUIRE_MFA_FOR_STAFF and user_needs_mfa(user):
            raise HttpError(
                403,
                "Set up two-factor authentication on the site first; until then no token works.",
            )
        if token.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token is read-only: it cannot change anything.")
        request.user = user
        return user


# A token, or else a browser session.
API_AUTH = [TokenAuth(), SessionAuthActive()]
