from __future__ import annotations

from django.http import HttpRequest

from mentorcraft.programmes.models import ProgrammeRole, Role


def navigation(request: HttpRequest) -> dict:
    """The roles a person holds anywhere, so the layout can show the right navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": set()}
    roles = set(ProgrammeRole.objects.filter(user=user).values_list("role", flat=True))
    return {
        "nav_roles": roles,
        "nav_is_coordinator": Role.COORDINATOR in roles or user.is_superuser,
    }
