from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from mentorcraft.core.extensions import NavItem, home_panels, next_steps_for, panels_for
from mentorcraft.core.freshness import data_version
from mentorcraft.core.pagination import paginate
from mentorcraft.people.services import profile_ensure

NAV_HOME = NavItem("Home", "home")

# The most urgent steps on the home page; the rest on the page of all steps.
STEPS_SHOWN = 12


def _body(request: HttpRequest) -> str:
    steps = next_steps_for(request.user)
    return render_to_string(
        "home/_body.html",
        {
            "steps": steps[:STEPS_SHOWN],
            "more_steps": len(steps) - STEPS_SHOWN,
            "panels": panels_for(home_panels, request),
        },
        request=request,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What to do next, from every app, and each app's card about the person's part in it.

    The body is kept in the cache for the person until anything is written (the data version
    changes) and for at most ``HOME_CACHE_SECONDS``, since time passing changes what is due
    too; the layout around it (messages, navigation) is always fresh."""
    profile_ensure(user=request.user)
    seconds = settings.HOME_CACHE_SECONDS
    if seconds <= 0:
        body = _body(request)
    else:
        key = f"home:{request.user.pk}:{data_version()}:{int(time.time() // seconds)}"
        body = cache.get(key)
        if body is None:
            body = _body(request)
            cache.set(key, body, timeout=seconds)
    return render(request, "home/home.html", {"body": mark_safe(body)})  # noqa: S308 - ours


@login_required
def steps(request: HttpRequest) -> HttpResponse:
    """Every next step, most urgent first, a page at a time."""
    return render(
        request, "home/steps.html", {"page": paginate(request, next_steps_for(request.user))}
    )
