"""What the people app adds to the extension points in ``core.extensions``."""

from __future__ import annotations

from django.http import HttpRequest

from mentorcraft.core.extensions import Panel


def home_profile_panel(request: HttpRequest) -> Panel:
    return Panel("people/_home_profile.html")
