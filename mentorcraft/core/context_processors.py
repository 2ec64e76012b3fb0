from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from mentorcraft.core.extensions import nav_items, roles_anywhere
from mentorcraft.core.roles import Role


def navigation(request: HttpRequest) -> dict:
    """The main navigation (``core.extensions.nav_items``, filled by the apps) and the roles a
    person holds anywhere, so the layout shows what is theirs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": set(), "nav_links": []}
    roles = roles_anywhere(user)
    match = getattr(request, "resolver_match", None)
    here = (match.app_name, match.view_name) if match else ("", "")
    links = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "current": (item.app_name and here[0] == item.app_name)
            or (not item.app_name and here[1] == item.url_name),
        }
        for item in nav_items
        if item.show is None or item.show(user)
    ]
    return {
        "nav_roles": roles,
        "nav_is_coordinator": Role.COORDINATOR in roles or user.is_superuser,
        "nav_links": links,
    }
