from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mentorcraft.core.extensions import home_panels, next_steps_for, panels_for
from mentorcraft.people.services import profile_ensure


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What to do next, from every app, and each app's card about the person's part in it."""
    profile_ensure(user=request.user)
    return render(
        request,
        "home/home.html",
        {
            "steps": next_steps_for(request.user),
            "panels": panels_for(home_panels, request),
        },
    )
