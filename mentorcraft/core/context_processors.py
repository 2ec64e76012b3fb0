from __future__ import annotations

from django.http import HttpRequest

from mentorcraft.core.extensions import roles_anywhere
from mentorcraft.core.roles import Role


def navigation(request: HttpRequest) -> dict:
    """The roles a person holds anywhere, so the layout can show the right navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": set()}
    roles = roles_anywhere(user)
    return {
        "nav_roles": roles,
        "nav_is_coordinator": Role.COORDINATOR in roles or user.is_superuser,
    }
